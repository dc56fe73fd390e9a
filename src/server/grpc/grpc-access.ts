/**
 * Who is calling over gRPC, decided as over HTTP (src/server/auth.ts): an API key as
 * `authorization: Bearer <key>` metadata, checked by the same key service; without one,
 * open local mode serves a caller on loopback while no key exists, as the editor role.
 * Refusals are UNAUTHENTICATED. What the caller may then do is authorization.ts's.
 */
import type { Metadata } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { ApiKeyApi, Caller } from '../../service/keys/api-keys.js';
import { BEARER, isLoopbackHost, OPEN_LOCAL_CALLER, openLocalModeWatch } from '../auth.js';
import { GrpcAccessRefusal } from '../error-codes.js';

/** The address part of grpc-js's peer text: "127.0.0.1:5000", "[::1]:5000" (a unix socket's path has none). */
export function peerAddress(peer: string): string | null {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):\d+$/.exec(peer);
  return match ? (match[1] ?? match[2]!) : null;
}

/** Decides the caller of each call; one instance per server. */
export function grpcAuthenticator(keys: ApiKeyApi, openLocalMode: boolean, logger: Logger): (metadata: Metadata, peer: string) => Promise<Caller> {
  const stillOpen = openLocalModeWatch(keys, openLocalMode, logger);
  return async (metadata, peer) => {
    const given = metadata.get('authorization');
    if (given.length === 0) {
      const address = peerAddress(peer);
      if ((await stillOpen()) && address !== null && isLoopbackHost(address)) return OPEN_LOCAL_CALLER;
      throw new GrpcAccessRefusal('UNAUTHENTICATED', 'an API key is required: send it as authorization: Bearer <key> metadata');
    }
    const token = given.length === 1 && typeof given[0] === 'string' ? BEARER.exec(given[0])?.[1] : undefined;
    if (token === undefined) throw new GrpcAccessRefusal('UNAUTHENTICATED', 'the authorization metadata must be one Bearer <key>');
    const result = await keys.authenticate(token);
    if (result.ok) return result.caller;
    logger.info({ reason: result.reason, keyId: result.keyId }, 'grpc call refused: not authenticated');
    // One message for every reason: a caller learns nothing about which keys exist.
    throw new GrpcAccessRefusal('UNAUTHENTICATED', 'the API key is not valid: it is unknown, expired or revoked');
  };
}
