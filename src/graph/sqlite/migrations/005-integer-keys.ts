/**
 * Version 5: integer keys. Types and nodes are keyed by ML Metadata's int64 id
 * (`mlmd_id INTEGER PRIMARY KEY AUTOINCREMENT`, so an id is never given again after a
 * delete), the server-made UUID kept as `uuid` under a unique index; every table that
 * refers to a node or a type (property rows, events, links, derived statuses, subject
 * registrations) refers to the integer. 36-character text keys in every table and index
 * were most of the file and most of a lineage walk's work.
 *
 * The tables are rebuilt: the old ones are renamed aside, the new ones made under the
 * old names, the rows copied over with their integers, the old tables dropped (children
 * first, so no cascade runs) and the indexes made again. Existing rows get ids in
 * creation order: types by their UUIDv7 (which sorts by creation), nodes by (create_time,
 * id). AUTOINCREMENT keeps each table's highest id in sqlite_sequence, which is where
 * allocateMlmdIds takes new ones from (sqlite-statements.ts).
 */
import type { SqliteMigration } from './migration.js';

/** Every table that changes, as version 4 left it, children before parents. */
const REBUILT_TABLES = [
  'derived_personal_data', 'subject_registrations', 'node_properties', 'events', 'attributions', 'associations',
  'parent_contexts', 'nodes', 'types',
] as const;

const RENAME_ASIDE = REBUILT_TABLES.map((t) => `ALTER TABLE ${t} RENAME TO v4_${t};`).join('\n');
const DROP_ASIDE = REBUILT_TABLES.map((t) => `DROP TABLE v4_${t};`).join('\n');

/** The graph's tables keyed by integers (the columns of versions 1 to 4, keys aside). */
export const INTEGER_KEY_TABLES = `
CREATE TABLE types (
  mlmd_id       INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid          TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('ARTIFACT_TYPE', 'EXECUTION_TYPE', 'CONTEXT_TYPE')),
  name          TEXT NOT NULL,
  version       TEXT,
  description   TEXT,
  external_id   TEXT,
  base_type     TEXT,
  properties    TEXT NOT NULL,
  personal_data TEXT
) STRICT;
CREATE UNIQUE INDEX types_by_uuid ON types (uuid);

-- Artifacts, executions and contexts share one table: one id space for all three, as in ML Metadata.
CREATE TABLE nodes (
  mlmd_id           INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid              TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('ARTIFACT', 'EXECUTION', 'CONTEXT')),
  type_id           INTEGER NOT NULL REFERENCES types (mlmd_id),
  name              TEXT,
  external_id       TEXT,
  uri               TEXT,
  state             TEXT,
  last_known_state  TEXT,
  properties        TEXT NOT NULL,
  custom_properties TEXT NOT NULL,
  create_time       INTEGER NOT NULL,
  update_time       INTEGER NOT NULL,
  personal_data     TEXT,
  privacy           TEXT
) STRICT;
CREATE UNIQUE INDEX nodes_by_uuid ON nodes (uuid);

CREATE TABLE node_properties (
  node_id    INTEGER NOT NULL REFERENCES nodes (mlmd_id) ON DELETE CASCADE,
  is_custom  INTEGER NOT NULL CHECK (is_custom IN (0, 1)),
  name       TEXT NOT NULL,
  -- The JSON kind of the value: SQLite compares across storage classes (and stores a
  -- boolean as an integer), so a predicate matches on kind first.
  value_kind TEXT NOT NULL CHECK (value_kind IN ('number', 'string', 'boolean')),
  value      ANY NOT NULL,
  PRIMARY KEY (node_id, is_custom, name)
) STRICT, WITHOUT ROWID;

-- The primary key serves the artifact side of every walk; an index covers the execution side.
CREATE TABLE events (
  artifact_id  INTEGER NOT NULL REFERENCES nodes (mlmd_id) ON DELETE CASCADE,
  execution_id INTEGER NOT NULL REFERENCES nodes (mlmd_id) ON DELETE CASCADE,
  type         TEXT NOT NULL,
  time         INTEGER NOT NULL,
  path         TEXT NOT NULL,
  PRIMARY KEY (artifact_id, type, execution_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE attributions (
  context_id  INTEGER NOT NULL REFERENCES nodes (mlmd_id) ON DELETE CASCADE,
  artifact_id INTEGER NOT NULL REFERENCES nodes (mlmd_id) ON DELETE CASCADE,
  PRIMARY KEY (context_id, artifact_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE associations (
  context_id   INTEGER NOT NULL REFERENCES nodes (mlmd_id) ON DELETE CASCADE,
  execution_id INTEGER NOT NULL REFERENCES nodes (mlmd_id) ON DELETE CASCADE,
  PRIMARY KEY (context_id, execution_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE parent_contexts (
  child_id  INTEGER NOT NULL REFERENCES nodes (mlmd_id) ON DELETE CASCADE,
  parent_id INTEGER NOT NULL REFERENCES nodes (mlmd_id) ON DELETE CASCADE,
  PRIMARY KEY (child_id, parent_id)
) STRICT, WITHOUT ROWID;

-- Each artifact's derived status (src/service/privacy/derived-status.ts), kept at write
-- time; a row only for an artifact that holds something. It goes with its artifact.
CREATE TABLE derived_personal_data (
  artifact_id INTEGER PRIMARY KEY REFERENCES nodes (mlmd_id) ON DELETE CASCADE,
  status      TEXT NOT NULL
) STRICT;

CREATE TABLE subject_registrations (
  subject_hash TEXT NOT NULL,
  artifact_id  INTEGER NOT NULL REFERENCES nodes (mlmd_id) ON DELETE CASCADE,
  PRIMARY KEY (subject_hash, artifact_id)
) STRICT, WITHOUT ROWID;
`;

/** Each row of version 4 under its integer keys: types by UUIDv7 (creation order), nodes by (create_time, id). */
const COPY_ROWS = `
INSERT INTO types (mlmd_id, uuid, kind, name, version, description, external_id, base_type, properties, personal_data)
  SELECT row_number() OVER (ORDER BY id), id, kind, name, version, description, external_id, base_type, properties, personal_data
  FROM v4_types;
INSERT INTO nodes (mlmd_id, uuid, kind, type_id, name, external_id, uri, state, last_known_state,
    properties, custom_properties, create_time, update_time, personal_data, privacy)
  SELECT row_number() OVER (ORDER BY o.create_time, o.id), o.id, o.kind, t.mlmd_id, o.name, o.external_id, o.uri, o.state,
    o.last_known_state, o.properties, o.custom_properties, o.create_time, o.update_time, o.personal_data, o.privacy
  FROM v4_nodes AS o JOIN types AS t ON t.uuid = o.type_id;
INSERT INTO node_properties (node_id, is_custom, name, value_kind, value)
  SELECT n.mlmd_id, p.is_custom, p.name, p.value_kind, p.value FROM v4_node_properties AS p JOIN nodes AS n ON n.uuid = p.node_id;
INSERT INTO events (artifact_id, execution_id, type, time, path)
  SELECT a.mlmd_id, x.mlmd_id, e.type, e.time, e.path
  FROM v4_events AS e JOIN nodes AS a ON a.uuid = e.artifact_id JOIN nodes AS x ON x.uuid = e.execution_id;
INSERT INTO attributions (context_id, artifact_id)
  SELECT c.mlmd_id, a.mlmd_id FROM v4_attributions AS l JOIN nodes AS c ON c.uuid = l.context_id JOIN nodes AS a ON a.uuid = l.artifact_id;
INSERT INTO associations (context_id, execution_id)
  SELECT c.mlmd_id, x.mlmd_id FROM v4_associations AS l JOIN nodes AS c ON c.uuid = l.context_id JOIN nodes AS x ON x.uuid = l.execution_id;
INSERT INTO parent_contexts (child_id, parent_id)
  SELECT c.mlmd_id, p.mlmd_id FROM v4_parent_contexts AS l JOIN nodes AS c ON c.uuid = l.child_id JOIN nodes AS p ON p.uuid = l.parent_id;
INSERT INTO derived_personal_data (artifact_id, status)
  SELECT a.mlmd_id, d.status FROM v4_derived_personal_data AS d JOIN nodes AS a ON a.uuid = d.artifact_id;
INSERT INTO subject_registrations (subject_hash, artifact_id)
  SELECT r.subject_hash, a.mlmd_id FROM v4_subject_registrations AS r JOIN nodes AS a ON a.uuid = r.artifact_id;
`;

/** The indexes besides the two UUID ones, made once the rows are in (and the old tables, with their indexes, gone). */
export const INTEGER_KEY_INDEXES = `
-- A unique index treats NULLs as distinct, so (kind, name, version) guards versioned types
-- and a partial index guards the one unversioned type per (kind, name). The first also
-- serves lookups and listTypes' order (NULL versions sort first).
CREATE UNIQUE INDEX types_by_name_version ON types (kind, name, version);
CREATE UNIQUE INDEX types_unversioned_by_name ON types (kind, name) WHERE version IS NULL;
CREATE UNIQUE INDEX types_by_external_id ON types (kind, external_id) WHERE external_id IS NOT NULL;

CREATE UNIQUE INDEX nodes_by_type_name ON nodes (kind, type_id, name);
CREATE UNIQUE INDEX nodes_by_external_id ON nodes (kind, external_id);
-- One index per order listNodes offers, each ending in the UUID: the API's order and the keyset's tie-break.
CREATE INDEX nodes_by_kind_id ON nodes (kind, uuid);
CREATE INDEX nodes_by_create_time ON nodes (kind, create_time, uuid);
CREATE INDEX nodes_by_update_time ON nodes (kind, update_time, uuid);
CREATE INDEX nodes_by_uri ON nodes (kind, uri) WHERE uri IS NOT NULL;
-- Answers a driven listing's kind test and a node's type without reading the row.
CREATE INDEX nodes_kind_and_type ON nodes (mlmd_id, kind, type_id);
-- Artifacts with a declaration of their own: where the inventory starts, in UUID order.
CREATE INDEX nodes_declaring_personal_data ON nodes (kind, uuid) WHERE personal_data IS NOT NULL;

CREATE INDEX node_properties_by_value ON node_properties (is_custom, name, value_kind, value);
CREATE INDEX events_by_execution ON events (execution_id, type, artifact_id, time, path);
CREATE INDEX attributions_by_artifact ON attributions (artifact_id, context_id);
CREATE INDEX associations_by_execution ON associations (execution_id, context_id);
CREATE INDEX parent_contexts_by_parent ON parent_contexts (parent_id, child_id);
CREATE INDEX subject_registrations_by_artifact ON subject_registrations (artifact_id, subject_hash);
`;

export const integerKeys: SqliteMigration = {
  version: 5,
  name: 'integer keys',
  script: `${RENAME_ASIDE}\n${INTEGER_KEY_TABLES}${COPY_ROWS}\n${DROP_ASIDE}\n${INTEGER_KEY_INDEXES}`,
};
