/**
 * Brings a Neo4j database to the latest schema version: reads the :SchemaVersion node,
 * runs each missing step's data changes, constraints and indexes, stamps the step's version in a write
 * transaction of its own, and waits for new indexes to come online.
 */
import { FailedPreconditionError } from '../../errors.js';
import type { SchemaMigration } from '../../schema-migration.js';
import type { Statements } from '../neo4j-statements.js';
import type { Neo4jExecutor } from '../neo4j-executor.js';
import type { Neo4jMigration } from './migration.js';
import { NEO4J_MIGRATIONS } from './index.js';

/** How long a migration waits for new indexes to come online before it gives up. */
const INDEX_ONLINE_TIMEOUT_SECONDS = 300;

/** The version the database is stamped with; 0 when it has none. */
export async function neo4jSchemaVersion(executor: Neo4jExecutor, statements: Statements): Promise<number> {
  const [row] = await executor.read((runner) => runner.run(statements['admin/schema-version']));
  return row?.version === null || row?.version === undefined ? 0 : Number(row.version);
}

/**
 * Runs the steps of `migrations` the database lacks; returns what it did, or null when it
 * was already current. Refuses a database newer than this build. `where` names it (the URI).
 */
export async function migrateNeo4j(
  executor: Neo4jExecutor,
  statements: Statements,
  where: string,
  migrations: readonly Neo4jMigration[] = NEO4J_MIGRATIONS,
): Promise<SchemaMigration | null> {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const found = await neo4jSchemaVersion(executor, statements);
  if (found > latest) {
    throw new FailedPreconditionError(
      `the Neo4j database has schema version ${found}; this build reads up to ${latest} and does not downgrade: run the release that wrote it`,
    );
  }
  for (const step of migrations) {
    if (step.version <= found) continue;
    for (const name of step.data ?? []) await executor.runAutoCommit(statements[name]);
    // One at a time: a schema change runs in a transaction of its own.
    for (const name of step.schema) await executor.runSchema(statements[name]);
    await executor.write((runner) => runner.run(statements['admin/set-schema-version'], { version: step.version }));
  }
  // Also when nothing ran: indexes a crashed start created may still be populating.
  await executor.runSchema(statements['admin/await-indexes'], { timeoutSeconds: INDEX_ONLINE_TIMEOUT_SECONDS });
  return found === latest ? null : { backend: 'neo4j', where, from: found, to: latest, backupPath: null };
}
