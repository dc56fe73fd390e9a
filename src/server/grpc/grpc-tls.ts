/**
 * The gRPC port's TLS (JOURNEY_GRPC_TLS_CERT, _KEY, _CLIENT_CA): the server proves itself
 * with its certificate and asks every client for one signed by the client CA.
 *
 * It asks, without demanding: grpc-js's `ServerCredentials.createSsl(ca, pairs, true)`
 * would end a handshake without a client certificate, so a client that sends a bearer key
 * over TLS instead could not connect, and a client with neither would see UNAVAILABLE
 * rather than UNAUTHENTICATED. So the credentials are grpc-js's certificate-provider ones
 * with `requireClientCertificate` false (Node's requestCert without rejectUnauthorized).
 * A certificate the client CA did not sign then reaches no one: grpc-js's
 * `getAuthContext()` gives a peer certificate only when the TLS layer verified it, and
 * grpc-access.ts treats a call without one as a call without a certificate.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { experimental, type ServerCredentials } from '@grpc/grpc-js';

/** The PEM contents of the gRPC port's TLS files, as src/config.ts reads them at start. */
export interface GrpcTlsFiles {
  /** JOURNEY_GRPC_TLS_CERT: the server's certificate (chain). */
  certificate: Buffer;
  /** JOURNEY_GRPC_TLS_KEY: its private key. */
  privateKey: Buffer;
  /** JOURNEY_GRPC_TLS_CLIENT_CA: the CA certificate(s) that sign client certificates. */
  clientCa: Buffer;
}

/**
 * Credentials serving `files`; an Error naming the variable when a file holds no usable
 * certificate or key, or the key is not the certificate's.
 */
export function grpcServerCredentials(files: GrpcTlsFiles): ServerCredentials {
  check('JOURNEY_GRPC_TLS_CERT', 'a PEM certificate', () => new X509Certificate(files.certificate));
  check('JOURNEY_GRPC_TLS_KEY', 'a PEM private key', () => createPrivateKey(files.privateKey));
  check('JOURNEY_GRPC_TLS_CLIENT_CA', 'a PEM CA certificate', () => new X509Certificate(files.clientCa));
  check('JOURNEY_GRPC_TLS_KEY', "the private key of JOURNEY_GRPC_TLS_CERT's certificate", () =>
    createSecureContext({ cert: files.certificate, key: files.privateKey, ca: files.clientCa }));
  const provider = staticCertificates(files);
  // One provider serves both parts; grpc-js takes the identity provider first, then the CA's.
  return experimental.createCertificateProviderServerCredentials(provider, provider, false);
}

function check(variable: string, what: string, attempt: () => unknown): void {
  try {
    attempt();
  } catch (error) {
    throw new Error(`${variable} must hold ${what}: ${(error as Error).message}`);
  }
}

/**
 * The files as read at start, handed to each listener (grpc-js sets its TLS context from
 * them). On the next tick, not at once: grpc-js registers its listeners before the watcher
 * that applies their update, so an update given during registration would be lost and
 * every connection dropped as "unloaded credentials". The bind resolves later still.
 */
function staticCertificates(files: GrpcTlsFiles): experimental.CertificateProvider {
  const identity = { certificate: files.certificate, privateKey: files.privateKey };
  const ca = { caCertificate: files.clientCa };
  return {
    addCaCertificateListener: (listener) => process.nextTick(listener, ca),
    removeCaCertificateListener: () => {},
    addIdentityCertificateListener: (listener) => process.nextTick(listener, identity),
    removeIdentityCertificateListener: () => {},
  };
}
