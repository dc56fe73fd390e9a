/**
 * A time budget for one query. Walks check it between their store round trips, so a
 * query that outgrows its budget stops at the next hop: its read transaction rolls
 * back and its connection is freed, instead of being held until the walk ends.
 */
import { DeadlineExceededError } from '../../graph/errors.js';

export interface Deadline {
  /** Throws DeadlineExceededError once the budget is spent. */
  check(): void;
}

/** A deadline `budgetMs` from now, read from `now` (default: the monotonic clock). */
export function startDeadline(budgetMs: number, now: () => number = () => performance.now()): Deadline {
  const end = now() + budgetMs;
  return {
    check() {
      if (now() > end) {
        throw new DeadlineExceededError(
          `the query ran past its time budget of ${budgetMs} ms and was stopped; narrow it (fewer start nodes, a lower maxHops or maxNodes)`,
        );
      }
    },
  };
}
