/**
 * The storage interface: the one seam between the services and a database.
 *
 * It is deliberately small and batch-shaped (Kysely's one-interface-per-dialect habit,
 * dataloader's batch contract): every read takes many keys and returns an array aligned
 * with them, a miss being `null`, so each is a DataLoader batch function as it stands.
 * It holds no rules: validation, type evolution, reuse-on-re-put, cycle checks and the
 * lineage walk live in `src/service/`, once, so both backends behave the same by
 * construction. A backend only stores, finds and enforces uniqueness.
 *
 * Values arrive already validated: ids are server-made, times come from the service's
 * clock, property maps match their type. Backends still take every value as a query
 * parameter, never as query text.
 */
import type { ExportReadTx } from './export-reads.js';
import type { GraphTx } from './graph-tx.js';
import type { NodeHistoryTx } from './history-store.js';
import type { ImportOriginTx } from './import-origins.js';
import type { ApiKeyTx } from './key-store.js';
import type { PersonalDataTx } from './privacy-store.js';
import type { TransactionPool } from './transaction-pool.js';
import type { RateLimitLeases } from './rate-limit-store.js';

// The graph concern's shapes, from the one place most callers import the seam.
export * from './graph-tx.js';

export type BackendName = 'sqlite' | 'neo4j';

export interface GraphStore {
  readonly backend: BackendName;
  /** Creates tables, indexes and constraints that are missing. Idempotent. */
  init(): Promise<void>;
  /** Runs `work` in one read transaction. */
  read<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one write transaction: everything or nothing. When a concurrent
   * writer wins a race (a uniqueness violation, a deadlock, a busy database) the backend
   * rolls back and runs `work` again, a bounded number of times, so `work` must have no
   * effect outside `tx`. A uniqueness violation that survives the retries is raised as
   * AlreadyExistsError; an unreachable database as UnavailableError.
   */
  write<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one write transaction that every `read` and `write` of this store made
   * within it (in its async scope: awaited calls, loaders, nested GraphQL fields) joins
   * instead of opening its own, so all that `work` causes is kept together or not at all:
   * one mutation operation is one transaction. Like `write`, the backend runs `work` again
   * after a lost race, so `work` must start from scratch each time. Called inside one
   * already, `work` joins it.
   */
  inOneTransaction<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Token buckets shared by every process on the database (rate-limit-store.ts); absent
   * where one process serves the store (SQLite), whose limits stay in its memory.
   */
  readonly rateLimitLeases?: RateLimitLeases;
  /**
   * The use of the backend's connection pool, for metrics (transaction-pool.ts); absent
   * where there is no pool to exhaust (SQLite).
   */
  readonly transactionPool?: TransactionPool;
  /** Resolves when the database answers; otherwise throws UnavailableError. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One transaction's view of the store: its six concerns, each implemented by both backends. */
export interface StoreTx extends GraphTx, ApiKeyTx, PersonalDataTx, ImportOriginTx, NodeHistoryTx, ExportReadTx {}
