/**
 * Version 7: the history of nodes (src/graph/history-store.ts). Each update by id keeps the
 * record it replaces as a `(:NodeHistory)` node (cypher/nodes/update.cypher), outside the
 * graph (no `:Node` label, no edges); the index on id makes "the record of node N at time T"
 * one seek. Nothing to convert: a database before it has no history to keep.
 */
import type { Neo4jMigration } from './migration.js';

export const nodeHistory: Neo4jMigration = {
  version: 7,
  name: 'history of nodes',
  schema: ['schema/index-node-history'],
};
