/**
 * A Node gRPC client of MetadataStoreService for tests that need what ML Metadata's
 * Python client cannot send (authorization metadata) or check (statuses, logs) at once.
 */
import * as grpc from '@grpc/grpc-js';
import { loadMlmdPackage } from '../../src/server/grpc/mlmd-protos.js';

export interface CallResult { ok?: Record<string, unknown>; code?: grpc.status; details?: string }

export interface MlmdClient {
  /** Calls `method` with `request`, sending `key` as a bearer token when given; never throws. */
  call(method: string, request: object, key?: string): Promise<CallResult>;
  close(): void;
}

/** A client of the server at `address`; each call's deadline is `deadlineMs` (default 20 s) away. */
export function mlmdClient(address: string, deadlineMs = 20_000): MlmdClient {
  const loaded = grpc.loadPackageDefinition(loadMlmdPackage()) as unknown as { ml_metadata: { MetadataStoreService: grpc.ServiceClientConstructor } };
  const client = new loaded.ml_metadata.MetadataStoreService(address, grpc.credentials.createInsecure());
  return {
    call(method, request, key) {
      const metadata = new grpc.Metadata();
      if (key !== undefined) metadata.set('authorization', `Bearer ${key}`);
      return new Promise((resolve) => {
        (client[method] as (r: object, m: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, v: Record<string, unknown>) => void) => void)
          .call(client, request, metadata, { deadline: Date.now() + deadlineMs }, (error, value) => {
            resolve(error ? { code: error.code, details: error.details } : { ok: value });
          });
      });
    },
    close: () => client.close(),
  };
}
