/**
 * Version 8: several API processes on one database. Nodes that processes MERGE by a fixed
 * key to queue on their write lock must be unique, or two processes creating one at the
 * same moment each get their own and neither waits: the personal-data derivation state
 * (a database where that race already happened keeps one of its two), the named store
 * locks (parent-context writes), and the shared rate-limit buckets.
 */
import type { Neo4jMigration } from './migration.js';

export const severalProcesses: Neo4jMigration = {
  version: 8,
  name: 'several API processes on one database',
  data: ['migrations/merge-derivation-states'],
  schema: [
    'schema/constraint-personal-data-derivation-key',
    'schema/constraint-store-lock-name',
    'schema/constraint-rate-limit-bucket-caller',
  ],
};
