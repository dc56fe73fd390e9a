/**
 * The API process of the HTTP benchmarks: the real server (src/server/create-server.ts)
 * over a store, in a process of its own so its memory is measured alone. Configured by
 * BENCH_BACKEND (sqlite | neo4j), BENCH_SQLITE_PATH (with JOURNEY_SQLITE_READERS), BENCH_NEO4J_URI; logs at `warn`, so
 * a log line per request does not cost the figures, and runs without the per-caller rate
 * limit (100 requests/s by default), which would otherwise be what the load test measures.
 * Prints `BENCH SERVER READY <url>`.
 */
import { openStore } from '../../src/graph/open-store.js';
import { startServer } from '../../src/server/create-server.js';
import { createLogger } from '../../src/server/logging.js';
import { createServices } from '../../src/service/services.js';
import { benchStoreConfig } from './bench-server-config.js';

const store = await openStore(benchStoreConfig(process.env));
const server = await startServer({
  api: createServices(store).metadata,
  logger: createLogger({ level: 'warn' }),
  host: '127.0.0.1',
  port: 0,
  security: { rateLimit: { perSecond: 0, burst: 1 } },
});
process.stdout.write(`BENCH SERVER READY ${server.url}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => store.close()).then(() => process.exit(0));
});
