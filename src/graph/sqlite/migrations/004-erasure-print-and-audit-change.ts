/**
 * Version 4: an erasure request keeps a print of its subject for checking free text given
 * later; an audit entry of a tracking change keeps the value before and after (JSON text).
 */
import type { SqliteMigration } from './migration.js';

export const ERASURE_PRINT_AND_AUDIT_CHANGE_COLUMNS = `
ALTER TABLE erasure_requests ADD COLUMN subject_text_hash TEXT;
ALTER TABLE erasure_requests ADD COLUMN subject_text_length INTEGER;
ALTER TABLE audit_log ADD COLUMN change_before TEXT;
ALTER TABLE audit_log ADD COLUMN change_after TEXT;
`;

export const erasurePrintAndAuditChange: SqliteMigration = {
  version: 4,
  name: 'erasure request print and audit before/after',
  script: ERASURE_PRINT_AND_AUDIT_CHANGE_COLUMNS,
};
