/**
 * `npm start`: reads the configuration from the environment, opens the store, serves
 * GraphQL, and on SIGINT or SIGTERM shuts down cleanly: stop accepting connections,
 * answer the requests in flight, then close the store.
 */
import { loadConfig, type Config } from './config.js';
import { openStore, type StoreConfig } from './graph/open-store.js';
import { createLogger } from './server/logging.js';
import { startServer } from './server/create-server.js';
import { createMetadataService } from './service/metadata-service.js';

function storeConfig(config: Config): StoreConfig {
  // The SQLite backend creates the file's directory, so ./data/ needs no setup on a fresh clone.
  return config.backend === 'neo4j'
    ? { backend: 'neo4j', ...config.neo4j }
    : { backend: 'sqlite', sqlitePath: config.sqlitePath };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const store = await openStore(storeConfig(config));
  const server = await startServer({ api: createMetadataService(store), logger, host: config.host, port: config.port })
    .catch(async (err: unknown) => {
      // A busy port must not leave the store's connections holding the process open.
      await store.close();
      throw err;
    });
  logger.info({ url: server.url, backend: store.backend }, `serving GraphQL at ${server.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    server.close()
      .then(() => store.close())
      .then(() => logger.info('stopped'))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  // The logger may not exist yet (a bad configuration): stderr, one line, no stack for config errors.
  console.error(`data-journey failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
