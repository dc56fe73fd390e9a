/**
 * The one file that imports better-sqlite3: it opens the database, sets the pragmas,
 * runs transactions one at a time, retries a busy database and turns driver errors
 * into the StoreError classes (by error code, never by message text).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  AlreadyExistsError, InvalidArgumentError, NotFoundError, StorageFaultError, StoreError, UnavailableError,
} from '../errors.js';

/** Named parameters, keyed without their `:` prefix. Values must be numbers, strings or null. */
export type SqlParams = Record<string, string | number | null>;

/** A statement prepared once; each call binds parameters and raises only StoreErrors. */
export interface PreparedStatement {
  /** Runs a write and returns how many rows it changed. */
  run(params?: SqlParams): number;
  get<R>(params?: SqlParams): R | undefined;
  all<R>(params?: SqlParams): R[];
}

export interface ExecutorOptions {
  /** A file path, or ':memory:'. */
  path: string;
  /** How long to wait for a busy database before giving up with UnavailableError. */
  busyTimeoutMs: number;
  /**
   * Opens the file read-only, as a reader thread does (sqlite-read-worker.ts): it must
   * exist, and its journal mode is the writer's (WAL) already.
   */
  readonly?: boolean;
  /**
   * A new file that one bulk load fills alone and that is thrown away if it fails (`journey
   * import jsonl` writes one under a temporary name): see BULK_LOAD_PRAGMAS. Closing it
   * turns it back into a WAL store like any other.
   */
  bulkLoad?: boolean;
}

/**
 * Settings for a bulk load's private file. Its rollback journal is kept in memory and
 * nothing is synced: a crash part-way can damage only a file that is deleted anyway,
 * and the loader syncs the file once, closed, before giving it its name. A larger page
 * cache keeps the indexes' hot pages in memory (64 MiB: at a million nodes the default
 * 2 MiB sends most index updates to the operating system's cache). Measured in
 * docs/benchmarks.md ("Export and import").
 */
const BULK_LOAD_PRAGMAS = ['journal_mode = MEMORY', 'synchronous = OFF', 'cache_size = -65536'];

const MEMORY_PATH = ':memory:';
/** Whole-transaction attempts when the database reports busy part-way through one. */
export const MAX_ATTEMPTS = 5;
const MAX_BACKOFF_MS = 50;
export const BUSY_MESSAGE = 'the SQLite database stayed busy; try again';

/** Raised inside a transaction when SQLite reports busy or locked; the transaction is then re-run. */
export class SqliteBusySignal extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The pause before a busy transaction's next attempt (attempt counts from 1). */
export const busyBackoff = (attempt: number): Promise<void> => sleep(Math.min(2 ** attempt, MAX_BACKOFF_MS));

const sqliteCode = (error: unknown): string | undefined =>
  error instanceof Database.SqliteError ? error.code : undefined;

const isBusyCode = (code: string | undefined): boolean =>
  code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));

/** Keeps the driver's error for server logs without putting its text in the message users see. */
function withCause<E extends StoreError>(error: E, cause: unknown): E {
  Object.defineProperty(error, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  return error;
}

/**
 * What a storage fault's primary code means, in words without data. These are faults of
 * the store, not outages: retrying will not make a full disk or a damaged file work.
 */
const STORAGE_FAULTS: Record<string, string> = {
  SQLITE_FULL: 'the SQLite database is full (disk or size limit)',
  SQLITE_CORRUPT: 'the SQLite file is damaged or is not a SQLite database',
  SQLITE_NOTADB: 'the SQLite file is damaged or is not a SQLite database',
  SQLITE_READONLY: 'the SQLite database is read-only',
  SQLITE_IOERR: 'the SQLite file could not be read or written (I/O error)',
};

/** What a storage fault's code (primary or extended: SQLITE_IOERR_WRITE, SQLITE_CORRUPT_VTAB, ...) means, in words; undefined for other codes. */
export function storageFaultReason(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  const primary = Object.keys(STORAGE_FAULTS).find((c) => code === c || code.startsWith(`${c}_`));
  return primary === undefined ? undefined : STORAGE_FAULTS[primary];
}

/** The storage fault an extended code belongs to. */
function storageFaultOf(code: string | undefined, cause: unknown): StorageFaultError | undefined {
  const reason = storageFaultReason(code);
  return reason === undefined ? undefined : new StorageFaultError(`the SQLite store failed: ${reason}`, reason, cause);
}

/**
 * Maps a driver error to a StoreError (or the busy signal). `uniqueness` describes the
 * key a uniqueness failure of the statement that ran means.
 */
function translate(error: unknown, uniqueness: string | undefined): Error {
  if (error instanceof StoreError || error instanceof SqliteBusySignal || error instanceof StorageFaultError) return error;
  const code = sqliteCode(error);
  if (isBusyCode(code)) return new SqliteBusySignal();
  const fault = storageFaultOf(code, error);
  if (fault) return fault;
  switch (code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return withCause(new AlreadyExistsError(uniqueness ?? 'a record with the same key already exists'), error);
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return withCause(new NotFoundError('a record refers to a node or type that does not exist'), error);
    default:
      break;
  }
  if (code?.startsWith('SQLITE_CONSTRAINT')) {
    return withCause(new InvalidArgumentError('a value breaks a storage constraint'), error);
  }
  // An SQL error (SQLITE_ERROR) is a statement this code should never have sent: a bug,
  // masked as an unexpected error and logged as it is.
  if (code === 'SQLITE_ERROR') return error as Error;
  // CANTOPEN and anything the driver throws itself (a closed connection, a binding it
  // refuses) mean the store cannot be reached now.
  return withCause(new UnavailableError('the SQLite database could not run the request'), error);
}

/** Outside a transaction nothing re-runs, so a busy signal is the final answer. */
const outsideTransaction = (error: Error): Error =>
  error instanceof SqliteBusySignal ? new UnavailableError(BUSY_MESSAGE) : error;

/** A FIFO async mutex: the next task starts when the previous one settles. */
class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Opens (creating parent directories) and configures a better-sqlite3 connection. */
function openConnection(options: ExecutorOptions): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (options.readonly) {
      db = new Database(options.path, { timeout: options.busyTimeoutMs, readonly: true, fileMustExist: true });
      db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
      return db;
    }
    if (options.path !== MEMORY_PATH) mkdirSync(dirname(options.path), { recursive: true });
    db = new Database(options.path, { timeout: options.busyTimeoutMs });
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
    if (options.path !== MEMORY_PATH) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (options.bulkLoad && options.path !== MEMORY_PATH) for (const pragma of BULK_LOAD_PRAGMAS) db.pragma(pragma);
    return db;
  } catch (error) {
    db?.close();
    throw atOpen(outsideTransaction(translate(error, undefined)), options.path);
  }
}

/** A storage fault met while opening names the file, so an operator knows which one to look at. */
export function atOpen(error: unknown, path: string): unknown {
  if (!(error instanceof StorageFaultError)) return error;
  return new StorageFaultError(`cannot open the SQLite store at ${path}: ${error.reason}`, error.reason, (error as { cause?: unknown }).cause);
}

/**
 * One connection, used by one transaction at a time. better-sqlite3 is synchronous but a
 * transaction's work is async, so every transaction (read or write) queues on a FIFO
 * mutex: two requests never interleave statements on the connection.
 */
export class SqliteExecutor {
  private readonly db: Database.Database;
  private readonly mutex = new AsyncMutex();
  private readonly busyTimeoutMs: number;
  private closing = false;
  /** Set when a statement reports busy, in case `work` catches the signal and carries on. */
  private busyInTransaction = false;
  /** The last storage fault, until a write commits again: readiness reports it. */
  private lastFault: StorageFaultError | null = null;
  private readonly beginRead: Database.Statement;
  private readonly beginWrite: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly noBusyWait: Database.Statement;
  private readonly restoreBusyWait: Database.Statement;
  private readonly selectOne: Database.Statement;

  private constructor(db: Database.Database, busyTimeoutMs: number, private readonly bulkLoad: boolean) {
    this.db = db;
    this.busyTimeoutMs = busyTimeoutMs;
    this.beginRead = db.prepare('BEGIN DEFERRED');
    this.beginWrite = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.noBusyWait = db.prepare('PRAGMA busy_timeout = 0');
    this.restoreBusyWait = db.prepare(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    this.selectOne = db.prepare('SELECT 1 AS one');
  }

  /** Opens the database at `options.path` with WAL (files only), foreign keys and a busy timeout. */
  static open(options: ExecutorOptions): SqliteExecutor {
    if (!Number.isInteger(options.busyTimeoutMs) || options.busyTimeoutMs < 0) {
      throw new InvalidArgumentError(`busyTimeoutMs must be a non-negative integer, got ${options.busyTimeoutMs}`);
    }
    const db = openConnection(options);
    try {
      return new SqliteExecutor(db, options.busyTimeoutMs, options.bulkLoad === true && options.path !== MEMORY_PATH);
    } catch (error) {
      db.close();
      throw outsideTransaction(translate(error, undefined));
    }
  }

  /**
   * Prepares `sql` once. `uniqueness` is the message of the AlreadyExistsError raised
   * when the statement breaks a uniqueness constraint.
   */
  prepare(sql: string, uniqueness?: string): PreparedStatement {
    let statement: Database.Statement;
    try {
      statement = this.db.prepare(sql);
    } catch (error) {
      throw outsideTransaction(translate(error, undefined));
    }
    return {
      run: (params = {}) => this.guard(uniqueness, () => statement.run(params).changes),
      get: <R>(params: SqlParams = {}) => this.guard(uniqueness, () => statement.get(params) as R | undefined),
      all: <R>(params: SqlParams = {}) => this.guard(uniqueness, () => statement.all(params) as R[]),
    };
  }

  /** Runs a script of statements without parameters (the schema); call it inside `write`. */
  execScript(script: string): void {
    this.guard(undefined, () => this.db.exec(script));
  }

  /** Runs `work` in a read transaction (one consistent snapshot). */
  read<T>(work: () => Promise<T>): Promise<T> {
    return this.transaction('read', work);
  }

  /**
   * Runs `work` in one attempt of a read transaction; a busy database raises
   * SqliteBusySignal instead of re-running `work`. A reader thread uses it: its `work`
   * answers messages, so only the main thread can re-run the caller's work.
   */
  readOnce<T>(work: () => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.mutex.run(() => this.attempt('read', work));
  }

  /** Remembers a storage fault a reader thread met, so readiness reports it as it would one met here. */
  noteFault(error: StorageFaultError): void {
    this.noted(error);
  }

  /** Runs `work` in a write transaction taken with BEGIN IMMEDIATE. */
  write<T>(work: () => Promise<T>): Promise<T> {
    return this.transaction('write', work);
  }

  /**
   * Resolves when the connection answers a trivial query and no storage fault (a full
   * disk, a damaged file) has been met since the last committed write; else raises it.
   */
  async ping(): Promise<void> {
    this.assertOpen();
    try {
      this.selectOne.get();
    } catch (error) {
      throw this.noted(outsideTransaction(translate(error, undefined)));
    }
    if (this.lastFault) throw this.lastFault;
  }

  /** Lets queued transactions finish, then closes the connection; later calls raise UnavailableError. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.mutex.run(async () => {
      try {
        // A bulk-loaded file leaves as the WAL store every connection expects (the mode is kept in the file).
        if (this.bulkLoad) this.guard(undefined, () => this.db.pragma('journal_mode = WAL'));
      } finally {
        this.db.close();
      }
    });
  }

  private guard<T>(uniqueness: string | undefined, call: () => T): T {
    try {
      return call();
    } catch (error) {
      const mapped = this.noted(translate(error, uniqueness));
      if (mapped instanceof SqliteBusySignal) this.busyInTransaction = true;
      throw mapped;
    }
  }

  /** Remembers a storage fault for readiness; returns `error` unchanged. */
  private noted(error: Error): Error {
    if (error instanceof StorageFaultError) this.lastFault = error;
    return error;
  }

  private assertOpen(): void {
    if (this.closing) throw new UnavailableError('the SQLite store is closed');
  }

  private async transaction<T>(mode: 'read' | 'write', work: () => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.mutex.run(async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await this.attempt(mode, work);
        } catch (error) {
          if (!(error instanceof SqliteBusySignal)) throw error;
          if (attempt >= MAX_ATTEMPTS) throw new UnavailableError(BUSY_MESSAGE);
          await busyBackoff(attempt);
        }
      }
    });
  }

  /** One attempt of a transaction; a busy database at any point raises SqliteBusySignal after the rollback. */
  private async attempt<T>(mode: 'read' | 'write', work: () => Promise<T>): Promise<T> {
    if (mode === 'write') await this.beginWriteWhenFree();
    else this.beginReadNow();
    this.busyInTransaction = false;
    try {
      const result = await work();
      if (this.busyInTransaction) throw new SqliteBusySignal();
      this.runControl(this.commit);
      if (mode === 'write') this.lastFault = null;
      return result;
    } catch (error) {
      this.rollbackIfOpen();
      const busy = error instanceof SqliteBusySignal || this.busyInTransaction;
      this.busyInTransaction = false;
      throw busy ? new SqliteBusySignal() : error;
    }
  }

  /**
   * Takes the write lock. better-sqlite3 waits for a lock synchronously, so waiting in
   * SQLite would freeze the event loop, and with it another connection of this process
   * that holds the lock and needs the loop to finish its transaction. So each attempt
   * does not wait, and the retries back off asynchronously until the busy timeout.
   */
  private async beginWriteWhenFree(): Promise<void> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let backoffMs = 1; ; backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS)) {
      let busy: boolean;
      try {
        this.noBusyWait.get();
        this.beginWrite.run();
        busy = false;
      } catch (error) {
        if (!isBusyCode(sqliteCode(error))) throw this.noted(translate(error, undefined));
        busy = true;
      } finally {
        this.restoreBusyWaitQuietly();
      }
      if (!busy) return;
      if (Date.now() >= deadline) throw new UnavailableError(BUSY_MESSAGE);
      await sleep(backoffMs);
    }
  }

  private restoreBusyWaitQuietly(): void {
    try {
      this.restoreBusyWait.get();
    } catch {
      // Only a closed connection refuses a pragma; the statement that follows reports it.
    }
  }

  /** A deferred BEGIN takes no lock yet (the first read does), so it has nothing to wait for. */
  private beginReadNow(): void {
    try {
      this.beginRead.run();
    } catch (error) {
      throw outsideTransaction(translate(error, undefined));
    }
  }

  private runControl(statement: Database.Statement): void {
    try {
      statement.run();
    } catch (error) {
      throw this.noted(translate(error, undefined));
    }
  }

  private rollbackIfOpen(): void {
    // Some errors (I/O, a full disk) make SQLite roll back on its own.
    if (!this.db.open || !this.db.inTransaction) return;
    try {
      this.rollback.run();
    } catch {
      // The connection is unusable; the original error is the one worth reporting.
    }
  }
}
