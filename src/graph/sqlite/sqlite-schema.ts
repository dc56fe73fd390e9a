/**
 * The SQLite schema: its numbered history lives in migrations/ (one file per version),
 * run on open; this module applies it and holds the helpers for property rows.
 */
import type { SchemaMigration } from '../schema-migration.js';
import type { SqliteExecutor } from './sqlite-executor.js';
import { LATEST_SQLITE_VERSION } from './migrations/index.js';
import { migrateSqlite } from './migrations/run-migrations.js';

/** The graph's tables and indexes as version 1 made them (migrations/001-initial.ts). */
export { GRAPH_DDL as SCHEMA_DDL } from './migrations/001-initial.js';

/**
 * The version this build writes (PRAGMA user_version); a newer file is refused rather
 * than misread. Each version's change is its file in migrations/.
 */
export const SCHEMA_VERSION = LATEST_SQLITE_VERSION;

/**
 * Brings the executor's database to SCHEMA_VERSION, copying the file at `file` first when
 * it holds an older schema (null or ':memory:': no copy); returns what it did, or null.
 */
export function applySchema(executor: SqliteExecutor, file: string | null): Promise<SchemaMigration | null> {
  return migrateSqlite(executor, file);
}

/** node_properties.value_kind: the JSON kind of a scalar property value. */
export type ValueKind = 'number' | 'string' | 'boolean';

/** The JSON kind of a property value, or null for a STRUCT (object or array) or a PROTO value (an object), which has no row. */
export function scalarKind(value: unknown): ValueKind | null {
  switch (typeof value) {
    case 'number': return 'number';
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    default: return null;
  }
}

/** A scalar as node_properties.value stores it: booleans become 1 and 0 (value_kind tells them apart). */
export const scalarSqlValue = (value: string | number | boolean): string | number =>
  typeof value === 'boolean' ? (value ? 1 : 0) : value;
