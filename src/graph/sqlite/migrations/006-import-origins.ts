/**
 * Version 6: where imported nodes came from (src/graph/import-origins.ts). A row per
 * source node, keyed by the source's name, the node kind (ML Metadata numbers each kind
 * on its own) and the source id; it refers to the node by its UUID, so deleting the node
 * deletes the row and a later import brings the node again.
 */
import type { SqliteMigration } from './migration.js';

export const IMPORT_ORIGINS_TABLE = `
CREATE TABLE import_origins (
  source    TEXT NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('ARTIFACT', 'EXECUTION', 'CONTEXT')),
  source_id INTEGER NOT NULL,
  node_uuid TEXT NOT NULL REFERENCES nodes (uuid) ON DELETE CASCADE,
  PRIMARY KEY (source, kind, source_id)
) STRICT, WITHOUT ROWID;
-- The cascade of a node's delete finds its rows by this index instead of scanning the table.
CREATE INDEX import_origins_by_node ON import_origins (node_uuid);
`;

export const importOrigins: SqliteMigration = {
  version: 6,
  name: 'import origins',
  script: IMPORT_ORIGINS_TABLE,
};
