/**
 * Version 9: the history of nodes (src/graph/history-store.ts). Each update by id keeps the
 * row it replaces in `node_history`: the columns an update may change, with `valid_to`, the
 * update's time; the row's own update_time is when it became current. What never changes
 * (uuid, kind, type, ML Metadata id, create time) stays on the node's row. The index makes
 * "the record of node N at time T" one seek (the first row of N with valid_to > T) and a
 * node's whole history one range. A node's history goes with it (ON DELETE CASCADE).
 */
import type { SqliteMigration } from './migration.js';

export const nodeHistory: SqliteMigration = {
  version: 9,
  name: 'history of nodes',
  script: `
CREATE TABLE node_history (
  history_key       INTEGER PRIMARY KEY AUTOINCREMENT,
  node_key          INTEGER NOT NULL REFERENCES nodes (node_key) ON DELETE CASCADE,
  valid_to          INTEGER NOT NULL,
  name              TEXT,
  external_id       TEXT,
  uri               TEXT,
  state             TEXT,
  last_known_state  TEXT,
  properties        TEXT NOT NULL,
  custom_properties TEXT NOT NULL,
  update_time       INTEGER NOT NULL,
  personal_data     TEXT,
  privacy           TEXT
) STRICT;
CREATE INDEX node_history_by_node ON node_history (node_key, valid_to, history_key);
`,
};
