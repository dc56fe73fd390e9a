/**
 * `npm start`: reads the configuration from the environment, opens the store, serves
 * GraphQL, and on SIGINT or SIGTERM shuts down cleanly: stop accepting connections,
 * answer the requests in flight, then close the store.
 */
import { loadConfig, storeConfigOf } from './config.js';
import { openStore } from './graph/open-store.js';
import { describeMigration } from './graph/schema-migration.js';
import { createLogger, type Logger } from './server/logging.js';
import { startServer, type RunningServer } from './server/create-server.js';
import { explorerBuilt } from './server/explorer.js';
import { startGrpcServer, type RunningGrpcServer } from './server/grpc/grpc-server.js';
import { observedStore, startObservability } from './server/observability.js';
import { createApiKeyService, type ApiKeyApi } from './service/keys/api-keys.js';
import { bootstrapAdminKey } from './service/keys/bootstrap-key.js';
import { createLineageService } from './service/lineage/lineage-service.js';
import { personalDataSettings } from './service/privacy/personal-data-settings.js';
import { resolveSubjectKey } from './service/privacy/subject-key.js';
import { createServices } from './service/services.js';
import { rehearseWrites } from './server/write-rehearsal.js';

/** Before the server decides on open mode: a first key made here means it serves with keys from the start. */
async function bootstrapWhenAsked(keys: ApiKeyApi, file: string | null, logger: Logger): Promise<void> {
  if (file === null) return;
  const key = await bootstrapAdminKey(keys, file);
  // The id and the file, never the token.
  if (key) logger.warn({ keyId: key.id, file }, `no API key existed: created admin key ${key.id} and wrote it to ${file} (mode 0600)`);
  // Another process may have made it a moment ago (several starting together): this one writes no file.
  else logger.info({ file }, `an API key exists already: no bootstrap admin key made, ${file} not written`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
  // Before the store opens: without a subject secret outside development, nothing starts.
  const subjectKey = resolveSubjectKey({
    configured: config.personalData.subjectSecret,
    development: config.personalData.development,
    secretFile: config.personalData.secretFile,
    warn: (message) => logger.warn(message),
  });
  const observability = await startObservability({ tracesUrl: config.tracesUrl });
  const openedStore = await openStore(storeConfigOf(config), (migration) => logger.info({ migration }, describeMigration(migration)));
  // Wrapped once, before any service is made over it: every store call they make is timed (and traced).
  const store = observedStore(openedStore, observability);
  const { metadata: api, personalData: privacy } = createServices(store, {
    subjectKey,
    personalData: personalDataSettings({ aggregateMinK: config.personalData.aggregateMinK, limits: config.lineage }),
  });
  // Before serving: Neo4j plans the write path now, not inside the first writers'
  // transactions (src/server/write-rehearsal.ts). Told after the serving line,
  // which stays the first a supervisor reads.
  const rehearsal: { ms: number } | { err: unknown } | null = store.backend === 'neo4j'
    ? await rehearseWrites(store, api, privacy).then((ms) => ({ ms }), (err: unknown) => ({ err }))
    : null;
  const lineage = createLineageService(store, config.lineage);
  const keys = createApiKeyService(store);
  // The buckets every process on the database shares, when asked for (the default on Neo4j).
  const rateLimit = { ...config.security.rateLimit, shared: config.rateLimitShared ? store.rateLimitLeases : undefined };
  const { http: server, grpc: grpcServer } = await bootstrapWhenAsked(keys, config.bootstrapAdminKeyFile, logger)
    .then(() => startServer({
      api, lineage, privacy, keys, logger, host: config.host, port: config.port, security: { ...config.security, rateLimit },
      explorerDir: config.explorer ? undefined : false,
      metrics: observability.metrics, metricsPublic: config.metricsPublic, tracing: observability.tracing,
    }))
    .then(async (http: RunningServer): Promise<{ http: RunningServer; grpc: RunningGrpcServer | null }> => {
      if (config.grpcPort === null) return { http, grpc: null };
      // On the same host, in the same access mode as GraphQL (open only on loopback while no key exists).
      const grpc = await startGrpcServer({
        api, lineage, keys, logger, host: config.host, port: config.grpcPort, openLocalMode: http.openLocalMode, tls: config.grpcTls,
        rateLimit, maxReceiveBytes: config.security.maxBodyBytes, maxSendBytes: config.security.maxResponseBytes,
        metrics: observability.metrics,
      }).catch(async (err: unknown) => {
        await http.close();
        throw new Error(`JOURNEY_GRPC_PORT ${config.grpcPort}: ${err instanceof Error ? err.message : String(err)}`);
      });
      return { http, grpc };
    })
    .catch(async (err: unknown) => {
      // A busy port must not leave the store's connections holding the process open.
      await store.close();
      throw err;
    });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    Promise.all([server.close(), grpcServer?.close()])
      .then(() => store.close())
      .then(() => logger.info('stopped'))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Only now: a supervisor (or a test) that stops the server once it reads this line must find the handlers in place.
  logger.info({ url: server.url, backend: store.backend }, `serving GraphQL at ${server.url}`);
  if (rehearsal && 'ms' in rehearsal) logger.info(rehearsal, `rehearsed the write path in a rolled-back transaction (${rehearsal.ms} ms)`);
  else if (rehearsal) logger.warn(rehearsal, 'the write rehearsal failed; the first writes plan their statements themselves');
  if (config.explorer && explorerBuilt()) {
    const explorerUrl = `${new URL(server.url).origin}/`;
    logger.info({ url: explorerUrl }, `serving the web explorer at ${explorerUrl}`);
  } else if (config.explorer) {
    logger.warn('the web explorer is not built (web/dist): run `npm run web:build`, or `npm install` with dev dependencies');
  }
  if (grpcServer) {
    const transport = grpcServer.transport === 'tls'
      ? 'over TLS, asking for client certificates signed by JOURNEY_GRPC_TLS_CLIENT_CA'
      : 'in plaintext (set JOURNEY_GRPC_TLS_CERT, JOURNEY_GRPC_TLS_KEY and JOURNEY_GRPC_TLS_CLIENT_CA for TLS)';
    logger.info({ grpc: grpcServer.address, grpcTransport: grpcServer.transport },
      `serving ML Metadata's gRPC API (ml_metadata.MetadataStoreService) at ${grpcServer.address} ${transport}`);
  } else {
    logger.info('the gRPC API is off (JOURNEY_GRPC_PORT=off)');
  }
  if (config.tracesUrl !== null) {
    // Origin and path only: a URL may carry a user and password.
    const { origin, pathname } = new URL(config.tracesUrl);
    logger.info(`tracing: sending spans over OTLP/HTTP to ${origin}${pathname}`);
  }
  if (server.openLocalMode) {
    logger.warn(
      'no API keys exist: running OPEN for local development (loopback only; anonymous callers may read and write, '
      + 'never personal data). Create a key with `npx journey keys create --role admin --name NAME` to require keys.',
    );
  }
}

main().catch((err: unknown) => {
  // The logger may not exist yet (a bad configuration): stderr, one line, no stack for config errors.
  console.error(`data-journey failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
