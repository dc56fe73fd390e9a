/**
 * The gRPC face: ML Metadata's MetadataStoreService on its own port, in the same process
 * and over the same services as GraphQL. Each call passes, in order: authentication
 * (grpc-access.ts), the role rule of its method (authorization.ts), the caller's rate
 * limit (the HTTP face's token buckets, a separate set), then its handler; a Put* call
 * runs in one store transaction, as one GraphQL mutation does. Errors become statuses in
 * error-codes.ts only; one log line per call names the method, duration and status, no values.
 * With TLS files (grpc-tls.ts) the port serves TLS and asks clients for certificates.
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { ApiKeyApi, Caller } from '../../service/keys/api-keys.js';
import type { LineageApi } from '../../service/lineage/lineage-service.js';
import type { MetadataApi } from '../../service/metadata/metadata-service.js';
import { authorizeGrpcCall, grpcRuleOf, writeActorFor } from '../authorization.js';
import { GrpcAccessRefusal, grpcStatusName, toGrpcStatus } from '../error-codes.js';
import type { ServerMetrics } from '../metrics.js';
import { callerBucketsFor, type RateLimitOptions } from '../rate-limit.js';
import { grpcAuthenticator, peerAddress } from './grpc-access.js';
import { grpcServerCredentials, type GrpcTlsFiles } from './grpc-tls.js';
import type { GrpcCallContext, HandlerGroup, UnaryHandler } from './grpc-handler.js';
import { loadMlmdPackage, SERVICE_NAME } from './mlmd-protos.js';
import { EDGE_HANDLERS } from './edge-handlers.js';
import { EXECUTION_HANDLERS } from './execution-handlers.js';
import { LINEAGE_HANDLERS } from './lineage-handlers.js';
import { NODE_HANDLERS } from './node-handlers.js';
import { TYPE_HANDLERS } from './type-handlers.js';

/** Every method served, by name; a method of the service not here answers UNIMPLEMENTED. */
const HANDLERS: HandlerGroup = { ...TYPE_HANDLERS, ...NODE_HANDLERS, ...EDGE_HANDLERS, ...EXECUTION_HANDLERS, ...LINEAGE_HANDLERS };

export interface GrpcServeOptions {
  api: MetadataApi;
  lineage: LineageApi;
  keys: ApiKeyApi;
  logger: Logger;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Serve callers without a key on loopback while no key exists (decided by the HTTP server's start). */
  openLocalMode: boolean;
  /** Per caller, as over HTTP; perSecond 0 turns it off. */
  rateLimit: RateLimitOptions;
  /** The largest request and response messages, in bytes (JOURNEY_MAX_BODY_BYTES, JOURNEY_MAX_RESPONSE_BYTES). */
  maxReceiveBytes: number;
  maxSendBytes: number;
  /** How long close() lets calls in flight finish before cutting them off; default 10,000 ms. */
  shutdownGraceMs?: number;
  /** Serve TLS with these files, asking clients for certificates signed by the client CA; absent or null: plaintext. */
  tls?: GrpcTlsFiles | null;
  /** Counts and times each call by method and status, and the rate limit's refusals (the HTTP server's metrics, so one scrape shows both). */
  metrics?: ServerMetrics;
}

export interface RunningGrpcServer {
  /** host:port as bound. */
  readonly address: string;
  readonly port: number;
  /** 'tls': TLS asking for client certificates; 'plaintext': neither. */
  readonly transport: 'tls' | 'plaintext';
  /** Stops accepting calls and resolves once those in flight have been answered. Idempotent. */
  close(): Promise<void>;
}

/** The service's definition as grpc-js takes it, from the project's .proto files. */
function serviceDefinition(): grpc.ServiceDefinition {
  const loaded = grpc.loadPackageDefinition(loadMlmdPackage());
  let node: unknown = loaded;
  for (const part of SERVICE_NAME.split('.')) node = (node as Record<string, unknown>)[part];
  return (node as { service: grpc.ServiceDefinition }).service;
}

/** Starts serving; resolves once the port is bound. */
export async function startGrpcServer(options: GrpcServeOptions): Promise<RunningGrpcServer> {
  const { api, lineage, logger } = options;
  const authenticate = grpcAuthenticator(options.keys, options.openLocalMode, logger);
  const buckets = options.rateLimit.perSecond > 0 ? callerBucketsFor(options.rateLimit, logger) : null;
  const definition = serviceDefinition();

  // A method without a handler still authenticates its caller first, then answers UNIMPLEMENTED.
  const call = (method: string, handler: UnaryHandler<never> | undefined): grpc.handleUnaryCall<object, object> =>
    (unary, respond) => {
      const start = performance.now();
      let caller: Caller | undefined;
      const finish = (code: grpc.status, error?: unknown): void => {
        options.metrics?.grpcCallDone(method, grpcStatusName(code), (performance.now() - start) / 1000);
        logger.info({
          method, durationMs: Math.round((performance.now() - start) * 10) / 10, status: grpcStatusName(code),
          keyId: caller?.keyId ?? null, role: caller?.role ?? null,
        }, 'grpc call');
        if (error !== undefined) logger.error({ err: error, method }, 'unexpected error (masked for the client)');
      };
      void (async () => {
        caller = await authenticate({ metadata: unary.metadata, peer: unary.getPeer(), clientCertificate: peerCertificateOf(unary) });
        authorizeGrpcCall(caller, method);
        if (buckets) {
          const key = caller.keyId ? `key:${caller.keyId}` : `address:${peerAddress(unary.getPeer()) ?? 'unknown'}`;
          const waitMs = await buckets.take(key);
          if (waitMs > 0) options.metrics?.rateLimitRefused('grpc');
          if (waitMs > 0) throw new GrpcAccessRefusal('RATE_LIMITED', `too many calls: at most ${options.rateLimit.perSecond} a second (bursts of ${options.rateLimit.burst}); retry in ${Math.ceil(waitMs / 1000)} s`);
        }
        if (handler === undefined) return null;
        const ctx: GrpcCallContext = { api, lineage, writer: writeActorFor(caller) };
        const run = (): Promise<object> => (handler as UnaryHandler<object>)(unary.request, ctx);
        // A write is one transaction, all or nothing, as one GraphQL mutation is.
        return grpcRuleOf(method) === 'write' ? api.store.inOneTransaction(run) : run();
      })().then((response) => {
        if (response === null) {
          finish(grpc.status.UNIMPLEMENTED);
          respond({ code: grpc.status.UNIMPLEMENTED, details: `${method} is not served by Data Journey yet` });
          return;
        }
        finish(grpc.status.OK);
        respond(null, response);
      }, (error: unknown) => {
        const status = toGrpcStatus(error);
        finish(status.code, status.unexpected ? error : undefined);
        respond({ code: status.code, details: status.details });
      });
    };

  const implementation: grpc.UntypedServiceImplementation = {};
  for (const method of Object.keys(definition)) implementation[method] = call(method, HANDLERS[method]);

  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxReceiveBytes,
    'grpc.max_send_message_length': options.maxSendBytes,
  });
  server.addService(definition, implementation);
  const host = options.host ?? '127.0.0.1';
  const bindHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  // Checked before the bind: unusable TLS files stop the start instead of every handshake.
  const credentials = options.tls ? grpcServerCredentials(options.tls) : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${bindHost}:${options.port}`, credentials, (err, bound) => (err ? reject(err) : resolve(bound)));
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const deadline = setTimeout(() => server.forceShutdown(), options.shutdownGraceMs ?? 10_000);
      deadline.unref();
      server.tryShutdown(() => {
        clearTimeout(deadline);
        resolve();
      });
    });
    return closing;
  };
  return { address: `${bindHost}:${port}`, port, transport: options.tls ? 'tls' : 'plaintext', close };
}

/** The DER of the call's client certificate, present only once the TLS layer verified it against the client CA. */
function peerCertificateOf(call: grpc.ServerUnaryCall<object, object>): Buffer | null {
  const certificate = call.getAuthContext().sslPeerCertificate;
  return certificate?.raw && certificate.raw.length > 0 ? certificate.raw : null;
}
