/**
 * The server's Prometheus metrics (prom-client), in a registry of each server's own: two
 * servers in one process (tests, a GraphQL and a gRPC face) never share a series. Every
 * label value comes from a closed set the server chose (routes, store methods, gRPC
 * methods, result codes) or is folded into one (operation names, see LabelFold), so no
 * client can grow the number of series. Served at GET /metrics by metrics-route.ts.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StoreCall, StoreObserver } from '../graph/observed-store.js';
import { RETRY_REASONS, type TransactionMode, type TransactionPool } from '../graph/transaction-pool.js';
import type { LineageApi } from '../service/lineage/lineage-service.js';

/** The distinct operation names kept as labels; later names count as OTHER_OPERATION. */
export const MAX_OPERATION_NAMES = 200;
/** The distinct result codes kept as labels; the server makes fewer than 20, this only bounds a surprise. */
export const MAX_RESULT_CODES = 50;
export const OTHER_OPERATION = '(other)';
export const ANONYMOUS_OPERATION = '(anonymous)';
export const OTHER_CODE = 'OTHER';
/** The code of an operation that answered without errors. */
export const OK_CODE = 'OK';

/** Seconds; from 5 ms (a cached read) to 30 s (the default query time budget). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds; a store call is one round trip, usually well under a millisecond on SQLite. */
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];
/** Seconds a transaction waited for a connection and its BEGIN: about a millisecond while the pool has room. */
const POOL_WAIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const TRANSACTION_MODES: readonly TransactionMode[] = ['read', 'write'];
/** Nodes a lineage query answered, up to the default ceiling of 100,000. */
const NODE_BUCKETS = [1, 10, 100, 1_000, 10_000, 100_000];

/**
 * Label values from outside the server, bounded: the first `max` distinct values are kept
 * as they are, every later one is `other`. First come, first kept: a restart forgets them.
 */
export class LabelFold {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number, private readonly other: string) {}

  /** `value` when kept (already, or now while there is room), else the `other` label. */
  label(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return this.other;
    this.seen.add(value);
    return value;
  }
}


/** The metrics one server records; `registry` holds them all (process metrics are added at scrape, see exposition). */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new LabelFold(MAX_OPERATION_NAMES, OTHER_OPERATION);
  private readonly resultCodes = new LabelFold(MAX_RESULT_CODES, OTHER_CODE);

  private readonly httpRequests = new Counter({
    name: 'journey_http_requests_total', help: 'HTTP requests answered, by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const, registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'journey_http_request_duration_seconds', help: 'HTTP requests from arrival to the end of the answer, by route.',
    labelNames: ['route'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  private readonly activeRequests = new Gauge({
    name: 'journey_http_active_requests', help: 'HTTP requests being answered now.', registers: [this.registry],
  });
  private readonly operations = new Counter({
    name: 'journey_graphql_operations_total',
    help: 'GraphQL operations answered, by operation name (bounded: see docs/deploy.md), type and result code (OK, or the first error\'s code).',
    labelNames: ['operation', 'type', 'code'] as const, registers: [this.registry],
  });
  private readonly operationDuration = new Histogram({
    name: 'journey_graphql_operation_duration_seconds', help: 'GraphQL operations from arrival to their result, by operation name and type.',
    labelNames: ['operation', 'type'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  private readonly storeDuration = new Histogram({
    name: 'journey_store_call_duration_seconds',
    help: 'Store calls the services made: each StoreTx method (one round trip) and each transaction (read, write, inOneTransaction).',
    labelNames: ['method', 'kind', 'outcome'] as const, buckets: STORE_BUCKETS, registers: [this.registry],
  });
  private readonly lineageNodes = new Histogram({
    name: 'journey_lineage_nodes_returned', help: 'Nodes answered by each lineage or impact query over GraphQL.',
    labelNames: ['query'] as const, buckets: NODE_BUCKETS, registers: [this.registry],
  });
  private readonly rateLimited = new Counter({
    name: 'journey_rate_limit_refusals_total', help: 'Requests refused by the per-caller rate limit, by face (http, grpc).',
    labelNames: ['face'] as const, registers: [this.registry],
  });
  private readonly openLineageEvents = new Counter({
    name: 'journey_openlineage_events_total', help: 'OpenLineage events received, by endpoint and outcome (accepted, refused).',
    labelNames: ['endpoint', 'outcome'] as const, registers: [this.registry],
  });
  private readonly grpcCalls = new Counter({
    name: 'journey_grpc_calls_total', help: 'gRPC calls answered, by method and status.',
    labelNames: ['method', 'code'] as const, registers: [this.registry],
  });
  private readonly grpcDuration = new Histogram({
    name: 'journey_grpc_call_duration_seconds', help: 'gRPC calls from arrival to their answer, by method.',
    labelNames: ['method'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry],
  });

  // The Neo4j pool's use (src/graph/transaction-pool.ts), registered by watchPool: a SQLite
  // server has no pool and shows none. `registers: []` keeps them out of prom-client's global registry.
  private readonly poolMetrics = {
    size: new Gauge({ name: 'journey_neo4j_pool_size', help: 'Connections this process may hold open to Neo4j (JOURNEY_NEO4J_POOL_SIZE).', registers: [] }),
    inFlight: new Gauge({
      name: 'journey_neo4j_transactions_in_flight', help: 'Neo4j transactions running now, by access mode: each holds one pooled connection.',
      labelNames: ['mode'] as const, registers: [],
    }),
    waiting: new Gauge({
      name: 'journey_neo4j_transactions_waiting', help: 'Neo4j transactions waiting for a connection (and their BEGIN), by access mode.',
      labelNames: ['mode'] as const, registers: [],
    }),
    wait: new Histogram({
      name: 'journey_neo4j_transaction_wait_seconds',
      help: 'Wait of each Neo4j transaction before its work first ran (connection from the pool and BEGIN), by access mode: a long wait is an exhausted pool.',
      labelNames: ['mode'] as const, buckets: POOL_WAIT_BUCKETS, registers: [],
    }),
    retries: new Counter({
      name: 'journey_neo4j_transaction_retries_total',
      help: 'Neo4j transactions run again, by access mode and reason (deadlock, lock_timeout, unavailable, transient: the driver\'s reruns; unique_race: the store\'s after a lost uniqueness race).',
      labelNames: ['mode', 'reason'] as const, registers: [],
    }),
  };

  constructor() {
    // Every label set a dashboard expects exists from the start at zero, so a rate() over it has a base.
    for (const face of ['http', 'grpc']) this.rateLimited.inc({ face }, 0);
  }

  /**
   * Exports the use of `pool` (the Neo4j store's: src/graph/transaction-pool.ts) from now
   * on; returns the function that stops listening. Once per server.
   */
  watchPool(pool: TransactionPool): () => void {
    const m = this.poolMetrics;
    // A second pool would add its counts to the first's gauges: one store per server.
    if (this.registry.getSingleMetric('journey_neo4j_pool_size') !== undefined) throw new Error('watchPool: this server already exports a pool');
    for (const metric of Object.values(m)) this.registry.registerMetric(metric);
    m.size.set(pool.size);
    for (const mode of TRANSACTION_MODES) {
      m.inFlight.set({ mode }, 0);
      m.waiting.set({ mode }, 0);
      for (const reason of RETRY_REASONS) m.retries.inc({ mode, reason }, 0);
    }
    return pool.observe({
      waiting: (mode) => m.waiting.inc({ mode }),
      started: (mode, waitSeconds) => {
        m.waiting.dec({ mode });
        m.inFlight.inc({ mode });
        m.wait.observe({ mode }, waitSeconds);
      },
      ended: (mode, started) => (started ? m.inFlight : m.waiting).dec({ mode }),
      retried: (mode, reason) => m.retries.inc({ mode, reason }),
    });
  }

  /** The operation label of a (loggable) operation name; null for an anonymous operation. */
  operationLabel(name: string | null): string {
    return name === null ? ANONYMOUS_OPERATION : this.operationNames.label(name);
  }

  /** Counts and times one GraphQL operation's answer. */
  operationDone(name: string | null, type: string | null, codes: readonly string[], seconds: number): void {
    const operation = this.operationLabel(name);
    const kind = type ?? 'unknown';
    const code = codes.length === 0 ? OK_CODE : this.resultCodes.label(codes[0]!);
    this.operations.inc({ operation, type: kind, code });
    this.operationDuration.observe({ operation, type: kind }, seconds);
  }

  /** Called when an HTTP request arrives; the function it returns when its answer has ended (its status), or was cut off ('aborted'). */
  httpStarted(route: string, method: string): (status: number | 'aborted') => void {
    const start = performance.now();
    this.activeRequests.inc();
    // Methods beyond the common few are one label: the method is whatever the client wrote.
    const methodLabel = ['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'].includes(method) ? method : 'OTHER';
    let ended = false;
    return (status) => {
      if (ended) return;
      ended = true;
      this.activeRequests.dec();
      this.httpRequests.inc({ route, method: methodLabel, status: String(status) });
      this.httpDuration.observe({ route }, (performance.now() - start) / 1000);
    };
  }

  /** Counts a request refused by the rate limit. */
  rateLimitRefused(face: 'http' | 'grpc'): void {
    this.rateLimited.inc({ face });
  }

  /** Counts OpenLineage events of one request, accepted or refused. */
  openLineageReceived(endpoint: 'lineage' | 'batch', outcome: 'accepted' | 'refused', events: number): void {
    this.openLineageEvents.inc({ endpoint, outcome }, events);
  }

  /** Counts and times one gRPC call (method from the service's definition, code a status name). */
  grpcCallDone(method: string, code: string, seconds: number): void {
    this.grpcCalls.inc({ method, code });
    this.grpcDuration.observe({ method }, seconds);
  }

  /** Times every store call (src/graph/observed-store.ts). */
  readonly storeObserver: StoreObserver = {
    observe: async <T>(call: StoreCall, run: () => Promise<T>): Promise<T> => {
      const start = performance.now();
      let outcome = 'error';
      try {
        const result = await run();
        outcome = 'ok';
        return result;
      } finally {
        this.storeDuration.observe({ method: call.name, kind: call.kind, outcome }, (performance.now() - start) / 1000);
      }
    },
  };

  /** `lineage` with the size of each lineage and impact answer recorded. */
  observeLineage(lineage: LineageApi): LineageApi {
    const nodes = this.lineageNodes;
    return {
      get limits() { return lineage.limits; },
      startDeadline: () => lineage.startDeadline(),
      lineage: async (query, options) => {
        const graph = await lineage.lineage(query, options);
        nodes.observe({ query: 'lineage' }, graph.nodes.length);
        return graph;
      },
      impact: async (query, options) => {
        const report = await lineage.impact(query, options);
        nodes.observe({ query: 'impact' }, report.artifacts.length + report.executions.length);
        return report;
      },
      path: (query, options) => lineage.path(query, options),
      compareContexts: (ids) => lineage.compareContexts(ids),
      mlmdSubgraph: (query, options) => lineage.mlmdSubgraph(query, options),
      columnLineage: (query, options) => lineage.columnLineage(query, options),
    };
  }

  /** The exposition: this server's metrics, then the process's. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: (await this.registry.metrics()) + (await processRegistry().metrics()) };
  }
}

let processMetrics: Registry | undefined;

/**
 * The process's own metrics (CPU, memory, event loop lag, GC, handles), in one registry per
 * process, made at the first scrape: they describe the process, not a server, and
 * collectDefaultMetrics starts observers that cannot be stopped, so one set serves every
 * server of a process (a test file starts dozens). Never prom-client's global registry.
 */
function processRegistry(): Registry {
  if (processMetrics === undefined) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
