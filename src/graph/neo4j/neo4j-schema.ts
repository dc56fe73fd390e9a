/**
 * Creates the constraints and indexes of cypher/schema/ that are missing. Every
 * statement says IF NOT EXISTS, so init is idempotent and safe to run at each start.
 * Uniqueness is the database's job (constraints), not only the services' checks: two
 * writers racing past the same check still cannot both commit.
 */
import { SCHEMA_STATEMENTS, type Statements } from './cypher-statements.js';
import type { Neo4jExecutor } from './neo4j-executor.js';

/** How long init waits for new indexes to come online before it gives up. */
const INDEX_ONLINE_TIMEOUT_SECONDS = 300;

/** Creates missing constraints and indexes, then waits until all are online. */
export async function ensureSchema(executor: Neo4jExecutor, statements: Statements): Promise<void> {
  // One at a time: a schema change runs in a transaction of its own.
  for (const name of SCHEMA_STATEMENTS) await executor.runSchema(statements[name]);
  await executor.runSchema(statements['admin/await-indexes'], { timeoutSeconds: INDEX_ONLINE_TIMEOUT_SECONDS });
}
