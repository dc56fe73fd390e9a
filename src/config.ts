/**
 * Server configuration, read from the environment in one place (documented in README.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StoreConfig } from './graph/open-store.js';
import { isLoopbackHost } from './server/auth.js';
import type { GrpcTlsFiles } from './server/grpc/grpc-tls.js';
import { DEFAULT_QUERY_LIMITS } from './server/limits.js';
import { DEFAULT_SECURITY, type ServerSecurity } from './server/security.js';
import { DEFAULT_LIMITS, type LineageLimits } from './service/lineage/lineage-args.js';

export type { GrpcTlsFiles } from './server/grpc/grpc-tls.js';

export interface Config {
  backend: 'sqlite' | 'neo4j';
  /** File of the embedded SQLite backend; ':memory:' keeps nothing. */
  sqlitePath: string;
  /** JOURNEY_SQLITE_READERS: reader threads of a SQLite file (0 reads in the main thread); null for the store's default (one per core, at most 4). */
  sqliteReaders: number | null;
  neo4j: {
    uri: string; user: string; password: string;
    /** The server aborts a transaction running longer (DEADLINE_EXCEEDED). */
    transactionTimeoutMs: number;
    /** How long the driver retries a transaction while the database is unreachable before UNAVAILABLE. */
    maxRetryTimeMs: number;
    /** JOURNEY_NEO4J_POOL_SIZE: connections this process may hold open to Neo4j (the driver's default, 100). */
    maxConnectionPoolSize: number;
  };
  host: string;
  port: number;
  /** JOURNEY_GRPC_PORT: ML Metadata's gRPC service on JOURNEY_HOST (default 8080, MLMD's own); null when `off`. */
  grpcPort: number | null;
  /** The gRPC port's TLS (JOURNEY_GRPC_TLS_CERT, _KEY, _CLIENT_CA): null serves plaintext. */
  grpcTls: GrpcTlsFiles | null;
  logLevel: string;
  /** Query limits, rate limit, body size, introspection and GraphiQL. */
  security: ServerSecurity;
  /**
   * JOURNEY_RATE_LIMIT_SHARED: whether every process on the database draws from one rate per
   * caller (buckets in the database, leased in batches). Default true on Neo4j, which
   * several processes share; SQLite is served by one process, so it cannot be true there.
   */
  rateLimitShared: boolean;
  /** Ceilings of lineage queries' maxHops and maxNodes, and their time budget. */
  lineage: LineageLimits;
  /** The personal-data features' secret and propagation setting. */
  personalData: PersonalDataConfig;
  /** JOURNEY_BOOTSTRAP_ADMIN_KEY_FILE: while no key exists, the server creates an admin key at start and writes it here; null when unset. */
  bootstrapAdminKeyFile: string | null;
  /** JOURNEY_EXPLORER: serve the web explorer at / (default true; it is served in production too). */
  explorer: boolean;
  /** JOURNEY_METRICS_PUBLIC: serve GET /metrics without a key (default false); only with a loopback JOURNEY_HOST. */
  metricsPublic: boolean;
  /** Where OpenTelemetry spans go (OTLP/HTTP): null, the default, turns tracing off. */
  tracesUrl: string | null;
}

/**
 * The OTLP/HTTP traces URL, as OpenTelemetry's own variables say it:
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it stands, else OTEL_EXPORTER_OTLP_ENDPOINT with
 * /v1/traces appended; null when neither is set (tracing off).
 */
function tracesUrlOf(env: NodeJS.ProcessEnv): string | null {
  const [name, suffix] = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
    ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ''] as const
    : ['OTEL_EXPORTER_OTLP_ENDPOINT', '/v1/traces'] as const;
  const text = env[name];
  if (text === undefined || text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${name} must be an http or https URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an http or https URL, got ${JSON.stringify(text)}`);
  return suffix === '' ? url.href : `${url.href.replace(/\/+$/, '')}${suffix}`;
}

/** JOURNEY_METRICS_PUBLIC, refused with a host other than loopback: other machines would read the metrics without a key. */
function metricsPublicOf(env: NodeJS.ProcessEnv, host: string): boolean {
  const open = boolSetting(env, 'JOURNEY_METRICS_PUBLIC', false);
  if (open && !isLoopbackHost(host)) {
    throw new Error(`JOURNEY_METRICS_PUBLIC=true needs a loopback JOURNEY_HOST (127.0.0.1, ::1 or localhost), got ${JSON.stringify(host)}: scrape with an admin key instead`);
  }
  return open;
}

const GRPC_TLS_VARIABLES = ['JOURNEY_GRPC_TLS_CERT', 'JOURNEY_GRPC_TLS_KEY', 'JOURNEY_GRPC_TLS_CLIENT_CA'] as const;

/**
 * The gRPC TLS files: all three variables or none. Half a configuration is refused rather
 * than served as plaintext (someone meant TLS); each file is read here, so an unreadable
 * one stops the start naming its variable. Whether the PEM inside is usable is checked
 * when the server builds its TLS context (src/server/grpc/grpc-tls.ts).
 */
function grpcTlsConfig(env: NodeJS.ProcessEnv): GrpcTlsFiles | null {
  const given = GRPC_TLS_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== '');
  if (given.length === 0) return null;
  if (given.length < GRPC_TLS_VARIABLES.length) {
    const missing = GRPC_TLS_VARIABLES.filter((name) => !given.includes(name));
    throw new Error(`${missing.join(' and ')} must be set too: the gRPC port's TLS needs ${GRPC_TLS_VARIABLES.join(', ')} together (got only ${given.join(', ')})`);
  }
  const read = (name: (typeof GRPC_TLS_VARIABLES)[number]): Buffer => {
    const file = env[name]!;
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`${name} names a file that cannot be read: ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  return { certificate: read('JOURNEY_GRPC_TLS_CERT'), privateKey: read('JOURNEY_GRPC_TLS_KEY'), clientCa: read('JOURNEY_GRPC_TLS_CLIENT_CA') };
}

export interface PersonalDataConfig {
  /** JOURNEY_SUBJECT_SECRET, the key of data-subject identifiers' hashes; null when unset (allowed in development only). */
  subjectSecret: string | null;
  /** NODE_ENV is unset or "development": without a secret, a generated one is kept in secretFile. */
  development: boolean;
  /** The development secret's file, next to the SQLite file (data/subject-secret by default). */
  secretFile: string;
  /** JOURNEY_AGGREGATE_MIN_K: an AGGREGATE step with k at or above it lets nothing through. Default 10. */
  aggregateMinK: number;
}

/** The personal-data settings; the development secret lives next to the SQLite file (in data/ for ':memory:'). */
function personalDataConfig(env: NodeJS.ProcessEnv, sqlitePath: string): PersonalDataConfig {
  const folder = sqlitePath === ':memory:' ? 'data' : path.dirname(sqlitePath);
  return {
    subjectSecret: env.JOURNEY_SUBJECT_SECRET === undefined || env.JOURNEY_SUBJECT_SECRET === '' ? null : env.JOURNEY_SUBJECT_SECRET,
    development: env.NODE_ENV === undefined || env.NODE_ENV === '' || env.NODE_ENV === 'development',
    secretFile: path.join(folder, 'subject-secret'),
    aggregateMinK: intSetting(env, 'JOURNEY_AGGREGATE_MIN_K', 10, 1, 1_000_000_000),
  };
}

/** An integer setting from `min` to `max`; `fallback` when unset. */
function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** A true/false setting; `fallback` when unset. */
function boolSetting(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (text !== 'true' && text !== 'false') throw new Error(`${name} must be true or false, got ${JSON.stringify(text)}`);
  return text === 'true';
}

/** JOURNEY_RATE_LIMIT_SHARED, true by default on Neo4j; refused on SQLite, whose one process has nothing to share with. */
function rateLimitSharedSetting(env: NodeJS.ProcessEnv, backend: 'sqlite' | 'neo4j'): boolean {
  const shared = boolSetting(env, 'JOURNEY_RATE_LIMIT_SHARED', backend === 'neo4j');
  if (shared && backend === 'sqlite') {
    throw new Error('JOURNEY_RATE_LIMIT_SHARED=true needs JOURNEY_BACKEND=neo4j: a SQLite store is served by one process, whose limits are its own');
  }
  return shared;
}

/** The security settings: each JOURNEY_* variable overrides one default of DEFAULT_SECURITY. */
function securityConfig(env: NodeJS.ProcessEnv): ServerSecurity {
  // Production hides the schema: no introspection, no GraphiQL, unless asked for.
  const development = env.NODE_ENV !== 'production';
  const limits = DEFAULT_QUERY_LIMITS;
  const big = 1_000_000_000;
  return {
    rateLimit: {
      perSecond: intSetting(env, 'JOURNEY_RATE_LIMIT', DEFAULT_SECURITY.rateLimit.perSecond, 0, big),
      burst: intSetting(env, 'JOURNEY_RATE_BURST', DEFAULT_SECURITY.rateLimit.burst, 1, big),
    },
    queryLimits: {
      maxDepth: intSetting(env, 'JOURNEY_MAX_DEPTH', limits.maxDepth, 1, 1000),
      maxAliases: intSetting(env, 'JOURNEY_MAX_ALIASES', limits.maxAliases, 0, 10_000),
      maxDirectives: intSetting(env, 'JOURNEY_MAX_DIRECTIVES', limits.maxDirectives, 0, 10_000),
      maxTokens: intSetting(env, 'JOURNEY_MAX_TOKENS', limits.maxTokens, 1, big),
      maxCost: intSetting(env, 'JOURNEY_MAX_COST', limits.maxCost, 1, big),
    },
    maxBodyBytes: intSetting(env, 'JOURNEY_MAX_BODY_BYTES', DEFAULT_SECURITY.maxBodyBytes, 1024, 2 ** 31),
    maxResponseBytes: intSetting(env, 'JOURNEY_MAX_RESPONSE_BYTES', DEFAULT_SECURITY.maxResponseBytes, 1024, 2 ** 31),
    introspection: boolSetting(env, 'JOURNEY_INTROSPECTION', development),
    graphiql: boolSetting(env, 'JOURNEY_GRAPHIQL', development),
  };
}

/** The store part of the configuration, as openStore takes it (the server and the CLI open the same store). */
export function storeConfigOf(config: Config): StoreConfig {
  // The SQLite backend creates the file's directory, so ./data/ needs no setup on a fresh clone.
  return config.backend === 'neo4j'
    ? { backend: 'neo4j', ...config.neo4j }
    : { backend: 'sqlite', sqlitePath: config.sqlitePath, sqliteReaders: config.sqliteReaders };
}

/** Reads the configuration; throws an Error naming the variable when a value is unusable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const backend = env.JOURNEY_BACKEND ?? 'sqlite';
  if (backend !== 'sqlite' && backend !== 'neo4j') {
    throw new Error(`JOURNEY_BACKEND must be sqlite or neo4j, got ${JSON.stringify(backend)}`);
  }
  const portText = env.JOURNEY_PORT ?? '4000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new Error(`JOURNEY_PORT must be an integer from 0 to 65535, got ${JSON.stringify(portText)}`);
  }
  const sqlitePath = env.JOURNEY_SQLITE_PATH ?? path.join('data', 'journey.sqlite');
  const host = env.JOURNEY_HOST ?? '127.0.0.1';
  const grpcPortText = env.JOURNEY_GRPC_PORT ?? '8080';
  if (grpcPortText !== 'off' && (!/^\d+$/.test(grpcPortText) || Number(grpcPortText) > 65535)) {
    throw new Error(`JOURNEY_GRPC_PORT must be an integer from 0 to 65535 or off, got ${JSON.stringify(grpcPortText)}`);
  }
  return {
    backend,
    sqlitePath,
    sqliteReaders: env.JOURNEY_SQLITE_READERS ? intSetting(env, 'JOURNEY_SQLITE_READERS', 0, 0, 1024) : null,
    neo4j: {
      uri: env.NEO4J_URI ?? 'bolt://127.0.0.1:7687',
      user: env.NEO4J_USER ?? 'neo4j',
      password: env.NEO4J_PASSWORD ?? '',
      transactionTimeoutMs: intSetting(env, 'JOURNEY_NEO4J_TX_TIMEOUT_MS', 30_000, 1, 3_600_000),
      maxRetryTimeMs: intSetting(env, 'JOURNEY_NEO4J_RETRY_MS', 30_000, 1, 3_600_000),
      maxConnectionPoolSize: intSetting(env, 'JOURNEY_NEO4J_POOL_SIZE', 100, 1, 10_000),
    },
    host,
    port,
    grpcPort: grpcPortText === 'off' ? null : Number(grpcPortText),
    grpcTls: grpcTlsConfig(env),
    logLevel: env.JOURNEY_LOG_LEVEL ?? 'info',
    security: securityConfig(env),
    rateLimitShared: rateLimitSharedSetting(env, backend),
    explorer: boolSetting(env, 'JOURNEY_EXPLORER', true),
    metricsPublic: metricsPublicOf(env, host),
    tracesUrl: tracesUrlOf(env),
    lineage: {
      maxHopsCeiling: intSetting(env, 'JOURNEY_LINEAGE_MAX_HOPS', DEFAULT_LIMITS.maxHopsCeiling, 0, 10_000),
      maxNodesCeiling: intSetting(env, 'JOURNEY_LINEAGE_MAX_NODES', DEFAULT_LIMITS.maxNodesCeiling, 1, 100_000_000),
      queryTimeoutMs: intSetting(env, 'JOURNEY_QUERY_TIMEOUT_MS', DEFAULT_LIMITS.queryTimeoutMs, 1, 3_600_000),
    },
    personalData: personalDataConfig(env, sqlitePath),
    bootstrapAdminKeyFile: env.JOURNEY_BOOTSTRAP_ADMIN_KEY_FILE ? env.JOURNEY_BOOTSTRAP_ADMIN_KEY_FILE : null,
  };
}
