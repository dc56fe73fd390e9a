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
import type { ContextRecord, EventRecord, NodeRecord, TypeRecord } from '../graph/model.js';
import type { MetadataApi } from '../service/metadata/metadata-service.js';
import { MAX_BATCH } from '../service/shared/validate.js';

export interface Loaders {
  /** Artifacts, executions and contexts by id; null when absent. */
  nodes: DataLoader<string, NodeRecord | null>;
  /** Types of every kind by id. */
  types: DataLoader<string, TypeRecord | null>;
  /** Artifacts, executions and contexts by ML Metadata id; null when absent. */
  nodesByMlmdId: DataLoader<number, NodeRecord | null>;
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

/** A fresh set of loaders over `api`, for one request. */
export function createLoaders(api: MetadataApi): Loaders {
  // The service refuses lists longer than MAX_BATCH; larger loads are split into several calls.
  const options = { maxBatchSize: MAX_BATCH };
  const loaders = {
    nodes: new DataLoader<string, NodeRecord | null>((ids) => api.getNodes(ids), options),
    types: new DataLoader<string, TypeRecord | null>((ids) => api.getTypes(ids), options),
    nodesByMlmdId: new DataLoader<number, NodeRecord | null>((ids) => api.getNodesByMlmdId(ids), options),
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
      for (const loader of Object.values(loaders)) loader.clearAll();
    },
  };
}

/** The records for `ids`, in order, leaving out any that vanished (deleted by a concurrent request). */
export async function loadPresent<T extends object>(loader: DataLoader<string, T | null>, ids: readonly string[]): Promise<T[]> {
  const records: (T | null)[] = await Promise.all(ids.map((id) => loader.load(id)));
  return records.filter((r): r is T => r !== null);
}
