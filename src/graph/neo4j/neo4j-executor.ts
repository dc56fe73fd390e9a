/**
 * The one module that imports neo4j-driver: the driver, sessions, managed transactions
 * with a timeout, the value conversions at the wire, and the mapping of driver errors
 * (by code, never by message) onto the store's error classes. Everything above it sees
 * plain rows of plain values.
 */
import neo4j, { type Driver, type ManagedTransaction, type Session } from 'neo4j-driver';
import { AlreadyExistsError, DeadlineExceededError, StorageFaultError, UnavailableError } from '../errors.js';
import type { RetryReason, TransactionMode, TransactionPool, TransactionPoolObserver } from '../transaction-pool.js';

export interface Neo4jConnectionOptions {
  /** e.g. bolt://127.0.0.1:7687 or neo4j://host:7687. */
  uri: string;
  /** With no user the driver connects without credentials (a server with auth disabled). */
  user?: string;
  password?: string;
  /** Default: the server's default database. */
  database?: string;
  /** The server aborts a transaction running longer than this. Default 30,000 ms. */
  transactionTimeoutMs?: number;
  /**
   * How long the driver keeps retrying a transaction after transient faults (deadlocks,
   * a server that went away) before the call fails with UnavailableError. Default 30,000 ms.
   */
  maxRetryTimeMs?: number;
  /** Connections this process may hold open; a transaction waits for a free one. Default 100 (the driver's). */
  maxConnectionPoolSize?: number;
}

/** One result row, keyed by the statement's RETURN names. */
export type Row = Record<string, unknown>;
export type Params = Record<string, unknown>;

/** Runs statements inside one transaction. */
export interface CypherRunner {
  run(statement: string, params?: Params): Promise<Row[]>;
}

export const DEFAULT_TRANSACTION_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRY_TIME_MS = 30_000;
export const DEFAULT_MAX_CONNECTION_POOL_SIZE = 100;
/**
 * Connections of the side pool, for the short transactions a write waits for while it
 * holds a connection of the main pool (a block of ML Metadata ids): one per id space.
 */
export const SIDE_POOL_SIZE = 4;
/** The code of a deadlock the database broke by failing one of its transactions. */
const DEADLOCK = 'Neo.TransientError.Transaction.DeadlockDetected';
/**
 * A deadlock, carried past the driver so that the executor runs the transaction again
 * itself (see writeOn): not a Neo4jError, so the driver does not retry it.
 */
class DeadlockRerun extends Error {
  constructor(readonly deadlock: unknown) {
    super('deadlock: the transaction is run again');
  }
}
/** How many times a write that lost a uniqueness race is run in all before it is refused. */
export const MAX_WRITE_ATTEMPTS = 5;

const CONSTRAINT_VIOLATION = 'Neo.ClientError.Schema.ConstraintValidationFailed';
/** Codes the driver gives a lost or unreachable server; transient server errors are matched by prefix. */
const UNAVAILABLE_CODES = new Set(['ServiceUnavailable', 'SessionExpired']);
const TRANSIENT_PREFIX = 'Neo.TransientError.';
/** Errors of the database itself (Neo.DatabaseError.Transaction.TransactionCommitFailed, ...), as opposed to the client's or transient ones. */
const DATABASE_ERROR_PREFIX = 'Neo.DatabaseError.';
/** The server ended a transaction that ran past its timeout (…TimedOut, …TimedOutClientConfiguration). */
const TIMED_OUT_PREFIX = 'Neo.ClientError.Transaction.TransactionTimedOut';
/** Two processes running init at once may both try to create the same constraint. */
const SCHEMA_RACE_CODES = new Set([
  'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists',
  'Neo.ClientError.Schema.ConstraintAlreadyExists',
  'Neo.ClientError.Schema.IndexAlreadyExists',
]);

const codeOf = (error: unknown): string | undefined =>
  error instanceof neo4j.Neo4jError ? error.code : undefined;

/** Why the driver ran a transaction again, from the failure of the run before (transaction-pool.ts). */
function retryReasonOf(error: unknown): RetryReason {
  const code = codeOf(error) ?? '';
  if (code === 'Neo.TransientError.Transaction.DeadlockDetected') return 'deadlock';
  // A lock wait the server gave up (db.lock.acquisition.timeout), or one the client stopped.
  if (code === 'Neo.TransientError.Transaction.LockAcquisitionTimeout' || code === 'Neo.TransientError.Transaction.LockClientStopped') return 'lock_timeout';
  if (UNAVAILABLE_CODES.has(code)) return 'unavailable';
  return 'transient';
}

/** True when the database refused a write because it broke a uniqueness constraint. */
export const isConstraintViolation = (error: unknown): boolean => codeOf(error) === CONSTRAINT_VIOLATION;

/**
 * The store's view of a failure: an unreachable server or a transient fault the driver
 * gave up retrying becomes UnavailableError (without the driver's text, which may carry
 * values); anything else is returned as it is, to be masked and logged upstream.
 */
export function mapDriverError(error: unknown): unknown {
  const code = codeOf(error);
  if (code?.startsWith(TIMED_OUT_PREFIX)) {
    return new DeadlineExceededError('the graph database stopped the transaction: it ran past its time limit');
  }
  if (code !== undefined && (UNAVAILABLE_CODES.has(code) || code.startsWith(TRANSIENT_PREFIX))) {
    return new UnavailableError('the graph database is unavailable; try again later');
  }
  // The database's own fault (a failed commit, a store it cannot write): not an outage.
  if (code?.startsWith(DATABASE_ERROR_PREFIX)) {
    const reason = 'the graph database reported a fault of its own';
    return new StorageFaultError(`the Neo4j store failed: ${reason} (${code})`, reason, error);
  }
  return error;
}

/**
 * Parameters as the driver should send them. A JS number always travels as a FLOAT, so
 * whole numbers become driver integers: INT properties and millisecond times are stored
 * as INTEGER, and LIMIT (which refuses 10.0) gets an integer. Reads come back as JS
 * numbers either way (disableLosslessIntegers), and Cypher compares INTEGER with FLOAT
 * numerically, so a DOUBLE that happens to be whole still filters and sorts correctly.
 */
function toDriverValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? neo4j.int(value) : value;
  if (Array.isArray(value)) return value.map(toDriverValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDriverValue(v)]));
  }
  return value;
}

const toDriverParams = (params: Params): Params => toDriverValue(params) as Params;

/** A code the server sent (`Neo.ClientError…`), not one the driver made up on its side. */
const fromServer = (error: unknown): boolean => codeOf(error)?.startsWith('Neo.') ?? false;

/**
 * One transaction's statements, keeping the first failure among them. Once a statement
 * fails, Neo4j rolls the whole transaction back: the driver answers every statement sent
 * later with an error of its own that has no code ("Cannot run query in this transaction,
 * because it has been rolled back"), and ends the transaction without a commit even when
 * the work goes on and returns. Only the server's failure says what happened (a
 * ConstraintValidationFailed is a lost race, to be run again), so every later statement
 * and the transaction itself fail with that one.
 */
class TransactionRunner implements CypherRunner {
  private failure: unknown = undefined;

  constructor(private readonly tx: ManagedTransaction) {}

  async run(statement: string, params: Params = {}): Promise<Row[]> {
    let result;
    try {
      result = await this.tx.run(statement, toDriverParams(params));
    } catch (error) {
      this.note(error);
      throw this.failure;
    }
    return result.records.map((record) => record.toObject() as Row);
  }

  /** `work`'s result, or the transaction's first failure, even one that `work` caught and went past. */
  async complete<T>(work: (runner: CypherRunner) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work(this);
    } catch (error) {
      throw this.failure ?? error;
    }
    if (this.failure !== undefined) throw this.failure;
    return result;
  }

  private note(error: unknown): void {
    // Statements already sent when the server failed one get its failure; those sent after, the driver's.
    if (this.failure === undefined || (!fromServer(this.failure) && fromServer(error))) this.failure = error;
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Owns one driver (its connection pool); every call opens a session and closes it. */
export class Neo4jExecutor {
  /** Set by close(). The driver's own "pool is closed" error has no code to map it by. */
  private closed = false;
  /**
   * Every session of this process shares one bookmark manager, so each transaction starts
   * after every transaction this process committed before it (causal consistency). On a
   * cluster behind a neo4j:// URI, reads go to followers (executeRead) that may lag the
   * leader; with the shared bookmarks a follower waits until it has the writes this
   * process made, so a client reading after its own acknowledged write sees it. On a
   * single server the bookmarks are always current and cost nothing.
   */
  private readonly bookmarks = neo4j.bookmarkManager();
  /**
   * The last storage fault a write met, until a write commits again: readiness reports it,
   * as the SQLite executor does, so a database that cannot write leaves the load balancer.
   */
  private lastFault: StorageFaultError | null = null;
  /** Hear of every transaction run through `transaction` (src/graph/transaction-pool.ts). */
  private readonly poolObservers: TransactionPoolObserver[] = [];

  private constructor(
    private readonly driver: Driver,
    /** The side pool's driver (writeAside); the main one where a test gives a single driver. */
    private readonly sideDriver: Driver,
    private readonly database: string | undefined,
    private readonly timeoutMs: number,
    poolSize: number,
    /** How long deadlocked writes are run again before UnavailableError (the driver's budget for its own retries). */
    private readonly maxRetryTimeMs: number,
  ) {
    const observers = this.poolObservers;
    this.pool = {
      size: poolSize,
      observe: (observer) => {
        observers.push(observer);
        return () => { if (observers.includes(observer)) observers.splice(observers.indexOf(observer), 1); };
      },
    };
  }

  /** The pool's use as this executor sees it: every managed transaction passes through `transaction`. */
  readonly pool: TransactionPool;

  /** Creates the driver; it connects lazily, on the first transaction. */
  static connect(options: Neo4jConnectionOptions): Neo4jExecutor {
    const timeoutMs = positiveInteger(options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS, 'transactionTimeoutMs');
    const maxRetryTimeMs = positiveInteger(options.maxRetryTimeMs ?? DEFAULT_MAX_RETRY_TIME_MS, 'maxRetryTimeMs');
    const maxConnectionPoolSize = positiveInteger(options.maxConnectionPoolSize ?? DEFAULT_MAX_CONNECTION_POOL_SIZE, 'maxConnectionPoolSize');
    const auth = options.user !== undefined ? neo4j.auth.basic(options.user, options.password ?? '') : undefined;
    const driverOf = (poolSize: number): Driver => neo4j.driver(options.uri, auth, {
      // Integers come back as JS numbers; every integer the store keeps (times, INT
      // properties) is a safe integer, validated by the services before it is written.
      disableLosslessIntegers: true,
      maxTransactionRetryTime: maxRetryTimeMs,
      maxConnectionPoolSize: poolSize,
    });
    return Neo4jExecutor.forDriver(driverOf(maxConnectionPoolSize), {
      database: options.database, transactionTimeoutMs: timeoutMs, maxConnectionPoolSize, sideDriver: driverOf(SIDE_POOL_SIZE), maxRetryTimeMs,
    });
  }

  /**
   * An executor over a driver made elsewhere (tests give one whose failures they choose);
   * `maxConnectionPoolSize` is the driver's, for the pool-size metric; `sideDriver` serves
   * writeAside (default: `driver` itself).
   */
  static forDriver(
    driver: Driver,
    options: { database?: string; transactionTimeoutMs?: number; maxConnectionPoolSize?: number; sideDriver?: Driver; maxRetryTimeMs?: number } = {},
  ): Neo4jExecutor {
    const timeoutMs = positiveInteger(options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS, 'transactionTimeoutMs');
    const poolSize = positiveInteger(options.maxConnectionPoolSize ?? DEFAULT_MAX_CONNECTION_POOL_SIZE, 'maxConnectionPoolSize');
    const maxRetryTimeMs = positiveInteger(options.maxRetryTimeMs ?? DEFAULT_MAX_RETRY_TIME_MS, 'maxRetryTimeMs');
    return new Neo4jExecutor(driver, options.sideDriver ?? driver, options.database, timeoutMs, poolSize, maxRetryTimeMs);
  }

  /** Runs `work` in one managed read transaction (the driver retries transient faults). */
  async read<T>(work: (runner: CypherRunner) => Promise<T>): Promise<T> {
    try {
      return await this.transaction('read', work);
    } catch (error) {
      throw mapDriverError(error);
    }
  }

  /**
   * Runs `work` in one managed write transaction. The driver retries transient faults
   * (deadlocks, leader changes); a uniqueness violation means a concurrent writer got
   * there first, so the whole transaction runs again after a short jittered pause, up to
   * MAX_WRITE_ATTEMPTS times, and then is refused with AlreadyExistsError.
   */
  async write<T>(work: (runner: CypherRunner) => Promise<T>): Promise<T> {
    return this.writeOn(work, this.driver, this.poolObservers);
  }

  /**
   * Runs `work` in one managed write transaction on the side pool, retried as `write`'s:
   * for the short transactions a write waits for while it holds a connection of the main
   * pool (a block of ML Metadata ids). From the main pool, N writes holding its N
   * connections and waiting for such a transaction would wait for each other until the
   * driver's 60 s acquisition timeout. Not in the pool's metrics, which count the main pool.
   */
  async writeAside<T>(work: (runner: CypherRunner) => Promise<T>): Promise<T> {
    return this.writeOn(work, this.sideDriver, []);
  }

  /**
   * `write`'s loop. A lost uniqueness race runs the transaction again after a short pause,
   * MAX_WRITE_ATTEMPTS times in all. So does a deadlock, for as long as the driver would
   * have retried it (maxRetryTimeMs), but after tens of milliseconds instead of the
   * driver's back-off of 1 s doubling each time: writers that share nodes (several
   * processes recording steps on one input) deadlock often, and the lock the winner held
   * is free as soon as it commits (docs/deploy.md, "Throughput under contention").
   */
  private async writeOn<T>(work: (runner: CypherRunner) => Promise<T>, driver: Driver, observers: TransactionPoolObserver[]): Promise<T> {
    const started = performance.now();
    let deadlocks = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.transaction('write', work, driver, observers);
        this.lastFault = null;
        return result;
      } catch (error) {
        if (error instanceof DeadlockRerun) {
          if (performance.now() - started >= this.maxRetryTimeMs) throw this.remember(mapDriverError(error.deadlock));
          deadlocks += 1;
          attempt -= 1;
          for (const observer of observers) observer.retried('write', 'deadlock');
          // Jittered, growing to 10 to 110 ms: the writers that deadlocked must not meet again in step.
          await pause(Math.min(deadlocks, 10) * (5 + Math.random() * 6));
          continue;
        }
        if (!isConstraintViolation(error)) throw this.remember(mapDriverError(error));
        if (attempt >= MAX_WRITE_ATTEMPTS) {
          throw new AlreadyExistsError('a record with the same unique key already exists (a concurrent write stored it first)');
        }
        for (const observer of observers) observer.retried('write', 'unique_race');
        await pause(attempt * 10 + Math.random() * 20 * attempt);
      }
    }
  }

  /**
   * The one place every managed transaction runs: `work` in a read or write transaction
   * of its own session, reported to the pool's observers. The wait is from the call to
   * the first run of the function (the driver acquires a connection and sends BEGIN
   * first, so a long wait means an exhausted pool); the transaction holds its connection
   * from then until it ends, the driver's reruns after transient faults included.
   */
  private async transaction<T>(
    mode: TransactionMode, work: (runner: CypherRunner) => Promise<T>, driver = this.driver, observers = this.poolObservers,
  ): Promise<T> {
    const asked = performance.now();
    for (const observer of observers) observer.waiting(mode);
    let runs = 0;
    let lastFailure: unknown = undefined;
    try {
      return await this.withSession(mode === 'read' ? 'READ' : 'WRITE', (session) => {
        const run = async (tx: ManagedTransaction): Promise<T> => {
          runs += 1;
          if (runs === 1) {
            const waited = (performance.now() - asked) / 1000;
            for (const observer of observers) observer.started(mode, waited);
          } else {
            const reason = retryReasonOf(lastFailure);
            for (const observer of observers) observer.retried(mode, reason);
          }
          lastFailure = undefined;
          try {
            return await new TransactionRunner(tx).complete(work);
          } catch (error) {
            // A write's deadlock is run again by writeOn, sooner than the driver would.
            if (mode === 'write' && codeOf(error) === DEADLOCK) throw new DeadlockRerun(error);
            // The driver reruns the function after a transient failure: the next run reports why.
            lastFailure = error;
            throw error;
          }
        };
        const config = { timeout: this.timeoutMs };
        return mode === 'read' ? session.executeRead(run, config) : session.executeWrite(run, config);
      }, driver);
    } finally {
      for (const observer of observers) observer.ended(mode, runs > 0);
    }
  }

  /** Runs one schema statement in its own auto-commit transaction; a lost creation race is success. */
  async runSchema(statement: string, params: Params = {}): Promise<void> {
    await this.withSession('WRITE', async (session) => {
      try {
        await session.run(statement, toDriverParams(params), { timeout: this.timeoutMs });
      } catch (error) {
        if (SCHEMA_RACE_CODES.has(codeOf(error) ?? '')) return;
        throw mapDriverError(error);
      }
    });
  }

  /**
   * Runs one statement in an auto-commit transaction of its own and returns its rows: the
   * only kind of transaction in which a statement may commit in batches (CALL ... IN
   * TRANSACTIONS), as a migration's data changes do. No time limit: numbering a million
   * nodes takes longer than a request may, and it runs once, before the store serves.
   */
  async runAutoCommit(statement: string, params: Params = {}): Promise<Row[]> {
    return this.withSession('WRITE', async (session) => {
      try {
        const result = await session.run(statement, toDriverParams(params));
        return result.records.map((record) => record.toObject() as Row);
      } catch (error) {
        throw mapDriverError(error);
      }
    });
  }

  /**
   * Runs `statement` once, outside a managed transaction, so an unreachable server is
   * reported at once instead of after the driver's retries; throws UnavailableError.
   */
  async ping(statement: string): Promise<void> {
    if (this.lastFault) throw this.lastFault;
    await this.withSession('READ', async (session) => {
      try {
        await session.run(statement, {}, { timeout: this.timeoutMs });
      } catch (error) {
        const mapped = mapDriverError(error);
        throw mapped instanceof UnavailableError ? mapped : new UnavailableError('the graph database did not answer');
      }
    });
  }

  /**
   * The operator names of the plan the database would use for `statement`, depth first,
   * planned afresh. For tests and benchmarks that pin index use.
   */
  async explain(statement: string, params: Params = {}): Promise<string[]> {
    return this.withSession('READ', async (session) => {
      const result = await session.run(`CYPHER replan=force EXPLAIN ${statement}`, toDriverParams(params));
      const operators: string[] = [];
      const walk = (plan: { operatorType: string; children: unknown[] }): void => {
        operators.push(plan.operatorType.replace(/@.*$/, ''));
        for (const child of plan.children) walk(child as typeof plan);
      };
      if (result.summary.plan !== false) walk(result.summary.plan);
      return operators;
    });
  }

  /** Keeps a storage fault for readiness; returns `error` unchanged. */
  private remember(error: unknown): unknown {
    if (error instanceof StorageFaultError) this.lastFault = error;
    return error;
  }

  /** Closes the pool; later calls fail with UnavailableError. */
  async close(): Promise<void> {
    this.closed = true;
    await this.driver.close();
    if (this.sideDriver !== this.driver) await this.sideDriver.close();
  }

  private async withSession<T>(mode: 'READ' | 'WRITE', use: (session: Session) => Promise<T>, driver = this.driver): Promise<T> {
    if (this.closed) throw new UnavailableError('the store is closed');
    const session = driver.session({
      database: this.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      bookmarkManager: this.bookmarks,
    });
    try {
      return await use(session);
    } finally {
      // The outcome is already decided: a failure to return the connection to the pool
      // must not turn a committed write into an error.
      await session.close().catch(() => undefined);
    }
  }
}
