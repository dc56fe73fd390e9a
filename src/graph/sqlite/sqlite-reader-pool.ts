/**
 * Read transactions on reader threads. better-sqlite3 is synchronous, so a long read on
 * the main thread would freeze every other caller; here each read transaction runs on a
 * worker thread's own read-only connection (WAL lets readers and the one writer work at
 * once), and the main thread only passes messages. A transaction keeps one reader from
 * `begin` to `end`, so every StoreTx call of one `work` reads the same snapshot.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FailedPreconditionError, StorageFaultError, UnavailableError } from '../errors.js';
import { readUnitOf, type ReadUnit } from '../read-unit.js';
import type { StoreTx } from '../store.js';
import { BUSY_MESSAGE, busyBackoff, MAX_ATTEMPTS, SqliteBusySignal } from './sqlite-executor.js';
import {
  STORE_TX_METHODS, type ReaderReply, type ReaderRequest, type ReaderSettings, type StoreTxMethod,
} from './sqlite-read-protocol.js';
import { fromWire } from './sqlite-wire-errors.js';

export interface ReaderPoolOptions extends ReaderSettings {
  /** How many reader threads at most; they start when reads first need them. At least 1. */
  size: number;
  /** Told of each storage fault a reader meets, so readiness reports it. */
  onFault: (error: StorageFaultError) => void;
}

const STOPPED_MESSAGE = 'a SQLite reader thread stopped during the read; try again';

function stoppedError(crash: unknown): UnavailableError {
  const error = new UnavailableError(STOPPED_MESSAGE);
  if (crash !== undefined) Object.defineProperty(error, 'cause', { value: crash, enumerable: false, configurable: true, writable: true });
  return error;
}

type Distribute<R> = R extends { seq: number } ? Omit<R, 'seq'> : never;
type Unsent = Distribute<ReaderRequest>;

/**
 * The file of tsx's ESM register API. A require() resolves the CommonJS build, whose
 * register cannot start in a worker, so the `import` target is read from tsx's exports.
 */
function tsxEsmApiPath(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return join(dirname(manifestPath), manifest.exports['./esm/api']!.import.default);
}

/**
 * The reader thread's entry. Built, it is the compiled .js beside this file; run from
 * source (tsx, vitest) it is the .ts one, which a worker can load only after registering
 * tsx's loader in it, so a small bootstrap does that first.
 */
function startWorker(settings: ReaderSettings): Worker {
  const built = new URL('./sqlite-read-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData: settings });
  const source = new URL('./sqlite-read-worker.ts', import.meta.url).href;
  const tsxApi = pathToFileURL(tsxEsmApiPath()).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: settings });
}

/** One reader thread and the requests it has yet to answer. */
class Reader {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextSeq = 0;
  /** Set once the thread has exited (crashed, or been stopped); it then answers nothing. */
  stopped = false;

  constructor(settings: ReaderSettings, private readonly onFault: (error: StorageFaultError) => void, onStop: (reader: Reader) => void) {
    this.worker = startWorker(settings);
    // An idle reader must not keep the process alive (a CLI that never closes its store
    // would hang); one with a request out must, or the answer could be lost.
    this.worker.unref();
    this.worker.on('message', (message: ReaderReply) => this.settle(message));
    // 'error' (an uncaught exception in the thread) is always followed by 'exit'; the
    // reads it fails keep it as their cause, for the server log.
    let crash: unknown;
    this.worker.on('error', (error) => { crash = error; });
    this.worker.on('exit', () => {
      this.stopped = true;
      for (const { reject } of this.pending.values()) reject(stoppedError(crash));
      this.pending.clear();
      onStop(this);
    });
  }

  /** The thread's id, for diagnostics and tests. */
  get threadId(): number {
    return this.worker.threadId;
  }

  request(message: Unsent): Promise<unknown> {
    if (this.stopped) return Promise.reject(stoppedError(undefined));
    const seq = this.nextSeq++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ ...message, seq } as ReaderRequest);
    });
  }

  /** Stops the thread; requests it has not answered fail with UnavailableError. */
  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private settle(message: ReaderReply): void {
    const waiting = this.pending.get(message.seq);
    if (!waiting) return;
    this.pending.delete(message.seq);
    if (this.pending.size === 0) this.worker.unref();
    if (message.ok) {
      waiting.resolve(message.value);
      return;
    }
    const error = fromWire(message.error);
    if (error instanceof StorageFaultError) this.onFault(error);
    waiting.reject(error);
  }
}

/**
 * The main thread's StoreTx within a reader's transaction: each call is one message.
 * Like the in-thread StoreTx it refuses calls once its transaction has ended.
 */
class ForwardingTx {
  private open = true;
  /** A call reported busy: the transaction is re-run even if `work` caught the error. */
  busy = false;
  readonly view: StoreTx;

  /** `begun` is the answer to the transaction's `begin`, which calls are sent behind without waiting for it. */
  constructor(private readonly reader: Reader, private readonly begun: Promise<unknown>) {
    const view: Partial<Record<StoreTxMethod, (...args: unknown[]) => Promise<unknown>>> = {};
    for (const method of STORE_TX_METHODS) view[method] = (...args) => this.forward(method, args);
    this.view = view as unknown as StoreTx;
  }

  end(): void {
    this.open = false;
  }

  private async forward(method: StoreTxMethod, args: unknown[]): Promise<unknown> {
    if (!this.open) throw new FailedPreconditionError('the transaction has already ended');
    const answer = this.reader.request({ kind: 'call', method, args });
    try {
      // A failed begin explains the call's failure better than the call's own error does.
      answer.catch(() => undefined);
      await this.begun;
      return await answer;
    } catch (error) {
      if (error instanceof SqliteBusySignal) this.busy = true;
      throw error;
    }
  }
}

/** Which queue a read waits in for a reader: see SqliteReaderPool.waiting. */
type ReadQueue = 'calls' | 'units';

/** Reader threads for one SQLite file: started as reads need them, up to `size`, each serving one transaction at a time. */
export class SqliteReaderPool {
  private readonly readers: Reader[] = [];
  private readonly idle: Reader[] = [];
  /**
   * Reads waiting for a reader: call-by-call reads (a key look-up, a page, a loader's
   * batch) are served before whole read units (lineage and impact walks, long by
   * nature), so a small read is not queued behind every walk of a busy server.
   */
  private readonly waiting: Record<ReadQueue, ((reader: Reader) => void)[]> = { calls: [], units: [] };
  private readonly running = new Set<Promise<unknown>>();
  private closing = false;

  constructor(private readonly options: ReaderPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new Error(`a reader pool needs at least one reader, got ${options.size}`);
    }
  }

  /**
   * Runs `work` in one read transaction on a reader thread, re-running it (as the
   * in-thread path does) while the database reports busy. Work made by readUnit runs
   * whole on the thread, in one message; any other sends a message per StoreTx call.
   */
  read<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new UnavailableError('the SQLite store is closed'));
    const unit = readUnitOf(work);
    const run = unit
      ? this.withRetries<T>('units', (reader) => this.unit(reader, unit))
      : this.withRetries<T>('calls', (reader) => this.transaction(reader, work));
    this.track(run);
    return run;
  }

  /** Keeps `pending` among the running work that close() waits for. */
  private track(pending: Promise<unknown>): void {
    this.running.add(pending);
    void pending.catch(() => undefined).finally(() => this.running.delete(pending));
  }

  /** The ids of the reader threads now running, for diagnostics and tests. */
  threadIds(): number[] {
    return this.readers.map((reader) => reader.threadId);
  }

  /** Stops the reader thread `threadId` at once, as a crash would (for tests of recovery). */
  async stopThread(threadId: number): Promise<void> {
    await this.readers.find((reader) => reader.threadId === threadId)?.stop();
  }

  /** Lets running and queued reads finish, then stops every reader thread; later reads raise UnavailableError. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    await Promise.all(this.readers.map((reader) => reader.stop()));
  }

  private async withRetries<T>(queue: ReadQueue, once: (reader: Reader) => Promise<{ result: T; ended: Promise<void> }>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const reader = await this.acquire(queue);
      try {
        const { result, ended } = await once(reader);
        // The answer is the caller's at once; the reader serves the next read once its
        // transaction has ended (one round trip later), so no two snapshots share it.
        this.track(ended.finally(() => this.release(reader)));
        return result;
      } catch (error) {
        this.release(reader);
        if (!(error instanceof SqliteBusySignal)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw new UnavailableError(BUSY_MESSAGE);
      }
      await busyBackoff(attempt);
    }
  }

  /**
   * `begin` is not waited for before `work` starts: the reader answers messages in the
   * order sent, so the first call rides behind it and a read costs one round trip fewer.
   * Nor is `end` waited for once `work` has its answer: ending a read transaction only
   * releases its snapshot, and each round trip is a turn of the event loop, which under
   * load means waiting behind every other request's work. A read that failed still waits
   * for its end, since it may be run again on the same reader.
   */
  private async transaction<T>(reader: Reader, work: (tx: StoreTx) => Promise<T>): Promise<{ result: T; ended: Promise<void> }> {
    const begun = reader.request({ kind: 'begin' });
    begun.catch(() => undefined);
    const tx = new ForwardingTx(reader, begun);
    let result: T;
    try {
      result = await work(tx.view);
    } catch (error) {
      tx.end();
      // A transaction that never began has nothing to end, and its begin's error says why.
      await begun;
      // The snapshot is released either way; the work's own error is the one to report.
      await reader.request({ kind: 'end' }).catch(() => undefined);
      throw tx.busy ? new SqliteBusySignal() : error;
    }
    tx.end();
    await begun;
    // Ending a read cannot fail the answer it gave; a storage fault it meets still reaches readiness (Reader.settle).
    const ended = reader.request({ kind: 'end' }).then(() => undefined, () => undefined);
    if (tx.busy) {
      await ended;
      throw new SqliteBusySignal();
    }
    return { result, ended };
  }

  /** A whole read unit on `reader`: its transaction has ended by the time it answers. */
  private async unit<T>(reader: Reader, unit: ReadUnit): Promise<{ result: T; ended: Promise<void> }> {
    const result = await reader.request({ kind: 'unit', module: unit.module, name: unit.name, args: unit.args }) as T;
    return { result, ended: Promise.resolve() };
  }

  private acquire(queue: ReadQueue): Promise<Reader> {
    const reader = this.idle.pop();
    if (reader) return Promise.resolve(reader);
    if (this.readers.length < this.options.size) return Promise.resolve(this.start());
    return new Promise((resolve) => this.waiting[queue].push(resolve));
  }

  private release(reader: Reader): void {
    const next = this.waiting.calls.shift() ?? this.waiting.units.shift();
    if (reader.stopped) {
      // Its replacement serves the next read in its place.
      if (next) next(this.start());
      return;
    }
    if (next) next(reader);
    else this.idle.push(reader);
  }

  private start(): Reader {
    const { path, busyTimeoutMs } = this.options;
    const reader = new Reader({ path, busyTimeoutMs }, this.options.onFault, (stopped) => this.forget(stopped));
    this.readers.push(reader);
    return reader;
  }

  /** A stopped reader leaves the pool; the next read that needs a thread starts a new one. */
  private forget(reader: Reader): void {
    const at = this.readers.indexOf(reader);
    if (at >= 0) this.readers.splice(at, 1);
    const idleAt = this.idle.indexOf(reader);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
  }
}
