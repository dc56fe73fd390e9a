/**
 * JOURNEY_BOOTSTRAP_ADMIN_KEY_FILE with several processes starting together on an empty
 * store: exactly one admin key is made, one file written (by the process that made it),
 * and its token works; the others write no file. Each process used to check for keys and
 * then create one in two steps, and on an empty database each found none and made its
 * own (docs/deploy.md, "Keys made before, or one first start").
 *  - Neo4j: three stores with their own drivers (as three processes), several rounds on
 *    an emptied database, the lock node included (its creation races too).
 *  - SQLite: three real processes on one file (fixtures/bootstrap-starter.ts), each
 *    asking at the same moment.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNeo4jStore } from '../../src/graph/neo4j/index.js';
import type { Neo4jStore } from '../../src/graph/neo4j/neo4j-store.js';
import { openStore } from '../../src/graph/open-store.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { bootstrapAdminKey } from '../../src/service/keys/bootstrap-key.js';
import { BACKENDS } from '../support/backends.js';
import { clearNeo4jDatabase } from '../support/neo4j-database.js';

const STARTERS = 3;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'journey-bootstrap-race-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The key files of a round that exist, and the one token they hold. */
function writtenFiles(files: readonly string[]): { written: string[]; token: string | undefined } {
  const written = files.filter((file) => existsSync(file));
  return { written, token: written.length === 1 ? readFileSync(written[0]!, 'utf8').trim() : undefined };
}

const neo4j = BACKENDS.find((b) => b.name === 'neo4j');

describe.runIf(neo4j)('the bootstrap admin key with three processes starting together on one Neo4j', () => {
  const ROUNDS = 5;
  let stores: Neo4jStore[] = [];

  beforeAll(async () => {
    for (let i = 0; i < STARTERS; i += 1) stores.push((await createNeo4jStore({ uri: process.env.NEO4J_URI! })) as Neo4jStore);
    await clearNeo4jDatabase(stores[0]!);
    for (const store of stores) await store.init();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    stores = [];
  });

  it(`makes exactly one key and one file, ${ROUNDS} rounds out of ${ROUNDS}`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      // An empty database again: no key and no lock node.
      await stores[0]!.executor.write((runner) => runner.run("MATCH (n) WHERE n:ApiKey OR (n:StoreLock AND n.name = 'api-keys') DELETE n"));
      const folder = mkdtempSync(path.join(scratch, 'neo4j-'));
      const files = stores.map((_, i) => path.join(folder, `admin-key-${i}`));
      const made = await Promise.all(stores.map((store, i) => bootstrapAdminKey(createApiKeyService(store), files[i]!)));
      const keys = await createApiKeyService(stores[0]!).list();
      expect(keys, `round ${round}`).toHaveLength(1);
      expect(made.filter((key) => key !== null)).toEqual(keys);
      const { written, token } = writtenFiles(files);
      expect(written).toEqual([files[made.findIndex((key) => key !== null)]]);
      expect(await createApiKeyService(stores[1]!).authenticate(token!)).toEqual({ ok: true, caller: { keyId: keys[0]!.id, role: 'admin' } });
    }
  }, 120_000);
});

describe('the bootstrap admin key with three processes starting together on one SQLite file', () => {
  const STARTER = fileURLToPath(new URL('./fixtures/bootstrap-starter.ts', import.meta.url));

  /** Starts a process that opens `sqlitePath` and, at `startAt`, bootstraps into `keyFile`; resolves with what it printed last. */
  function starter(sqlitePath: string, keyFile: string, startAt: number): Promise<{ made?: boolean; error?: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', STARTER, sqlitePath, keyFile, String(startAt)], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      child.on('error', reject);
      child.on('close', (code) => {
        const last = stdout.trim().split('\n').pop() ?? '';
        if (code !== 0 || !last.startsWith('{')) reject(new Error(`starter exited ${code}: ${stderr}`));
        else resolve(JSON.parse(last) as { made?: boolean; error?: string });
      });
    });
  }

  it('makes exactly one key and one file', async () => {
    const folder = mkdtempSync(path.join(scratch, 'sqlite-'));
    const sqlitePath = path.join(folder, 'store.sqlite');
    // Made and migrated first, so the three only race for the key, not for the schema.
    await (await openStore({ backend: 'sqlite', sqlitePath, sqliteReaders: 0 })).close();
    const files = Array.from({ length: STARTERS }, (_, i) => path.join(folder, `admin-key-${i}`));
    // Long enough for three processes to load and open the file on a loaded machine.
    const startAt = Date.now() + 8_000;
    const outcomes = await Promise.all(files.map((file) => starter(sqlitePath, file, startAt)));
    expect(outcomes.filter((o) => o.error !== undefined)).toEqual([]);
    expect(outcomes.filter((o) => o.made)).toHaveLength(1);
    const store = await openStore({ backend: 'sqlite', sqlitePath, sqliteReaders: 0 });
    try {
      const keys = await createApiKeyService(store).list();
      expect(keys).toHaveLength(1);
      const { written, token } = writtenFiles(files);
      expect(written).toEqual([files[outcomes.findIndex((o) => o.made)]]);
      expect(await createApiKeyService(store).authenticate(token!)).toEqual({ ok: true, caller: { keyId: keys[0]!.id, role: 'admin' } });
    } finally {
      await store.close();
    }
  }, 60_000);
});
