/**
 * The history concern of a SQLite StoreTx (NodeHistoryTx, src/graph/history-store.ts): the
 * node_history table (migration 9), which `updateNodes` (sqlite-graph.ts) fills, and the
 * statements that read it. A replaced row holds only what an update may change; the node's
 * row gives the rest (uuid, kind, type, ML Metadata id, create time).
 */
import { historyEntries, type NodeHistoryEntry, type NodeHistoryTx } from '../history-store.js';
import type { NodeRecord } from '../model.js';
import type { PreparedStatement, SqliteExecutor } from './sqlite-executor.js';
import { nodeFromRow, type NodeRow } from './sqlite-graph.js';
import { NODE_COLUMNS, NODE_TYPE } from './sqlite-statements.js';
import type { TxLife } from './sqlite-tx-life.js';

/**
 * A node row's columns in NODE_COLUMNS' order (the compound SELECT below lines its branches
 * up by position), each that an update may change written by `changing`, the rest (uuid,
 * kind, type, ML Metadata id, create time) read from the node's row `n`.
 */
const columns = (changing: (column: string) => string): string => `n.uuid AS id, n.mlmd_id, n.kind, nt.uuid AS type_id,
  ${['name', 'external_id', 'uri', 'state', 'last_known_state', 'properties', 'custom_properties'].map(changing).join(', ')},
  n.create_time, ${['update_time', 'personal_data', 'privacy'].map(changing).join(', ')}`;

export const HISTORY_SQL = {
  /**
   * Each node as it stood at :asOf: the earliest replaced row with valid_to > :asOf (one seek
   * on node_history_by_node), else the node's row; nothing for a node created after :asOf.
   */
  nodesAsOf: `SELECT k.key AS idx, ${columns((c) => `iif(h.history_key IS NULL, n.${c}, h.${c}) AS ${c}`)}
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value ${NODE_TYPE}
    LEFT JOIN node_history AS h ON h.history_key = (
      SELECT h2.history_key FROM node_history AS h2
      WHERE h2.node_key = n.node_key AND h2.valid_to > :asOf
      ORDER BY h2.valid_to, h2.history_key LIMIT 1)
    WHERE n.create_time <= :asOf`,
  /** Each node's replaced rows in order, then its current row (valid_to NULL). */
  nodeHistories: `SELECT k.key AS idx, ${columns((c) => `h.${c}`)},
      h.valid_to, h.history_key AS seq, 0 AS current
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value ${NODE_TYPE}
    CROSS JOIN node_history AS h ON h.node_key = n.node_key
    UNION ALL
    SELECT k.key AS idx, ${NODE_COLUMNS}, NULL AS valid_to, NULL AS seq, 1 AS current
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value ${NODE_TYPE}
    ORDER BY idx, current, valid_to, seq`,
  deleteNodeHistories: `DELETE FROM node_history WHERE node_key IN (
      SELECT n.node_key FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value)`,
} as const;

export type HistoryStatements = Record<keyof typeof HISTORY_SQL, PreparedStatement>;

/** Prepares the history statements on `executor`'s connection, once the schema is applied. */
export function prepareHistory(executor: SqliteExecutor): HistoryStatements {
  return {
    nodesAsOf: executor.prepare(HISTORY_SQL.nodesAsOf),
    nodeHistories: executor.prepare(HISTORY_SQL.nodeHistories),
    deleteNodeHistories: executor.prepare(HISTORY_SQL.deleteNodeHistories),
  };
}

type HistoryRow = NodeRow & { idx: number; valid_to: number | null };

/** The history part of one transaction's view; unusable once the transaction has ended. */
export class SqliteNodeHistory implements NodeHistoryTx {
  constructor(private readonly statements: HistoryStatements, private readonly life: TxLife) {}

  private get sql(): HistoryStatements {
    this.life.check();
    return this.statements;
  }

  async nodesAsOf(ids: readonly string[], asOf: number): Promise<(NodeRecord | null)[]> {
    const out = new Array<NodeRecord | null>(ids.length).fill(null);
    if (ids.length === 0) return out;
    for (const row of this.sql.nodesAsOf.all<NodeRow & { idx: number }>({ ids: JSON.stringify(ids), asOf })) {
      out[row.idx] = nodeFromRow(row);
    }
    return out;
  }

  async nodeHistories(ids: readonly string[]): Promise<NodeHistoryEntry[][]> {
    const replaced = ids.map((): { record: NodeRecord; validTo: number }[] => []);
    const out = ids.map((): NodeHistoryEntry[] => []);
    if (ids.length === 0) return out;
    for (const row of this.sql.nodeHistories.all<HistoryRow>({ ids: JSON.stringify(ids) })) {
      if (row.valid_to !== null) replaced[row.idx]!.push({ record: nodeFromRow(row), validTo: row.valid_to });
      else out[row.idx] = historyEntries(replaced[row.idx]!, nodeFromRow(row));
    }
    return out;
  }

  async deleteNodeHistories(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.sql.deleteNodeHistories.run({ ids: JSON.stringify(ids) });
  }
}
