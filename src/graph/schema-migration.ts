/**
 * What opening a store did to its schema, so the server and the CLI can say so: each
 * backend migrates on open (src/graph/sqlite/migrations/, src/graph/neo4j/migrations/).
 */
export interface SchemaMigration {
  readonly backend: 'sqlite' | 'neo4j';
  /** The SQLite file or the Neo4j URI. */
  readonly where: string;
  /** The version found; 0 for a database without one (new, or from before versions were kept). */
  readonly from: number;
  readonly to: number;
  /** The copy taken before migrating (SQLite files that held a schema), else null. */
  readonly backupPath: string | null;
}

/**
 * Called once a store has migrated a schema it found (from > 0). Creating the schema of a
 * new database (from 0) is not reported: there is nothing to tell an operator.
 */
export type OnSchemaMigrated = (migration: SchemaMigration) => void;

/** The log line for a migration: `migrated <where> from version N to M; backup at <path>`. */
export function describeMigration(m: SchemaMigration): string {
  const backup = m.backupPath === null ? 'no backup taken' : `backup at ${m.backupPath}`;
  return `migrated ${m.where} from version ${m.from} to ${m.to}; ${backup}`;
}
