/**
 * What each execution does to personal data: its own transform, else the one its contexts
 * set (a job's setting, since OpenLineage events carry none: every run of a job that
 * pseudonymises inherits PSEUDONYMIZE from the job's context). One rule for the walks of
 * lookups (data-flow-walk.ts) and for the statuses kept at write time (derived-status.ts),
 * so both find the same answer.
 *
 * An execution in several contexts that set one takes the first by context id: a fixed
 * choice, so the answer never depends on the order of writes. An execution's own transform,
 * NONE excepted (NONE is stored as none), always wins over its contexts'.
 */
import type { PrivacyDeclaration } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';

/** Each execution's transform, own or inherited (null: none), in two store reads at most. */
export async function effectiveTransforms(tx: StoreTx, executionIds: readonly string[]): Promise<(PrivacyDeclaration | null)[]> {
  if (executionIds.length === 0) return [];
  const declarations = await tx.personalDataDeclarations(executionIds);
  const own = executionIds.map((_, i) => declarations[i]?.privacy ?? null);
  const without = executionIds.filter((_, i) => own[i] === null && declarations[i]?.kind === 'EXECUTION');
  if (without.length === 0) return own;
  // contextsOfNodes answers each node's contexts ordered by id.
  const contexts = await tx.contextsOfNodes(without);
  const inherited = new Map(without.map((id, i) => [id, contexts[i]!.find((c) => c.privacy !== undefined)?.privacy ?? null]));
  return executionIds.map((id, i) => own[i] ?? inherited.get(id) ?? null);
}
