/**
 * Version 7: ML Metadata's id spaces per kind. ML Metadata numbers artifacts, executions
 * and contexts each from 1 (one table each), so an imported store holds artifact 1,
 * execution 1 and context 1 at once; versions 5 and 6 had one space for all three.
 *
 * The nodes' integer primary key stays the compact key every other table refers to, now
 * named `node_key` (the rename carries into every foreign key and index that names it, so
 * no table is rebuilt), and the ML Metadata id becomes a column of its own, unique within
 * its kind. Existing nodes keep the ids they have (their key): an id a client stored stays
 * valid, and they already run in creation order within each kind. ADD COLUMN takes NOT
 * NULL only with a default; the store always writes the id, and 0 is none ML Metadata gives.
 *
 * New ids come from `mlmd_id_counters`, one row per space holding the highest id handed
 * out (allocateMlmdIds and claimMlmdIdsUpTo in sqlite-graph.ts): AUTOINCREMENT's
 * sqlite_sequence can keep one counter per table only. Every node space starts past the
 * shared counter of versions 5 and 6 and the type space past the types' one, so no id is handed
 * out twice.
 */
import type { SqliteMigration } from './migration.js';

export const perKindMlmdIds: SqliteMigration = {
  version: 7,
  name: 'ML Metadata id spaces per kind',
  script: `
ALTER TABLE nodes RENAME COLUMN mlmd_id TO node_key;
ALTER TABLE nodes ADD COLUMN mlmd_id INTEGER NOT NULL DEFAULT 0;
UPDATE nodes SET mlmd_id = node_key;
CREATE UNIQUE INDEX nodes_by_mlmd_id ON nodes (kind, mlmd_id);

CREATE TABLE mlmd_id_counters (
  space      TEXT PRIMARY KEY CHECK (space IN ('artifact', 'execution', 'context', 'type')),
  handed_out INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO mlmd_id_counters (space, handed_out)
  SELECT s.value, max(
    coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'nodes'), 0), (SELECT coalesce(max(node_key), 0) FROM nodes))
  FROM json_each('["artifact", "execution", "context"]') AS s;
INSERT INTO mlmd_id_counters (space, handed_out)
  SELECT 'type', max(
    coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'types'), 0), (SELECT coalesce(max(mlmd_id), 0) FROM types));
`,
};
