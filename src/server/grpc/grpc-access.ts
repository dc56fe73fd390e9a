/**
 * Who is calling over gRPC, decided as over HTTP (src/server/auth.ts): an API key as
 * `authorization: Bearer <key>` metadata, checked by the same key service; without one,
 * over TLS (grpc-tls.ts), the client certificate the TLS layer verified, as the key it is
 * mapped to (`journey keys create --client-cert`): ML Metadata's client cannot send
 * metadata, only a certificate. With neither, open local mode serves a caller on loopback
 * while no key exists, as the editor role. A credential that is presented is always
 * checked, so a certificate mapped to no live key is refused even in open local mode.
 * Refusals are UNAUTHENTICATED. What the caller may then do is authorization.ts's.
 */
import type { Metadata } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { ApiKeyApi, Authentication, Caller } from '../../service/keys/api-keys.js';
import { derFingerprint } from '../../service/keys/client-certificates.js';
import { BEARER, isLoopbackHost, OPEN_LOCAL_CALLER, openLocalModeWatch } from '../auth.js';
import { GrpcAccessRefusal } from '../error-codes.js';

/** The address part of grpc-js's peer text: "127.0.0.1:5000", "[::1]:5000" (a unix socket's path has none). */
export function peerAddress(peer: string): string | null {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):\d+$/.exec(peer);
  return match ? (match[1] ?? match[2]!) : null;
}

/** What a call brings to be identified by. */
export interface GrpcCredentials {
  metadata: Metadata;
  /** grpc-js's peer text ("127.0.0.1:5000"). */
  peer: string;
  /** The DER of the client certificate the TLS layer verified against the client CA; null when none (or plaintext). */
  clientCertificate: Buffer | null;
}

/** Decides the caller of each call; one instance per server. */
export function grpcAuthenticator(keys: ApiKeyApi, openLocalMode: boolean, logger: Logger): (call: GrpcCredentials) => Promise<Caller> {
  const stillOpen = openLocalModeWatch(keys, openLocalMode, logger);
  return async ({ metadata, peer, clientCertificate }) => {
    const given = metadata.get('authorization');
    if (given.length === 0 && clientCertificate !== null) {
      return accepted(await keys.authenticateCertificate(derFingerprint(clientCertificate)), 'client certificate',
        'the client certificate is not mapped to a valid API key: it is unknown, or its key expired or was revoked');
    }
    if (given.length === 0) {
      const address = peerAddress(peer);
      if ((await stillOpen()) && address !== null && isLoopbackHost(address)) return OPEN_LOCAL_CALLER;
      throw new GrpcAccessRefusal('UNAUTHENTICATED', 'an API key is required: send it as authorization: Bearer <key> metadata, or connect over TLS with a client certificate mapped to a key');
    }
    const token = given.length === 1 && typeof given[0] === 'string' ? BEARER.exec(given[0])?.[1] : undefined;
    if (token === undefined) throw new GrpcAccessRefusal('UNAUTHENTICATED', 'the authorization metadata must be one Bearer <key>');
    // One message for every reason: a caller learns nothing about which keys exist.
    return accepted(await keys.authenticate(token), 'bearer key', 'the API key is not valid: it is unknown, expired or revoked');
  };

  /** The caller, or a refusal logged with the key's id (never the certificate or the token). */
  function accepted(result: Authentication, credential: string, refusal: string): Caller {
    if (result.ok) return result.caller;
    logger.info({ reason: result.reason, keyId: result.keyId, credential }, 'grpc call refused: not authenticated');
    throw new GrpcAccessRefusal('UNAUTHENTICATED', refusal);
  }
}
