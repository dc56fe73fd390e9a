/**
 * Opens the configured backend. The only module that knows both backends exist;
 * the rest of the code sees a GraphStore.
 */
import type { GraphStore } from './store.js';

export type StoreConfig =
  | { backend: 'sqlite'; sqlitePath: string }
  | { backend: 'neo4j'; uri: string; user?: string; password?: string; transactionTimeoutMs?: number; maxRetryTimeMs?: number };

/** Opens and initialises (tables, constraints) the configured store. */
export async function openStore(config: StoreConfig): Promise<GraphStore> {
  // Imported lazily so a SQLite deployment never loads the Neo4j driver, and back.
  const store = config.backend === 'sqlite'
    ? await (await import('./sqlite/index.js')).createSqliteStore({ path: config.sqlitePath })
    : await (await import('./neo4j/index.js')).createNeo4jStore({
      uri: config.uri,
      user: config.user,
      password: config.password,
      transactionTimeoutMs: config.transactionTimeoutMs,
      maxRetryTimeMs: config.maxRetryTimeMs,
    });
  await store.init();
  return store;
}
