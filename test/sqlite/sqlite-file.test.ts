/**
 * The SQLite store on a file: it creates missing directories, keeps data across a
 * reopen, runs in WAL mode, refuses what it cannot open with UnavailableError and a
 * damaged file with StorageFaultError.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FailedPreconditionError, StorageFaultError, UnavailableError } from '../../src/graph/errors.js';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import { SCHEMA_VERSION } from '../../src/graph/sqlite/sqlite-schema.js';
import { BASIC_TYPES, artifact, event, execution, tempDir } from './records.js';

describe('SQLite store on a file', () => {
  let dir: string;
  let remove: () => void;
  beforeEach(() => {
    ({ dir, remove } = tempDir());
  });
  afterEach(() => remove());

  it('creates missing parent directories and keeps every record across a reopen', async () => {
    const path = join(dir, 'nested', 'deeper', 'journey.db');
    const first = await createSqliteStore({ path });
    const written = [
      artifact('a1', 'at', { name: 'data', customProperties: { rows: 10, split: 'train' } }),
      execution('e1', 'et'),
    ];
    await first.write(async (tx) => {
      await tx.insertTypes(BASIC_TYPES);
      await tx.insertNodes(written);
      await tx.insertEvents([event('a1', 'e1', 'OUTPUT', { path: [{ key: 'out' }, { index: 2 }] })]);
    });
    await first.close();
    expect(existsSync(path)).toBe(true);

    const second = await createSqliteStore({ path });
    await second.init();
    const [nodes, events, found] = await second.read(async (tx) => [
      await tx.getNodes(['a1', 'e1']),
      await tx.eventsByArtifacts(['a1']),
      await tx.listNodes({
        kind: 'ARTIFACT', orderBy: 'id', ascending: true, limit: 10,
        properties: [{ name: 'split', custom: true, op: 'eq', value: 'train' }],
      }),
    ] as const);
    expect(nodes).toEqual(written);
    expect(events).toEqual([[event('a1', 'e1', 'OUTPUT', { path: [{ key: 'out' }, { index: 2 }] })]]);
    // The property index survives the reopen too, not only the JSON copy of the map.
    expect(found.map((n) => n.id)).toEqual(['a1']);
    await second.close();
  });

  it('puts a file database in WAL mode and stamps the schema version', async () => {
    const path = join(dir, 'wal.db');
    const store = await createSqliteStore({ path });
    await store.write((tx) => tx.insertTypes(BASIC_TYPES));
    // Both are stored in the file, so a second, plain connection sees them.
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      raw.close();
      await store.close();
    }
  });

  it('refuses a file written by a newer schema instead of misreading it', async () => {
    const path = join(dir, 'newer.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    await expect(createSqliteStore({ path })).rejects.toBeInstanceOf(FailedPreconditionError);
  });

  it('raises UnavailableError, without driver text, for a path it cannot open', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const error = await createSqliteStore({ path: join(blocker, 'journey.db') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).not.toMatch(/SQLITE|ENOTDIR|EEXIST/);
  });

  it('raises StorageFaultError naming the file for a file that is not a database: a fault, not an outage', async () => {
    const path = join(dir, 'garbage.db');
    writeFileSync(path, 'x'.repeat(4096));
    const error = await createSqliteStore({ path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFaultError);
    expect((error as Error).message).toBe(`cannot open the SQLite store at ${path}: the SQLite file is damaged or is not a SQLite database`);
  });

  it('answers ping while open and raises UnavailableError once closed', async () => {
    const store = await createSqliteStore({ path: join(dir, 'ping.db') });
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(UnavailableError);
    await expect(store.read(async () => 1)).rejects.toBeInstanceOf(UnavailableError);
    await expect(store.write(async () => 1)).rejects.toBeInstanceOf(UnavailableError);
  });
});
