/**
 * Versioned migrations on Neo4j (src/graph/neo4j/migrations/): a database initialised by
 * migration 1 only is brought to the latest version and says so; running the migrations
 * again changes nothing; a database from before versions were kept (no version node) is
 * stamped without a report; a newer database is refused. Each test leaves the shared
 * database with the full schema, as the other test files expect it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FailedPreconditionError } from '../../src/graph/errors.js';
import { loadStatements, type Statements } from '../../src/graph/neo4j/neo4j-statements.js';
import { createNeo4jStore } from '../../src/graph/neo4j/index.js';
import { clearNeo4jDatabase } from '../support/neo4j-database.js';
import { LATEST_NEO4J_VERSION, NEO4J_MIGRATIONS } from '../../src/graph/neo4j/migrations/index.js';
import { migrateNeo4j, neo4jSchemaVersion } from '../../src/graph/neo4j/migrations/run-migrations.js';
import { Neo4jExecutor } from '../../src/graph/neo4j/neo4j-executor.js';
import type { SchemaMigration } from '../../src/graph/schema-migration.js';
import type { GraphStore } from '../../src/graph/store.js';
import { suiteNeo4jUri } from '../support/requirements.js';

const NEO4J_URI = suiteNeo4jUri();

/** The name a schema statement creates: `CREATE CONSTRAINT <name> IF NOT EXISTS ...`. */
const createdName = (text: string): { kind: 'CONSTRAINT' | 'INDEX'; name: string } => {
  const match = /CREATE (CONSTRAINT|INDEX) (\w+) IF NOT EXISTS/.exec(text);
  if (!match) throw new Error(`not a schema statement: ${text}`);
  return { kind: match[1] as 'CONSTRAINT' | 'INDEX', name: match[2]! };
};
/** The name a later step's schema statement drops (`DROP CONSTRAINT <name> IF EXISTS`), or null for one that creates. */
const droppedName = (text: string): string | null => /^DROP (?:CONSTRAINT|INDEX) (\w+) IF EXISTS$/.exec(text)?.[1] ?? null;

describe.skipIf(!NEO4J_URI)('Neo4j migrations', () => {
  let executor: Neo4jExecutor;
  let statements: Statements;
  let store: GraphStore;
  const laterSteps = () => NEO4J_MIGRATIONS.filter((m) => m.version > 1);

  /** Names of the constraints and indexes the database has. */
  const schemaNames = async (): Promise<Set<string>> => {
    const constraints = await executor.read((r) => r.run('SHOW CONSTRAINTS YIELD name RETURN name'));
    const indexes = await executor.read((r) => r.run('SHOW INDEXES YIELD name RETURN name'));
    return new Set([...constraints, ...indexes].map((row) => row.name as string));
  };

  const versionNodes = async (): Promise<number> =>
    Number((await executor.read((r) => r.run('MATCH (v:SchemaVersion) RETURN count(v) AS n')))[0]!.n);

  /** A database as migration 1 alone left it: no later step's constraints or indexes, version 1. */
  async function atVersionOne(): Promise<void> {
    await clearNeo4jDatabase(store);
    for (const step of laterSteps()) {
      // Constraints own their backing indexes, so each goes by the statement that made it.
      for (const name of [...step.schema].reverse()) {
        if (droppedName(statements[name]) !== null) continue;
        const made = createdName(statements[name]);
        await executor.runSchema(`DROP ${made.kind} ${made.name} IF EXISTS`);
      }
    }
    expect(await migrateNeo4j(executor, statements, NEO4J_URI!, NEO4J_MIGRATIONS.slice(0, 1))).toMatchObject({ from: 0, to: 1 });
  }

  beforeAll(async () => {
    executor = Neo4jExecutor.connect({ uri: NEO4J_URI! });
    statements = await loadStatements();
    store = await createNeo4jStore({ uri: NEO4J_URI! });
  });
  beforeEach(async () => {
    await clearNeo4jDatabase(store);
  });
  afterAll(async () => {
    // Whatever a test did, the next file finds the full schema.
    await migrateNeo4j(executor, statements, NEO4J_URI!).catch(() => undefined);
    await store?.close();
    await executor?.close();
  });

  it('brings a database initialised by migration 1 only to the latest version, and says so', async () => {
    await atVersionOne();
    // What the later steps leave: what they create, less what a still later one drops again.
    const later = laterSteps().flatMap((m) => m.schema.filter((name) => droppedName(statements[name]) === null)
      .map((name) => createdName(statements[name]).name));
    const droppedLater = new Set(laterSteps().flatMap((m) => m.schema.map((name) => droppedName(statements[name]))));
    expect(later.length).toBeGreaterThan(0);
    const before = await schemaNames();
    expect(later.filter((name) => before.has(name))).toEqual([]);
    expect(await neo4jSchemaVersion(executor, statements)).toBe(1);

    const seen: SchemaMigration[] = [];
    const migrating = await createNeo4jStore({ uri: NEO4J_URI! }, (m) => seen.push(m));
    try {
      await migrating.init();
    } finally {
      await migrating.close();
    }
    expect(seen).toEqual([{ backend: 'neo4j', where: NEO4J_URI, from: 1, to: LATEST_NEO4J_VERSION, backupPath: null }]);
    const after = await schemaNames();
    expect(later.filter((name) => !droppedLater.has(name) && !after.has(name))).toEqual([]);
    expect([...droppedLater].filter((name) => name !== null && after.has(name))).toEqual([]);
    expect(await neo4jSchemaVersion(executor, statements)).toBe(LATEST_NEO4J_VERSION);
  });

  it('changes nothing when run again: no report, the same schema, one version node', async () => {
    await migrateNeo4j(executor, statements, NEO4J_URI!);
    const schema = await schemaNames();
    expect(await migrateNeo4j(executor, statements, NEO4J_URI!)).toBeNull();
    const seen: SchemaMigration[] = [];
    const again = await createNeo4jStore({ uri: NEO4J_URI! }, (m) => seen.push(m));
    try {
      await again.init();
    } finally {
      await again.close();
    }
    expect(seen).toEqual([]);
    expect(await schemaNames()).toEqual(schema);
    expect(await versionNodes()).toBe(1);
    expect(await neo4jSchemaVersion(executor, statements)).toBe(LATEST_NEO4J_VERSION);
  });

  it('stamps a database from before versions were kept (every constraint, no version node) without a report', async () => {
    await migrateNeo4j(executor, statements, NEO4J_URI!);
    await clearNeo4jDatabase(store); // takes the version node too: the database as the previous release left it
    expect(await neo4jSchemaVersion(executor, statements)).toBe(0);
    const seen: SchemaMigration[] = [];
    const old = await createNeo4jStore({ uri: NEO4J_URI! }, (m) => seen.push(m));
    try {
      await old.init();
    } finally {
      await old.close();
    }
    expect(seen).toEqual([]);
    expect(await neo4jSchemaVersion(executor, statements)).toBe(LATEST_NEO4J_VERSION);
  });

  it('refuses a database newer than this build, naming both versions', async () => {
    await executor.write((r) => r.run(statements['admin/set-schema-version'], { version: LATEST_NEO4J_VERSION + 1 }));
    const error = await store.init().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FailedPreconditionError);
    expect((error as Error).message).toBe(
      `the Neo4j database has schema version ${LATEST_NEO4J_VERSION + 1}; this build reads up to ${LATEST_NEO4J_VERSION} `
      + 'and does not downgrade: run the release that wrote it',
    );
    await clearNeo4jDatabase(store);
  });

  it('numbers the steps 1, 2, ... and makes every constraint and index in exactly one of them', () => {
    expect(NEO4J_MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: LATEST_NEO4J_VERSION }, (_, i) => i + 1));
    const made = NEO4J_MIGRATIONS.flatMap((m) => m.schema);
    expect([...made].sort()).toEqual(Object.keys(statements).filter((n) => n.startsWith('schema/')).sort());
  });
});
