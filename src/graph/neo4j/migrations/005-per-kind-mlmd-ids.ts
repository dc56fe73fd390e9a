/**
 * Version 5: ML Metadata's id spaces per kind. ML Metadata numbers artifacts, executions
 * and contexts each from 1, so an imported store holds artifact 1, execution 1 and
 * context 1 at once. Nodes keep the ids they have (an id a client stored stays valid, and
 * they already run in creation order within each kind); a counter per kind starts past
 * the shared one, which then goes; the uniqueness moves from `:Node(mlmdId)` to each
 * kind's label (made before the old one is dropped, so no moment lacks a unique index).
 */
import type { Neo4jMigration } from './migration.js';

export const perKindMlmdIds: Neo4jMigration = {
  version: 5,
  name: 'ML Metadata id spaces per kind',
  data: ['migrations/split-mlmd-id-counters', 'migrations/drop-node-mlmd-id-counter'],
  schema: [
    'schema/constraint-artifact-mlmd-id',
    'schema/constraint-execution-mlmd-id',
    'schema/constraint-context-mlmd-id',
    'schema/drop-node-mlmd-id',
  ],
};
