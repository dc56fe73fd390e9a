/**
 * Opens the configured backend. The only module that knows both backends exist;
 * the rest of the code sees a GraphStore.
 */
import { UnavailableError } from './errors.js';
import type { OnSchemaMigrated } from './schema-migration.js';
import type { GraphStore } from './store.js';

export type StoreConfig =
  | {
    backend: 'sqlite'; sqlitePath: string; /** Reader threads; null or absent for the store's default. */ sqliteReaders?: number | null;
    /** A new file one bulk load fills alone (SqliteStoreOptions.bulkLoad). */ sqliteBulkLoad?: boolean;
  }
  | { backend: 'neo4j'; uri: string; user?: string; password?: string; transactionTimeoutMs?: number; maxRetryTimeMs?: number; maxConnectionPoolSize?: number };

/**
 * Opens the configured store and migrates its schema (tables, constraints) to this build's;
 * `onMigrated` hears of a migration, so the caller can log it.
 */
export async function openStore(config: StoreConfig, onMigrated?: OnSchemaMigrated): Promise<GraphStore> {
  // Imported lazily so a SQLite deployment never loads the Neo4j driver, and back.
  const store = config.backend === 'sqlite'
    ? await (await import('./sqlite/index.js')).createSqliteStore({
      path: config.sqlitePath, onMigrated, readers: config.sqliteReaders ?? undefined, bulkLoad: config.sqliteBulkLoad,
    })
    : await (await import('./neo4j/index.js')).createNeo4jStore({
      uri: config.uri,
      user: config.user,
      password: config.password,
      transactionTimeoutMs: config.transactionTimeoutMs,
      maxRetryTimeMs: config.maxRetryTimeMs,
      maxConnectionPoolSize: config.maxConnectionPoolSize,
    }, onMigrated);
  try {
    await store.init();
  } catch (error) {
    // The driver's pool would otherwise keep a process that cannot start alive.
    await store.close().catch(() => undefined);
    if (config.backend === 'neo4j' && error instanceof UnavailableError) throw new UnavailableError(unreachableNeo4j(config.uri));
    throw error;
  }
  return store;
}

/** What a user whose Neo4j does not answer needs to know: where it was looked for and how to start one. */
function unreachableNeo4j(uri: string): string {
  return `cannot reach Neo4j at ${uri} (NEO4J_URI). Start a local one with \`npm run neo4j:start\` `
    + '(it listens on bolt://127.0.0.1:7687, or on the port in NEO4J_PORT; set NEO4J_URI to match), '
    + 'or use the embedded store: JOURNEY_BACKEND=sqlite';
}
