/**
 * What watches each GraphQL operation besides its log line: the metrics (counted and
 * timed by name, type and result code) and, when on, tracing (one span per operation).
 * The tracing interface is here so that the server needs nothing of OpenTelemetry unless
 * tracing is on (tracing.ts implements it and is imported only then).
 */
import type { Plugin } from 'graphql-yoga';
import type { StoreObserver } from '../graph/observed-store.js';
import { errorCodes, identifyOperations } from './logging.js';
import type { ServerMetrics } from './metrics.js';
import { currentRequestScope, requestIdOf } from './request-id.js';

/** One GraphQL operation's span. */
export interface OperationSpan {
  /** The operation's name (loggable, or null when anonymous) and type, once known. */
  describe(name: string | null, type: string | null): void;
  /** Ends the span with the result's code: OK, or its first error's. */
  end(codes: readonly string[]): void;
}

/** Spans of GraphQL operations, with the store calls each made under it. */
export interface OperationTracing {
  /** Opens the span of an operation of the request `requestId`. */
  startOperation(requestId: string | undefined): OperationSpan;
  /** Makes a span of each store call made within an operation (observeStore). */
  readonly storeObserver: StoreObserver;
  /** Sends the spans still buffered and stops the exporter. */
  shutdown(): Promise<void>;
}

interface OperationEntry { start: number; name: string | null; type: string | null; span: OperationSpan | null }

/**
 * Starts watching a GraphQL request once it passed authentication and the rate limit,
 * learns its operation's name (the operation log's: a GraphQL name cut to 64 characters,
 * else "(invalid)"; metrics.ts folds it further) and type, and reports it when its result
 * is sent, after yoga's error masking, with the codes clients see. The span is put in the
 * request's scope, where the tracing store observer finds it.
 */
export function useOperationObservers(metrics: ServerMetrics, tracing: OperationTracing | null, graphqlPath: string): Plugin {
  const operations = new WeakMap<Request, OperationEntry>();
  return {
    onRequest({ request, url }) {
      if (url.pathname !== graphqlPath) return;
      const span = tracing?.startOperation(requestIdOf(request)) ?? null;
      operations.set(request, { start: performance.now(), name: null, type: null, span });
      const scope = currentRequestScope();
      if (span && scope) scope.operationSpan = span;
    },
    ...identifyOperations(operations),
    onResultProcess({ request, result }) {
      const entry = operations.get(request);
      if (!entry) return;
      operations.delete(request);
      const codes = errorCodes(result);
      metrics.operationDone(entry.name, entry.type, codes, (performance.now() - entry.start) / 1000);
      // Named only now: an operation that failed to parse has a name from the request at most.
      entry.span?.describe(entry.name, entry.type);
      entry.span?.end(codes);
    },
  };
}
