/**
 * The services' batch reads by id: one store call for many ids, answered as a map (ids
 * that vanished are absent), so every service assembles in memory after a fixed number
 * of reads, and no two services keep their own copy of the same read.
 */
import type { ArtifactRecord, ExecutionRecord, NodeRecord, TypeRecord } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';

/** The nodes of `ids`, of any kind, by id, in one getNodes call; ids that vanished are absent. */
export async function nodesById(tx: StoreTx, ids: readonly string[]): Promise<Map<string, NodeRecord>> {
  const out = new Map<string, NodeRecord>();
  if (ids.length === 0) return out;
  for (const r of await tx.getNodes(ids)) if (r) out.set(r.id, r);
  return out;
}

/**
 * The artifacts and executions of `ids` by id (contexts left out), in one store call; ids
 * that vanished are absent. With `asOf` (ms), each as it stood then (nodesAsOf), and those
 * created later absent.
 */
export async function recordsById(
  tx: StoreTx, ids: readonly string[], asOf: number | null = null,
): Promise<Map<string, ArtifactRecord | ExecutionRecord>> {
  const out = new Map<string, ArtifactRecord | ExecutionRecord>();
  if (ids.length === 0) return out;
  const records = asOf === null ? await tx.getNodes(ids) : await tx.nodesAsOf(ids, asOf);
  for (const r of records) if (r && r.kind !== 'CONTEXT') out.set(r.id, r);
  return out;
}

/** The types of `typeIds` by id, in one getTypes call. */
export async function typesById(tx: StoreTx, typeIds: Iterable<string>): Promise<Map<string, TypeRecord>> {
  const ids = [...new Set(typeIds)];
  const out = new Map<string, TypeRecord>();
  if (ids.length === 0) return out;
  for (const t of await tx.getTypes(ids)) if (t) out.set(t.id, t);
  return out;
}
