/**
 * ML Metadata's PutLineageSubgraph, by its rules (metadata_store.cc): executions,
 * artifacts and contexts, and event edges that name their ends by index into the request's
 * lists or by an existing node's id. Checked before anything is written, edge by edge in
 * MLMD's order: an edge without an event, or without either end, is INVALID_ARGUMENT; an
 * index past its list OUT_OF_RANGE; an index AND an id in the event must name the same node
 * (the node at the index must have an id, and it must be that one), else INVALID_ARGUMENT;
 * an id no node of its kind has is INVALID_ARGUMENT too (ML Metadata stores that event).
 * Then contexts (reused by name under reuse_context_if_already_exist), artifacts (reused by
 * external id under reuse_artifact_if_already_exist_by_external_id), executions; every
 * context is linked to every artifact and execution of the call; then the events, as
 * PutEvents writes them. One transaction: all or nothing.
 */
import { InvalidArgumentError, OutOfRangeError } from '../../graph/errors.js';
import type { ArtifactRecord, ContextRecord, EventType, ExecutionRecord, NodeKind, NodeRecord } from '../../graph/model.js';
import { putAssociationsInTx, putEventsInTx, validateEvent } from './edge-writes.js';
import type { ArtifactInput, ContextInput, ExecutionInput, PathStepInput } from './inputs.js';
import { MLMD_PUT, putNodesInTx } from './node-writes.js';
import { requireBatch } from '../shared/validate.js';
import type { WriteContext } from './write-context.js';

/** PutLineageSubgraph's request, nodes as the service's inputs and event ends as ML Metadata ids. */
export interface MlmdPutLineageSubgraphInput {
  executions?: ExecutionInput[] | null;
  artifacts?: ArtifactInput[] | null;
  contexts?: ContextInput[] | null;
  eventEdges?: MlmdEventEdge[] | null;
  /** A context whose (type, name) exists is reused rather than ALREADY_EXISTS. */
  reuseContextIfAlreadyExist?: boolean;
  /** An artifact without an id whose external id exists is that artifact. */
  reuseArtifactIfAlreadyExistByExternalId?: boolean;
}

export interface MlmdEventEdge {
  executionIndex?: number | null;
  artifactIndex?: number | null;
  /** Its ends, when given, are ML Metadata ids of existing nodes. */
  event?: {
    executionId?: number | null; artifactId?: number | null;
    type: EventType; path?: PathStepInput[] | null; time?: number | null;
  } | null;
}

export interface MlmdPutLineageSubgraphResult {
  executions: ExecutionRecord[];
  artifacts: ArtifactRecord[];
  contexts: ContextRecord[];
}

const present = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/** One checked edge: each end an index into the call's list or an ML Metadata id (or both, agreeing). */
interface ValidEdge {
  execution: { index: number | null; mlmdId: number | null };
  artifact: { index: number | null; mlmdId: number | null };
  event: NonNullable<MlmdEventEdge['event']>;
  field: string;
}

/** MLMD's CheckEventEdges, the parts that need no store: presence and bounds, edge by edge. */
function checkEdges(edges: readonly MlmdEventEdge[], executions: number, artifacts: number): ValidEdge[] {
  return edges.map((edge, i) => {
    const field = `event_edges[${i}]`;
    if (!present(edge?.event)) throw new InvalidArgumentError(`${field}.event is required`, `${field}.event`);
    const end = (kind: 'execution' | 'artifact', size: number) => {
      const index = kind === 'execution' ? edge.executionIndex : edge.artifactIndex;
      const mlmdId = kind === 'execution' ? edge.event!.executionId : edge.event!.artifactId;
      if (!present(index) && !present(mlmdId)) {
        throw new InvalidArgumentError(`${field} names no ${kind}: give ${kind}_index or event.${kind}_id`, `${field}.${kind}_index`);
      }
      if (present(index) && (!Number.isInteger(index) || index < 0 || index >= size)) {
        throw new OutOfRangeError(`${field}.${kind}_index ${index} is outside the request's ${kind}s, [0, ${size})`, `${field}.${kind}_index`);
      }
      return { index: present(index) ? index : null, mlmdId: present(mlmdId) ? mlmdId : null };
    };
    const execution = end('execution', executions);
    const artifact = end('artifact', artifacts);
    return { execution, artifact, event: edge.event, field };
  });
}

/** The call's validated parts, before its transaction. */
export function validateMlmdLineageSubgraph(input: MlmdPutLineageSubgraphInput) {
  const executions = requireBatch<ExecutionInput>(input?.executions ?? [], 'executions');
  const artifacts = requireBatch<ArtifactInput>(input?.artifacts ?? [], 'artifacts');
  const contexts = requireBatch<ContextInput>(input?.contexts ?? [], 'contexts');
  const edges = checkEdges(requireBatch<MlmdEventEdge>(input?.eventEdges ?? [], 'event_edges'), executions.length, artifacts.length);
  return { executions, artifacts, contexts, edges, input };
}

/** Writes a validated call in the caller's transaction. */
export async function putMlmdLineageSubgraphInTx(
  ctx: WriteContext, valid: ReturnType<typeof validateMlmdLineageSubgraph>,
): Promise<MlmdPutLineageSubgraphResult> {
  const { executions, artifacts, contexts, edges, input } = valid;
  // The event ids as server ids, in one read per kind; an id no node has stays unresolved.
  const byMlmdId = async (kind: NodeKind, ids: (number | null)[]): Promise<Map<number, NodeRecord>> => {
    const wanted = [...new Set(ids.filter(present))];
    const found = wanted.length === 0 ? [] : await ctx.tx.getNodesByMlmdId(kind, wanted);
    return new Map(found.filter(present).map((n) => [n.mlmdId, n]));
  };
  const executionsById = await byMlmdId('EXECUTION', edges.map((e) => e.execution.mlmdId));
  const artifactsById = await byMlmdId('ARTIFACT', edges.map((e) => e.artifact.mlmdId));
  // The rest of CheckEventEdges: an index and an id must name the same node.
  for (const e of edges) {
    for (const [kind, end, list, byId] of [
      ['execution', e.execution, executions, executionsById], ['artifact', e.artifact, artifacts, artifactsById],
    ] as const) {
      if (end.mlmdId !== null && !byId.has(end.mlmdId)) {
        // ML Metadata would store an event whose end is no node (its tables have no foreign
        // keys); an event here is an edge between two nodes, so it is refused.
        throw new InvalidArgumentError(`${e.field}.event.${kind}_id: no ${kind} has id ${end.mlmdId}`, `${e.field}.event.${kind}_id`);
      }
      if (end.index === null || end.mlmdId === null) continue;
      const nodeId = (list[end.index] as { id?: string | null }).id ?? null;
      if (nodeId === null) {
        throw new InvalidArgumentError(`${e.field}: the ${kind} at ${kind}_index ${end.index} has no id, yet event.${kind}_id is ${end.mlmdId}`, `${e.field}.event.${kind}_id`);
      }
      if (byId.get(end.mlmdId)?.id !== nodeId) {
        throw new InvalidArgumentError(`${e.field}: the ${kind} at ${kind}_index ${end.index} is not ${kind} ${end.mlmdId}, which event.${kind}_id names`, `${e.field}.event.${kind}_id`);
      }
    }
  }
  // Contexts, artifacts, executions, in MLMD's order: the first refusal in that order wins.
  const c = await putNodesInTx(ctx, 'CONTEXT', contexts, { ...MLMD_PUT, reuseByName: input.reuseContextIfAlreadyExist === true }, (i) => `contexts[${i}]`) as ContextRecord[];
  const a = await putNodesInTx(ctx, 'ARTIFACT', artifacts, {
    ...MLMD_PUT, reuseByExternalId: input.reuseArtifactIfAlreadyExistByExternalId === true,
  }, (i) => `artifacts[${i}]`) as ArtifactRecord[];
  const x = await putNodesInTx(ctx, 'EXECUTION', executions, MLMD_PUT, (i) => `executions[${i}]`) as ExecutionRecord[];
  const artifactIds = [...new Set(a.map((n) => n.id))];
  const executionIds = [...new Set(x.map((n) => n.id))];
  const contextIds = [...new Set(c.map((n) => n.id))];
  await ctx.tx.insertAttributions(contextIds.flatMap((contextId) => artifactIds.map((artifactId) => ({ contextId, artifactId }))));
  await putAssociationsInTx(ctx, contextIds.flatMap((contextId) => executionIds.map((executionId) => ({ contextId, executionId }))));
  const serverIdOf = (end: ValidEdge['execution'], written: readonly NodeRecord[], byId: Map<number, NodeRecord>): string =>
    (end.index !== null ? written[end.index]!.id : byId.get(end.mlmdId!)!.id);
  const known = new Map<string, NodeRecord>([...a, ...x, ...executionsById.values(), ...artifactsById.values()].map((n) => [n.id, n]));
  await putEventsInTx(ctx, edges.map((e) => validateEvent({
    artifactId: serverIdOf(e.artifact, a, artifactsById),
    executionId: serverIdOf(e.execution, x, executionsById),
    type: e.event.type, path: e.event.path ?? null, time: e.event.time ?? null,
  }, `${e.field}.event`)), known, { mlmdSemantics: true });
  return { executions: x, artifacts: a, contexts: c };
}
