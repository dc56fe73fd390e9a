/**
 * Logging with pino: one JSON line per GraphQL operation (name, type, duration, error
 * codes, request id, the caller's key id and role) and one per unexpected error (with its stack, which never reaches
 * a client). Variable values and query text are never logged: they carry user data.
 */
import { getOperationAST, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { callerOf } from './auth.js';
import { storeErrorOf } from './error-codes.js';
import { currentRequestId, requestIdOf } from './request-id.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** pino level: fatal, error, warn, info (default), debug, trace or silent. */
  level?: string;
  /** Where lines go; default stdout. Tests pass a stream they read. */
  destination?: DestinationStream;
  /**
   * Human-readable lines (pino-pretty) instead of JSON; default false. main.ts turns it on
   * when stdout is a terminal: a person reads it there, a log collector everywhere else.
   */
  pretty?: boolean;
}

/** The server's logger: JSON lines, or pino-pretty's text when `pretty`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = { level: options.level ?? 'info', base: { service: 'data-journey' } };
  if (options.pretty) {
    // sync: a line is written before the process can exit (a failed start's last words).
    const stream = pretty({ colorize: options.destination === undefined, sync: true, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss.l', ...(options.destination ? { destination: options.destination as unknown as NodeJS.WritableStream } : {}) });
    return pino(settings, stream);
  }
  return pino(settings, options.destination ?? pino.destination(1));
}

type YogaLogger = Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void>;

/** The deepest original error behind graphql-js's wrappers, which holds the real stack. */
function rootCause(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? rootCause(error.originalError) : error;
}

/**
 * yoga's own logger, routed into pino. yoga calls `error` with every error it masks;
 * a StoreError is also passed through the mask (to gain its code) but is the client's
 * mistake, not the server's, so it is logged at debug only — the operation line
 * already records its code.
 */
export function yogaLogger(logger: Logger): YogaLogger {
  const text = (args: unknown[]): string => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return {
    debug: (...args) => { if (logger.isLevelEnabled('debug')) logger.debug(text(args)); },
    info: (...args) => { if (logger.isLevelEnabled('info')) logger.info(text(args)); },
    warn: (...args) => { if (logger.isLevelEnabled('warn')) logger.warn(text(args)); },
    error: (...args) => {
      for (const arg of args) {
        if (storeErrorOf(arg)) {
          logger.debug({ code: storeErrorOf(arg)!.code }, 'store error returned to the client');
          continue;
        }
        const path = arg instanceof GraphQLError ? arg.path?.join('.') : undefined;
        const requestId = currentRequestId();
        logger.error({ ...(requestId ? { requestId } : {}), err: rootCause(arg), ...(path ? { path } : {}) }, 'unexpected error (masked for the client)');
      }
    },
  };
}

interface OperationEntry extends OperationIdentity { start: number }

/** What an operation is called and what kind it is, as far as the request has told. */
export interface OperationIdentity { name: string | null; type: string | null }

/**
 * The onParams and onExecute hooks that fill in each request's OperationIdentity in
 * `entries`: the request's operationName first, then the name written in the document,
 * which callers often leave out of the request. Shared by the log and the metrics.
 */
export function identifyOperations<E extends OperationIdentity>(entries: WeakMap<Request, E>): Pick<Plugin, 'onParams' | 'onExecute'> {
  return {
    onParams({ request, params }) {
      const entry = entries.get(request);
      if (entry && typeof params.operationName === 'string') entry.name = loggableOperationName(params.operationName);
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const entry = request && entries.get(request);
      const operation = getOperationAST(args.document, args.operationName);
      if (entry && operation) {
        entry.name = operation.name ? loggableOperationName(operation.name.value) : entry.name;
        entry.type = operation.operation;
      }
    },
  };
}

/** Longest operation name written to the log; longer valid names are cut. */
export const MAX_LOGGED_OPERATION_NAME = 64;
/** What the log says for an operation name that is not a GraphQL name. */
export const INVALID_OPERATION_NAME = '(invalid)';
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * The operation name as the log may hold it. A caller's operationName is free text (a
 * megabyte, an e-mail address, a forged log line); only a GraphQL name, which the
 * caller chose as an identifier, is kept, and cut short so a line stays small.
 */
export function loggableOperationName(name: string): string {
  return GRAPHQL_NAME.test(name) ? name.slice(0, MAX_LOGGED_OPERATION_NAME) : INVALID_OPERATION_NAME;
}

/** The distinct extensions.code values of a result's errors, in order of first appearance. */
export function errorCodes(result: unknown): string[] {
  const results = Array.isArray(result) ? result : [result];
  const codes = new Set<string>();
  for (const r of results) {
    const errors = (r as { errors?: readonly { extensions?: { code?: unknown } }[] } | null)?.errors ?? [];
    for (const e of errors) codes.add(typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN');
  }
  return [...codes];
}

/** Logs one line per GraphQL operation when its result is sent: name, type, duration and error codes. */
export function useOperationLog(logger: Logger): Plugin {
  const operations = new WeakMap<Request, OperationEntry>();
  return {
    onRequest({ request }) {
      operations.set(request, { start: performance.now(), name: null, type: null });
    },
    ...identifyOperations(operations),
    onResultProcess({ request, result }) {
      const entry = operations.get(request);
      if (!entry) return;
      const codes = errorCodes(result);
      const caller = callerOf(request);
      logger.info({
        requestId: requestIdOf(request),
        // Which key did it (null: an anonymous caller of open local mode); never the key itself.
        keyId: caller?.keyId ?? null,
        role: caller?.role ?? null,
        operationName: entry.name,
        operationType: entry.type,
        durationMs: Math.round((performance.now() - entry.start) * 10) / 10,
        ...(codes.length > 0 ? { errorCodes: codes } : {}),
      }, 'graphql operation');
    },
  };
}
