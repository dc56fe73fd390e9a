/**
 * TLS client certificates as API keys know them: by the SHA-256 of the certificate's DER
 * (what `openssl x509 -noout -fingerprint -sha256` prints, here as lowercase hex without
 * colons). The certificate itself is never stored: the fingerprint names it exactly, and
 * the server trusts a presented certificate only once its TLS layer has checked it against
 * JOURNEY_GRPC_TLS_CLIENT_CA, so a fingerprint alone cannot be used to pass as a key.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { InvalidArgumentError } from '../../graph/errors.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/g;

/** Lowercase hex SHA-256 of a certificate's DER bytes. */
export const derFingerprint = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');

/**
 * The fingerprint of the one PEM certificate in `pem`; InvalidArgumentError naming
 * `field` when the text holds no certificate, several (a chain: which one would the key
 * stand for?), or one that does not parse.
 */
export function clientCertificateFingerprint(pem: string, field = 'clientCertificate'): string {
  const count = typeof pem === 'string' ? (pem.match(PEM_CERTIFICATE) ?? []).length : 0;
  if (count !== 1) {
    throw new InvalidArgumentError(
      `${field} must hold one PEM certificate (-----BEGIN CERTIFICATE-----), found ${count}`, field,
    );
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch (error) {
    throw new InvalidArgumentError(`${field} is not a readable X.509 certificate: ${(error as Error).message}`, field);
  }
  return derFingerprint(certificate.raw);
}
