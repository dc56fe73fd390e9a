/**
 * The Neo4j side of node history (src/graph/history-store.ts): each replaced record is a
 * `(:NodeHistory)` node outside the graph (no `:Node` label), a copy of the node's
 * properties with `validTo` and `seq`, made by cypher/nodes/update.cypher under the node's
 * write lock and read by the cypher/history/ statements.
 */
import { historyEntries, type NodeHistoryTx } from '../history-store.js';
import { unique } from './neo4j-batches.js';
import { nodeFromList } from './neo4j-records.js';
import type { Neo4jTransaction } from './neo4j-transaction.js';
import type { NodeRecord } from '../model.js';

/** The NodeHistoryTx methods over one transaction. */
export function neo4jNodeHistory(tx: Neo4jTransaction): NodeHistoryTx {
  return {
    async nodesAsOf(ids, asOf) {
      if (ids.length === 0) return [];
      const rows = await tx.runBatched('history/nodes-as-of', 'ids', unique(ids), { asOf });
      const found = new Map<string, NodeRecord>();
      for (const row of rows) for (const list of row.nodes as unknown[]) {
        const record = nodeFromList(list);
        found.set(record.id, record);
      }
      return ids.map((id) => found.get(id) ?? null);
    },

    async nodeHistories(ids) {
      if (ids.length === 0) return [];
      const rows = await tx.runBatched('history/node-histories', 'ids', unique(ids));
      const found = new Map(rows.map((row) => {
        const replaced = (row.replaced as [number, unknown][]).map(([validTo, list]) => ({ record: nodeFromList(list), validTo }));
        return [row.id as string, historyEntries(replaced, nodeFromList(row.current))] as const;
      }));
      return ids.map((id) => found.get(id) ?? []);
    },

    async deleteNodeHistories(ids) {
      if (ids.length === 0) return 0;
      const rows = await tx.runBatched('history/delete', 'ids', unique(ids));
      return rows.reduce((sum, row) => sum + (row.deleted as number), 0);
    },
  };
}
