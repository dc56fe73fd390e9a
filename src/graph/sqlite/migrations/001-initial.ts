/**
 * Version 1, the first release: ML Metadata's graph (types, nodes, their property rows,
 * events, attributions, associations and parent contexts).
 */
import type { SqliteMigration } from './migration.js';

/**
 * Tables are STRICT so a value of the wrong storage class is refused instead of coerced.
 * Node and event columns hold the whole record (property maps and event paths as JSON
 * text); `node_properties` repeats each scalar property as a row only so predicates can
 * be answered from an index.
 */
export const GRAPH_DDL = `
CREATE TABLE IF NOT EXISTS types (
  id          TEXT NOT NULL PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('ARTIFACT_TYPE', 'EXECUTION_TYPE', 'CONTEXT_TYPE')),
  name        TEXT NOT NULL,
  version     TEXT,
  description TEXT,
  external_id TEXT,
  base_type   TEXT,
  properties  TEXT NOT NULL
) STRICT;
-- A unique index treats NULLs as distinct, so (kind, name, version) guards versioned types
-- and a partial index guards the one unversioned type per (kind, name). The first also
-- serves lookups and listTypes' order (NULL versions sort first).
CREATE UNIQUE INDEX IF NOT EXISTS types_by_name_version ON types (kind, name, version);
CREATE UNIQUE INDEX IF NOT EXISTS types_unversioned_by_name ON types (kind, name) WHERE version IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS types_by_external_id ON types (kind, external_id) WHERE external_id IS NOT NULL;

-- Artifacts, executions and contexts share one table so an id is unique across all three.
CREATE TABLE IF NOT EXISTS nodes (
  id                TEXT NOT NULL PRIMARY KEY,
  kind              TEXT NOT NULL CHECK (kind IN ('ARTIFACT', 'EXECUTION', 'CONTEXT')),
  type_id           TEXT NOT NULL REFERENCES types (id),
  name              TEXT,
  external_id       TEXT,
  uri               TEXT,
  state             TEXT,
  last_known_state  TEXT,
  properties        TEXT NOT NULL,
  custom_properties TEXT NOT NULL,
  create_time       INTEGER NOT NULL,
  update_time       INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS nodes_by_type_name ON nodes (kind, type_id, name);
CREATE UNIQUE INDEX IF NOT EXISTS nodes_by_external_id ON nodes (kind, external_id);
-- One index per order listNodes offers, each ending in id for the keyset's tie-break.
CREATE INDEX IF NOT EXISTS nodes_by_kind_id ON nodes (kind, id);
CREATE INDEX IF NOT EXISTS nodes_by_create_time ON nodes (kind, create_time, id);
CREATE INDEX IF NOT EXISTS nodes_by_update_time ON nodes (kind, update_time, id);
CREATE INDEX IF NOT EXISTS nodes_by_uri ON nodes (kind, uri) WHERE uri IS NOT NULL;
-- Covers the lineage walk's look-up of a neighbour's kind and type without touching the row.
CREATE INDEX IF NOT EXISTS nodes_kind_and_type ON nodes (id, kind, type_id);

CREATE TABLE IF NOT EXISTS node_properties (
  node_id    TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
  is_custom  INTEGER NOT NULL CHECK (is_custom IN (0, 1)),
  name       TEXT NOT NULL,
  -- The JSON kind of the value: SQLite compares across storage classes (and stores a
  -- boolean as an integer), so a predicate matches on kind first.
  value_kind TEXT NOT NULL CHECK (value_kind IN ('number', 'string', 'boolean')),
  value      ANY NOT NULL,
  PRIMARY KEY (node_id, is_custom, name)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS node_properties_by_value ON node_properties (is_custom, name, value_kind, value);

-- The primary key serves the artifact side of every walk; the index covers the execution side.
CREATE TABLE IF NOT EXISTS events (
  artifact_id  TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
  execution_id TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
  type         TEXT NOT NULL,
  time         INTEGER NOT NULL,
  path         TEXT NOT NULL,
  PRIMARY KEY (artifact_id, type, execution_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_by_execution ON events (execution_id, type, artifact_id, time, path);

CREATE TABLE IF NOT EXISTS attributions (
  context_id  TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
  artifact_id TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
  PRIMARY KEY (context_id, artifact_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS attributions_by_artifact ON attributions (artifact_id, context_id);

CREATE TABLE IF NOT EXISTS associations (
  context_id   TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
  execution_id TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
  PRIMARY KEY (context_id, execution_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS associations_by_execution ON associations (execution_id, context_id);

CREATE TABLE IF NOT EXISTS parent_contexts (
  child_id  TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
  parent_id TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
  PRIMARY KEY (child_id, parent_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS parent_contexts_by_parent ON parent_contexts (parent_id, child_id);
`;

export const initial: SqliteMigration = { version: 1, name: 'initial', script: GRAPH_DDL };
