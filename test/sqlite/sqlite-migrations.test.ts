/**
 * Versioned migrations on SQLite (src/graph/sqlite/migrations/): a file made by the
 * previous release (test/fixtures/sqlite/v3.sqlite, made by make-v3-fixture.ts with that
 * release's code) is copied, migrated in place and answers what that release answered
 * (v3-answers.json); so is a file made by issue 13's release (v5.sqlite, one ML Metadata
 * id space over every node), which keeps every id and gets a space per kind; a file at any
 * earlier version ends with the schema of a new one; a step that fails leaves the file at
 * the last step that committed.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path, { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/graph/key-store.js';
import type { NodeKind } from '../../src/graph/model.js';
import { ERASURE_STATUSES } from '../../src/graph/privacy-store.js';
import { describeMigration, type SchemaMigration } from '../../src/graph/schema-migration.js';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import { API_KEYS_TABLE, SUBJECT_TABLES } from '../../src/graph/sqlite/migrations/002-personal-data-and-keys.js';
import { SQLITE_MIGRATIONS } from '../../src/graph/sqlite/migrations/index.js';
import { migrateSqlite } from '../../src/graph/sqlite/migrations/run-migrations.js';
import { SqliteExecutor } from '../../src/graph/sqlite/sqlite-executor.js';
import { SCHEMA_VERSION } from '../../src/graph/sqlite/sqlite-schema.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { startMain } from '../hardening/hardening-support.js';
import { personalDataService } from '../privacy/fixtures.js';
import { tempDir } from './records.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Only ever copied: even a read-only open of a WAL file would leave -shm and -wal files beside it. */
const FIXTURE = join(ROOT, 'test/fixtures/sqlite/v3.sqlite');
const ANSWERS = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sqlite/v3-answers.json'), 'utf8')) as {
  ids: Record<'raw' | 'clean' | 'model' | 'prepare' | 'train' | 'pipeline' | 'erasureRequest' | 'apiKey', string>;
  apiKeyToken: string;
  artifacts: { id: string; name: string }[];
  artifactCount: number;
  upstreamOfModel: { id: string; distance: number }[];
  upstreamEdges: unknown[];
  subjectLineage: Record<string, unknown>;
  auth: Record<string, unknown>;
  erasureRequest: { id: string; reason: string; complete: boolean; items: { artifactId: string; status: string }[] };
};

const FIXTURE_V5 = join(ROOT, 'test/fixtures/sqlite/v5.sqlite');
const ANSWERS_V5 = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sqlite/v5-answers.json'), 'utf8')) as {
  nodes: Record<'first' | 'prepare' | 'nightly' | 'raw' | 'train' | 'model', { id: string; kind: NodeKind; mlmdId: number }>;
  deletedMlmdId: number;
  types: { id: string; kind: string; name: string; mlmdId: number }[];
  upstreamOfModel: { id: string; distance: number }[];
  upstreamEdges: unknown[];
};

/** Every table, index and trigger with its SQL, by name: what a migration must reproduce. */
function schemaOf(file: string): { type: string; name: string; sql: string | null }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all() as { type: string; name: string; sql: string | null }[];
  } finally {
    db.close();
  }
}

const versionOf = (file: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
};

describe('SQLite migrations', () => {
  let dir: string;
  let remove: () => void;
  beforeEach(() => {
    ({ dir, remove } = tempDir());
  });
  afterEach(() => remove());

  it('migrates a version 3 file made by the previous release in place, after a backup, and says so', async () => {
    const file = join(dir, 'v3.sqlite');
    copyFileSync(FIXTURE, file);
    const seen: SchemaMigration[] = [];
    const store = await createSqliteStore({ path: file, onMigrated: (m) => seen.push(m) });
    try {
      expect(seen).toHaveLength(1);
      const [migration] = seen;
      expect(migration).toMatchObject({ backend: 'sqlite', where: file, from: 3, to: SCHEMA_VERSION });
      expect(migration!.backupPath).toMatch(/\/v3\.sqlite\.backup-v3-\d{8}T\d{6}Z$/);
      expect(describeMigration(migration!)).toBe(`migrated ${file} from version 3 to ${SCHEMA_VERSION}; backup at ${migration!.backupPath}`);
      // The copy is the file as it was: version 3, every record.
      expect(existsSync(migration!.backupPath!)).toBe(true);
      expect(versionOf(migration!.backupPath!)).toBe(3);
      const original = join(dir, 'original.sqlite');
      copyFileSync(FIXTURE, original);
      expect(schemaOf(migration!.backupPath!)).toEqual(schemaOf(original));
      const backup = new Database(migration!.backupPath!, { readonly: true });
      expect(backup.prepare("SELECT count(*) AS n FROM nodes WHERE kind = 'ARTIFACT'").get()).toEqual({ n: 3 });
      backup.close();
    } finally {
      await store.close();
    }
    expect(versionOf(file)).toBe(SCHEMA_VERSION);

    // A second open finds nothing to do: no report, no second copy.
    const again: SchemaMigration[] = [];
    const reopened = await createSqliteStore({ path: file, onMigrated: (m) => again.push(m) });
    await reopened.init();
    await reopened.close();
    expect(again).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.includes('.backup-'))).toHaveLength(1);
  });

  it('answers, once migrated, what the previous release answered: listing, lineage, subject lineage, key, erasure request', async () => {
    const file = join(dir, 'v3.sqlite');
    copyFileSync(FIXTURE, file);
    const store = await createSqliteStore({ path: file });
    try {
      const api = createMetadataService(store);
      const listing = await api.listNodes('ARTIFACT');
      expect(listing.nodes.map((n) => ({ id: n.id, name: n.name }))).toEqual(ANSWERS.artifacts);
      expect(await listing.totalCount()).toBe(ANSWERS.artifactCount);

      const upstream = await createLineageService(store).lineage({ start: [ANSWERS.ids.model], direction: 'UPSTREAM' });
      expect(upstream.nodes.map((n) => ({ id: n.id, distance: n.distance }))).toEqual(ANSWERS.upstreamOfModel);
      expect(upstream.edges).toEqual(ANSWERS.upstreamEdges);

      const privacy = personalDataService(store);
      const subject = await privacy.dataSubjectLineage('alice@example.com', {}, 'test');
      expect({
        sources: subject.sources,
        affected: subject.affected.map((a) => ({ artifactId: a.artifactId, distance: a.distance, categories: a.categories, specialCategories: a.specialCategories })),
        models: subject.models.map((a) => a.artifactId),
        executions: subject.executions,
        contexts: subject.contexts.map((c) => c.id),
      }).toEqual(ANSWERS.subjectLineage);

      const auth = await createApiKeyService(store).authenticate(ANSWERS.apiKeyToken);
      expect(auth.ok ? { ok: true, keyId: auth.caller.keyId, role: auth.caller.role } : { ok: false }).toEqual(ANSWERS.auth);

      const erasure = await privacy.erasureRequest(ANSWERS.ids.erasureRequest, 'test');
      expect(erasure && {
        id: erasure.id, reason: erasure.reason, complete: erasure.complete,
        items: erasure.items.map((i) => ({ artifactId: i.artifactId, status: i.status })),
      }).toEqual(ANSWERS.erasureRequest);

      // And it takes writes that need version 4's columns: an erasure request keeps its subject's print.
      const second = await privacy.requestErasure('bob@example.com', null, 'test');
      expect(second.items.map((i) => i.artifactId)).toEqual([ANSWERS.ids.raw, ANSWERS.ids.clean, ANSWERS.ids.model]);
      expect((await store.read((tx) => tx.getErasureRequests([second.id])))[0]!.subjectText).not.toBeNull();
    } finally {
      await store.close();
    }
  });

  it('gives the previous release\'s nodes and types ML Metadata ids in creation order, keeping their UUIDs, and new ones above them', async () => {
    const file = join(dir, 'v3.sqlite');
    copyFileSync(FIXTURE, file);
    // Creation order, as make-v3-fixture.ts made them: the three artifacts, the two
    // executions, the context (nodes by create_time, then id); types by their UUIDv7.
    const { raw, clean, model, prepare, train, pipeline } = ANSWERS.ids;
    const nodeOrder = [raw, clean, model, prepare, train, pipeline];
    const before = new Database(FIXTURE, { readonly: true });
    const typeOrder = (before.prepare('SELECT id FROM types ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    before.close();
    expect(typeOrder).toHaveLength(5);

    const store = await createSqliteStore({ path: file });
    try {
      const api = createMetadataService(store);
      // The UUIDs are the ids they were; each record now has its integer, 1, 2, 3... in creation order.
      const nodes = await api.getNodes(nodeOrder);
      expect(nodes.map((n) => n?.id)).toEqual(nodeOrder);
      expect(nodes.map((n) => n?.mlmdId)).toEqual(nodeOrder.map((_, i) => i + 1));
      const types = await api.getTypes(typeOrder);
      expect(types.map((type) => type?.mlmdId)).toEqual(typeOrder.map((_, i) => i + 1));
      expect((await api.getNodesByMlmdId('ARTIFACT', [3, 1]))).toEqual([nodes[2], nodes[0]]);

      // A node made after the migration takes the next id, and deleting it gives the id to no one.
      const [made] = await api.putArtifacts([{ type: 'Table', name: 'after-migration' }]);
      expect(made!.mlmdId).toBe(nodeOrder.length + 1);
      await api.deleteNodes([made!.id]);
      const [next] = await api.putArtifacts([{ type: 'Table', name: 'after-delete' }]);
      expect(next!.mlmdId).toBe(nodeOrder.length + 2);
    } finally {
      await store.close();
    }
  });

  it('migrates a version 5 file made by issue 13\'s release after a backup, keeping every id, with a space per kind past the shared one', async () => {
    const file = join(dir, 'v5.sqlite');
    copyFileSync(FIXTURE_V5, file);
    const seen: SchemaMigration[] = [];
    const store = await createSqliteStore({ path: file, onMigrated: (m) => seen.push(m) });
    try {
      expect(seen.map((m) => [m.from, m.to])).toEqual([[5, SCHEMA_VERSION]]);
      expect(seen[0]!.backupPath).toMatch(/\/v5\.sqlite\.backup-v5-\d{8}T\d{6}Z$/);
      expect(existsSync(seen[0]!.backupPath!)).toBe(true);
      const api = createMetadataService(store);
      const nodes = Object.values(ANSWERS_V5.nodes);
      // Every node keeps the id the release gave it (ids ran over every kind: 1 to 6), found again by its kind.
      expect((await api.getNodes(nodes.map((n) => n.id))).map((n) => n?.mlmdId)).toEqual(nodes.map((n) => n.mlmdId));
      for (const n of nodes) expect((await api.getNodesByMlmdId(n.kind, [n.mlmdId]))[0]?.id, n.id).toBe(n.id);
      expect(await api.getNodesByMlmdId('EXECUTION', [ANSWERS_V5.nodes.first.mlmdId])).toEqual([null]);
      expect((await api.getTypes(ANSWERS_V5.types.map((t) => t.id))).map((t) => t?.mlmdId)).toEqual(ANSWERS_V5.types.map((t) => t.mlmdId));
      // The lineage the release answered.
      const upstream = await createLineageService(store).lineage({ start: [ANSWERS_V5.nodes.model.id], direction: 'UPSTREAM' });
      expect(upstream.nodes.map((n) => ({ id: n.id, distance: n.distance }))).toEqual(ANSWERS_V5.upstreamOfModel);
      expect(upstream.edges).toEqual(ANSWERS_V5.upstreamEdges);
      // Each kind counts on past the release's shared counter (past the deleted artifact's id too), on its own.
      const after = ANSWERS_V5.deletedMlmdId;
      const [a] = await api.putArtifacts([{ type: 'Table', name: 'after' }]);
      const [x] = await api.putExecutions([{ type: 'Step', name: 'after' }]);
      const [c] = await api.putContexts([{ type: 'Pipeline', name: 'after' }]);
      const [a2] = await api.putArtifacts([{ type: 'Table', name: 'after-2' }]);
      expect([a!.mlmdId, x!.mlmdId, c!.mlmdId, a2!.mlmdId]).toEqual([after + 1, after + 1, after + 1, after + 2]);
      const type = await api.putType('CONTEXT_TYPE', { name: 'After' });
      expect(type.mlmdId).toBe(Math.max(...ANSWERS_V5.types.map((t) => t.mlmdId)) + 1);
    } finally {
      await store.close();
    }
  });

  it('brings the previous release\'s file, and a file at every earlier version, to the schema of a new file', async () => {
    const fresh = join(dir, 'fresh.sqlite');
    await (await createSqliteStore({ path: fresh })).close();
    const expected = schemaOf(fresh);
    expect(versionOf(fresh)).toBe(SCHEMA_VERSION);

    const fromRelease = join(dir, 'release.sqlite');
    copyFileSync(FIXTURE, fromRelease);
    await (await createSqliteStore({ path: fromRelease })).close();
    expect(schemaOf(fromRelease)).toEqual(expected);
    const fromIssue13 = join(dir, 'issue-13.sqlite');
    copyFileSync(FIXTURE_V5, fromIssue13);
    await (await createSqliteStore({ path: fromIssue13 })).close();
    expect(schemaOf(fromIssue13)).toEqual(expected);

    for (let version = 1; version < SCHEMA_VERSION; version += 1) {
      const file = join(dir, `v${version}.sqlite`);
      const raw = new Database(file);
      for (const step of SQLITE_MIGRATIONS.filter((m) => m.version <= version)) raw.exec(step.script);
      raw.pragma(`user_version = ${version}`);
      raw.close();
      const seen: SchemaMigration[] = [];
      await (await createSqliteStore({ path: file, onMigrated: (m) => seen.push(m) })).close();
      expect(seen.map((m) => [m.from, m.to])).toEqual([[version, SCHEMA_VERSION]]);
      expect(schemaOf(file), `from version ${version}`).toEqual(expected);
    }
  });

  it('numbers the steps 1, 2, 3, ... with nothing missing or repeated', () => {
    expect(SQLITE_MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it('checks, in the released steps, the erasure statuses and key roles this build knows', () => {
    // The steps hold them as frozen text: a new status or role needs a migration, and this says so.
    const quoted = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');
    expect(SUBJECT_TABLES).toContain(`status      TEXT NOT NULL CHECK (status IN (${quoted(ERASURE_STATUSES)}))`);
    expect(API_KEYS_TABLE).toContain(`role        TEXT NOT NULL CHECK (role IN (${quoted(ROLES)}))`);
  });

  it('runs each step in a transaction of its own: a step that fails leaves the file at the last one that committed', async () => {
    const file = join(dir, 'half.sqlite');
    const steps = [
      { version: 1, name: 'one', script: 'CREATE TABLE one (id INTEGER PRIMARY KEY) STRICT;' },
      { version: 2, name: 'two', script: 'CREATE TABLE two (id INTEGER PRIMARY KEY) STRICT; INSERT INTO missing VALUES (1);' },
    ];
    const executor = SqliteExecutor.open({ path: file, busyTimeoutMs: 1000 });
    try {
      await expect(migrateSqlite(executor, file, steps)).rejects.toThrow(/no such table: missing/);
      const tables = await executor.read(async () => executor.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all<{ name: string }>());
      expect(tables.map((t) => t.name)).toEqual(['one']);
      expect(await executor.read(async () => executor.prepare('PRAGMA user_version').get())).toEqual({ user_version: 1 });

      // Fixed, the next open carries on from version 1, after a copy of the file at version 1.
      const fixed = [steps[0]!, { ...steps[1]!, script: 'CREATE TABLE two (id INTEGER PRIMARY KEY) STRICT;' }];
      const migration = await migrateSqlite(executor, file, fixed, () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
      expect(migration).toEqual({ backend: 'sqlite', where: file, from: 1, to: 2, backupPath: `${file}.backup-v1-20260102T030405Z` });
      expect(versionOf(`${file}.backup-v1-20260102T030405Z`)).toBe(1);
      expect(await migrateSqlite(executor, file, fixed)).toBeNull();
    } finally {
      await executor.close();
    }
  });

  it('refuses a file newer than this build, naming both versions, and leaves it untouched', async () => {
    const file = join(dir, 'newer.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    await expect(createSqliteStore({ path: file })).rejects.toThrow(
      `the SQLite database has schema version ${SCHEMA_VERSION + 1}; this build reads up to ${SCHEMA_VERSION} and does not downgrade`,
    );
    expect(versionOf(file)).toBe(SCHEMA_VERSION + 1);
    expect(readdirSync(dir).filter((f) => f.includes('.backup-'))).toEqual([]);
  });

  it('the server logs the migration, with the backup, before it serves', async () => {
    const file = join(dir, 'server.sqlite');
    copyFileSync(FIXTURE, file);
    const server = await startMain({ JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: file });
    try {
      const [backup] = readdirSync(dir).filter((f) => f.startsWith('server.sqlite.backup-v3-'));
      expect(server.lines[0]).toMatchObject({
        level: 30,
        msg: `migrated ${file} from version 3 to ${SCHEMA_VERSION}; backup at ${join(dir, backup!)}`,
        migration: { backend: 'sqlite', where: file, from: 3, to: SCHEMA_VERSION, backupPath: join(dir, backup!) },
      });
      expect(server.lines[1]).toMatchObject({ msg: `serving GraphQL at ${server.url}` });
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  }, 30_000);

  it('journey (the CLI) says on stderr that it migrated the file and where the backup is', async () => {
    const file = join(dir, 'cli.sqlite');
    copyFileSync(FIXTURE, file);
    const child = spawn(process.execPath, [join(ROOT, 'bin/journey.js'), 'keys', 'list'], {
      cwd: ROOT, env: { ...process.env, JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: file }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    const [backup] = readdirSync(dir).filter((f) => f.startsWith('cli.sqlite.backup-v3-'));
    expect(stderr).toBe(
      `journey: using the SQLite store at ${file}\njourney: migrated ${file} from version 3 to ${SCHEMA_VERSION}; backup at ${join(dir, backup!)}\n`,
    );
    expect(stdout).toContain('fixture-admin');
  }, 30_000);
});
