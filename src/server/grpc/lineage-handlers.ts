/**
 * MetadataStoreService's lineage methods: GetLineageSubgraph (the walk and its rules are
 * the lineage service's mlmdSubgraph, src/service/lineage/lineage-subgraph.ts).
 * GetLineageGraph stays UNIMPLEMENTED, as in ML Metadata since 1.15.
 */
import type { SubgraphDirection, SubgraphEnding } from '../../service/lineage/lineage-subgraph.js';
import type { HandlerGroup, UnaryHandler } from './grpc-handler.js';
import { eventMsgOf } from './edge-handlers.js';
import { typeMsgOf } from './type-handlers.js';
import { exactInt, type Int64 } from './wire-values.js';

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

/** The lineage methods by name. */
export const LINEAGE_HANDLERS: HandlerGroup = { GetLineageSubgraph: getLineageSubgraph };
