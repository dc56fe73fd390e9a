/**
 * Version 2: API keys, data subjects, erasure requests and items, the audit log, derived
 * personal-data statuses, and the index of artifacts that declare personal data.
 */
import type { Neo4jMigration } from './migration.js';

export const personalDataAndKeys: Neo4jMigration = {
  version: 2,
  name: 'personal data and API keys',
  schema: [
    'schema/constraint-api-key-id',
    'schema/constraint-data-subject-hash',
    'schema/constraint-erasure-request-id',
    'schema/constraint-erasure-item-key',
    'schema/constraint-audit-entry-id',
    'schema/constraint-personal-data-status-artifact',
    'schema/index-artifact-personal-data',
  ],
};
