/**
 * The Neo4j side of the API keys (src/graph/key-store.ts): each key is an `:ApiKey` node
 * outside the graph (no `:Node` label), written and read by the cypher/keys/ statements.
 */
import type { ApiKeyRecord, ApiKeyTx, Role } from '../key-store.js';
import type { Row } from './neo4j-executor.js';
import type { Neo4jTransaction } from './neo4j-transaction.js';

const toFields = (key: ApiKeyRecord): Record<string, unknown> => ({
  id: key.id,
  name: key.name,
  role: key.role,
  secretHash: key.secretHash,
  createTime: key.createTime,
  expireTime: key.expireTime,
  revokeTime: key.revokeTime,
  // A null property is no property: a key without a certificate has none.
  clientCertSha256: key.clientCertSha256 ?? null,
});

function stored<T>(value: unknown, kind: 'string' | 'number', field: string): T {
  if (typeof value !== kind) throw new Error(`stored API key ${field} is not a ${kind}`);
  return value as T;
}

const optionalTime = (value: unknown, field: string): number | null =>
  value === undefined || value === null ? null : stored<number>(value, 'number', field);

function fromRow(row: Row): ApiKeyRecord {
  const f = row.fields as Record<string, unknown>;
  return {
    id: stored(f.id, 'string', 'id'),
    name: stored(f.name, 'string', 'name'),
    role: stored<Role>(f.role, 'string', 'role'),
    secretHash: stored(f.secretHash, 'string', 'secretHash'),
    createTime: stored(f.createTime, 'number', 'createTime'),
    expireTime: optionalTime(f.expireTime, 'expireTime'),
    revokeTime: optionalTime(f.revokeTime, 'revokeTime'),
    ...(f.clientCertSha256 === undefined || f.clientCertSha256 === null
      ? {} : { clientCertSha256: stored<string>(f.clientCertSha256, 'string', 'clientCertSha256') }),
  };
}

/** The ApiKeyTx methods over one transaction. */
export function neo4jApiKeys(tx: Neo4jTransaction): ApiKeyTx {
  return {
    async insertApiKeys(keys) {
      if (keys.length > 0) await tx.run('keys/insert', { rows: keys.map(toFields) });
    },

    async getApiKeys(ids) {
      if (ids.length === 0) return [];
      const found = new Map((await tx.run('keys/get', { ids: [...new Set(ids)] })).map(fromRow).map((k) => [k.id, k]));
      return ids.map((id) => found.get(id) ?? null);
    },

    async getApiKeysByClientCert(fingerprints) {
      if (fingerprints.length === 0) return [];
      return (await tx.run('keys/by-client-cert', { fingerprints: [...new Set(fingerprints)] })).map(fromRow);
    },

    async listApiKeys() {
      return (await tx.run('keys/list')).map(fromRow);
    },

    async updateApiKeys(keys) {
      if (keys.length === 0) return;
      const rows = keys.map((k) => ({ id: k.id, name: k.name, role: k.role, expireTime: k.expireTime, revokeTime: k.revokeTime }));
      await tx.run('keys/update', { rows });
    },

    async countApiKeys() {
      const [row] = await tx.run('keys/count');
      return stored<number>(row?.count ?? 0, 'number', 'count');
    },

    async lockApiKeyCreation() {
      // A read, so it is sent at once and awaited: the lock must be held before the keys are counted.
      await tx.run('keys/lock-creation');
    },
  };
}
