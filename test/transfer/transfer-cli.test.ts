/**
 * The commands as a user runs them (bin/journey.js, as processes): `journey export` to a
 * gzip file and to stdout, `journey import jsonl` into a new SQLite file (written under a
 * temporary name, renamed when complete) and its refusals, and `journey migrate` from
 * SQLite to Neo4j and back, which ends with the same export as it started from.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import { BACKENDS, emptyStore } from '../support/backends.js';
import { writeTinyPipeline } from '../support/tiny-pipeline.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'journey-transfer-cli-'));
const source = path.join(dir, 'source.sqlite');
const CLI_TIMEOUT = 120_000;

function journey(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/journey.js'), ...args], {
    cwd: dir, env: { ...process.env, JOURNEY_BACKEND: 'sqlite', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** An export's lines after the header. */
const body = (text: string): string => text.slice(text.indexOf('\n') + 1);

beforeAll(async () => {
  const store = await createSqliteStore({ path: source, readers: 0 });
  await store.init();
  await writeTinyPipeline(store);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('journey export and import jsonl, as processes', () => {
  it('exports to a gzip file and to stdout, imports into a new file, and refuses what it must', async () => {
    const file = path.join(dir, 'store.jsonl.gz');
    const exported = await journey(['export', '--out', file], { JOURNEY_SQLITE_PATH: source });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(`journey: exported 3 nodes from the sqlite store to ${file}`);
    expect(existsSync(`${file}.partial`)).toBe(false);
    const text = gunzipSync(readFileSync(file)).toString('utf8');
    const toStdout = await journey(['export'], { JOURNEY_SQLITE_PATH: source });
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(body(toStdout.stdout)).toBe(body(text));

    const target = path.join(dir, 'imported.sqlite');
    const imported = await journey(['import', 'jsonl', file], { JOURNEY_SQLITE_PATH: target });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`journey: imported 2 type, 3 node, 2 event, 1 derivation, 1 mlmdIdCounters from ${file} (exported from sqlite at `);
    expect(existsSync(`${target}.importing`)).toBe(false);
    const again = await journey(['export'], { JOURNEY_SQLITE_PATH: target });
    expect(body(again.stdout)).toBe(body(text));

    const twice = await journey(['import', 'jsonl', file], { JOURNEY_SQLITE_PATH: target });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`the SQLite store at ${target} is not empty (it holds 2 types, 2 artifacts, 1 executions)`);

    const cut = path.join(dir, 'cut.jsonl');
    writeFileSync(cut, text.slice(0, text.length - 40));
    const fresh = path.join(dir, 'never.sqlite');
    const refused = await journey(['import', 'jsonl', cut], { JOURNEY_SQLITE_PATH: fresh });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/journey: line \d+: not a JSON record .*cut short/);
    expect(existsSync(fresh) || existsSync(`${fresh}.importing`)).toBe(false);

    const usage = await journey(['import', 'jsonl'], { JOURNEY_SQLITE_PATH: fresh });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('journey: import jsonl takes one export file, got 0');
  }, CLI_TIMEOUT);
});

describe.each(BACKENDS.filter((b) => b.name === 'neo4j'))('journey migrate through $name', (neo4j) => {
  it('moves the store to Neo4j and back, ending with the same export', async () => {
    const store = await neo4j.open();
    const { withNeo4jCountersFromOne } = await import('../support/neo4j-database.js');
    try {
      await emptyStore(neo4j, store);
      // Counters from 1, as a new database has them: the shared test database kept other files' counters.
      await withNeo4jCountersFromOne(store, () => neo4j.open(), async () => {
        const neo4jEnv = { NEO4J_URI: process.env.NEO4J_URI! };
        const wrongWay = await journey(['migrate', '--to', 'sqlite'], { JOURNEY_SQLITE_PATH: source });
        expect(wrongWay.code).toBe(2);
        expect(wrongWay.stderr).toContain('the configured store is already sqlite');
        const there = await journey(['migrate', '--to', 'neo4j'], { JOURNEY_SQLITE_PATH: source, ...neo4jEnv });
        expect(there.code, there.stderr).toBe(0);
        expect(there.stdout).toContain(`journey: migrated 2 type, 3 node, 2 event, 1 derivation, 1 mlmdIdCounters from the sqlite store into the Neo4j store at ${process.env.NEO4J_URI}`);
        const again = await journey(['migrate', '--to', 'neo4j'], { JOURNEY_SQLITE_PATH: source, ...neo4jEnv });
        expect(again.code).toBe(1);
        expect(again.stderr).toContain('is not empty (it holds 2 types, 2 artifacts, 1 executions)');
        const backFile = path.join(dir, 'back.sqlite');
        const back = await journey(['migrate', '--to', 'sqlite'], { JOURNEY_BACKEND: 'neo4j', JOURNEY_SQLITE_PATH: backFile, ...neo4jEnv });
        expect(back.code, back.stderr).toBe(0);
        const original = await journey(['export'], { JOURNEY_SQLITE_PATH: source });
        const returned = await journey(['export'], { JOURNEY_SQLITE_PATH: backFile });
        expect(body(returned.stdout)).toBe(body(original.stdout));
      });
    } finally {
      await emptyStore(neo4j, store);
      await store.close();
    }
  }, CLI_TIMEOUT);
});
