/**
 * GraphStore over Neo4j: init (the migrations), transactions, and each transaction's
 * StoreTx made of the four concern parts over one statement runner: the graph
 * (neo4j-graph.ts), API keys (neo4j-keys.ts), personal data (neo4j-privacy.ts), import
 * origins (neo4j-import-origins.ts) and node history (neo4j-history.ts).
 */
import type { GraphStore, StoreTx } from '../store.js';
import type { RateLimitLeases } from '../rate-limit-store.js';
import type { TransactionPool } from '../transaction-pool.js';
import type { OnSchemaMigrated } from '../schema-migration.js';
import { SharedTransactionScope } from '../shared-transaction.js';
import type { CypherRunner, Neo4jExecutor } from './neo4j-executor.js';
import { neo4jGraph } from './neo4j-graph.js';
import { neo4jExportReads } from './neo4j-export-reads.js';
import { neo4jNodeHistory } from './neo4j-history.js';
import { neo4jImportOrigins } from './neo4j-import-origins.js';
import { neo4jApiKeys } from './neo4j-keys.js';
import { neo4jPersonalData } from './neo4j-privacy.js';
import type { Statements } from './neo4j-statements.js';
import { MlmdIdPool } from './neo4j-mlmd-ids.js';
import { Neo4jTransaction } from './neo4j-transaction.js';
import { migrateNeo4j } from './migrations/run-migrations.js';

/** A StoreTx with the writes it pipelined still to be awaited (see neo4j-transaction.ts). */
export interface Neo4jStoreTx extends StoreTx {
  /** Waits for every write sent so far; throws the first one's error. */
  flush(): Promise<void>;
}

/** One transaction's StoreTx: the six concerns' parts spread into one object. */
export function neo4jStoreTx(runner: CypherRunner, statements: Statements, mlmdIds: MlmdIdPool): Neo4jStoreTx {
  const tx = new Neo4jTransaction(runner, statements);
  return { ...neo4jGraph(tx, mlmdIds), ...neo4jApiKeys(tx), ...neo4jPersonalData(tx), ...neo4jImportOrigins(tx), ...neo4jNodeHistory(tx), ...neo4jExportReads(tx), flush: () => tx.flush() };
}

/** `work`'s result once every write it sent has been answered. */
async function flushed<T>(tx: Neo4jStoreTx, work: (tx: Neo4jStoreTx) => Promise<T>): Promise<T> {
  const result = await work(tx);
  await tx.flush();
  return result;
}

/** The Neo4j GraphStore: one executor (driver and pool) and the statements of cypher/. */
export class Neo4jStore implements GraphStore {
  readonly backend = 'neo4j' as const;
  /** The transaction of a running inOneTransaction, which reads and writes within it join. */
  private readonly shared = new SharedTransactionScope<Neo4jStoreTx>();
  /** ML Metadata ids for this process, a block at a time from the database's counters. */
  private readonly mlmdIds: MlmdIdPool;

  /**
   * `executor` is readable for tools beside the store that run statements of their own
   * (the tests' and the bench's emptying of a database); `where` names the database in a
   * migration's report (its URI); `onMigrated` hears of one.
   */
  constructor(
    readonly executor: Neo4jExecutor,
    private readonly statements: Statements,
    private readonly where = 'the Neo4j database',
    private readonly onMigrated?: OnSchemaMigrated,
  ) {
    this.mlmdIds = new MlmdIdPool(async (space, count) => {
      // On the side pool: the write that asks holds a connection of the main one (writeAside).
      const [row] = await executor.writeAside((runner) => runner.run(statements['admin/allocate-mlmd-ids'], { space, count }));
      const first = row?.first;
      if (typeof first !== 'number' || !Number.isSafeInteger(first)) throw new Error(`the ${space} id counter answered ${String(first)}`);
      return first;
    });
  }

  /** Each lease is a transaction of its own, never joined to a request's: a refused request must not roll it back, nor wait on it. */
  readonly rateLimitLeases: RateLimitLeases = {
    lease: async ({ caller, want, perSecond, burst }) => {
      const [row] = await this.executor.write((runner) => runner.run(this.statements['admin/lease-rate-limit-tokens'], { caller, want, perSecond, burst }));
      const granted = row?.granted;
      const left = row?.left;
      if (typeof granted !== 'number' || typeof left !== 'number') throw new Error(`the rate-limit bucket answered ${JSON.stringify(row)}`);
      return { granted, left };
    },
  };

  /** What the executor sees of the driver's connection pool (src/graph/transaction-pool.ts). */
  get transactionPool(): TransactionPool {
    return this.executor.pool;
  }

  /** Migrates the schema (constraints, indexes) to this build's; a no-op past the first time. */
  async init(): Promise<void> {
    const migration = await migrateNeo4j(this.executor, this.statements, this.where);
    if (migration && migration.from > 0) this.onMigrated?.(migration);
  }

  read<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    const shared = this.shared.current();
    return shared ? work(shared) : this.executor.read((runner) => work(neo4jStoreTx(runner, this.statements, this.mlmdIds)));
  }

  write<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    const shared = this.shared.current();
    // A write joining a shared transaction still waits for what it sent, so its failure is its own.
    if (shared) return flushed(shared, work);
    return this.executor.write((runner) => flushed(neo4jStoreTx(runner, this.statements, this.mlmdIds), work));
  }

  inOneTransaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.shared.current()) return work();
    return this.executor.write((runner) => {
      const tx = neo4jStoreTx(runner, this.statements, this.mlmdIds);
      return flushed(tx, () => this.shared.share(tx, work));
    });
  }

  ping(): Promise<void> {
    return this.executor.ping(this.statements['admin/ping']);
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}
