/**
 * The API-key concern of a SQLite StoreTx (ApiKeyTx, src/graph/key-store.ts): their table
 * (made by migration 2, its client certificate column by migration 8, both re-exported
 * here), and the prepared statements the part runs.
 */
import type { ApiKeyRecord, ApiKeyTx, Role } from '../key-store.js';
import { API_KEYS_TABLE } from './migrations/002-personal-data-and-keys.js';
import { CLIENT_CERTIFICATE_COLUMN } from './migrations/008-client-certificates.js';
import type { PreparedStatement, SqlParams, SqliteExecutor } from './sqlite-executor.js';
import type { TxLife } from './sqlite-tx-life.js';

/** The keys' table as version 2 made it (migrations/002-personal-data-and-keys.ts). */
export const API_KEYS_DDL = API_KEYS_TABLE;
/** What version 8 added to it (migrations/008-client-certificates.ts). */
export const API_KEYS_CLIENT_CERT_DDL = CLIENT_CERTIFICATE_COLUMN;

const COLUMNS = 'k.id, k.name, k.role, k.secret_hash, k.create_time, k.expire_time, k.revoke_time, k.client_cert_sha256';

export const API_KEY_SQL = {
  insertApiKey: `INSERT INTO api_keys (id, name, role, secret_hash, create_time, expire_time, revoke_time, client_cert_sha256)
    VALUES (:id, :name, :role, :secretHash, :createTime, :expireTime, :revokeTime, :clientCertSha256)`,
  getApiKeys: `SELECT j.key AS idx, ${COLUMNS}
    FROM json_each(:ids) AS j CROSS JOIN api_keys AS k ON k.id = j.value`,
  // The partial index (migration 8) answers: the IS NOT NULL term lets the planner use it.
  getApiKeysByClientCert: `SELECT ${COLUMNS}
    FROM api_keys AS k
    WHERE k.client_cert_sha256 IS NOT NULL AND k.client_cert_sha256 IN (SELECT value FROM json_each(:fingerprints))
    ORDER BY k.create_time, k.id`,
  listApiKeys: `SELECT ${COLUMNS} FROM api_keys AS k ORDER BY k.create_time, k.id`,
  updateApiKey: `UPDATE api_keys SET name = :name, role = :role, expire_time = :expireTime, revoke_time = :revokeTime
    WHERE id = :id`,
  countApiKeys: 'SELECT count(*) AS count FROM api_keys',
} as const;

type ApiKeyStatementName = keyof typeof API_KEY_SQL;

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  secret_hash: string;
  create_time: number;
  expire_time: number | null;
  revoke_time: number | null;
  client_cert_sha256: string | null;
}

const fromRow = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  secretHash: row.secret_hash,
  createTime: row.create_time,
  expireTime: row.expire_time,
  revokeTime: row.revoke_time,
  // Absent, not null, when the key has no certificate (the record's shape).
  ...(row.client_cert_sha256 === null ? {} : { clientCertSha256: row.client_cert_sha256 }),
});

const toParams = (key: ApiKeyRecord): SqlParams => ({
  id: key.id,
  name: key.name,
  role: key.role,
  secretHash: key.secretHash,
  createTime: key.createTime,
  expireTime: key.expireTime,
  revokeTime: key.revokeTime,
  clientCertSha256: key.clientCertSha256 ?? null,
});

export type ApiKeyStatements = Record<ApiKeyStatementName, PreparedStatement>;

/** Prepares the key statements on `executor`'s connection, once the schema is applied. */
export function prepareApiKeys(executor: SqliteExecutor): ApiKeyStatements {
  const uniqueness = 'an API key with the same id already exists';
  return {
    insertApiKey: executor.prepare(API_KEY_SQL.insertApiKey, uniqueness),
    getApiKeys: executor.prepare(API_KEY_SQL.getApiKeys),
    getApiKeysByClientCert: executor.prepare(API_KEY_SQL.getApiKeysByClientCert),
    listApiKeys: executor.prepare(API_KEY_SQL.listApiKeys),
    updateApiKey: executor.prepare(API_KEY_SQL.updateApiKey),
    countApiKeys: executor.prepare(API_KEY_SQL.countApiKeys),
  };
}

/** The key part of one transaction's view; unusable once the transaction has ended. */
export class SqliteApiKeys implements ApiKeyTx {
  constructor(private readonly statements: ApiKeyStatements, private readonly life: TxLife) {}

  private get sql(): ApiKeyStatements {
    this.life.check();
    return this.statements;
  }

  async insertApiKeys(keys: readonly ApiKeyRecord[]): Promise<void> {
    const sql = this.sql;
    for (const key of keys) sql.insertApiKey.run(toParams(key));
  }

  async getApiKeys(ids: readonly string[]): Promise<(ApiKeyRecord | null)[]> {
    const out = new Array<ApiKeyRecord | null>(ids.length).fill(null);
    for (const row of this.sql.getApiKeys.all<ApiKeyRow & { idx: number }>({ ids: JSON.stringify(ids) })) out[row.idx] = fromRow(row);
    return out;
  }

  async getApiKeysByClientCert(fingerprints: readonly string[]): Promise<ApiKeyRecord[]> {
    if (fingerprints.length === 0) return [];
    return this.sql.getApiKeysByClientCert.all<ApiKeyRow>({ fingerprints: JSON.stringify(fingerprints) }).map(fromRow);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.sql.listApiKeys.all<ApiKeyRow>().map(fromRow);
  }

  async updateApiKeys(keys: readonly ApiKeyRecord[]): Promise<void> {
    const sql = this.sql;
    for (const k of keys) {
      sql.updateApiKey.run({ id: k.id, name: k.name, role: k.role, expireTime: k.expireTime, revokeTime: k.revokeTime });
    }
  }

  async countApiKeys(): Promise<number> {
    return this.sql.countApiKeys.get<{ count: number }>()?.count ?? 0;
  }

  /** Nothing to take: a write transaction (BEGIN IMMEDIATE) already excludes every other writer of the file, in any process. */
  async lockApiKeyCreation(): Promise<void> {}
}
