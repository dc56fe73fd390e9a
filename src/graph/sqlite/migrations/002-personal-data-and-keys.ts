/**
 * Version 2: API keys, personal-data declarations on types and nodes, subject
 * registrations, erasure requests and the append-only audit log.
 */
import type { SqliteMigration } from './migration.js';

/** A table of its own: keys are not part of the graph, and an older build ignores it. */
export const API_KEYS_TABLE = `
CREATE TABLE IF NOT EXISTS api_keys (
  id          TEXT NOT NULL PRIMARY KEY,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'privacy', 'admin')),
  secret_hash TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  expire_time INTEGER,
  revoke_time INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS api_keys_by_create_time ON api_keys (create_time, id);
`;

/**
 * Declarations are part of the records, as JSON text; NULL where none is stored. ADD
 * COLUMN is not idempotent, which is why it runs once, in this step.
 */
export const DECLARATION_COLUMNS = `
ALTER TABLE types ADD COLUMN personal_data TEXT;
ALTER TABLE nodes ADD COLUMN personal_data TEXT;
ALTER TABLE nodes ADD COLUMN privacy TEXT;
`;

/** Needs the declaration columns. */
export const DECLARATION_INDEX = `
-- Artifacts with a declaration of their own: where the inventory starts.
CREATE INDEX IF NOT EXISTS nodes_declaring_personal_data ON nodes (kind, id) WHERE personal_data IS NOT NULL;

`;

/**
 * Tables of their own, outside the graph. Registrations hold only the subject's keyed
 * hash and vanish with their artifact; erasure items keep a copy of their artifact, since
 * erasing it is the point; the audit log refuses changes in the database itself too.
 */
export const SUBJECT_TABLES = `CREATE TABLE IF NOT EXISTS subject_registrations (
  subject_hash TEXT NOT NULL,
  artifact_id  TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
  PRIMARY KEY (subject_hash, artifact_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS subject_registrations_by_artifact ON subject_registrations (artifact_id, subject_hash);

CREATE TABLE IF NOT EXISTS erasure_requests (
  id           TEXT NOT NULL PRIMARY KEY,
  subject_hash TEXT NOT NULL,
  create_time  INTEGER NOT NULL,
  reason       TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS erasure_items (
  request_id  TEXT NOT NULL REFERENCES erasure_requests (id),
  artifact_id TEXT NOT NULL,
  position    INTEGER NOT NULL,
  artifact    TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('PENDING', 'ERASED', 'RETRAINED', 'EXEMPT')),
  note        TEXT,
  update_time INTEGER NOT NULL,
  PRIMARY KEY (request_id, artifact_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS audit_log (
  id           TEXT NOT NULL PRIMARY KEY,
  time         INTEGER NOT NULL,
  caller       TEXT NOT NULL,
  operation    TEXT NOT NULL,
  subject_hash TEXT,
  target       TEXT,
  result_count INTEGER NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS audit_log_is_append_only_on_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_is_append_only_on_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

export const personalDataAndKeys: SqliteMigration = {
  version: 2,
  name: 'personal data and API keys',
  script: API_KEYS_TABLE + DECLARATION_COLUMNS + DECLARATION_INDEX + SUBJECT_TABLES,
};
