/**
 * The Neo4j side of the API keys (src/graph/key-store.ts): each key is an `:ApiKey` node
 * outside the graph (no `:Node` label), written and read by the cypher/keys/ statements.
 */
import type { ApiKeyRecord, Role } from '../key-store.js';
import type { StatementName } from './cypher-statements.js';
import type { Params, Row } from './neo4j-executor.js';

/** Runs one statement of cypher/ in the current transaction. */
type RunStatement = (name: StatementName, params?: Params) => Promise<Row[]>;

const toFields = (key: ApiKeyRecord): Record<string, unknown> => ({
  id: key.id,
  name: key.name,
  role: key.role,
  secretHash: key.secretHash,
  createTime: key.createTime,
  expireTime: key.expireTime,
  revokeTime: key.revokeTime,
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
  };
}

/** The ApiKeyTx methods over one transaction's statement runner. */
export class Neo4jApiKeys {
  constructor(private readonly run: RunStatement) {}

  async insert(keys: readonly ApiKeyRecord[]): Promise<void> {
    if (keys.length > 0) await this.run('keys/insert', { rows: keys.map(toFields) });
  }

  async get(ids: readonly string[]): Promise<(ApiKeyRecord | null)[]> {
    if (ids.length === 0) return [];
    const found = new Map((await this.run('keys/get', { ids: [...new Set(ids)] })).map(fromRow).map((k) => [k.id, k]));
    return ids.map((id) => found.get(id) ?? null);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.run('keys/list')).map(fromRow);
  }

  async update(keys: readonly ApiKeyRecord[]): Promise<void> {
    if (keys.length === 0) return;
    const rows = keys.map((k) => ({ id: k.id, name: k.name, role: k.role, expireTime: k.expireTime, revokeTime: k.revokeTime }));
    await this.run('keys/update', { rows });
  }

  async count(): Promise<number> {
    const [row] = await this.run('keys/count');
    return stored<number>(row?.count ?? 0, 'number', 'count');
  }
}
