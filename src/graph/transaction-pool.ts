/**
 * What a backend with a connection pool tells about its use (GraphStore.transactionPool):
 * the one place that runs every transaction reports when each waits for a connection,
 * starts, ends and is run again. Metrics (src/server/metrics.ts) listen; the store knows
 * nothing of them. Neo4j has one (neo4j-driver offers no public view of its pool, so the
 * executor counts what passes through it); SQLite has none: one writer connection and
 * reader threads of a fixed number, no pool to exhaust.
 */

export type TransactionMode = 'read' | 'write';

/**
 * Why a transaction ran again, a closed set: the driver reran it after a transient fault
 * (a deadlock the database broke, a lock wait it gave up, a server gone, another
 * transient fault), or the store reran it after a uniqueness race (a concurrent writer
 * created the same key first).
 */
export const RETRY_REASONS = ['deadlock', 'lock_timeout', 'unavailable', 'transient', 'unique_race'] as const;
export type RetryReason = (typeof RETRY_REASONS)[number];

/** Hears of each transaction the pool serves. Calls must be quick and must not throw. */
export interface TransactionPoolObserver {
  /** A transaction asked for a connection. */
  waiting(mode: TransactionMode): void;
  /** Its work first ran after `waitSeconds` (connection acquisition and BEGIN); it now holds a connection. */
  started(mode: TransactionMode, waitSeconds: number): void;
  /** It ended (committed, rolled back, or failed before it started: then `started` was never called). */
  ended(mode: TransactionMode, started: boolean): void;
  /** Its work runs again, for `reason`. */
  retried(mode: TransactionMode, reason: RetryReason): void;
}

/** A backend's connection pool, as far as the store can see it. */
export interface TransactionPool {
  /** Connections the process may hold at once (JOURNEY_NEO4J_POOL_SIZE). */
  readonly size: number;
  /** Adds `observer`: every transaction from now on is reported to it, until the function returned is called. */
  observe(observer: TransactionPoolObserver): () => void;
}
