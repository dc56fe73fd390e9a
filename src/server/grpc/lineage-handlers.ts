/**
 * MetadataStoreService's lineage methods: GetLineageSubgraph (the walk and its rules are
 * the lineage service's mlmdSubgraph, src/service/lineage/lineage-subgraph.ts) and
 * PutLineageSubgraph (the metadata service's putLineageSubgraphMlmd,
 * src/service/metadata/mlmd-lineage-subgraph.ts). GetLineageGraph stays UNIMPLEMENTED,
 * as in ML Metadata since 1.15.
 */
import type { SubgraphDirection, SubgraphEnding } from '../../service/lineage/lineage-subgraph.js';
import type { HandlerGroup, UnaryHandler } from './grpc-handler.js';
import { eventMsgOf } from './edge-handlers.js';
import { nodeInputsOf, type NodeMsg } from './node-handlers.js';
import { typeMsgOf } from './type-handlers.js';
import { eventPartsOf, exactInt, type EventMsg, type Int64 } from './wire-values.js';

interface EndingMsg { filter_query?: string; include_ending_nodes?: boolean }

interface GetLineageSubgraphRequest {
  lineage_subgraph_query_options?: {
    starting_artifacts?: { filter_query?: string };
    starting_executions?: { filter_query?: string };
    max_num_hops?: Int64;
    direction?: SubgraphDirection;
    ending_artifacts?: EndingMsg;
    ending_executions?: EndingMsg;
  };
  read_mask?: { paths?: string[] };
}

const endingOf = (e: EndingMsg | undefined): SubgraphEnding | null =>
  (e === undefined ? null : { filterQuery: e.filter_query ?? null, includeEndingNodes: e.include_ending_nodes === true });

/**
 * Nodes answer with their id alone, as ML Metadata's server does: its client reads the
 * records it wants by id (GetArtifactsByID, ...) and the types it wants by their ids.
 */
const getLineageSubgraph: UnaryHandler<GetLineageSubgraphRequest> = async (req, ctx) => {
  const o = req.lineage_subgraph_query_options ?? {};
  const g = await ctx.lineage.mlmdSubgraph({
    startingArtifacts: o.starting_artifacts ? { filterQuery: o.starting_artifacts.filter_query ?? null } : null,
    startingExecutions: o.starting_executions ? { filterQuery: o.starting_executions.filter_query ?? null } : null,
    maxNumHops: o.max_num_hops === undefined ? null : exactInt(o.max_num_hops, 'lineage_subgraph_query_options.max_num_hops'),
    direction: o.direction ?? null,
    endingArtifacts: endingOf(o.ending_artifacts),
    endingExecutions: endingOf(o.ending_executions),
    readMask: req.read_mask?.paths ?? [],
  });
  const id = (serverId: string): number => g.mlmdIdOf.get(serverId)!;
  return {
    lineage_subgraph: {
      artifact_types: g.artifactTypes?.map(typeMsgOf) ?? [],
      execution_types: g.executionTypes?.map(typeMsgOf) ?? [],
      context_types: g.contextTypes?.map(typeMsgOf) ?? [],
      artifacts: g.artifacts?.map((n) => ({ id: n.mlmdId })) ?? [],
      executions: g.executions?.map((n) => ({ id: n.mlmdId })) ?? [],
      contexts: g.contexts?.map((n) => ({ id: n.mlmdId })) ?? [],
      events: g.events?.map((e) => eventMsgOf(e, g.mlmdIdOf)) ?? [],
      attributions: g.attributions?.map((l) => ({ artifact_id: id(l.artifactId), context_id: id(l.contextId) })) ?? [],
      associations: g.associations?.map((l) => ({ execution_id: id(l.executionId), context_id: id(l.contextId) })) ?? [],
    },
  };
};

interface PutLineageSubgraphRequest {
  executions?: NodeMsg[];
  artifacts?: NodeMsg[];
  contexts?: NodeMsg[];
  event_edges?: { execution_index?: number; artifact_index?: number; event?: EventMsg }[];
  options?: { reuse_context_if_already_exist?: boolean; reuse_artifact_if_already_exist_by_external_id?: boolean };
}

const putLineageSubgraph: UnaryHandler<PutLineageSubgraphRequest> = async (req, ctx) => {
  const executions = await nodeInputsOf(ctx, 'EXECUTION', req.executions ?? [], 'executions');
  const artifacts = await nodeInputsOf(ctx, 'ARTIFACT', req.artifacts ?? [], 'artifacts');
  const contexts = await nodeInputsOf(ctx, 'CONTEXT', req.contexts ?? [], 'contexts');
  const result = await ctx.api.putLineageSubgraphMlmd({
    executions: executions as never,
    artifacts: artifacts as never,
    contexts: contexts as never,
    eventEdges: (req.event_edges ?? []).map((edge, i) => {
      const field = `event_edges[${i}].event`;
      const e = edge.event;
      return {
        executionIndex: edge.execution_index ?? null,
        artifactIndex: edge.artifact_index ?? null,
        event: e === undefined ? null : {
          ...eventPartsOf(e, field),
          executionId: e.execution_id === undefined ? null : exactInt(e.execution_id, `${field}.execution_id`),
          artifactId: e.artifact_id === undefined ? null : exactInt(e.artifact_id, `${field}.artifact_id`),
        },
      };
    }),
    reuseContextIfAlreadyExist: req.options?.reuse_context_if_already_exist === true,
    reuseArtifactIfAlreadyExistByExternalId: req.options?.reuse_artifact_if_already_exist_by_external_id === true,
  }, ctx.writer);
  return {
    execution_ids: result.executions.map((n) => n.mlmdId),
    artifact_ids: result.artifacts.map((n) => n.mlmdId),
    context_ids: result.contexts.map((n) => n.mlmdId),
  };
};

/** The lineage methods by name. */
export const LINEAGE_HANDLERS: HandlerGroup = { GetLineageSubgraph: getLineageSubgraph, PutLineageSubgraph: putLineageSubgraph };
