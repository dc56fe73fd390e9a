/**
 * A SQLite reader thread: its own read-only connection to the store's file, on which it
 * runs the read transactions the main thread hands it (sqlite-reader-pool.ts), one at a
 * time, with the same statements as the main thread (sqlite-store.ts): call by call, or
 * a whole read unit (src/graph/read-unit.ts) at once. WAL lets it read one consistent
 * snapshot while the writer commits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FailedPreconditionError } from '../errors.js';
import type { StoreTx } from '../store.js';
import { SqliteExecutor } from './sqlite-executor.js';
import type { ReaderReply, ReaderRequest, ReaderSettings } from './sqlite-read-protocol.js';
import { storeTxFactory, type SqliteStoreTx } from './sqlite-store.js';
import { toWire } from './sqlite-wire-errors.js';

const port = parentPort!;
const settings = workerData as ReaderSettings;

const reply = (message: ReaderReply): void => port.postMessage(message);
const fail = (seq: number, error: unknown): void => reply({ seq, ok: false, error: toWire(error) });

/** The open transaction: its StoreTx, and how to end it once asked (with the `end` request's seq). */
let current: { tx: SqliteStoreTx; finish: (endSeq: number) => void } | null = null;

function serve(newTx: () => SqliteStoreTx, executor: SqliteExecutor): (request: ReaderRequest) => void {
  return (request) => {
    switch (request.kind) {
      case 'begin':
        return begin(request.seq, newTx, executor);
      case 'call':
        return call(request.seq, request.method, request.args);
      case 'end':
        if (!current) return fail(request.seq, new FailedPreconditionError('the transaction has already ended'));
        return current.finish(request.seq);
      case 'unit':
        return void runUnit(request, newTx, executor);
    }
  };
}

type UnitFunction = (tx: StoreTx, args: unknown) => Promise<unknown>;
/** Each unit's function, imported on its first use. */
const units = new Map<string, Promise<UnitFunction>>();

function unitFunction(module: string, name: string): Promise<UnitFunction> {
  const key = `${module}#${name}`;
  let found = units.get(key);
  if (!found) {
    found = import(module).then((exports: Record<string, unknown>) => {
      const fn = exports[name];
      if (typeof fn !== 'function') throw new Error(`read unit ${name} is not a function exported by ${module}`);
      return fn as UnitFunction;
    });
    units.set(key, found);
  }
  return found;
}

/** Runs a whole read unit in one read transaction: one message in, its answer out. */
async function runUnit(
  request: Extract<ReaderRequest, { kind: 'unit' }>, newTx: () => SqliteStoreTx, executor: SqliteExecutor,
): Promise<void> {
  try {
    const run = await unitFunction(request.module, request.name);
    const value = await executor.readOnce(async () => {
      const tx = newTx();
      try {
        return await run(tx as unknown as StoreTx, request.args);
      } finally {
        tx.end();
      }
    });
    reply({ seq: request.seq, ok: true, value });
  } catch (error) {
    fail(request.seq, error);
  }
}

/** Opens a read transaction that stays open, on one snapshot, until `end` arrives. */
function begin(seq: number, newTx: () => SqliteStoreTx, executor: SqliteExecutor): void {
  let started = false;
  let endSeq = -1;
  executor.readOnce(() => new Promise<void>((resolve) => {
    started = true;
    current = { tx: newTx(), finish: (s) => { endSeq = s; resolve(); } };
    reply({ seq, ok: true, value: null });
  })).then(
    () => reply({ seq: endSeq, ok: true, value: null }),
    (error: unknown) => fail(started ? endSeq : seq, error),
  ).finally(() => {
    current?.tx.end();
    current = null;
  });
}

function call(seq: number, method: string, args: unknown[]): void {
  if (!current) return fail(seq, new FailedPreconditionError('the transaction has already ended'));
  const tx = current.tx as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  let result: Promise<unknown>;
  try {
    result = tx[method]!(...args);
  } catch (error) {
    return fail(seq, error);
  }
  result.then((value) => reply({ seq, ok: true, value }), (error: unknown) => fail(seq, error));
}

/** A reader that cannot open its connection answers every request with the reason. */
function refuseAll(error: unknown): (request: ReaderRequest) => void {
  return (request) => fail(request.seq, error);
}

let handle: (request: ReaderRequest) => void;
try {
  const executor = SqliteExecutor.open({ path: settings.path, busyTimeoutMs: settings.busyTimeoutMs, readonly: true });
  handle = serve(storeTxFactory(executor), executor);
} catch (error) {
  handle = refuseAll(error);
}
port.on('message', (request: ReaderRequest) => handle(request));
