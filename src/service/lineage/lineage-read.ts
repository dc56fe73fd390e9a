/**
 * The read transaction of a lineage query as a read unit (src/graph/read-unit.ts): on
 * SQLite with reader threads the whole walk runs on the reader, its reach, its hops and
 * its records read there, and only the answer comes back to the main thread.
 */
import { readUnit } from '../../graph/read-unit.js';
import type { StoreTx } from '../../graph/store.js';
import { startDeadline } from '../shared/deadline.js';
import { resolveLineageQuery, type ValidLineageQuery } from './lineage-args.js';
import { assembleGraph, type LineageGraph } from './lineage-graph.js';
import { walkLineage } from './lineage-walk.js';

/** What a lineage read needs, as plain data: the validated query, whether to read records, and what is left of the time budget. */
export interface LineageReadArgs {
  query: ValidLineageQuery;
  records: boolean;
  budgetMs: number;
  remainingMs: number;
}

/** Resolves, walks and assembles a lineage query inside `tx`. Exported by name: a reader thread imports it. */
export async function lineageRead(tx: StoreTx, args: LineageReadArgs): Promise<LineageGraph> {
  // Started again where the walk runs: the monotonic clocks of two threads differ.
  const deadline = startDeadline(args.budgetMs, undefined, args.remainingMs);
  const resolved = await resolveLineageQuery(tx, args.query);
  return assembleGraph(tx, await walkLineage(tx, { ...resolved.plan, deadline }), resolved.returns, args.records);
}

/** The `work` of GraphStore.read for a lineage query. */
export const lineageReadWork = (args: LineageReadArgs): ((tx: StoreTx) => Promise<LineageGraph>) =>
  readUnit(import.meta.url, 'lineageRead', lineageRead, args);
