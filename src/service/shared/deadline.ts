/**
 * A time budget for one query. Walks check it between their store round trips, so a
 * query that outgrows its budget stops at the next hop: its read transaction rolls
 * back and its connection is freed, instead of being held until the walk ends.
 */
import { DeadlineExceededError } from '../../graph/errors.js';

export interface Deadline {
  /** Throws DeadlineExceededError once the budget is spent. */
  check(): void;
  /** The whole budget in milliseconds, as the refusal names it. */
  readonly budgetMs: number;
  /** Milliseconds left (0 or less once spent): what a walk handed to another thread may still take. */
  remainingMs(): number;
}

/**
 * A deadline `budgetMs` from now, read from `now` (default: the monotonic clock). With
 * `remainingMs`, what is left of a budget started elsewhere (another thread, whose
 * monotonic clock has its own origin): it ends that much from now and names `budgetMs`.
 */
export function startDeadline(budgetMs: number, now: () => number = () => performance.now(), remainingMs: number = budgetMs): Deadline {
  const end = now() + remainingMs;
  return {
    budgetMs,
    remainingMs: () => end - now(),
    check() {
      if (now() > end) {
        throw new DeadlineExceededError(
          `the query ran past its time budget of ${budgetMs} ms and was stopped; narrow it (fewer start nodes, a lower maxHops or maxNodes)`,
        );
      }
    },
  };
}
