/** The embedded default backend: ML Metadata's model in one SQLite file (or in memory). */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '../errors.js';
import type { OnSchemaMigrated } from '../schema-migration.js';
import type { GraphStore } from '../store.js';
import { atOpen, SqliteExecutor } from './sqlite-executor.js';
import { SqliteReaderPool } from './sqlite-reader-pool.js';
import { SqliteGraphStore } from './sqlite-store.js';

export interface SqliteStoreOptions {
  /** A file path (parent directories are created), or ':memory:' for a private in-memory database. */
  path: string;
  /** How long a transaction waits for another connection's write lock before UnavailableError. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Told when opening migrated an older schema; the file was copied first, and the migration names the copy. */
  onMigrated?: OnSchemaMigrated;
  /**
   * How many reader threads may run read transactions at once on a file (each with its
   * own read-only connection); 0 runs reads on the writer connection in this thread.
   * Default DEFAULT_READERS. A ':memory:' database is private to its connection, so it
   * always reads in this thread.
   */
  readers?: number;
  /** A new file one bulk load fills alone, deleted if the load fails (ExecutorOptions.bulkLoad). Default false. */
  bulkLoad?: boolean;
}

/**
 * Reader threads by default: one per core, at most 4. With them a long lineage read no
 * longer holds up every other caller (on 2 cores a small lookup beside 8 lineage clients
 * waited 2-4 times less, and 32 clients' p99 fell by as much), at the price of a thread
 * hop (about 1 ms more for one caller alone). Past 4 the main thread, which still runs
 * GraphQL for every answer, is what the readers would wait on (docs/benchmarks.md).
 */
export const DEFAULT_READERS = Math.min(availableParallelism(), 4);

const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const MEMORY_PATH = ':memory:';

/** Opens (creating if needed) a SQLite-backed GraphStore migrated to the current schema; `init()` is then a no-op. */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<GraphStore> {
  const readers = options.readers ?? DEFAULT_READERS;
  if (!Number.isInteger(readers) || readers < 0) {
    throw new InvalidArgumentError(`readers must be a non-negative integer, got ${readers}`);
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const executor = SqliteExecutor.open({ path: options.path, busyTimeoutMs, bulkLoad: options.bulkLoad });
  const openReaders = readers === 0 || options.path === MEMORY_PATH ? undefined : () => new SqliteReaderPool({
    path: options.path, busyTimeoutMs, size: readers, onFault: (fault) => executor.noteFault(fault),
  });
  try {
    return await SqliteGraphStore.create(executor, options.path, options.onMigrated, openReaders);
  } catch (error) {
    await executor.close();
    throw atOpen(error, options.path);
  }
}
