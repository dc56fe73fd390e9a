/**
 * `journey import jsonl` into a new SQLite file, as a process: the file is read once (no
 * check beforehand) and bulk-loaded under FILE.importing, so every refusal must come from
 * the import itself and leave nothing behind. A file damaged or cut short after thousands
 * of records were committed, and a process killed part-way, leave no file at the target
 * path; the next import then succeeds, and what it renames into place is an ordinary WAL
 * store that passes SQLite's integrity check and opens as a store.
 * SQLite only: the temporary file is SQLite's.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import { IMPORT_BATCH } from '../../src/service/transfer/store-import.js';
import { writeChain } from '../support/chain-store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'journey-import-new-file-'));
const CLI_TIMEOUT = 180_000;
/** Nodes in the chain: several batches, so a refusal comes after commits. */
const NODES = 30_000;
const exportFile = path.join(dir, 'chain.jsonl.gz');
let lines: string[] = [];

function journey(args: string[], env: Record<string, string>, onStderr: (text: string) => void = () => undefined) {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/journey.js'), ...args], {
    cwd: dir, env: { ...process.env, JOURNEY_BACKEND: 'sqlite', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); onStderr(stderr); });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** The files in `dir` whose names start with the target's (the file, FILE.importing and their -wal, -shm, -journal). */
const leftovers = (target: string): string[] => readdirSync(dir).filter((f) => f.startsWith(path.basename(target)));

beforeAll(async () => {
  // A chain artifact → execution → artifact …, an event between neighbours.
  const source = path.join(dir, 'source.sqlite');
  const store = await createSqliteStore({ path: source, readers: 0 });
  await writeChain(store, NODES, 50);
  await store.close();
  const exported = await journey(['export', '--out', exportFile], { JOURNEY_SQLITE_PATH: source }).done;
  expect(exported.code, exported.stderr).toBe(0);
  lines = gunzipSync(readFileSync(exportFile)).toString('utf8').split('\n');
}, CLI_TIMEOUT);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('journey import jsonl into a new SQLite file', () => {
  it('refuses a line damaged after thousands of records were written, and leaves nothing', async () => {
    // Line 3 + 3 batches is a node line: three batches of nodes were committed before it.
    const at = 3 + 3 * IMPORT_BATCH;
    expect(JSON.parse(lines[at - 1]!).record).toBe('node');
    const damaged = path.join(dir, 'damaged.jsonl');
    writeFileSync(damaged, [...lines.slice(0, at - 1), lines[at - 1]!.slice(0, 30), ...lines.slice(at)].join('\n'));
    const target = path.join(dir, 'damaged.sqlite');
    const refused = await journey(['import', 'jsonl', damaged], { JOURNEY_SQLITE_PATH: target }).done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`journey: line ${at}: not a JSON record`);
    expect(refused.stderr).toContain('journey: the import stopped; nothing was written (the temporary file is removed)');
    expect(leftovers(target)).toEqual([]);
  }, CLI_TIMEOUT);

  it('refuses a file cut short after its node batches (no end record), and leaves nothing', async () => {
    const cut = path.join(dir, 'cut.jsonl');
    // Every line but the last few edges and the end record, each whole: only the missing end record tells.
    writeFileSync(cut, `${lines.slice(0, NODES + 3 + 100).join('\n')}\n`);
    const target = path.join(dir, 'cut.sqlite');
    const refused = await journey(['import', 'jsonl', cut], { JOURNEY_SQLITE_PATH: target }).done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`journey: the file ends after line ${NODES + 3 + 100} without its end record: it was cut short`);
    expect(leftovers(target)).toEqual([]);
  }, CLI_TIMEOUT);

  it('leaves no file at the target when killed part-way; the next import renames a sound WAL store into place', async () => {
    const target = path.join(dir, 'killed.sqlite');
    const temporary = `${target}.importing`;
    let killedWhileWriting = false;
    const run = journey(['import', 'jsonl', exportFile], { JOURNEY_SQLITE_PATH: target });
    // Killed once the temporary file holds more than its schema: part-way through the nodes.
    const poll = setInterval(() => {
      if (existsSync(temporary) && statSync(temporary).size > 2 * 2 ** 20 && !killedWhileWriting) {
        killedWhileWriting = true;
        run.child.kill('SIGKILL');
      }
    }, 5);
    const killed = await run.done.finally(() => clearInterval(poll));
    expect(killed.signal).toBe('SIGKILL');
    expect(killedWhileWriting).toBe(true);
    expect(existsSync(target)).toBe(false);

    const again = await journey(['import', 'jsonl', exportFile], { JOURNEY_SQLITE_PATH: target }).done;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`journey: imported 2 type, ${NODES} node, ${NODES - 1} event, 1 mlmdIdCounters from ${exportFile}`);
    expect(leftovers(target)).toEqual([path.basename(target)]);
    // File format bytes 18 and 19 are 2 in a WAL database (1 with a rollback journal).
    const header = readFileSync(target).subarray(18, 20);
    expect([...header]).toEqual([2, 2]);
    const db = new Database(target, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
    const store = await createSqliteStore({ path: target, readers: 0 });
    try {
      expect(await store.read((tx) => tx.countNodes({ kind: 'ARTIFACT' }))).toBe(NODES / 2);
    } finally {
      await store.close();
    }
  }, CLI_TIMEOUT);
});
