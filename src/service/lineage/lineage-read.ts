/**
 * The read transactions of lineage and impact as read units (src/graph/read-unit.ts):
 * on SQLite with reader threads the whole walk runs on the reader, its reach, its hops
 * and its records read there, and only the answer comes back to the main thread.
 */
import { readUnit } from '../../graph/read-unit.js';
import type { StoreTx } from '../../graph/store.js';
import { startDeadline } from '../shared/deadline.js';
import { resolveLineageQuery, type ResolvedLineageQuery, type ValidLineageQuery } from './lineage-args.js';
import { impactInTx, type ImpactReport } from './impact.js';
import { assembleGraph, type LineageGraph } from './lineage-graph.js';
import { walkLineage } from './lineage-walk.js';

/** What a walk needs, as plain data: the validated query and what is left of the time budget. */
export interface WalkReadArgs {
  query: ValidLineageQuery;
  budgetMs: number;
  remainingMs: number;
}

export interface LineageReadArgs extends WalkReadArgs {
  /** Whether to read every returned node's record and type. */
  records: boolean;
}

/** The query resolved inside `tx`, with the deadline started again where the walk runs (the monotonic clocks of two threads differ). */
async function resolved(tx: StoreTx, args: WalkReadArgs): Promise<ResolvedLineageQuery> {
  const deadline = startDeadline(args.budgetMs, undefined, args.remainingMs);
  const query = await resolveLineageQuery(tx, args.query);
  return { ...query, plan: { ...query.plan, deadline } };
}

/** Resolves, walks and assembles a lineage query inside `tx`. Exported by name: a reader thread imports it. */
export async function lineageRead(tx: StoreTx, args: LineageReadArgs): Promise<LineageGraph> {
  const query = await resolved(tx, args);
  return assembleGraph(tx, await walkLineage(tx, query.plan), query.returns, args.records, query.plan.asOf);
}

/** Resolves an impact query and reports it inside `tx`. Exported by name: a reader thread imports it. */
export async function impactRead(tx: StoreTx, args: WalkReadArgs): Promise<ImpactReport> {
  return impactInTx(tx, await resolved(tx, args));
}

/** The `work` of GraphStore.read for a lineage query. */
export const lineageReadWork = (args: LineageReadArgs): ((tx: StoreTx) => Promise<LineageGraph>) =>
  readUnit(import.meta.url, 'lineageRead', lineageRead, args);

/** The `work` of GraphStore.read for an impact query. */
export const impactReadWork = (args: WalkReadArgs): ((tx: StoreTx) => Promise<ImpactReport>) =>
  readUnit(import.meta.url, 'impactRead', impactRead, args);
