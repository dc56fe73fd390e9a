/**
 * The SQLite side of the API keys (src/graph/key-store.ts): their table, created next to
 * the graph's by the store, and the prepared statements the transaction view runs.
 */
import { ROLES, type ApiKeyRecord, type Role } from '../key-store.js';
import type { PreparedStatement, SqlParams, SqliteExecutor } from './sqlite-executor.js';

/** A table of its own: keys are not part of the graph, and an older build ignores it. */
export const API_KEYS_DDL = `
CREATE TABLE IF NOT EXISTS api_keys (
  id          TEXT NOT NULL PRIMARY KEY,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN (${ROLES.map((r) => `'${r}'`).join(', ')})),
  secret_hash TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  expire_time INTEGER,
  revoke_time INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS api_keys_by_create_time ON api_keys (create_time, id);
`;

const COLUMNS = 'k.id, k.name, k.role, k.secret_hash, k.create_time, k.expire_time, k.revoke_time';

export const API_KEY_SQL = {
  insertApiKey: `INSERT INTO api_keys (id, name, role, secret_hash, create_time, expire_time, revoke_time)
    VALUES (:id, :name, :role, :secretHash, :createTime, :expireTime, :revokeTime)`,
  getApiKeys: `SELECT j.key AS idx, ${COLUMNS}
    FROM json_each(:ids) AS j CROSS JOIN api_keys AS k ON k.id = j.value`,
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
}

const fromRow = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  secretHash: row.secret_hash,
  createTime: row.create_time,
  expireTime: row.expire_time,
  revokeTime: row.revoke_time,
});

const toParams = (key: ApiKeyRecord): SqlParams => ({
  id: key.id,
  name: key.name,
  role: key.role,
  secretHash: key.secretHash,
  createTime: key.createTime,
  expireTime: key.expireTime,
  revokeTime: key.revokeTime,
});

/** Creates the api_keys table if it is missing, in a write transaction of its own. */
export async function applyApiKeySchema(executor: SqliteExecutor): Promise<void> {
  await executor.write(async () => executor.execScript(API_KEYS_DDL));
}

/** The key statements, prepared once per store; call after applyApiKeySchema. */
export class SqliteApiKeys {
  private readonly sql: Record<ApiKeyStatementName, PreparedStatement>;

  constructor(executor: SqliteExecutor) {
    const uniqueness = 'an API key with the same id already exists';
    this.sql = {
      insertApiKey: executor.prepare(API_KEY_SQL.insertApiKey, uniqueness),
      getApiKeys: executor.prepare(API_KEY_SQL.getApiKeys),
      listApiKeys: executor.prepare(API_KEY_SQL.listApiKeys),
      updateApiKey: executor.prepare(API_KEY_SQL.updateApiKey),
      countApiKeys: executor.prepare(API_KEY_SQL.countApiKeys),
    };
  }

  insert(keys: readonly ApiKeyRecord[]): void {
    for (const key of keys) this.sql.insertApiKey.run(toParams(key));
  }

  get(ids: readonly string[]): (ApiKeyRecord | null)[] {
    const out = new Array<ApiKeyRecord | null>(ids.length).fill(null);
    for (const row of this.sql.getApiKeys.all<ApiKeyRow & { idx: number }>({ ids: JSON.stringify(ids) })) out[row.idx] = fromRow(row);
    return out;
  }

  list(): ApiKeyRecord[] {
    return this.sql.listApiKeys.all<ApiKeyRow>().map(fromRow);
  }

  update(keys: readonly ApiKeyRecord[]): void {
    for (const k of keys) {
      this.sql.updateApiKey.run({ id: k.id, name: k.name, role: k.role, expireTime: k.expireTime, revokeTime: k.revokeTime });
    }
  }

  count(): number {
    return this.sql.countApiKeys.get<{ count: number }>()?.count ?? 0;
  }
}
