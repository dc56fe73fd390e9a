/**
 * Version 1: the version node's own key, and the graph's constraints (uniqueness is the
 * database's job, so two writers racing past the same check cannot both commit) and the
 * indexes behind every lookup and listing order.
 */
import type { Neo4jMigration } from './migration.js';

export const graph: Neo4jMigration = {
  version: 1,
  name: 'graph constraints and indexes',
  schema: [
    'schema/constraint-schema-version-key',
    'schema/constraint-node-id',
    'schema/constraint-artifact-external-id',
    'schema/constraint-execution-external-id',
    'schema/constraint-context-external-id',
    'schema/constraint-artifact-type-and-name',
    'schema/constraint-execution-type-and-name',
    'schema/constraint-context-type-and-name',
    'schema/constraint-type-id',
    'schema/constraint-type-key',
    'schema/constraint-type-external-id',
    'schema/constraint-event-key',
    'schema/constraint-attribution-key',
    'schema/constraint-association-key',
    'schema/constraint-parent-context-key',
    'schema/index-artifact-type-id',
    'schema/index-execution-type-id',
    'schema/index-context-type-id',
    'schema/index-artifact-name',
    'schema/index-execution-name',
    'schema/index-context-name',
    'schema/index-artifact-create-time',
    'schema/index-execution-create-time',
    'schema/index-context-create-time',
    'schema/index-artifact-update-time',
    'schema/index-execution-update-time',
    'schema/index-context-update-time',
    'schema/index-artifact-uri',
    'schema/index-type-kind',
  ],
};
