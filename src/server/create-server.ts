/**
 * Builds the GraphQL server: the yoga instance (schema, per-request loaders, plugins,
 * error masking) and the node HTTP server around it, with a close that lets in-flight
 * requests finish.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { buildApiSchema } from '../resolvers/index.js';
import type { RequestContext } from '../resolvers/context.js';
import { createLoaders } from '../resolvers/loaders.js';
import { createLineageService, type LineageApi } from '../service/lineage-service.js';
import type { MetadataApi } from '../service/metadata-service.js';
import { MASKED_MESSAGE, toClientError } from './error-codes.js';
import { LIVENESS_PATH } from './health.js';
import { yogaLogger, type Logger } from './logging.js';
import { serverPlugins } from './plugins.js';

export const GRAPHQL_PATH = '/graphql';

const EXAMPLE_QUERY = `# Data Journey: ML Metadata over GraphQL. Try:
query RecentArtifacts {
  artifacts(first: 10, orderBy: { field: CREATE_TIME, ascending: false }) {
    totalCount
    nodes { id name uri state type { name } producedBy { id type { name } } }
  }
}
`;

export interface AppOptions {
  api: MetadataApi;
  /** Default: a lineage service over api.store with the default ceilings. */
  lineage?: LineageApi;
  logger: Logger;
}

/** The yoga instance: GraphQL at /graphql (GraphiQL for browsers), GET /healthz and /readyz. */
export function createApp({ api, lineage = createLineageService(api.store), logger }: AppOptions): YogaServerInstance<Record<string, never>, RequestContext> {
  return createYoga<Record<string, never>, RequestContext>({
    schema: buildApiSchema(),
    // Fresh loaders per request: their caches must never outlive it.
    context: () => ({ api, lineage, loaders: createLoaders(api) }),
    plugins: serverPlugins({ logger, ping: () => api.store.ping(), graphqlPath: GRAPHQL_PATH }),
    // isDev false always: yoga would otherwise copy original errors (stacks, SQL) into responses under NODE_ENV=development.
    maskedErrors: { maskError: toClientError, errorMessage: MASKED_MESSAGE, isDev: false },
    logging: yogaLogger(logger),
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: LIVENESS_PATH,
    graphiql: { title: 'Data Journey', defaultQuery: EXAMPLE_QUERY },
    landingPage: false,
    // No cross-origin browser access: with useJsonPostOnly this keeps other web pages from writing to a local server.
    cors: false,
    batching: false,
  });
}

export interface ServeOptions extends AppOptions {
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
  /** Stops accepting connections and resolves once every in-flight request has been answered. Idempotent. */
  close(): Promise<void>;
}

/** Starts serving; resolves once the port is bound. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const yoga = createApp(options);
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;

  const httpServer = createServer((req, res) => {
    inFlight.add(res);
    if (closing) res.setHeader('connection', 'close');
    res.on('close', () => {
      inFlight.delete(res);
      // A keep-alive socket whose last response just ended is idle now; while closing, let it go.
      if (closing) httpServer.closeIdleConnections();
    });
    void yoga(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

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
    }).then(() => yoga.dispose());
    return closing;
  };

  return { url: `http://${host}:${address.port}${GRAPHQL_PATH}`, port: address.port, httpServer, close };
}
