/**
 * The server's cross-cutting concerns as one ordered list of yoga plugins (STYLE.md
 * habit 5). yoga runs each hook kind in list order, and a plugin that ends a request in
 * `onRequest` stops the ones after it, so the order below is load-bearing.
 */
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { ApiKeyApi } from '../service/keys/api-keys.js';
import { useAuthentication } from './auth.js';
import { useReadiness } from './health.js';
import { useExplorer } from './explorer.js';
import { useLandingPage } from './landing.js';
import { COST_DEPTH_FACTOR, useIntrospection, useJsonPostOnly, useQueryLimits, type QueryLimits } from './limits.js';
import { useOperationLog } from './logging.js';
import type { ServerMetrics } from './metrics.js';
import { METRICS_PATH, useMetricsEndpoint } from './metrics-route.js';
import { useOperationObservers, type OperationTracing } from './operation-observers.js';
import { useMutationTransaction, type MutationTransactionOptions } from './mutation-transaction.js';
import { OPENLINEAGE_PATHS, useOpenLineageIntake } from './openlineage-route.js';
import type { OpenLineageIntakeApi } from '../service/openlineage/openlineage-intake.js';
import { useOperationCheck } from './operation-check.js';
import type { ArgumentRanges } from '../service/shared/argument-ranges.js';
import { useRateLimit, type RateLimitOptions } from './rate-limit.js';
import { useRequestId } from './request-id.js';
import { useResponseCeiling } from './response-size.js';
import { useHiddenSuggestions } from './suggestions.js';

export interface PluginDeps {
  logger: Logger;
  /** Resolves when the store answers (GraphStore.ping). */
  ping: () => Promise<void>;
  /** The GraphQL endpoint's path, e.g. /graphql. */
  graphqlPath: string;
  keys: ApiKeyApi;
  /** Whether anonymous callers are served while no key exists (a loopback-only server). */
  openLocalMode: boolean;
  rateLimit: RateLimitOptions;
  queryLimits: QueryLimits;
  /** The ranges of integer arguments (the services' table, with this server's lineage ceilings). */
  argumentRanges: ArgumentRanges;
  introspection: boolean;
  /** The store whose one transaction each mutation operation runs in, and how a request forgets an earlier attempt. */
  mutationTransaction: MutationTransactionOptions;
  /** Whether browsers get GraphiQL; GET / leads there when there is no explorer. */
  graphiql: boolean;
  /** The built web explorer's folder (served at /), or false for none. */
  explorerDir: string | false;
  /** The OpenLineage intake served at /api/v1/lineage(/batch), and the largest body it reads. */
  openLineage: { intake: OpenLineageIntakeApi; maxBodyBytes: number };
  /** This server's metrics, served at /metrics; public: served without a key (a loopback-only server). */
  metrics: { metrics: ServerMetrics; public: boolean };
  /** Spans of operations, or null when tracing is off. */
  tracing: OperationTracing | null;
}

/** The plugins, in the order they must run. */
export function serverPlugins(deps: PluginDeps): Plugin[] {
  const { metrics } = deps.metrics;
  // GET /metrics needs a caller like the API, unless public (then it checks the Host instead).
  const authenticatedPaths = deps.metrics.public ? OPENLINEAGE_PATHS : [...OPENLINEAGE_PATHS, METRICS_PATH];
  return [
    // First, so every response and every log line after it can carry the request's id.
    useRequestId(),
    // Before the operation log: probes are answered here and are not operations. Probes
    // need no key: orchestrators call them, and they tell nothing but up or down.
    useReadiness(deps.ping, deps.logger),
    // The explorer's page and files need no key either: they hold no data, and its GraphQL
    // requests carry the key like any client's. Without a build, GET / points to the API.
    useExplorer(deps.explorerDir),
    useLandingPage(deps.graphqlPath, deps.graphiql),
    // Before the body is read: a refused request costs no parsing and logs no operation.
    useJsonPostOnly(deps.graphqlPath),
    // Who is calling, before anything else is spent on the request; sets the caller that
    // the rate limit keys on and that the resolvers' authorisation guard reads.
    // The OpenLineage endpoints need a caller and draw from the same rate as GraphQL.
    useAuthentication({
      keys: deps.keys, openLocalMode: deps.openLocalMode, graphqlPath: deps.graphqlPath, restPaths: authenticatedPaths, logger: deps.logger,
    }),
    // Once the caller is known (the admin's), before the rate limit: a scraper's visits
    // neither draw from a key's allowance nor show up as refusals in what they measure.
    useMetricsEndpoint({ metrics, public: deps.metrics.public, logger: deps.logger }),
    useRateLimit(deps.rateLimit, deps.graphqlPath, deps.logger, OPENLINEAGE_PATHS, () => metrics.rateLimitRefused('http')),
    // Once the caller is known and counted: answers the OpenLineage endpoints itself, so no
    // GraphQL plugin below sees them (they are not operations).
    useOpenLineageIntake({ ...deps.openLineage, logger: deps.logger, onEvents: (endpoint, outcome, events) => metrics.openLineageReceived(endpoint, outcome, events) }),
    // Starts its clock on the request, so durations cover parsing, validation and
    // execution; it reads error codes as the result is sent, after yoga's error masking
    // (which yoga places after every plugin of this list), so it logs the codes clients see.
    useOperationLog(deps.logger),
    // Beside the log and for its reasons: an operation is counted (and its span opened)
    // only once it passed authentication and the rate limit, and ended with the codes
    // clients see. Its span is in the request's scope before any resolver calls the store.
    useOperationObservers(metrics, deps.tracing, deps.graphqlPath),
    // Parse and validation rules: an operation over a limit is refused before any resolver touches the store.
    useIntrospection(deps.introspection),
    useQueryLimits(deps.queryLimits),
    // Rewrites results as they are sent, after yoga's error masking: it sees every error of
    // every phase (validation, variable coercion, execution) in its final form.
    useHiddenSuggestions(!deps.introspection),
    // At execution, before any resolver: the variables are known only now. Arguments out
    // of range anywhere, or a cost over the limit, refuse the whole operation, so no
    // mutation commits before a nested field's argument fails.
    useOperationCheck(deps.argumentRanges, { maxCost: deps.queryLimits.maxCost, depthFactor: COST_DEPTH_FACTOR }),
    // An answer stopped at the response ceiling becomes its one error, not a partial answer.
    useResponseCeiling(),
    // Wraps only the execution of a mutation operation, once everything above has let it
    // through: a refused request never opens a transaction.
    useMutationTransaction(deps.mutationTransaction),
  ];
}
