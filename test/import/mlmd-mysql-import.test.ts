/**
 * `journey import mlmd mysql://…`: ML Metadata's own client (ml-metadata 1.17.1) writes a
 * store into a real MariaDB (Debian's mariadb-server, started for this file by
 * test/support/mariadb.ts) through `ConnectionConfig(mysql=…)`, make_mlmd_store.py's
 * graph (drawn in mlmd-import.test.ts). It is imported into an empty store of each
 * backend; then the same reads through the same client (read_mlmd_store.py), against ML
 * Metadata in process over the MariaDB and against Data Journey's gRPC face, give equal
 * answers: ids, every value, create and update times, events with their times. A re-run
 * writes nothing, and an import stopped midway resumes; an unreachable server, a wrong password, a missing database, a
 * database that is no ML Metadata store and another schema version are refused naming
 * what, and the password shows nowhere (messages, the CLI's output).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importMlmd } from '../../src/service/import/mlmd-import.js';
import { openMlmdMysql, parseMysqlUrl } from '../../src/service/import/mlmd-mysql-source.js';
import { NotMlmdSourceError } from '../../src/service/import/mlmd-source.js';
import { verifyImport } from '../../src/service/import/mlmd-verify.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { createServices } from '../../src/service/services.js';
import { startGrpcUnderTest } from '../grpc/grpc-harness.js';
import { BACKENDS, useService } from '../support/backends.js';
import { mariadbAvailable, startMariadb, type RunningMariadb } from '../support/mariadb.js';
import { withNeo4jCountersFromOne } from '../support/neo4j-database.js';
import { pythonWithMlmd } from '../support/python.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const what = 'the ML Metadata MySQL import tests (test/import/mlmd-mysql-import.test.ts)';
const python = pythonWithMlmd(what);
const ready = python !== null && mariadbAvailable(what);
const dir = mkdtempSync(path.join(tmpdir(), 'journey-mysql-import-'));

/** The importing user's password: it must show in no message and no output. */
const PASSWORD = 'pa:ss@w0rd/SECRET';
const SOURCE = 'mysql-test-source';

let server: RunningMariadb;
let admin: mysql.Connection;
/** The URL of database `db` on the test server, as the importing user (password percent-encoded). */
const urlOf = (db: string, password = PASSWORD): string =>
  `mysql://mlmd:${encodeURIComponent(password)}@127.0.0.1:${server.port}/${db}`;
const redactedOf = (db: string): string => `mysql://mlmd@127.0.0.1:${server.port}/${db}`;

/** Runs test/import/`script` with the virtualenv's Python; its stdout parsed as JSON. */
async function runScript<T>(script: string, args: readonly string[]): Promise<T> {
  const { stdout } = await run(python!, [path.join(import.meta.dirname, script), ...args],
    { maxBuffer: 64 << 20, env: { ...process.env, GRPC_VERBOSITY: 'ERROR', TF_CPP_MIN_LOG_LEVEL: '3' } });
  return JSON.parse(stdout) as T;
}

/** What the client read from the MariaDB store, in process. */
let expected: Record<string, unknown>;
/** The client's JSON from make_mlmd_store.py: nodes with their ML Metadata ids. */
let made: { artifacts: { id: number; name: string | null }[] };

beforeAll(async () => {
  if (!ready) return;
  server = await startMariadb();
  admin = await mysql.createConnection({ host: server.host, port: server.port, user: server.user });
  await admin.query("CREATE USER 'mlmd'@'127.0.0.1' IDENTIFIED BY ?", [PASSWORD]);
  await admin.query("GRANT ALL ON *.* TO 'mlmd'@'127.0.0.1'");
  made = await runScript('make_mlmd_store.py', [urlOf('mlmd_small')]);
  expected = await runScript('read_mlmd_store.py', [urlOf('mlmd_small')]);
});

afterAll(async () => {
  await admin?.end();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!ready).each(BACKENDS)('import of an ML Metadata MySQL store ($name)', (backend) => {
  const h = useService(backend);

  /** `work` on a service over a store that never handed out an id (see mlmd-import.test.ts's onNewStore). */
  async function onNewStore<T>(work: (api: MetadataApi) => Promise<T>): Promise<T> {
    if (backend.name === 'sqlite') return work(h.api);
    return withNeo4jCountersFromOne(h.store, () => backend.open(), (fresh) => work(createServices(fresh, { clock: h.clock }).metadata));
  }

  it("into an empty store: ML Metadata's client reads the same over Data Journey's gRPC face as over MariaDB in process, ids, values and times included", async () => {
    await onNewStore(async (api) => {
      const source = await openMlmdMysql(urlOf('mlmd_small'));
      try {
        expect(source.location).toBe(redactedOf('mlmd_small'));
        const report = await importMlmd(api, source, { source: SOURCE });
        expect(report.keptSourceIds).toBe(true);
        expect(report.counts).toEqual({ types: 6, ARTIFACT: 5, EXECUTION: 3, CONTEXT: 3, events: 8, attributions: 5, associations: 3, parentContexts: 2 });
        const checks = await verifyImport(api, createLineageService(api.store), source, { source: SOURCE, bounds: report.bounds, counts: report.counts });
        expect(checks.filter((c) => !c.equal)).toEqual([]);
      } finally {
        await source.close();
      }
      const grpc = await startGrpcUnderTest(api);
      try {
        const got = await runScript<Record<string, unknown>>('read_mlmd_store.py', [`grpc://127.0.0.1:${grpc.server.port}`]);
        for (const key of Object.keys(expected)) expect({ [key]: got[key] }).toEqual({ [key]: expected[key] });
      } finally {
        await grpc.server.close();
      }
      // The times are ML Metadata's, not the import's (the test clock reads 2023): raw's, exactly.
      const raw = (expected.artifacts as { id: number; create_time_since_epoch: string; last_update_time_since_epoch: string }[])[0]!;
      const [stored] = await api.getNodesByMlmdId('ARTIFACT', [raw.id]);
      expect([stored!.createTime, stored!.updateTime]).toEqual([Number(raw.create_time_since_epoch), Number(raw.last_update_time_since_epoch)]);
      expect(stored!.createTime).not.toBe(h.clock.now());
      expect(made.artifacts[0]!.name).toBe('raw');
    });
  });

  it('an import stopped after its first pages resumes: nothing twice, nothing missing, the verification equal', async () => {
    const real = await openMlmdMysql(urlOf('mlmd_small'));
    let pages = 0;
    const failing = Object.create(real, {
      nodes: { value: async (...args: Parameters<typeof real.nodes>) => {
        pages += 1;
        if (pages === 3) throw new Error('stopped');
        return real.nodes(...args);
      } },
    }) as typeof real;
    try {
      await expect(importMlmd(h.api, failing, { source: SOURCE, pageSize: 2 })).rejects.toThrow('stopped');
      // Contexts: pages of 2 and 1, then the first artifacts page failed.
      expect(await h.store.read((tx) => Promise.all([tx.countImportedNodes(SOURCE, 'CONTEXT'), tx.countImportedNodes(SOURCE, 'ARTIFACT')]))).toEqual([3, 0]);
      const resumed = await importMlmd(h.api, real, { source: SOURCE, pageSize: 2 });
      expect(resumed.written).toMatchObject({ contexts: 0, artifacts: 5, executions: 3, events: 8, links: 10 });
      const checks = await verifyImport(h.api, createLineageService(h.store), real, { source: SOURCE, bounds: resumed.bounds, counts: resumed.counts });
      expect(checks.filter((c) => !c.equal)).toEqual([]);
    } finally {
      await real.close();
    }
  });

  it('a re-run writes nothing', async () => {
    for (const expectWritten of [true, false]) {
      const source = await openMlmdMysql(urlOf('mlmd_small'));
      const report = await importMlmd(h.api, source, { source: SOURCE, pageSize: 2 }).finally(() => source.close());
      const total = Object.values(report.written).reduce((a, b) => a + b, 0);
      expect(total > 0).toBe(expectWritten);
    }
  });
});

describe.skipIf(!ready)('what the MySQL reader refuses, naming what and never the password', () => {
  const refusal = async (url: string): Promise<string> => {
    const error = await openMlmdMysql(url).then(async (s) => { await s.close(); return null; }, (e: unknown) => e);
    expect(error).toBeInstanceOf(NotMlmdSourceError);
    const message = (error as Error).message;
    expect(message).not.toContain(PASSWORD);
    expect(message).not.toContain(encodeURIComponent(PASSWORD));
    return message;
  };

  it('an unreachable server, a wrong password, a missing database', async () => {
    const closed = `mysql://mlmd:${encodeURIComponent(PASSWORD)}@127.0.0.1:1/mlmd_small`;
    expect(await refusal(closed)).toBe('cannot read mysql://mlmd@127.0.0.1:1/mlmd_small: nothing accepts connections at 127.0.0.1:1');
    expect(await refusal(urlOf('mlmd_small', `${PASSWORD}-wrong`)))
      .toBe(`cannot read ${redactedOf('mlmd_small')}: the server refused user "mlmd": wrong password, or no such user from this host`);
    expect(await refusal(urlOf('no_such_db'))).toBe(`cannot read ${redactedOf('no_such_db')}: the server has no database "no_such_db"`);
  });

  it('a database that is no ML Metadata store, and another schema version, naming both versions', async () => {
    await admin.query('CREATE DATABASE empty_db');
    expect(await refusal(urlOf('empty_db'))).toBe(`${redactedOf('empty_db')} is not an ML Metadata database: it has no MLMDEnv table`);
    await admin.query('CREATE DATABASE old_db');
    await admin.query('CREATE TABLE old_db.MLMDEnv (schema_version INTEGER PRIMARY KEY)');
    await admin.query('INSERT INTO old_db.MLMDEnv VALUES (8)');
    expect(await refusal(urlOf('old_db'))).toBe(`${redactedOf('old_db')} holds ML Metadata schema version 8; this importer reads version 10 `
      + '(what ml-metadata 1.14 to 1.21 write): open it once with a release of that range to migrate it');
  });

  it('a URL without a user or a database, or with options; the password percent-decoded', () => {
    const refuse = (url: string) => {
      try {
        parseMysqlUrl(url);
      } catch (err) {
        expect((err as Error).message).not.toContain('hunter2');
        return (err as Error).message;
      }
      throw new Error(`${url} was accepted`);
    };
    expect(refuse('mysql://127.0.0.1:3306/db')).toBe("mysql://@127.0.0.1:3306/db: the MySQL source's URL names no user (mysql://user[:password]@host[:port]/database)");
    expect(refuse('mysql://u:hunter2@db.example:3306')).toBe("mysql://u@db.example:3306: the MySQL source's URL must name one database after the host (…/database)");
    expect(refuse('mysql://u:hunter2@db.example/db?ssl=1')).toBe("mysql://u@db.example/db: the MySQL source's URL takes no ?options or #fragment");
    expect(refuse('mysql://u:hunter2@[bad')).toBe('the MySQL source is not a URL of the form mysql://user[:password]@host[:port]/database');
    expect(parseMysqlUrl(`mysql://mlmd:${encodeURIComponent(PASSWORD)}@h/db`)).toEqual({
      host: 'h', port: 3306, user: 'mlmd', password: PASSWORD, database: 'db', redacted: 'mysql://mlmd@h/db',
    });
  });
});

/** Runs bin/journey.js; resolves with its exit code and output. */
function journey(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/journey.js'), ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe.skipIf(!ready)('journey import mlmd mysql://, as a process', () => {
  const env = { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: path.join(dir, 'cli.sqlite') };

  it('imports and verifies equal, exit 0; the password in no line of its output; a wrong one exits 1 naming the refusal', async () => {
    const done = await journey(['import', 'mlmd', urlOf('mlmd_small')], env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`imported ${redactedOf('mlmd_small')} as source "${redactedOf('mlmd_small')}"`);
    expect(done.stdout).toMatch(/verified: (\d+) of \1 checks equal/);
    const refused = await journey(['import', 'mlmd', urlOf('mlmd_small', 'wrong')], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`journey: cannot read ${redactedOf('mlmd_small')}: the server refused user "mlmd"`);
    for (const out of [done.stdout, done.stderr, refused.stdout, refused.stderr]) {
      expect(out).not.toContain(encodeURIComponent(PASSWORD));
      expect(out).not.toContain(PASSWORD);
      expect(out).not.toContain(':wrong@');
    }
  });
});
