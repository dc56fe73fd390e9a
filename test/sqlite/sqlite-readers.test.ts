/**
 * Reads on reader threads (src/graph/sqlite/sqlite-reader-pool.ts): a long read leaves
 * the main thread free, a read transaction is one snapshot while the writer commits, a
 * reader that dies fails its read and is replaced, errors keep their class across the
 * thread boundary, and 0 readers (or ':memory:') keeps reads in the main thread.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, storeConfigOf } from '../../src/config.js';
import {
  AlreadyExistsError, DeadlineExceededError, FailedPreconditionError, InvalidArgumentError, NotFoundError,
  PermissionDeniedError, StorageFaultError, UnavailableError,
} from '../../src/graph/errors.js';
import { openStore } from '../../src/graph/open-store.js';
import { readUnit } from '../../src/graph/read-unit.js';
import { createSqliteStore, DEFAULT_READERS } from '../../src/graph/sqlite/index.js';
import { SqliteBusySignal } from '../../src/graph/sqlite/sqlite-executor.js';
import { SqliteGraphStore } from '../../src/graph/sqlite/sqlite-store.js';
import { fromWire, toWire } from '../../src/graph/sqlite/sqlite-wire-errors.js';
import type { GraphStore } from '../../src/graph/store.js';
import { missingNode, reachSize, typesWithThread } from './fixtures/read-units.js';
import { artifact, BASIC_TYPES, event, execution, tempDir, typeRecord } from './records.js';

const UNITS = new URL('./fixtures/read-units.ts', import.meta.url).href;

const opened: GraphStore[] = [];
const dirs: (() => void)[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  for (const remove of dirs.splice(0)) remove();
});

async function fileStore(readers?: number): Promise<SqliteGraphStore> {
  const { dir, remove } = tempDir();
  dirs.push(remove);
  const store = await createSqliteStore({ path: join(dir, 'store.sqlite'), readers });
  opened.push(store);
  return store as SqliteGraphStore;
}

/** How many artifacts feed the one execution of the wide graph: enough that reading them all takes far longer than a timer tick. */
const WIDE = 30_000;

/**
 * One execution `e` with WIDE input artifacts a0 ... a(WIDE-1): a reach upstream from `e`
 * returns WIDE steps from one statement, a read long enough to see who answers first.
 */
async function seedWide(store: GraphStore): Promise<void> {
  await store.write(async (tx) => {
    await tx.insertTypes(BASIC_TYPES);
    const artifacts = Array.from({ length: WIDE }, (_, i) => artifact(`a${i}`, 'at', { properties: { rows: i } }));
    await tx.insertNodes([...artifacts, execution('e', 'et')]);
    await tx.insertEvents(artifacts.map((a) => event(a.id, 'e', 'INPUT')));
  });
}

/** Starts the long read, then a timer and a trivial read; returns the order in which the three finished. */
async function finishingOrder(store: GraphStore): Promise<string[]> {
  const order: string[] = [];
  const long = store.read(async (tx) => {
    const reach = await tx.lineageReach(['e'], 'UPSTREAM', ['INPUT'], null, 1, WIDE + 1);
    const nodes = await tx.getNodes(reach.steps.map((step) => step.neighborId));
    expect(nodes.filter((node) => node !== null)).toHaveLength(WIDE);
    order.push('long read');
  });
  const timer = new Promise<void>((resolve) => setTimeout(() => { order.push('timer'); resolve(); }, 0));
  const trivial = store.read(async (tx) => {
    expect(await tx.getTypes(['at'])).toHaveLength(1);
    order.push('trivial read');
  });
  await Promise.all([long, timer, trivial]);
  return order;
}

describe('SQLite reads on reader threads', () => {
  it('answers a timer and a trivial read while a long read runs on another thread', async () => {
    const store = await fileStore(2);
    await seedWide(store);
    const order = await finishingOrder(store);
    expect(order.indexOf('timer')).toBeLessThan(order.indexOf('long read'));
    expect(order.indexOf('trivial read')).toBeLessThan(order.indexOf('long read'));
    expect(store.readers?.threadIds()).toHaveLength(2);
  });

  it('with 0 readers reads in the main thread as before: the long read holds everything up', async () => {
    const store = await fileStore(0);
    expect(store.readers).toBeNull();
    await seedWide(store);
    const order = await finishingOrder(store);
    expect(order[0]).toBe('long read');
    expect(order.indexOf('timer')).toBeGreaterThan(order.indexOf('long read'));
  });

  it('reads a file on reader threads by default, one per core and at most 4', async () => {
    const store = await fileStore();
    await store.write((tx) => tx.insertTypes(BASIC_TYPES));
    expect(DEFAULT_READERS).toBe(Math.min(availableParallelism(), 4));
    expect(store.readers).not.toBeNull();
    const reads = Array.from({ length: DEFAULT_READERS + 2 }, () => store.read(readUnit(UNITS, 'typesWithThread', typesWithThread, { ids: ['at'] })));
    const threads = new Set((await Promise.all(reads)).map((r) => r.threadId));
    expect(threads.has(0)).toBe(false);
    expect(store.readers!.threadIds().length).toBeLessThanOrEqual(DEFAULT_READERS);
  });

  it('keeps a ":memory:" store in the main thread, whatever the readers asked for', async () => {
    const store = await createSqliteStore({ path: ':memory:', readers: 4 });
    opened.push(store);
    expect((store as SqliteGraphStore).readers).toBeNull();
  });

  it('takes JOURNEY_SQLITE_READERS=0 from the configuration to mean no reader threads', async () => {
    const { dir, remove } = tempDir();
    dirs.push(remove);
    const env = { JOURNEY_SQLITE_PATH: join(dir, 'store.sqlite') };
    const none = await openStore(storeConfigOf(loadConfig({ ...env, JOURNEY_SQLITE_READERS: '0' })));
    opened.push(none);
    expect((none as SqliteGraphStore).readers).toBeNull();
    const three = await openStore(storeConfigOf(loadConfig({ ...env, JOURNEY_SQLITE_READERS: '3' })));
    opened.push(three);
    expect((three as SqliteGraphStore).readers).not.toBeNull();
    expect(() => loadConfig({ ...env, JOURNEY_SQLITE_READERS: '-1' })).toThrow(/JOURNEY_SQLITE_READERS must be an integer from 0/);
  });

  it('reads one snapshot for the whole transaction while the writer commits in between', async () => {
    const store = await fileStore(1);
    await store.write((tx) => tx.insertTypes(BASIC_TYPES));
    const seen = await store.read(async (tx) => {
      const before = (await tx.listTypes('ARTIFACT_TYPE')).map((type) => type.id);
      // Committed by the writer connection while this read is open: on the main thread
      // with 0 readers this write would wait forever behind the read.
      await store.write((w) => w.insertTypes([typeRecord('at2', 'ARTIFACT_TYPE', 'Model')]));
      const after = (await tx.listTypes('ARTIFACT_TYPE')).map((type) => type.id);
      return { before, after };
    });
    expect(seen).toEqual({ before: ['at'], after: ['at'] });
    // A read that starts after the commit sees it.
    const later = await store.read(async (tx) => (await tx.listTypes('ARTIFACT_TYPE')).map((type) => type.id));
    expect(later.sort()).toEqual(['at', 'at2']);
  });

  it('keeps reads inside a write transaction on the writer, where they see its uncommitted writes', async () => {
    const store = await fileStore(1);
    await store.write((tx) => tx.insertTypes(BASIC_TYPES));
    const seen = await store.inOneTransaction(async () => {
      await store.write((tx) => tx.insertTypes([typeRecord('at2', 'ARTIFACT_TYPE', 'Model')]));
      return store.read(async (tx) => (await tx.listTypes('ARTIFACT_TYPE')).map((type) => type.id));
    });
    expect(seen.sort()).toEqual(['at', 'at2']);
    // No reader thread was needed.
    expect(store.readers?.threadIds()).toEqual([]);
  });

  it('fails the reads of a reader that dies with UNAVAILABLE, and serves the next read on a new thread', async () => {
    const store = await fileStore(1);
    await store.write((tx) => tx.insertTypes(BASIC_TYPES));
    const pool = store.readers!;
    let dead = -1;
    const outcome = store.read(async (tx) => {
      expect(await tx.getTypes(['at'])).toHaveLength(1);
      dead = pool.threadIds()[0]!;
      await pool.stopThread(dead);
      return tx.getTypes(['at']);
    });
    await expect(outcome).rejects.toBeInstanceOf(UnavailableError);
    const types = await store.read((tx) => tx.getTypes(['at', 'missing']));
    expect(types.map((type) => type?.id ?? null)).toEqual(['at', null]);
    expect(pool.threadIds()).toHaveLength(1);
    expect(pool.threadIds()).not.toContain(dead);
  });

  it('raises the StoreError classes in the main thread as the reader raised them', async () => {
    const store = await fileStore(1);
    // A write sent to a reader meets its read-only connection: a storage fault, by class.
    const fault = await store.read((tx) => tx.insertTypes(BASIC_TYPES)).catch((error: unknown) => error);
    expect(fault).toBeInstanceOf(StorageFaultError);
    expect((fault as StorageFaultError).reason).toBe('the SQLite database is read-only');
    // Readiness reports a reader's fault as it would one of the writer.
    await expect(store.ping()).rejects.toBeInstanceOf(StorageFaultError);
    // A StoreTx kept past its transaction is refused, as in the main thread.
    let kept: Parameters<Parameters<GraphStore['read']>[0]>[0] | undefined;
    await store.read(async (tx) => { kept = tx; });
    await expect(kept!.getTypes(['at'])).rejects.toBeInstanceOf(FailedPreconditionError);
  });

  it('rebuilds every error class, field and cause from the wire', () => {
    const cause = Object.assign(new Error('SQLITE_CONSTRAINT_UNIQUE: driver text'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const made = [
      new NotFoundError('nf', 'ids[0]'), new AlreadyExistsError('ae'), new InvalidArgumentError('ia', 'f'),
      new FailedPreconditionError('fp'), new UnavailableError('un'), new DeadlineExceededError('de'),
      new PermissionDeniedError('pd'),
    ];
    Object.defineProperty(made[1]!, 'cause', { value: cause, enumerable: false });
    for (const error of made) {
      const rebuilt = fromWire(structuredClone(toWire(error)));
      expect(rebuilt).toBeInstanceOf(error.constructor);
      expect({ code: (rebuilt as NotFoundError).code, message: rebuilt.message, field: (rebuilt as NotFoundError).field })
        .toEqual({ code: error.code, message: error.message, field: error.field });
    }
    const rebuiltCause = (fromWire(structuredClone(toWire(made[1]))) as { cause?: Error & { code?: string } }).cause;
    expect({ message: rebuiltCause?.message, code: rebuiltCause?.code }).toEqual({ message: cause.message, code: cause.code });
    const fault = fromWire(structuredClone(toWire(new StorageFaultError('m', 'the disk is full', cause))));
    expect(fault).toBeInstanceOf(StorageFaultError);
    expect((fault as StorageFaultError).reason).toBe('the disk is full');
    expect(fromWire(structuredClone(toWire(new SqliteBusySignal())))).toBeInstanceOf(SqliteBusySignal);
    const bug = fromWire(structuredClone(toWire(Object.assign(new Error('no such table: x'), { code: 'SQLITE_ERROR' }))));
    expect(bug).not.toBeInstanceOf(StorageFaultError);
    expect({ message: bug.message, code: (bug as { code?: string }).code }).toEqual({ message: 'no such table: x', code: 'SQLITE_ERROR' });
  });

  it('runs a read unit whole on a reader thread, and in the main thread where reads stay there', async () => {
    const store = await fileStore(1);
    await store.write((tx) => tx.insertTypes(BASIC_TYPES));
    const unit = () => readUnit(UNITS, 'typesWithThread', typesWithThread, { ids: ['at', 'missing'] });
    const onReader = await store.read(unit());
    expect(onReader).toEqual({ threadId: store.readers!.threadIds()[0], types: ['at', null] });
    expect(onReader.threadId).not.toBe(0);
    // Inside a write's shared transaction it must see the uncommitted writes: the writer, here.
    const shared = await store.inOneTransaction(async () => {
      await store.write((tx) => tx.insertTypes([typeRecord('at2', 'ARTIFACT_TYPE', 'Model')]));
      return store.read(readUnit(UNITS, 'typesWithThread', typesWithThread, { ids: ['at2'] }));
    });
    expect(shared).toEqual({ threadId: 0, types: ['at2'] });
    const none = await fileStore(0);
    await none.write((tx) => tx.insertTypes(BASIC_TYPES));
    expect(await none.read(unit())).toEqual({ threadId: 0, types: ['at', null] });
  });

  it('raises a read unit\'s store error in the main thread with its class and field', async () => {
    const store = await fileStore(1);
    const error = await store.read(readUnit(UNITS, 'missingNode', missingNode, { id: 'n1' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect({ message: (error as NotFoundError).message, field: (error as NotFoundError).field }).toEqual({ message: 'no node n1 (found: true)', field: 'start[0]' });
  });

  it('serves a call-by-call read waiting for a reader before the walks queued ahead of it', async () => {
    const store = await fileStore(1);
    await seedWide(store);
    const order: string[] = [];
    const walk = (name: string): Promise<void> =>
      store.read(readUnit(UNITS, 'reachSize', reachSize, { id: 'e' })).then((steps) => { expect(steps).toBe(WIDE); order.push(name); });
    const running = walk('walk 1');
    const queued = [walk('walk 2'), walk('walk 3')];
    const small = store.read((tx) => tx.getTypes(['at'])).then((types) => { expect(types).toHaveLength(1); order.push('small read'); });
    await Promise.all([running, ...queued, small]);
    // The one reader was busy with walk 1; the small read, asked last, went next.
    expect(order).toEqual(['walk 1', 'small read', 'walk 2', 'walk 3']);
  });

  it('lets running reads finish on close, then refuses new ones', async () => {
    const store = await fileStore(1);
    await store.write((tx) => tx.insertTypes(BASIC_TYPES));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const running = store.read(async (tx) => { await gate; return tx.getTypes(['at']); });
    const closing = store.close();
    opened.splice(opened.indexOf(store), 1);
    release();
    expect((await running).map((type) => type?.id)).toEqual(['at']);
    await closing;
    expect(store.readers?.threadIds()).toEqual([]);
    await expect(store.read((tx) => tx.getTypes(['at']))).rejects.toBeInstanceOf(UnavailableError);
  });
});
