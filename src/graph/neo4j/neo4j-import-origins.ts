/**
 * The Neo4j side of import origins (src/graph/import-origins.ts): each is an
 * `:ImportOrigin` node outside the graph (no `:Node` label) keyed by the JSON text of
 * [source, kind, source id], written and read by the cypher/import/ statements.
 */
import type { ImportOriginTx } from '../import-origins.js';
import type { NodeKind } from '../model.js';
import type { Neo4jTransaction } from './neo4j-transaction.js';

const originKey = (source: string, kind: NodeKind, sourceId: number): string => JSON.stringify([source, kind, sourceId]);

/** The ImportOriginTx methods over one transaction. */
export function neo4jImportOrigins(tx: Neo4jTransaction): ImportOriginTx {
  return {
    async importedNodeIds(source, kind, sourceIds) {
      if (sourceIds.length === 0) return [];
      const keys = sourceIds.map((id) => originKey(source, kind, id));
      const rows = await tx.runBatched('import/imported-node-ids', 'keys', [...new Set(keys)]);
      const found = new Map(rows.map((r) => [r.key as string, r.nodeId as string]));
      return keys.map((k) => found.get(k) ?? null);
    },

    async recordImportOrigins(source, kind, origins) {
      tx.write('import/record-origins', {
        rows: origins.map((o) => ({ key: originKey(source, kind, o.sourceId), source, kind, sourceId: o.sourceId, nodeId: o.nodeId })),
      });
    },

    async countImportedNodes(source, kind) {
      const [row] = await tx.run('import/count-imported', { source, kind });
      return typeof row?.count === 'number' ? row.count : 0;
    },
  };
}
