/**
 * Version 6: an API key may stand for a TLS client certificate (the gRPC face's mutual
 * TLS), kept as `clientCertSha256` on its `:ApiKey` node; the index finds the keys of a
 * presented certificate in one seek. Not unique: a certificate may pass from an expired
 * or revoked key to a new one (src/service/keys/api-keys.ts).
 */
import type { Neo4jMigration } from './migration.js';

export const clientCertificates: Neo4jMigration = {
  version: 6,
  name: 'client certificates of API keys',
  schema: ['schema/index-api-key-client-cert'],
};
