/**
 * The SQLite schema's history, oldest first: version N is what a database holds once
 * steps 1..N have run, so a file at any earlier version reaches the same end state as a
 * new one. A schema change is a new numbered file appended here, never an edit of one.
 */
import { initial } from './001-initial.js';
import { personalDataAndKeys } from './002-personal-data-and-keys.js';
import { derivedStatuses } from './003-derived-statuses.js';
import { erasurePrintAndAuditChange } from './004-erasure-print-and-audit-change.js';
import { integerKeys } from './005-integer-keys.js';
import { importOrigins } from './006-import-origins.js';
import { perKindMlmdIds } from './007-per-kind-mlmd-ids.js';
import { clientCertificates } from './008-client-certificates.js';
import { nodeHistory } from './009-node-history.js';
import type { SqliteMigration } from './migration.js';

export type { SqliteMigration } from './migration.js';

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  initial, personalDataAndKeys, derivedStatuses, erasurePrintAndAuditChange, integerKeys, importOrigins, perKindMlmdIds,
  clientCertificates, nodeHistory,
];

/** The schema version this build writes: the last step's. */
export const LATEST_SQLITE_VERSION = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1]!.version;
