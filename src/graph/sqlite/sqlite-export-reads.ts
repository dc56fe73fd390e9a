/**
 * The export concern of a SQLite StoreTx (ExportReadTx, src/graph/export-reads.ts): reads
 * of mlmd_id_counters (migration 7), subject_registrations and import_origins by node page.
 */
import type { ExportReadTx, NodeImportOrigin } from '../export-reads.js';
import { MLMD_ID_SPACES, type MlmdIdSpace } from '../model.js';
import type { PreparedStatement, SqliteExecutor } from './sqlite-executor.js';
import type { TxLife } from './sqlite-tx-life.js';

export const EXPORT_READ_SQL = {
  mlmdIdsHandedOut: 'SELECT space, handed_out FROM mlmd_id_counters',
  // subject_registrations_by_artifact serves each artifact's hashes in order.
  subjectsOfArtifacts: `SELECT k.key AS idx, r.subject_hash
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value
    CROSS JOIN subject_registrations AS r ON r.artifact_id = n.node_key
    ORDER BY k.key, r.subject_hash`,
  importOriginsOfNodes: `SELECT k.key AS idx, o.source, o.source_id
    FROM json_each(:ids) AS k CROSS JOIN import_origins AS o ON o.node_uuid = k.value
    ORDER BY k.key, o.source, o.source_id`,
} as const;

export type ExportReadStatements = Record<keyof typeof EXPORT_READ_SQL, PreparedStatement>;

/** Prepares the export statements on `executor`'s connection, once the schema is applied. */
export function prepareExportReads(executor: SqliteExecutor): ExportReadStatements {
  return {
    mlmdIdsHandedOut: executor.prepare(EXPORT_READ_SQL.mlmdIdsHandedOut),
    subjectsOfArtifacts: executor.prepare(EXPORT_READ_SQL.subjectsOfArtifacts),
    importOriginsOfNodes: executor.prepare(EXPORT_READ_SQL.importOriginsOfNodes),
  };
}

/** The export part of one transaction's view; unusable once the transaction has ended. */
export class SqliteExportReads implements ExportReadTx {
  constructor(private readonly statements: ExportReadStatements, private readonly life: TxLife) {}

  private get sql(): ExportReadStatements {
    this.life.check();
    return this.statements;
  }

  async mlmdIdsHandedOut(): Promise<Record<MlmdIdSpace, number>> {
    const out = Object.fromEntries(MLMD_ID_SPACES.map((s) => [s, 0])) as Record<MlmdIdSpace, number>;
    for (const row of this.sql.mlmdIdsHandedOut.all<{ space: MlmdIdSpace; handed_out: number }>()) out[row.space] = row.handed_out;
    return out;
  }

  async subjectsOfArtifacts(artifactIds: readonly string[]): Promise<string[][]> {
    const out = artifactIds.map((): string[] => []);
    if (artifactIds.length === 0) return out;
    for (const row of this.sql.subjectsOfArtifacts.all<{ idx: number; subject_hash: string }>({ ids: JSON.stringify(artifactIds) })) {
      out[row.idx]!.push(row.subject_hash);
    }
    return out;
  }

  async importOriginsOfNodes(nodeIds: readonly string[]): Promise<NodeImportOrigin[][]> {
    const out = nodeIds.map((): NodeImportOrigin[] => []);
    if (nodeIds.length === 0) return out;
    const rows = this.sql.importOriginsOfNodes.all<{ idx: number; source: string; source_id: number }>({ ids: JSON.stringify(nodeIds) });
    for (const row of rows) out[row.idx]!.push({ source: row.source, sourceId: row.source_id });
    return out;
  }
}
