/**
 * Version 3: derived personal-data statuses kept at write time. An older build would write
 * without keeping them, so it must refuse a file at this version.
 */
import type { SqliteMigration } from './migration.js';

export const DERIVED_STATUS_TABLES = `-- Each artifact's derived status (src/service/privacy/derived-status.ts), kept at write
-- time; a row only for an artifact that holds something. It goes with its artifact.
CREATE TABLE IF NOT EXISTS derived_personal_data (
  artifact_id TEXT NOT NULL PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
  status      TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- The AGGREGATE minimum k those statuses were derived with: another one derives them again.
CREATE TABLE IF NOT EXISTS personal_data_derivation (
  id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  min_k INTEGER NOT NULL
) STRICT;

`;

export const derivedStatuses: SqliteMigration = { version: 3, name: 'derived personal-data statuses', script: DERIVED_STATUS_TABLES };
