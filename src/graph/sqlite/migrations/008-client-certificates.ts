/**
 * Version 8: an API key may stand for a TLS client certificate (the gRPC face's mutual
 * TLS). The key keeps the SHA-256 of the certificate's DER, never the certificate; the
 * index finds the keys of a presented certificate in one read. Not unique: a certificate
 * may pass from an expired or revoked key to a new one (src/service/keys/api-keys.ts).
 */
import type { SqliteMigration } from './migration.js';

export const CLIENT_CERTIFICATE_COLUMN = `
ALTER TABLE api_keys ADD COLUMN client_cert_sha256 TEXT;
CREATE INDEX api_keys_by_client_cert ON api_keys (client_cert_sha256) WHERE client_cert_sha256 IS NOT NULL;
`;

export const clientCertificates: SqliteMigration = {
  version: 8,
  name: 'client certificates of API keys',
  script: CLIENT_CERTIFICATE_COLUMN,
};
