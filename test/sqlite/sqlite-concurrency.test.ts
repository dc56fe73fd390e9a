/**
 * Transactions on the SQLite store: one at a time per store (a FIFO mutex over the one
 * connection), rolled back on any error, and, across connections and processes sharing
 * a file, retried past a busy database so 'database is locked' never reaches a caller.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError, FailedPreconditionError, UnavailableError } from '../../src/graph/errors.js';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import type { GraphStore, StoreTx } from '../../src/graph/store.js';
import { BASIC_TYPES, artifact, tempDir } from './records.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const countArtifacts = (store: GraphStore): Promise<number> =>
  store.read((tx) => tx.countNodes({ kind: 'ARTIFACT' }));

/** Inserts artifacts `${prefix}0..count-1`, one write each, holding the lock across a timer. */
async function insertSlowly(store: GraphStore, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await store.write(async (tx) => {
      // Another process writes the same file: the id comes from the store, as the service's would.
      const [mlmdId] = await tx.allocateMlmdIds('artifact', 1);
      await tx.insertNodes([artifact(`${prefix}${i}`, 'at', { mlmdId: mlmdId! })]);
      await sleep(1);
    });
  }
}

const WRITER = fileURLToPath(new URL('./fixtures/concurrent-writer.ts', import.meta.url));

/**
 * Runs the writer fixture in a child process and, once its store is open, `alongside`
 * in this one, so the two write at the same time; resolves with the child's result line.
 */
function withChildWriter(
  path: string, prefix: string, count: number, alongside: () => Promise<void>,
): Promise<{ inserted?: number; error?: unknown; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path, prefix, String(count)], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let ours: Promise<void> | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (ours === undefined && stdout.startsWith('ready\n')) ours = alongside();
    });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', () => {
      const last = stdout.trim().split('\n').pop() ?? '';
      (ours ?? Promise.reject(new Error(`the writer never became ready; stderr: ${stderr}`)))
        .then(() => resolve({ ...(JSON.parse(last) as object), stderr }))
        .catch(reject);
    });
  });
}

describe('SQLite transactions on one store', () => {
  let store: GraphStore;
  beforeEach(async () => {
    store = await createSqliteStore({ path: ':memory:' });
    await store.write((tx) => tx.insertTypes(BASIC_TYPES));
  });
  afterEach(async () => {
    await store.close();
  });

  it('runs transactions one at a time, in the order they were asked for', async () => {
    const log: string[] = [];
    const first = store.write(async (tx) => {
      log.push('write 1 starts');
      await tx.insertNodes([artifact('a1', 'at')]);
      await sleep(20);
      log.push('write 1 ends');
    });
    const read = store.read(async (tx) => {
      log.push(`read sees ${(await tx.getNodes(['a1']))[0]?.id ?? 'nothing'}`);
    });
    const second = store.write(async () => {
      log.push('write 2 runs');
    });
    await Promise.all([first, read, second]);
    expect(log).toEqual(['write 1 starts', 'write 1 ends', 'read sees a1', 'write 2 runs']);
  });

  it("rolls a write back and rethrows work's own error unchanged", async () => {
    const boom = new Error('boom');
    const outcome = store.write(async (tx) => {
      await tx.insertNodes([artifact('a1', 'at')]);
      throw boom;
    });
    await expect(outcome).rejects.toBe(boom);
    expect(await store.read((tx) => tx.getNodes(['a1']))).toEqual([null]);
    // The connection is usable again.
    await store.write((tx) => tx.insertNodes([artifact('a2', 'at')]));
    expect(await countArtifacts(store)).toBe(1);
  });

  it('rolls back everything the transaction wrote when a later statement breaks uniqueness', async () => {
    const outcome = store.write(async (tx) => {
      await tx.insertNodes([artifact('a1', 'at', { name: 'same' })]);
      await tx.insertNodes([artifact('a2', 'at', { name: 'same' })]);
    });
    await expect(outcome).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await countArtifacts(store)).toBe(0);
  });

  it('refuses a StoreTx used after its transaction ended', async () => {
    let kept: StoreTx | undefined;
    await store.read(async (tx) => {
      kept = tx;
    });
    await expect(kept!.getNodes(['a1'])).rejects.toBeInstanceOf(FailedPreconditionError);
  });
});

describe('SQLite transactions across connections to one file', () => {
  let dir: string;
  let remove: () => void;
  beforeEach(() => {
    ({ dir, remove } = tempDir());
  });
  afterEach(() => remove());

  it('lets two stores in one process write the same file concurrently without a busy error', async () => {
    const path = join(dir, 'shared.db');
    const a = await createSqliteStore({ path });
    const b = await createSqliteStore({ path });
    try {
      await a.write((tx) => tx.insertTypes(BASIC_TYPES));
      await Promise.all([insertSlowly(a, 'a-', 40), insertSlowly(b, 'b-', 40), insertSlowly(a, 'c-', 20)]);
      expect(await countArtifacts(a)).toBe(100);
      expect(await countArtifacts(b)).toBe(100);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('lets a child process and this one write the same file concurrently without a busy error', { timeout: 60_000 }, async () => {
    const path = join(dir, 'shared.db');
    const store = await createSqliteStore({ path });
    try {
      await store.write((tx) => tx.insertTypes(BASIC_TYPES));
      const child = await withChildWriter(path, 'child-', 100, () => insertSlowly(store, 'parent-', 100));
      expect(child.error).toBeUndefined();
      expect(child.inserted).toBe(100);
      expect(child.stderr).not.toMatch(/locked|busy/i);
      expect(await countArtifacts(store)).toBe(200);
    } finally {
      await store.close();
    }
  });

  it('keeps reading while another connection holds the write lock, and gives up writing with UnavailableError', async () => {
    const path = join(dir, 'held.db');
    const store = await createSqliteStore({ path, busyTimeoutMs: 50 });
    await store.write(async (tx) => {
      await tx.insertTypes(BASIC_TYPES);
      await tx.insertNodes([artifact('a1', 'at')]);
    });
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      expect(await countArtifacts(store)).toBe(1);
      const error = await store.write((tx) => tx.insertNodes([artifact('a2', 'at')])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as Error).message).not.toMatch(/locked|SQLITE/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    await store.write((tx) => tx.insertNodes([artifact('a2', 'at')]));
    expect(await countArtifacts(store)).toBe(2);
    await store.close();
  });

  it('waits for a write lock that is released within the busy timeout', async () => {
    const path = join(dir, 'released.db');
    const store = await createSqliteStore({ path });
    await store.write((tx) => tx.insertTypes(BASIC_TYPES));
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    const release = sleep(30).then(() => {
      holder.exec('COMMIT');
      holder.close();
    });
    await store.write((tx) => tx.insertNodes([artifact('a1', 'at')]));
    await release;
    expect(await countArtifacts(store)).toBe(1);
    await store.close();
  });
});
