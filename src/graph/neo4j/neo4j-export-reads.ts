/**
 * The Neo4j side of the export reads (src/graph/export-reads.ts), run by the cypher/export/
 * statements: the id counters, registrations and import origins of a page of nodes.
 */
import type { ExportReadTx, NodeImportOrigin } from '../export-reads.js';
import { MLMD_ID_SPACES, type MlmdIdSpace } from '../model.js';
import { BATCH_SIZE, chunks, grouped, unique } from './neo4j-batches.js';
import type { Neo4jTransaction } from './neo4j-transaction.js';
import { storedNumber, storedText } from './neo4j-records.js';

/** The ExportReadTx methods over one transaction. */
export function neo4jExportReads(tx: Neo4jTransaction): ExportReadTx {
  return {
    async mlmdIdsHandedOut() {
      const out = Object.fromEntries(MLMD_ID_SPACES.map((s) => [s, 0])) as Record<MlmdIdSpace, number>;
      for (const row of await tx.run('export/mlmd-ids-handed-out')) {
        const space = storedText(row.space, 'space') as MlmdIdSpace;
        if (MLMD_ID_SPACES.includes(space)) out[space] = storedNumber(row.handedOut, 'handedOut');
      }
      return out;
    },

    async subjectsOfArtifacts(artifactIds) {
      const entries: [string, string][] = [];
      for (const batch of chunks(unique(artifactIds), BATCH_SIZE)) {
        for (const row of await tx.run('export/subjects-of-artifacts', { ids: batch })) {
          entries.push([storedText(row.id, 'id'), storedText(row.hash, 'hash')]);
        }
      }
      return grouped(artifactIds, entries);
    },

    async importOriginsOfNodes(nodeIds) {
      const entries: [string, NodeImportOrigin][] = [];
      for (const batch of chunks(unique(nodeIds), BATCH_SIZE)) {
        for (const row of await tx.run('export/import-origins-of-nodes', { ids: batch })) {
          entries.push([storedText(row.id, 'id'), { source: storedText(row.source, 'source'), sourceId: storedNumber(row.sourceId, 'sourceId') }]);
        }
      }
      return grouped(nodeIds, entries);
    },
  };
}
