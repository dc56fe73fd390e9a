import type { SchemaStatementName, StatementName } from '../neo4j-statements.js';

/**
 * One numbered step of the Neo4j schema's history (the files beside this one). Neo4j runs
 * a schema statement in a transaction of its own, never beside writes: so a step's
 * constraints and indexes run first, each IF NOT EXISTS, and the version is stamped after
 * them; a crash in between re-runs the step on the next start, harmlessly.
 */
export interface Neo4jMigration {
  /** The version (:SchemaVersion) a database is at once this step has run. */
  readonly version: number;
  /** What the step adds, for logs and tests. */
  readonly name: string;
  /**
   * Statements that change existing data before the schema statements run (a constraint
   * can only be made once the data meets it), each in an auto-commit transaction of its
   * own so that it may commit in batches (CALL ... IN TRANSACTIONS). Each must be safe to
   * run again: a crash before the version is stamped re-runs the step.
   */
  readonly data?: readonly StatementName[];
  /** Constraints and indexes of cypher/schema/, in order: constraints before plain indexes. */
  readonly schema: readonly SchemaStatementName[];
}
