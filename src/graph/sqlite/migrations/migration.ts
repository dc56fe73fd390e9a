/** One numbered step of the SQLite schema's history (the files beside this one). */
export interface SqliteMigration {
  /** The schema version (PRAGMA user_version) a database is at once this step has run. */
  readonly version: number;
  /** What the step adds, for logs and tests. */
  readonly name: string;
  /**
   * Statements without parameters, run in the step's own write transaction. Frozen: a
   * released step never changes, since databases already past it would never see the change.
   */
  readonly script: string;
}
