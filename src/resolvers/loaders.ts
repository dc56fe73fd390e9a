/**
 * The per-request DataLoaders. Each store read of the service is batch-shaped (many ids
 * in, an aligned array out), so each loader is a service call as it stands; a query that
 * touches a hundred artifacts asks the backend once per loader, not once per artifact.
 *
 * Made per request in the yoga context factory, never at module level: a loader caches
 * what it read, and a cache shared across requests would serve one client's stale or
 * deleted data to another (dataloader's own advice).
 */
import DataLoader from 'dataloader';
import type { ContextRecord, EventRecord, NodeKind, NodeRecord, TypeRecord } from '../graph/model.js';
import type { NodeHistoryEntry } from '../graph/history-store.js';
import type { MetadataApi } from '../service/metadata/metadata-service.js';
import { MAX_BATCH } from '../service/shared/validate.js';

/**
 * A loader of records by id that also answers at once for a record this request has read
 * already. A field resolved from a promise costs the executor a promise and a turn of the
 * microtask queue per value; a lineage answer of a thousand nodes asks for the same few
 * types a thousand times, and its records were primed by the walk.
 */
export class RecordLoader<V> extends DataLoader<string, V | null> {
  private readonly read = new Map<string, V | null>();

  constructor(batch: (ids: readonly string[]) => Promise<(V | null)[]>, options: DataLoader.Options<string, V | null>) {
    super(async (ids) => {
      const found = await batch(ids);
      ids.forEach((id, i) => this.read.set(id, found[i] ?? null));
      return found;
    }, options);
  }

  /** The record of `id` when this request has read it (null: read, and absent); else a promise of it, in the next batch. */
  now(id: string): V | null | Promise<V | null> {
    const known = this.read.get(id);
    return known !== undefined ? known : this.load(id);
  }

  override prime(id: string, value: V | null | PromiseLike<V | null> | Error): this {
    if (!this.read.has(id) && (value === null || (typeof value === 'object' && !(value instanceof Error) && !('then' in value)))) {
      this.read.set(id, value as V | null);
    }
    return super.prime(id, value);
  }

  override clear(id: string): this {
    this.read.delete(id);
    return super.clear(id);
  }

  override clearAll(): this {
    this.read.clear();
    return super.clearAll();
  }
}

export interface Loaders {
  /** Artifacts, executions and contexts by id; null when absent. */
  nodes: RecordLoader<NodeRecord>;
  /** Types of every kind by id. */
  types: RecordLoader<TypeRecord>;
  /** Nodes as they stood at a time (ms), keyed by (id, asOf); null when absent or created later. One store call per distinct time in a batch. */
  nodesAsOf: DataLoader<NodeAsOfKey, NodeRecord | null, string>;
  /** Each node's records, oldest first, the current one last. */
  histories: DataLoader<string, NodeHistoryEntry[]>;
  /** Each kind's nodes by ML Metadata id (unique within a kind only); null when absent. */
  nodesByMlmdId: Record<NodeKind, DataLoader<number, NodeRecord | null>>;
  /** Types of every kind by ML Metadata id. */
  typesByMlmdId: DataLoader<number, TypeRecord | null>;
  /** Each artifact's events, ordered by time. */
  eventsByArtifact: DataLoader<string, EventRecord[]>;
  /** Each execution's events, ordered by time. */
  eventsByExecution: DataLoader<string, EventRecord[]>;
  /** The contexts an artifact is attributed to or an execution associated with. */
  contextsOfNode: DataLoader<string, ContextRecord[]>;
  parents: DataLoader<string, ContextRecord[]>;
  children: DataLoader<string, ContextRecord[]>;
  /** Forgets everything read so far: called after each mutation, whose writes may make it stale. */
  clearAll(): void;
}

/** A node at a time: the key of the nodesAsOf loader. */
export interface NodeAsOfKey { id: string; asOf: number }

/** The records of `keys` at their times: one getNodesAsOf per distinct time (a request mostly asks one). */
async function nodesAsOfBatch(api: MetadataApi, keys: readonly NodeAsOfKey[]): Promise<(NodeRecord | null)[]> {
  const byTime = new Map<number, number[]>();
  keys.forEach((k, i) => byTime.set(k.asOf, [...(byTime.get(k.asOf) ?? []), i]));
  const out = new Array<NodeRecord | null>(keys.length).fill(null);
  await Promise.all([...byTime].map(async ([asOf, at]) => {
    const found = await api.getNodesAsOf(at.map((i) => keys[i]!.id), asOf);
    at.forEach((i, j) => { out[i] = found[j] ?? null; });
  }));
  return out;
}

/** A fresh set of loaders over `api`, for one request. */
export function createLoaders(api: MetadataApi): Loaders {
  // The service refuses lists longer than MAX_BATCH; larger loads are split into several calls.
  const options = { maxBatchSize: MAX_BATCH };
  const loaders = {
    nodes: new RecordLoader<NodeRecord>((ids) => api.getNodes(ids), options),
    types: new RecordLoader<TypeRecord>((ids) => api.getTypes(ids), options),
    nodesAsOf: new DataLoader<NodeAsOfKey, NodeRecord | null, string>((keys) => nodesAsOfBatch(api, keys), {
      ...options, cacheKeyFn: (k) => `${k.asOf}:${k.id}`,
    }),
    histories: new DataLoader<string, NodeHistoryEntry[]>((ids) => api.nodeHistories(ids), options),
    nodesByMlmdId: {
      ARTIFACT: new DataLoader<number, NodeRecord | null>((ids) => api.getNodesByMlmdId('ARTIFACT', ids), options),
      EXECUTION: new DataLoader<number, NodeRecord | null>((ids) => api.getNodesByMlmdId('EXECUTION', ids), options),
      CONTEXT: new DataLoader<number, NodeRecord | null>((ids) => api.getNodesByMlmdId('CONTEXT', ids), options),
    },
    typesByMlmdId: new DataLoader<number, TypeRecord | null>((ids) => api.getTypesByMlmdId(ids), options),
    eventsByArtifact: new DataLoader<string, EventRecord[]>((ids) => api.eventsByArtifacts(ids), options),
    eventsByExecution: new DataLoader<string, EventRecord[]>((ids) => api.eventsByExecutions(ids), options),
    contextsOfNode: new DataLoader<string, ContextRecord[]>((ids) => api.contextsOfNodes(ids), options),
    parents: new DataLoader<string, ContextRecord[]>((ids) => api.parentContexts(ids), options),
    children: new DataLoader<string, ContextRecord[]>((ids) => api.childContexts(ids), options),
  };
  return {
    ...loaders,
    clearAll() {
      const { nodesByMlmdId, ...single } = loaders;
      for (const loader of [...Object.values(single), ...Object.values(nodesByMlmdId)]) loader.clearAll();
    },
  };
}

/** The records for `ids`, in order, leaving out any that vanished (deleted by a concurrent request). */
export async function loadPresent<T extends object>(loader: DataLoader<string, T | null>, ids: readonly string[]): Promise<T[]> {
  const records: (T | null)[] = await Promise.all(ids.map((id) => loader.load(id)));
  return records.filter((r): r is T => r !== null);
}
