/** Version 4: where imported nodes came from, as `:ImportOrigin` nodes with a unique key (src/graph/import-origins.ts). */
import type { Neo4jMigration } from './migration.js';

export const importOrigins: Neo4jMigration = {
  version: 4,
  name: 'import origins',
  schema: ['schema/constraint-import-origin-key'],
};
