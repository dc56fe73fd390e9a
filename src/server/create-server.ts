/**
 * Builds the GraphQL server: the yoga instance (schema, per-request loaders, plugins,
 * error masking) and the node HTTP server around it, with a close that lets in-flight
 * requests finish.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { buildApiSchema } from '../resolvers/index.js';
import { forgetReads, type RequestContext } from '../resolvers/context.js';
import { createLoaders } from '../resolvers/loaders.js';
import { createApiKeyService, type ApiKeyApi } from '../service/keys/api-keys.js';
import { argumentRanges } from '../service/shared/argument-ranges.js';
import { createLineageService, type LineageApi } from '../service/lineage/lineage-service.js';
import type { MetadataApi } from '../service/metadata/metadata-service.js';
import { createPersonalDataService, type PersonalDataApi } from '../service/privacy/personal-data-service.js';
import { createVersionsService, type VersionsApi } from '../service/versions/versions-service.js';
import { createOpenLineageIntake, type OpenLineageIntakeApi } from '../service/openlineage/openlineage-intake.js';
import { callerOf, isLoopbackHost, openLocalModeFor } from './auth.js';
import { permissionsOf, withAuthorization, writeActorFor } from './authorization.js';
import { MASKED_MESSAGE, toClientError } from './error-codes.js';
import { DEFAULT_EXPLORER_DIR } from './explorer.js';
import { GRAPHIQL_OPTIONS, renderOfflineGraphiQL } from './graphiql.js';
import { LIVENESS_PATH, READINESS_PATH } from './health.js';
import { ServerMetrics } from './metrics.js';
import { METRICS_PATH } from './metrics-route.js';
import type { OperationTracing } from './operation-observers.js';
import { OPENLINEAGE_BATCH_PATH, OPENLINEAGE_PATH } from './openlineage-route.js';
import { ResponseBudget, withResponseAccounting } from './response-size.js';
import { yogaLogger, type Logger } from './logging.js';
import { serverPlugins } from './plugins.js';
import { inRequestScope } from './request-id.js';
import { DEFAULT_SECURITY, type ServerSecurity } from './security.js';

export const GRAPHQL_PATH = '/graphql';

export interface AppOptions {
  /** Each mutation operation runs in one transaction of api.store, which the other services must share. */
  api: MetadataApi;
  /** Default: a lineage service over api.store with the default ceilings. */
  lineage?: LineageApi;
  logger: Logger;
  /** Default: API keys kept in api.store. */
  keys?: ApiKeyApi;
  /** Serve anonymous callers while no key exists; default false. startServer decides it from the host it binds. */
  openLocalMode?: boolean;
  /** Limits, rate limit, introspection and GraphiQL; each part defaults to DEFAULT_SECURITY's. */
  security?: Partial<ServerSecurity>;
  /** The built web explorer served at / (default web/dist); false serves none (GET / then points to the API). */
  explorerDir?: string | false;
  /** Default: a personal-data service over api.store without a subject secret (the data-subject operations refuse). */
  privacy?: PersonalDataApi;
  /** Default: a dataset versions service over api.store, its walks under the lineage service's ceilings. */
  versions?: VersionsApi;
  /** Default: the OpenLineage intake over api (POST /api/v1/lineage and /api/v1/lineage/batch). */
  openLineage?: OpenLineageIntakeApi;
  /** Default: metrics of this server's own, served at GET /metrics. */
  metrics?: ServerMetrics;
  /** Serve GET /metrics without a key; default false. startServer refuses it unless the host is loopback. */
  metricsPublic?: boolean;
  /** Spans of each operation and its store calls; default null (off). */
  tracing?: OperationTracing | null;
}

/** The yoga instance: GraphQL at /graphql (GraphiQL for browsers), the OpenLineage intake, GET /healthz and /readyz. */
export function createApp(options: AppOptions): YogaServerInstance<Record<string, never>, RequestContext> {
  const { api, logger, keys = createApiKeyService(api.store) } = options;
  const metrics = options.metrics ?? new ServerMetrics();
  const lineage = metrics.observeLineage(options.lineage ?? createLineageService(api.store));
  const security: ServerSecurity = { ...DEFAULT_SECURITY, ...options.security };
  const privacy = options.privacy ?? createPersonalDataService(api.store, { subjectKey: null });
  const versions = options.versions ?? createVersionsService(api.store, lineage.limits);
  return createYoga<Record<string, never>, RequestContext>({
    // Every field checks the caller's role first (authorization.ts); every field's value is
    // counted against the response ceiling (response-size.ts).
    schema: withResponseAccounting(withAuthorization(buildApiSchema())),
    // Fresh loaders per request: their caches must never outlive it. One time budget and
    // one response count per operation, shared by all its fields.
    context: ({ request }) => {
      const caller = requireCaller(request);
      return {
        api, lineage, keys, privacy, versions, loaders: createLoaders(api), caller, writer: writeActorFor(caller), permissions: permissionsOf(caller.role),
        deadline: lineage.startDeadline(), responseBudget: new ResponseBudget(security.maxResponseBytes),
      };
    },
    plugins: serverPlugins({
      logger,
      ping: () => api.store.ping(),
      graphqlPath: GRAPHQL_PATH,
      keys,
      openLocalMode: options.openLocalMode ?? false,
      rateLimit: security.rateLimit,
      queryLimits: security.queryLimits,
      argumentRanges: argumentRanges(lineage.limits),
      introspection: security.introspection,
      mutationTransaction: {
        store: api.store,
        beginAttempt: (context) => forgetReads(context as RequestContext),
        failureOf: (context) => (context as RequestContext).responseBudget.exceeded,
      },
      graphiql: security.graphiql,
      explorerDir: options.explorerDir ?? DEFAULT_EXPLORER_DIR,
      openLineage: { intake: options.openLineage ?? createOpenLineageIntake(api), maxBodyBytes: security.maxBodyBytes },
      metrics: { metrics, public: options.metricsPublic ?? false },
      tracing: options.tracing ?? null,
    }),
    // isDev false always: yoga would otherwise copy original errors (stacks, SQL) into responses under NODE_ENV=development.
    maskedErrors: { maskError: toClientError, errorMessage: MASKED_MESSAGE, isDev: false },
    logging: yogaLogger(logger),
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: LIVENESS_PATH,
    graphiql: security.graphiql ? GRAPHIQL_OPTIONS : false,
    // From the installed packages, not a CDN: the page must work offline (graphiql.ts).
    renderGraphiQL: renderOfflineGraphiQL,
    maxRequestBodySize: security.maxBodyBytes,
    landingPage: false,
    // No cross-origin browser access: with useJsonPostOnly this keeps other web pages from writing to a local server.
    cors: false,
    batching: false,
  });
}

/** The caller the authentication plugin set; every GraphQL request passes that plugin first. */
function requireCaller(request: Request): NonNullable<ReturnType<typeof callerOf>> {
  const caller = callerOf(request);
  if (!caller) throw new Error('no caller for the request: the authentication plugin did not run');
  return caller;
}

export interface ServeOptions extends Omit<AppOptions, 'openLocalMode'> {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4000; 0 picks a free port. */
  port?: number;
  /** How long close() waits for in-flight requests before cutting them off; default 10,000 ms. */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  readonly url: string;
  readonly port: number;
  readonly httpServer: Server;
  /** True while no API key exists: anonymous local callers are served (the server is bound to loopback). */
  readonly openLocalMode: boolean;
  /** Stops accepting connections and resolves once every in-flight request has been answered. Idempotent. */
  close(): Promise<void>;
}

/** The route label of each path the metrics name; any other path is `other` (a client picks paths, so they are never labels). */
const METRIC_ROUTES: ReadonlyMap<string, string> = new Map([
  [GRAPHQL_PATH, 'graphql'], [OPENLINEAGE_PATH, 'openlineage'], [OPENLINEAGE_BATCH_PATH, 'openlineage_batch'],
  [METRICS_PATH, 'metrics'], [LIVENESS_PATH, 'healthz'], [READINESS_PATH, 'readyz'],
]);

/**
 * Starts serving; resolves once the port is bound. Refuses (throws) to bind an address
 * other than loopback while no API key exists, or with public metrics. On close, also
 * stops the tracing it was given (sending the spans it still holds).
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.metricsPublic && !isLoopbackHost(host)) {
    throw new Error(`JOURNEY_METRICS_PUBLIC=true serves /metrics without a key, so the server must listen on loopback only (JOURNEY_HOST 127.0.0.1, ::1 or localhost), not ${host}; unset it and scrape with an admin key`);
  }
  const keys = options.keys ?? createApiKeyService(options.api.store);
  const openLocalMode = await openLocalModeFor(host, keys);
  const metrics = options.metrics ?? new ServerMetrics();
  const yoga = createApp({ ...options, keys, openLocalMode, metrics });
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;

  const httpServer = createServer((req, res) => {
    inFlight.add(res);
    if (closing) res.setHeader('connection', 'close');
    const answered = metrics.httpStarted(METRIC_ROUTES.get((req.url ?? '/').split('?')[0]!) ?? 'other', req.method ?? 'GET');
    res.on('close', () => {
      answered(res.writableFinished ? res.statusCode : 'aborted');
      inFlight.delete(res);
      // A keep-alive socket whose last response just ended is idle now; while closing, let it go.
      if (closing) httpServer.closeIdleConnections();
    });
    // In a scope of its own, so the error log can name the request (request-id.ts).
    void inRequestScope(() => yoga(req, res));
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 4000, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const boundHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      // Responses not yet started tell their clients not to reuse the connection.
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      const deadline = setTimeout(() => httpServer.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
      deadline.unref();
      httpServer.close((err) => {
        clearTimeout(deadline);
        if (err) reject(err);
        else resolve();
      });
      httpServer.closeIdleConnections();
    }).then(() => yoga.dispose()).then(() => options.tracing?.shutdown());
    return closing;
  };

  return { url: `http://${boundHost}:${address.port}${GRAPHQL_PATH}`, port: address.port, httpServer, openLocalMode, close };
}
