/**
 * Version 5: ML Metadata's int64 ids on types and nodes, given in creation order to the
 * rows already there. (First step: a column beside the text key; the tables are keyed by
 * it in the next commit of this migration, before any release.)
 */
import type { SqliteMigration } from './migration.js';

export const INTEGER_KEYS = `
ALTER TABLE types ADD COLUMN mlmd_id INTEGER;
ALTER TABLE nodes ADD COLUMN mlmd_id INTEGER;
UPDATE types SET mlmd_id = r.n FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM types) AS r WHERE r.id = types.id;
UPDATE nodes SET mlmd_id = r.n FROM (SELECT id, row_number() OVER (ORDER BY create_time, id) AS n FROM nodes) AS r WHERE r.id = nodes.id;
CREATE UNIQUE INDEX types_by_mlmd_id ON types (mlmd_id);
CREATE UNIQUE INDEX nodes_by_mlmd_id ON nodes (mlmd_id);
CREATE TABLE mlmd_id_sequences (space TEXT NOT NULL PRIMARY KEY, last INTEGER NOT NULL) STRICT;
INSERT INTO mlmd_id_sequences (space, last) VALUES
  ('type', (SELECT coalesce(max(mlmd_id), 0) FROM types)),
  ('node', (SELECT coalesce(max(mlmd_id), 0) FROM nodes));
`;

export const integerKeys: SqliteMigration = { version: 5, name: 'integer keys', script: INTEGER_KEYS };
