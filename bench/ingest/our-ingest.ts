/**
 * Loads a generated graph into one of our backends, two ways:
 * - `service`: the public bulk path, MetadataApi.putLineageSubgraph in batches of at most
 *   10,000 items per list, nodes of earlier batches passed again by id (an unchanged
 *   re-put, which the service leaves untouched), with every validation and lookup;
 * - `store`: the same batches written straight through GraphStore.write (insertNodes,
 *   insertEvents, insertAttributions...), skipping the service's checks: the ceiling of
 *   what the backend itself can take.
 * Both record the server id of every node, by index, for the queries that follow.
 */
import type {
  ArtifactRecord, ContextRecord, EventRecord, ExecutionRecord, NodeKind, TypeKind, TypeRecord,
} from '../../src/graph/model.js';
import type { GraphStore } from '../../src/graph/store.js';
import type { ArtifactInput, ExecutionInput, LineageSubgraphInput, RecordExecutionInput } from '../../src/service/metadata/inputs.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { newId } from '../../src/service/shared/ids.js';
import {
  artifactName, artifactUri, contextName, executionName, type BenchGraph,
} from '../workload/bench-graph.js';
import { artifactBaseType, executionBaseType } from '../workload/type-bases.js';
import { MAX_ITEMS, subgraphBatches, type IndexBatch } from './subgraph-batches.js';

export type IngestPath = 'service' | 'store';

const PARENT_LINKS_PER_CALL = 250;

/** Server ids by node index; an empty string is a node not written yet. */
export class NodeIds {
  readonly artifacts: string[];
  readonly executions: string[];
  readonly contexts: string[];
  constructor(g: BenchGraph) {
    this.artifacts = new Array<string>(g.artifactType.length).fill('');
    this.executions = new Array<string>(g.steps.length).fill('');
    this.contexts = new Array<string>(g.contextType.length).fill('');
  }

  /** Index of every written node by id, for reading answers back. */
  reverse(): { artifacts: Map<string, number>; executions: Map<string, number> } {
    const index = (ids: string[]): Map<string, number> => new Map(ids.flatMap((id, i) => (id ? [[id, i] as const] : [])));
    return { artifacts: index(this.artifacts), executions: index(this.executions) };
  }
}

export interface IngestCount {
  nodes: number;
  edges: number;
}

export interface IngestOutcome extends IngestCount {
  seconds: number;
  batches: number;
}

/** The graph's artifact as an API input. */
export function artifactInput(g: BenchGraph, a: number): ArtifactInput {
  return { type: g.artifactTypes[g.artifactType[a]!]!, name: artifactName(a), uri: artifactUri(a), state: 'LIVE' };
}

export function executionInput(g: BenchGraph, x: number): ExecutionInput {
  return { type: g.executionTypes[g.steps[x]!.type]!, name: executionName(x), lastKnownState: 'COMPLETE' };
}

const contextInput = (g: BenchGraph, c: number): { type: string; name: string } =>
  ({ type: g.contextTypes[g.contextType[c]!]!, name: contextName(c) });

/** Registers every type of the graph; returns the stored types by kind and name. */
export async function registerTypes(api: MetadataApi, g: BenchGraph): Promise<Record<TypeKind, Map<string, TypeRecord>>> {
  const put = async (kind: TypeKind, names: string[], base: (n: string) => string | null): Promise<Map<string, TypeRecord>> =>
    new Map(await Promise.all(names.map(async (name) => [name, await api.putType(kind, { name, baseType: base(name) })] as const)));
  return {
    ARTIFACT_TYPE: await put('ARTIFACT_TYPE', g.artifactTypes, artifactBaseType),
    EXECUTION_TYPE: await put('EXECUTION_TYPE', g.executionTypes, executionBaseType),
    CONTEXT_TYPE: await put('CONTEXT_TYPE', g.contextTypes, () => null),
  };
}

function chunks<T>(items: readonly T[], size = MAX_ITEMS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Writes steps [0, upTo) of `g` (and every context, so later steps can be recorded one
 * by one) into `api`'s store along `path`.
 */
export async function ingestGraph(api: MetadataApi, g: BenchGraph, upTo: number, path: IngestPath, ids: NodeIds): Promise<IngestOutcome> {
  const started = performance.now();
  const types = await registerTypes(api, g);
  const count: IngestCount = { nodes: 0, edges: 0 };
  const contexts = Array.from(g.contextType, (_, c) => c);
  const parents = contexts.filter((c) => g.contextParent[c]! >= 0).map((c) => [c, g.contextParent[c]!] as const);
  let batches = 0;
  if (path === 'service') {
    for (const part of chunks(contexts)) {
      const records = await api.putContexts(part.map((c) => contextInput(g, c)));
      records.forEach((r, i) => { ids.contexts[part[i]!] = r.id; });
      batches += 1;
    }
    // putParentContexts checks each link for a cycle with its own round trips, so a batch
    // of thousands outlasts Neo4j's transaction timeout; a few hundred per call does not.
    for (const part of chunks(parents, PARENT_LINKS_PER_CALL)) {
      await api.putParentContexts(part.map(([c, p]) => ({ childId: ids.contexts[c]!, parentId: ids.contexts[p]! })));
      batches += 1;
    }
  } else {
    const now = Date.now();
    for (const part of chunks(contexts)) {
      const unstamped = part.map((c) => ({
        kind: 'CONTEXT' as const, id: newId(), typeId: types.CONTEXT_TYPE.get(g.contextTypes[g.contextType[c]!]!)!.id, name: contextName(c),
        externalId: null, properties: {}, customProperties: {}, createTime: now, updateTime: now,
      }));
      // Like the service: one allocation of ML Metadata ids per batch, inside its transaction.
      const records: ContextRecord[] = await api.store.write(async (tx) => {
        const mlmdIds = await tx.allocateMlmdIds('context', unstamped.length);
        const stamped = unstamped.map((r, i) => ({ ...r, mlmdId: mlmdIds[i]! }));
        await tx.insertNodes(stamped);
        return stamped;
      });
      records.forEach((r, i) => { ids.contexts[part[i]!] = r.id; });
      batches += 1;
    }
    for (const part of chunks(parents)) {
      await api.store.write(async (tx) => tx.insertParentContexts(part.map(([c, p]) => ({ childId: ids.contexts[c]!, parentId: ids.contexts[p]! }))));
      batches += 1;
    }
  }
  count.nodes += contexts.length;
  count.edges += parents.length;

  const stored = new Uint8Array(g.artifactType.length);
  const attributed = new Set<number>();
  for (const batch of subgraphBatches(g, 0, upTo, stored, attributed)) {
    if (path === 'service') await putBatchThroughService(api, g, batch, ids);
    else await putBatchThroughStore(api.store, g, batch, ids, types);
    count.nodes += batch.fresh.size + (batch.to - batch.from);
    count.edges += batch.events.length + batch.attributions.length + batch.associations.length;
    batches += 1;
  }
  return { ...count, seconds: (performance.now() - started) / 1000, batches };
}

async function putBatchThroughService(api: MetadataApi, g: BenchGraph, b: IndexBatch, ids: NodeIds): Promise<void> {
  const input: LineageSubgraphInput = {
    artifacts: b.artifacts.map((a) => (b.fresh.has(a) ? artifactInput(g, a) : { ...artifactInput(g, a), id: ids.artifacts[a]! })),
    executions: Array.from({ length: b.to - b.from }, (_, i) => executionInput(g, b.from + i)),
    contexts: b.contexts.map((c) => ({ ...contextInput(g, c), id: ids.contexts[c]! })),
    events: b.events.map(([artifactIndex, executionIndex, out]) => ({ artifactIndex, executionIndex, type: out ? 'OUTPUT' : 'INPUT' })),
    attributions: b.attributions.map(([contextIndex, artifactIndex]) => ({ contextIndex, artifactIndex })),
    associations: b.associations.map(([contextIndex, executionIndex]) => ({ contextIndex, executionIndex })),
  };
  const result = await api.putLineageSubgraph(input);
  result.artifacts.forEach((r, i) => { ids.artifacts[b.artifacts[i]!] = r.id; });
  result.executions.forEach((r, i) => { ids.executions[b.from + i] = r.id; });
}

async function putBatchThroughStore(
  store: GraphStore, g: BenchGraph, b: IndexBatch, ids: NodeIds, types: Record<TypeKind, Map<string, TypeRecord>>,
): Promise<void> {
  const now = Date.now();
  const typeId = (kind: TypeKind, name: string): string => types[kind].get(name)!.id;
  const common = (kind: NodeKind) => ({ kind, externalId: null, properties: {}, customProperties: {}, createTime: now, updateTime: now });
  // mlmdId 0 until the write transaction allocates the batch's ids (stamped below).
  const artifacts: ArtifactRecord[] = [...b.fresh].map((a) => ({
    ...common('ARTIFACT'), kind: 'ARTIFACT', id: newId(), mlmdId: 0, typeId: typeId('ARTIFACT_TYPE', g.artifactTypes[g.artifactType[a]!]!),
    name: artifactName(a), uri: artifactUri(a), state: 'LIVE',
  }));
  const freshList = [...b.fresh];
  const executions: ExecutionRecord[] = Array.from({ length: b.to - b.from }, (_, i) => ({
    ...common('EXECUTION'), kind: 'EXECUTION', id: newId(), mlmdId: 0, typeId: typeId('EXECUTION_TYPE', g.executionTypes[g.steps[b.from + i]!.type]!),
    name: executionName(b.from + i), lastKnownState: 'COMPLETE',
  }));
  artifacts.forEach((r, i) => { ids.artifacts[freshList[i]!] = r.id; });
  executions.forEach((r, i) => { ids.executions[b.from + i] = r.id; });
  const artifactId = (slot: number): string => ids.artifacts[b.artifacts[slot]!]!;
  const events: EventRecord[] = b.events.map(([a, x, out]) => ({
    artifactId: artifactId(a), executionId: executions[x]!.id, type: out ? 'OUTPUT' : 'INPUT', path: [], time: now,
  }));
  await store.write(async (tx) => {
    // Like the service: one allocation of ML Metadata ids per batch and kind, inside its transaction.
    const artifactIds = await tx.allocateMlmdIds('artifact', artifacts.length);
    const executionIds = await tx.allocateMlmdIds('execution', executions.length);
    await tx.insertNodes([
      ...artifacts.map((node, i) => ({ ...node, mlmdId: artifactIds[i]! })),
      ...executions.map((node, i) => ({ ...node, mlmdId: executionIds[i]! })),
    ]);
    await tx.insertEvents(events);
    await tx.insertAttributions(b.attributions.map(([c, a]) => ({ contextId: ids.contexts[b.contexts[c]!]!, artifactId: artifactId(a) })));
    await tx.insertAssociations(b.associations.map(([c, x]) => ({ contextId: ids.contexts[b.contexts[c]!]!, executionId: executions[x]!.id })));
  });
}

/**
 * Step `x` as a recordExecution input: inputs already written go by id, a source artifact
 * read for the first time is described in full, outputs are described, contexts are
 * named (and reused by name).
 */
export function recordInputOf(g: BenchGraph, x: number, ids: NodeIds): RecordExecutionInput {
  const s = g.steps[x]!;
  return {
    execution: executionInput(g, x),
    inputs: s.inputs.map((a) => (ids.artifacts[a] ? { id: ids.artifacts[a]! } : { artifact: artifactInput(g, a) })),
    outputs: s.outputs.map((a) => ({ artifact: artifactInput(g, a) })),
    contexts: s.contexts.map((c) => contextInput(g, c)),
  };
}

/** Records what a recordExecution of step `x` stored. */
export function noteRecorded(g: BenchGraph, x: number, ids: NodeIds, result: { execution: { id: string }; inputs: { id: string }[]; outputs: { id: string }[] }): void {
  const s = g.steps[x]!;
  ids.executions[x] = result.execution.id;
  s.inputs.forEach((a, i) => { ids.artifacts[a] = result.inputs[i]!.id; });
  s.outputs.forEach((a, i) => { ids.artifacts[a] = result.outputs[i]!.id; });
}

/** What recording steps [from, to) writes, counted as executions, output artifacts and events (context links left out). */
export function recordedItems(g: BenchGraph, from: number, to: number): number {
  let items = 0;
  for (let x = from; x < to; x++) {
    const s = g.steps[x]!;
    items += 1 + s.outputs.length * 2 + s.inputs.length;
  }
  return items;
}
