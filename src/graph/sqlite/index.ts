/** The embedded default backend: ML Metadata's model in one SQLite file (or in memory). */
import type { OnSchemaMigrated } from '../schema-migration.js';
import type { GraphStore } from '../store.js';
import { atOpen, SqliteExecutor } from './sqlite-executor.js';
import { SqliteGraphStore } from './sqlite-store.js';

export interface SqliteStoreOptions {
  /** A file path (parent directories are created), or ':memory:' for a private in-memory database. */
  path: string;
  /** How long a transaction waits for another connection's write lock before UnavailableError. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Told when opening migrated an older schema; the file was copied first, and the migration names the copy. */
  onMigrated?: OnSchemaMigrated;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Opens (creating if needed) a SQLite-backed GraphStore migrated to the current schema; `init()` is then a no-op. */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<GraphStore> {
  const executor = SqliteExecutor.open({
    path: options.path,
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
  });
  try {
    return await SqliteGraphStore.create(executor, options.path, options.onMigrated);
  } catch (error) {
    await executor.close();
    throw atOpen(error, options.path);
  }
}
