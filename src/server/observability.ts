/**
 * What a process sets up to be watched: its server metrics, and tracing when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (OpenTelemetry is imported only then), and the one
 * place the store is wrapped so both see every store call the services make.
 */
import type { GraphStore } from '../graph/store.js';
import { observeStore } from '../graph/observed-store.js';
import { ServerMetrics } from './metrics.js';
import type { OperationTracing } from './operation-observers.js';

export interface Observability {
  metrics: ServerMetrics;
  /** null when tracing is off. */
  tracing: OperationTracing | null;
}

export interface ObservabilityConfig {
  /** The OTLP/HTTP traces URL, or null: tracing off. */
  tracesUrl: string | null;
  /** Batch delay of the span exporter (tests shorten it); default OpenTelemetry's 5,000 ms. */
  traceBatchDelayMs?: number;
}

/** Fresh metrics, and tracing started when `config.tracesUrl` is set. */
export async function startObservability(config: ObservabilityConfig): Promise<Observability> {
  if (config.tracesUrl === null) return { metrics: new ServerMetrics(), tracing: null };
  const { startTracing } = await import('./tracing.js');
  return { metrics: new ServerMetrics(), tracing: startTracing({ tracesUrl: config.tracesUrl, batchDelayMs: config.traceBatchDelayMs }) };
}

/**
 * `store` with every call timed by the metrics and, when on, traced, and its connection
 * pool's use exported when it has one (Neo4j): wrap once, before the services are made over it.
 */
export function observedStore(store: GraphStore, { metrics, tracing }: Observability): GraphStore {
  if (store.transactionPool) metrics.watchPool(store.transactionPool);
  // Metrics outermost: a store call's time includes making its span.
  return observeStore(store, tracing ? [metrics.storeObserver, tracing.storeObserver] : [metrics.storeObserver]);
}
