/**
 * The import concern of a SQLite StoreTx (ImportOriginTx, src/graph/import-origins.ts):
 * the import_origins table (made by migration 6) and its prepared statements.
 */
import type { ImportOrigin, ImportOriginTx } from '../import-origins.js';
import type { NodeKind } from '../model.js';
import type { PreparedStatement, SqliteExecutor } from './sqlite-executor.js';
import type { TxLife } from './sqlite-tx-life.js';

export const IMPORT_ORIGIN_SQL = {
  // The node must still exist: a row whose node was deleted went with it (ON DELETE CASCADE).
  importedNodeIds: `SELECT j.key AS idx, o.node_uuid AS node_id
    FROM json_each(:ids) AS j CROSS JOIN import_origins AS o
    ON o.source = :source AND o.kind = :kind AND o.source_id = j.value`,
  // One statement for a whole batch: pairs [sourceId, nodeId] as one JSON array. (`WHERE true`
  // tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join.)
  recordImportOrigins: `INSERT INTO import_origins (source, kind, source_id, node_uuid)
    SELECT :source, :kind, j.value ->> 0, j.value ->> 1 FROM json_each(:origins) AS j WHERE true
    ON CONFLICT (source, kind, source_id) DO UPDATE SET node_uuid = excluded.node_uuid`,
  countImportedNodes: 'SELECT count(*) AS count FROM import_origins WHERE source = :source AND kind = :kind',
} as const;

export type ImportOriginStatements = Record<keyof typeof IMPORT_ORIGIN_SQL, PreparedStatement>;

/** Prepares the import statements on `executor`'s connection, once the schema is applied. */
export function prepareImportOrigins(executor: SqliteExecutor): ImportOriginStatements {
  return {
    importedNodeIds: executor.prepare(IMPORT_ORIGIN_SQL.importedNodeIds),
    recordImportOrigins: executor.prepare(IMPORT_ORIGIN_SQL.recordImportOrigins),
    countImportedNodes: executor.prepare(IMPORT_ORIGIN_SQL.countImportedNodes),
  };
}

/** The import part of one transaction's view; unusable once the transaction has ended. */
export class SqliteImportOrigins implements ImportOriginTx {
  constructor(private readonly statements: ImportOriginStatements, private readonly life: TxLife) {}

  private get sql(): ImportOriginStatements {
    this.life.check();
    return this.statements;
  }

  async importedNodeIds(source: string, kind: NodeKind, sourceIds: readonly number[]): Promise<(string | null)[]> {
    const out = new Array<string | null>(sourceIds.length).fill(null);
    if (sourceIds.length === 0) return out;
    const rows = this.sql.importedNodeIds.all<{ idx: number; node_id: string }>({ ids: JSON.stringify(sourceIds), source, kind });
    for (const row of rows) out[row.idx] = row.node_id;
    return out;
  }

  async recordImportOrigins(source: string, kind: NodeKind, origins: readonly ImportOrigin[]): Promise<void> {
    if (origins.length === 0) return;
    this.sql.recordImportOrigins.run({ source, kind, origins: JSON.stringify(origins.map((o) => [o.sourceId, o.nodeId])) });
  }

  async countImportedNodes(source: string, kind: NodeKind): Promise<number> {
    return this.sql.countImportedNodes.get<{ count: number }>({ source, kind })?.count ?? 0;
  }
}
