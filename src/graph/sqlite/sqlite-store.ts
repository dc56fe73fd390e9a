/**
 * The SQLite GraphStore: opens and migrates the database, runs transactions (one writer,
 * and reader threads beside it on a file), and builds each transaction's StoreTx from the
 * four concern parts: sqlite-graph.ts (GraphTx), sqlite-keys.ts (ApiKeyTx),
 * sqlite-privacy.ts (PersonalDataTx), sqlite-import-origins.ts (ImportOriginTx) and
 * sqlite-history.ts (NodeHistoryTx). It holds no rules; see src/graph/store.ts.
 */
import type { GraphStore, StoreTx } from '../store.js';
import { SharedTransactionScope } from '../shared-transaction.js';
import type { OnSchemaMigrated } from '../schema-migration.js';
import type { SqliteExecutor } from './sqlite-executor.js';
import { prepareGraph, SqliteGraph } from './sqlite-graph.js';
import { prepareHistory, SqliteNodeHistory } from './sqlite-history.js';
import { prepareExportReads, SqliteExportReads } from './sqlite-export-reads.js';
import { prepareImportOrigins, SqliteImportOrigins } from './sqlite-import-origins.js';
import { prepareApiKeys, SqliteApiKeys } from './sqlite-keys.js';
import { preparePersonalData, SqlitePersonalData } from './sqlite-privacy.js';
import { STORE_TX_METHODS } from './sqlite-read-protocol.js';
import type { SqliteReaderPool } from './sqlite-reader-pool.js';
import { applySchema } from './sqlite-schema.js';
import { TxLife } from './sqlite-tx-life.js';

// ---- the transaction ----

/** One transaction's StoreTx, and how to end it: every method throws once it has ended. */
export type SqliteStoreTx = StoreTx & { end(): void };

type Part = Record<string, (...args: unknown[]) => unknown>;

/**
 * Which of the parts (by position, as classes) implements each StoreTx method, worked out
 * once. Throws, naming the method, when no part or more than one implements a method.
 */
function ownersOf(partClasses: readonly { prototype: object }[]): [method: string, part: number][] {
  return STORE_TX_METHODS.map((method) => {
    const owners = partClasses.flatMap((c, index) => (typeof (c.prototype as Part)[method] === 'function' ? [index] : []));
    if (owners.length !== 1) throw new Error(`StoreTx.${method} is implemented by ${owners.length} SQLite parts, not 1`);
    return [method, owners[0]!];
  });
}

const PART_CLASSES = [SqliteGraph, SqliteApiKeys, SqlitePersonalData, SqliteImportOrigins, SqliteNodeHistory, SqliteExportReads] as const;
const OWNERS = ownersOf(PART_CLASSES);

/**
 * One object answering every StoreTx method with the part that implements it, bound to
 * that part: the parts are joined by name, not forwarded method by method.
 */
function joinParts(life: TxLife, parts: readonly [SqliteGraph, SqliteApiKeys, SqlitePersonalData, SqliteImportOrigins, SqliteNodeHistory, SqliteExportReads]): SqliteStoreTx {
  const tx: Record<string, unknown> = { end: () => life.end() };
  for (const [method, index] of OWNERS) {
    const part = parts[index] as unknown as Part;
    tx[method] = part[method]!.bind(part);
  }
  return tx as unknown as SqliteStoreTx;
}

/**
 * Prepares every statement on `executor`'s connection and makes one StoreTx per
 * transaction over them: a reader thread runs the same statements as the main thread.
 */
export function storeTxFactory(executor: SqliteExecutor): () => SqliteStoreTx {
  const graphStatements = prepareGraph(executor);
  const keyStatements = prepareApiKeys(executor);
  const personalDataStatements = preparePersonalData(executor);
  const importStatements = prepareImportOrigins(executor);
  const historyStatements = prepareHistory(executor);
  const exportStatements = prepareExportReads(executor);
  return () => {
    const life = new TxLife();
    const graph = new SqliteGraph(graphStatements, life);
    const keys = new SqliteApiKeys(keyStatements, life);
    const personalData = new SqlitePersonalData(personalDataStatements, life, graph.reach.bind(graph));
    return joinParts(life, [graph, keys, personalData, new SqliteImportOrigins(importStatements, life),
      new SqliteNodeHistory(historyStatements, life), new SqliteExportReads(exportStatements, life)]);
  };
}

// ---- the store ----

/**
 * The SQLite GraphStore: one writer connection whose transactions run one at a time and,
 * on a file, a pool of reader threads that run read transactions beside it.
 */
export class SqliteGraphStore implements GraphStore {
  readonly backend = 'sqlite' as const;
  /** The transaction of a running inOneTransaction, which reads and writes within it join. */
  private readonly shared = new SharedTransactionScope<StoreTx>();

  private constructor(
    private readonly executor: SqliteExecutor,
    private readonly file: string | null,
    private readonly newTx: () => SqliteStoreTx,
    /** Null for ':memory:' or zero readers: reads then run on the writer connection, in this thread. */
    readonly readers: SqliteReaderPool | null,
  ) {}

  /**
   * Migrates the executor's database to the current schema, tells `onMigrated` when it
   * did, and prepares every statement. `file` is the executor's path, where a file that
   * holds an older schema is copied first; null (or ':memory:') takes no copy. The
   * readers (opened afterwards, so they find the schema) take `read`s that no write shares.
   */
  static async create(
    executor: SqliteExecutor, file: string | null = null, onMigrated?: OnSchemaMigrated, openReaders?: () => SqliteReaderPool,
  ): Promise<SqliteGraphStore> {
    const migration = await applySchema(executor, file);
    if (migration && migration.from > 0) onMigrated?.(migration);
    return new SqliteGraphStore(executor, file, storeTxFactory(executor), openReaders?.() ?? null);
  }

  /** A no-op once create() has migrated, unless another process left the file older since. */
  async init(): Promise<void> {
    await applySchema(this.executor, this.file);
  }

  read<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    // A read inside a write's shared transaction must see its uncommitted writes, so it
    // stays on the writer connection; any other read goes to a reader thread.
    const shared = this.shared.current();
    if (shared) return work(shared);
    return this.readers ? this.readers.read(work) : this.executor.read(() => this.runWork(work));
  }

  write<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    const shared = this.shared.current();
    return shared ? work(shared) : this.executor.write(() => this.runWork(work));
  }

  inOneTransaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.shared.current()) return work();
    return this.write((tx) => this.shared.share(tx, work));
  }

  ping(): Promise<void> {
    return this.executor.ping();
  }

  /** Lets running reads finish and stops the reader threads, then closes the writer connection. */
  async close(): Promise<void> {
    await this.readers?.close();
    await this.executor.close();
  }

  private async runWork<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    const tx = this.newTx();
    try {
      return await work(tx);
    } finally {
      tx.end();
    }
  }
}
