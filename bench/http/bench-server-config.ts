/** The store of the benchmark's server processes, from BENCH_BACKEND (sqlite | neo4j), BENCH_SQLITE_PATH (with JOURNEY_SQLITE_READERS), BENCH_NEO4J_URI. */
import type { StoreConfig } from '../../src/graph/open-store.js';

export function benchStoreConfig(env: NodeJS.ProcessEnv): StoreConfig {
  if (env.BENCH_BACKEND === 'neo4j') return { backend: 'neo4j', uri: env.BENCH_NEO4J_URI ?? '' };
  // JOURNEY_SQLITE_READERS as the server takes it: unset, the store's default (one per core, at most 4).
  const readers = env.JOURNEY_SQLITE_READERS ? Number(env.JOURNEY_SQLITE_READERS) : null;
  if (env.BENCH_BACKEND === 'sqlite') return { backend: 'sqlite', sqlitePath: env.BENCH_SQLITE_PATH ?? '', sqliteReaders: readers };
  throw new Error(`BENCH_BACKEND must be sqlite or neo4j, got ${JSON.stringify(env.BENCH_BACKEND)}`);
}
