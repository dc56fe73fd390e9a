/**
 * `journey backup` end to end, as the operator runs it: its own process, beside a server
 * (src/main.ts, its own process) that eight clients keep writing to through the API.
 * The backup holds every write acknowledged before it began and nothing begun after it
 * ended, every pipeline step whole or absent (never half), passes SQLite's own checks,
 * keeps the schema version; the documented restore (stop, copy over the store, start)
 * gives a server that serves it, lineage included. Then the refusals and failures an
 * unlucky operator meets: an existing file, the store itself, a Neo4j backend, a missing
 * store or folder, a full disk (a real one: a 64 KiB tmpfs), none leaving a file behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/graph/open-store.js';
import { copyOnline } from '../../src/graph/sqlite/sqlite-backup-executor.js';
import { SCHEMA_VERSION } from '../../src/graph/sqlite/sqlite-schema.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { acknowledged, post, recordStep, ROOT, startMain, stepState, STEP_TYPES } from '../hardening/hardening-support.js';
import { toolAvailable } from '../support/requirements.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'journey-backup-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs `journey <args>` (bin/journey.js) with `env` on top of this process's. */
function journey(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/journey.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** SQLite's verdict on a file: integrity_check's findings, foreign_key_check's rows, and its schema version. */
function sqliteCheck(file: string): { integrity: string[]; orphans: unknown[]; version: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
      orphans: db.pragma('foreign_key_check') as unknown[],
      version: Number(db.pragma('user_version', { simple: true })),
    };
  } finally {
    db.close();
  }
}

/** A store with the schema and a few writes, made through the CLI (a key) as an operator's would be. */
async function smallStore(name: string): Promise<string> {
  const file = path.join(dataDir, name);
  const made = await journey(['keys', 'create', '--role', 'viewer', '--name', 'probe'], { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: file });
  expect(made.code, made.stderr).toBe(0);
  return file;
}

const CLIENTS = 8;
/** Steps acknowledged before the backup starts: a store of a few hundred pages. */
const ACKS_BEFORE_BACKUP = 150;
/** Steps acknowledged after the backup ended, before the writers stop. */
const ACKS_AFTER_BACKUP = 40;

describe('the online copy', () => {
  it('copies one snapshot and finishes, though another connection commits between every two steps', async () => {
    const file = path.join(dataDir, 'steady.sqlite');
    const writer = new Database(file);
    try {
      writer.pragma('journal_mode = WAL');
      writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      const insert = writer.prepare('INSERT INTO t (v) VALUES (?)');
      writer.transaction(() => { for (let i = 0; i < 2000; i++) insert.run('x'.repeat(400)); })();
      const target = path.join(dataDir, 'steady-copy.sqlite');
      let steps = 0;
      // Each step is followed by a commit of another connection, which restarts an unpinned backup from page 1.
      const copied = await copyOnline(file, target, {
        pagesPerStep: 10,
        busyTimeoutMs: 1000,
        onProgress: () => {
          if (++steps > 5000) throw new Error('the copy keeps restarting');
          insert.run('written while the copy runs');
        },
      });
      expect(copied.totalPages).toBeGreaterThan(100);
      expect(steps).toBeLessThan(copied.totalPages / 10 + 3);
      const copy = new Database(target, { readonly: true });
      expect(copy.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2000 });
      copy.close();
      expect(writer.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2000 + steps });
    } finally {
      writer.close();
    }
  });
});

describe('journey backup while a server writes (SQLite file)', () => {
  it('copies every write acknowledged before it began, whole and checked; a restored server serves it', async () => {
    const store = path.join(dataDir, 'live', 'journey.sqlite');
    const copy = path.join(dataDir, 'nightly.sqlite');
    const env = { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: store, JOURNEY_RATE_LIMIT: '0' };
    const server = await startMain(env);
    expect(acknowledged(await post(server.url, STEP_TYPES))).toBe(true);

    /** Each step written: when its request began and whether it was acknowledged (and when). */
    const steps: { name: string; began: number; ackedAt: number | null }[] = [];
    let stop = false;
    let backupEnded = Infinity;
    let acksAfter = 0;
    let enoughAfter!: () => void;
    const enoughAfterBackup = new Promise<void>((resolve) => { enoughAfter = resolve; });
    let enoughBefore!: () => void;
    const enoughBeforeBackup = new Promise<void>((resolve) => { enoughBefore = resolve; });
    const client = async (c: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const step = { name: `c${c}-s${i}`, began: Date.now(), ackedAt: null as number | null };
        steps.push(step);
        const answer = await recordStep(server.url, step.name);
        if (!acknowledged(answer)) throw new Error(`a write failed during the backup: ${answer.text}`);
        step.ackedAt = Date.now();
        if (steps.filter((s) => s.ackedAt !== null).length >= ACKS_BEFORE_BACKUP) enoughBefore();
        if (step.began > backupEnded && ++acksAfter >= ACKS_AFTER_BACKUP) enoughAfter();
      }
    };
    const clients = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

    // A client that failed ends the wait at once, with its error.
    await Promise.race([enoughBeforeBackup, clients]);
    const backupBegan = Date.now();
    const ackedBefore = steps.filter((s) => s.ackedAt !== null && s.ackedAt < backupBegan).map((s) => s.name);
    // Five pages a step: the copy takes many steps while the writers keep committing between them.
    const backup = await journey(['backup', copy, '--pages-per-step', '5'], env);
    backupEnded = Date.now();
    await Promise.race([enoughAfterBackup, clients]);
    stop = true;
    await clients;

    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^backed up ${store} to ${copy}: [\\d,]+ pages of \\d+ bytes \\([\\d.]+ MiB\\), schema version ${SCHEMA_VERSION}, integrity_check ok, in [\\d.]+ s\\n$`));
    expect(readdirSync(dataDir).filter((f) => f.includes('.partial-'))).toEqual([]);
    expect(sqliteCheck(copy)).toEqual({ integrity: ['ok'], orphans: [], version: SCHEMA_VERSION });

    // The documented restore: stop the server, copy the backup over the store (its -wal and -shm removed), start.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    for (const side of ['', '-wal', '-shm']) rmSync(`${store}${side}`, { force: true });
    copyFileSync(copy, store);
    const restored = await startMain(env);
    try {
      expect(restored.lines.filter((l) => /migrated/.test(String(l.msg)))).toEqual([]);
      const seen = await post(restored.url, `{
        executions { totalCount }
        artifactByName(type: "Dataset", name: "${ackedBefore[0]}-out") { id }
      }`);
      expect(seen.data.executions.totalCount).toBeGreaterThanOrEqual(ackedBefore.length);
      const lineage = await post(restored.url, `query L($id: ID!) { lineage(start: [$id], direction: UPSTREAM) { nodes { distance artifact { name } execution { name } } } }`, { id: seen.data.artifactByName.id });
      expect(lineage.data.lineage.nodes).toEqual([
        { distance: 0, artifact: { name: `${ackedBefore[0]}-out` }, execution: null },
        { distance: 1, artifact: null, execution: { name: ackedBefore[0] } },
        { distance: 2, artifact: { name: `${ackedBefore[0]}-in` }, execution: null },
      ]);
      expect(acknowledged(await recordStep(restored.url, 'after-restore'))).toBe(true);
    } finally {
      restored.child.kill('SIGTERM');
      await restored.exited;
    }

    const opened = await openStore({ backend: 'sqlite', sqlitePath: copy });
    try {
      const api = createMetadataService(opened);
      const states = new Map<string, string>();
      for (const s of steps) states.set(s.name, await stepState(api, s.name));
      expect(ackedBefore.filter((name) => states.get(name) !== 'complete')).toEqual([]);
      expect(steps.filter((s) => s.began > backupEnded && states.get(s.name) !== 'absent').map((s) => s.name)).toEqual([]);
      expect(steps.filter((s) => states.get(s.name) === 'partial').map((s) => s.name)).toEqual([]);
      expect(ackedBefore.length).toBeGreaterThanOrEqual(ACKS_BEFORE_BACKUP - CLIENTS);
    } finally {
      await opened.close();
    }
  }, 180_000);
});

describe('journey backup refusals and failures', () => {
  const sqliteEnv = (file: string) => ({ JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: file });

  it('refuses an existing file unless --force, leaving it as it was; replaces it with --force', async () => {
    const store = await smallStore('refuse.sqlite');
    const target = path.join(dataDir, 'existing.sqlite');
    writeFileSync(target, 'yesterday');
    const refused = await journey(['backup', target], sqliteEnv(store));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`journey: ${target} already exists; pass --force to replace it\n`);
    expect(readFileSync(target, 'utf8')).toBe('yesterday');

    const forced = await journey(['backup', target, '--force'], sqliteEnv(store));
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain(`to ${target} (replaced): `);
    expect(sqliteCheck(target).integrity).toEqual(['ok']);
  });

  it('lets exactly one of two backups racing to the same path win, the other refused, no temporary file left', async () => {
    const store = await smallStore('race.sqlite');
    const target = path.join(dataDir, 'raced.sqlite');
    const runs = await Promise.all([journey(['backup', target], sqliteEnv(store)), journey(['backup', target], sqliteEnv(store))]);
    expect(runs.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(runs.find((r) => r.code === 1)!.stderr).toMatch(new RegExp(`^journey: ${target} (already exists|appeared while the backup ran); pass --force to replace it\n$`));
    expect(sqliteCheck(target).integrity).toEqual(['ok']);
    expect(readdirSync(dataDir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('never writes over the store itself or its side files, even with --force', async () => {
    const store = await smallStore('self.sqlite');
    const before = readFileSync(store);
    for (const [target, what] of [[store, 'the store itself'], [`${store}-wal`, "the store's -wal file"]] as const) {
      const run = await journey(['backup', target, '--force'], sqliteEnv(store));
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`journey: the backup path ${target} is ${what}: choose another path\n`);
    }
    expect(readFileSync(store).equals(before)).toBe(true);
  });

  it('says to use journey export or neo4j-admin on a Neo4j backend, without connecting', async () => {
    const run = await journey(['backup', path.join(dataDir, 'neo.sqlite')], { JOURNEY_BACKEND: 'neo4j', NEO4J_URI: 'bolt://127.0.0.1:9' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^journey: journey backup copies the SQLite store only, and JOURNEY_BACKEND is neo4j: back up Neo4j with `journey export` .* neo4j-admin database dump\/backup \(see docs\/deploy\.md\)\n$/);
    expect(existsSync(path.join(dataDir, 'neo.sqlite'))).toBe(false);
  });

  it('names a missing store, a missing folder, a folder in the way and a file that is not SQLite, creating nothing', async () => {
    const missing = path.join(dataDir, 'nowhere', 'journey.sqlite');
    const noStore = await journey(['backup', path.join(dataDir, 'x.sqlite')], sqliteEnv(missing));
    expect(noStore.code).toBe(1);
    expect(noStore.stderr).toContain(`journey: no SQLite store at ${missing}`);
    expect(existsSync(path.dirname(missing))).toBe(false);

    const store = await smallStore('folders.sqlite');
    const noFolder = await journey(['backup', path.join(dataDir, 'absent', 'b.sqlite')], sqliteEnv(store));
    expect(noFolder.stderr).toBe(`journey: cannot write the backup: the folder ${path.join(dataDir, 'absent')} does not exist\n`);

    const folder = path.join(dataDir, 'a-folder');
    mkdirSync(folder);
    const inTheWay = await journey(['backup', folder, '--force'], sqliteEnv(store));
    expect(inTheWay.stderr).toBe(`journey: ${folder} exists and is not a regular file; choose another path\n`);

    const notSqlite = path.join(dataDir, 'notes.txt');
    writeFileSync(notSqlite, 'not a database at all, just long enough to have a header of sorts: '.repeat(20));
    const target = path.join(dataDir, 'from-notes.sqlite');
    const bad = await journey(['backup', target], sqliteEnv(notSqlite));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`journey: backup of ${notSqlite} failed, nothing was written at ${target}: the online copy failed: the SQLite file is damaged or is not a SQLite database (SQLITE_NOTADB)\n`);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('from-notes'))).toEqual([]);
  });

  it('answers usage mistakes with exit code 2', async () => {
    const env = sqliteEnv(path.join(dataDir, 'unused.sqlite'));
    expect((await journey(['backup'], env)).stderr).toMatch(/^journey: backup takes one PATH to write the copy to, got 0\n/);
    expect((await journey(['backup', 'a', 'b'], env)).code).toBe(2);
    const step = await journey(['backup', 'a', '--pages-per-step', '0'], env);
    expect(step.code).toBe(2);
    expect(step.stderr).toMatch(/^journey: --pages-per-step must be a positive integer, got "0"\n/);
    expect((await journey(['backup', 'a', '--frobnicate'], env)).code).toBe(2);
  });

  it('keeps a name an attacker chose as just a file name', async () => {
    const store = await smallStore('hostile.sqlite');
    const target = path.join(dataDir, `'; DROP TABLE nodes; -- $(touch pwned) \`id\`.sqlite`);
    const run = await journey(['backup', target], sqliteEnv(store));
    expect(run.code, run.stderr).toBe(0);
    expect(sqliteCheck(target).integrity).toEqual(['ok']);
    expect(existsSync(path.join(ROOT, 'pwned'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'pwned'))).toBe(false);
  });

  /** Whether this machine lets the test mount a tmpfs in a mount namespace of its own (root, or CAP_SYS_ADMIN). */
  const canMountTmpfs = (): boolean => {
    const probe = mkdtempSync(path.join(tmpdir(), 'journey-tmpfs-probe-'));
    try {
      return spawnSync('unshare', ['-m', '--propagation', 'private', 'mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' }).status === 0;
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
  };

  it.runIf(toolAvailable(canMountTmpfs(), 'a tmpfs cannot be mounted here (unshare -m and mount need root or CAP_SYS_ADMIN)', 'the full-disk test of journey backup'))(
    'fails cleanly on a full disk: a clear message, exit 1, no file at the path and no temporary file left',
    async () => {
      const store = await smallStore('full-disk.sqlite');
      expect(statSync(store).size).toBeGreaterThan(128 * 1024);
      const disk = mkdtempSync(path.join(tmpdir(), 'journey-full-disk-'));
      try {
        const target = path.join(disk, 'copy.sqlite');
        // A 64 KiB disk of its own, seen only by this shell and the CLI it runs; the shell lists what is left on it afterwards.
        const script = 'd="$1"; shift; mount -t tmpfs -o size=64k tmpfs "$d" || exit 99; "$@"; code=$?; echo "LEFT:$(ls -A "$d")" >&2; exit $code';
        const child = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', disk,
          process.execPath, path.join(ROOT, 'bin/journey.js'), 'backup', target], {
          cwd: ROOT, env: { ...process.env, ...sqliteEnv(store) }, encoding: 'utf8',
        });
        expect(child.status, child.stderr).toBe(1);
        expect(child.stderr).toContain(`journey: backup of ${store} failed, nothing was written at ${target}: the online copy failed: the SQLite database is full (disk or size limit) (SQLITE_FULL)\n`);
        expect(child.stderr).toMatch(/LEFT:\n$/);
      } finally {
        rmSync(disk, { recursive: true, force: true });
      }
    },
  );
});
