/**
 * The Neo4j backend's entry point: open a store.
 */
import type { OnSchemaMigrated } from '../schema-migration.js';
import type { GraphStore } from '../store.js';
import { sharedStatements } from './neo4j-statements.js';
import { Neo4jExecutor, type Neo4jConnectionOptions } from './neo4j-executor.js';
import { Neo4jStore } from './neo4j-store.js';

export type { Neo4jConnectionOptions } from './neo4j-executor.js';

/**
 * Opens a store over the Neo4j at `options.uri` (no credentials when `user` is absent; the
 * server's default database unless `database` is given; 30 s transaction timeout unless
 * `transactionTimeoutMs` is given). Reads every cypher/ file first and fails if one is
 * missing. Connects lazily; call init() to migrate the schema (constraints, indexes) before
 * first use; `onMigrated` hears when init migrated an older schema.
 */
export async function createNeo4jStore(options: Neo4jConnectionOptions, onMigrated?: OnSchemaMigrated): Promise<GraphStore> {
  const statements = await sharedStatements();
  return new Neo4jStore(Neo4jExecutor.connect(options), statements, options.uri, onMigrated);
}
