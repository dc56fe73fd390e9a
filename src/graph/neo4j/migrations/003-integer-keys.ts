/**
 * Version 3: ML Metadata's int64 ids. Every node and type a database already holds gets
 * an `mlmdId` in creation order (nodes by createTime, then id; types by id, which is
 * UUIDv7), the counters of allocate-mlmd-ids.cypher are set past them, and then the
 * uniqueness constraints the lookups by mlmdId seek are made (a constraint cannot be made
 * over duplicate or, here, missing-then-numbered values before the numbering).
 */
import type { Neo4jMigration } from './migration.js';

export const integerKeys: Neo4jMigration = {
  version: 3,
  name: 'ML Metadata integer ids',
  data: ['migrations/number-nodes', 'migrations/number-types', 'migrations/set-mlmd-id-counters'],
  schema: [
    'schema/constraint-node-mlmd-id',
    'schema/constraint-type-mlmd-id',
    'schema/constraint-mlmd-id-counter-space',
  ],
};
