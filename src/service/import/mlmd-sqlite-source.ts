/**
 * Reads an ML Metadata SQLite file (schema version 10), read-only, through better-sqlite3:
 * the tables as ML Metadata's metadata_source_query_config.cc makes them (Type,
 * TypeProperty, ParentType, Artifact, Execution, Context, their *Property tables, Event,
 * EventPath, Attribution, Association, ParentContext, MLMDEnv). Every statement takes its
 * values as parameters; table and column names come from the closed map in mlmd-rows.ts.
 */
import Database from 'better-sqlite3';
import type { NodeKind } from '../../graph/model.js';
import {
  type MlmdEvent, type MlmdLink, type MlmdNode, type MlmdParentLink, type MlmdSource, type MlmdType, type SourceBounds,
  type SourceCounts, NotMlmdSourceError, requireSchemaVersion,
} from './mlmd-source.js';
import {
  EVENT_COLUMNS, eventsOf, nodeColumns, nodesOf, propertyColumns, TABLES, TYPE_COLUMNS, typesOf,
  type EventPathRow, type EventRow, type NodePropertyRow, type NodeRow, type ParentTypeRow, type TypePropertyRow, type TypeRow,
} from './mlmd-rows.js';

export { NotMlmdSourceError } from './mlmd-source.js';

/** Opens `file` read-only and checks it is an ML Metadata database of schema version 10. */
export function openMlmdSqlite(file: string): MlmdSource {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new NotMlmdSourceError(`cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    checkSchema(db, file);
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteMlmdSource(db, file);
}

function checkSchema(db: Database.Database, file: string): void {
  let tables: string[];
  try {
    tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  } catch (err) {
    throw new NotMlmdSourceError(`${file} is not a SQLite database (${(err as Error).message})`);
  }
  if (!tables.includes('MLMDEnv')) {
    throw new NotMlmdSourceError(`${file} is not an ML Metadata database: it has no MLMDEnv table`);
  }
  requireSchemaVersion(file, db.prepare('SELECT schema_version FROM MLMDEnv').pluck().all() as number[]);
}

class SqliteMlmdSource implements MlmdSource {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database, readonly location: string) {}

  private sql(text: string, safeIntegers = false): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      if (safeIntegers) statement.safeIntegers(true);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private max(table: string): number {
    return Number(this.sql(`SELECT coalesce(max(id), 0) FROM ${table}`).pluck().get());
  }

  async bounds(): Promise<SourceBounds> {
    return {
      ARTIFACT: this.max('Artifact'), EXECUTION: this.max('Execution'), CONTEXT: this.max('Context'),
      event: this.max('Event'), attribution: this.max('Attribution'), association: this.max('Association'),
    };
  }

  async counts(b: SourceBounds): Promise<SourceCounts> {
    const count = (table: string, bound: number): number => Number(this.sql(`SELECT count(*) FROM ${table} WHERE id <= ?`).pluck().get(bound));
    return {
      types: (await this.types()).length,
      ARTIFACT: count('Artifact', b.ARTIFACT),
      EXECUTION: count('Execution', b.EXECUTION),
      CONTEXT: count('Context', b.CONTEXT),
      events: count('Event', b.event),
      attributions: count('Attribution', b.attribution),
      associations: count('Association', b.association),
      parentContexts: Number(this.sql('SELECT count(*) FROM ParentContext WHERE context_id <= ? AND parent_context_id <= ?')
        .pluck().get(b.CONTEXT, b.CONTEXT)),
    };
  }

  async checkValues(b: SourceBounds): Promise<void> {
    await this.types();
    for (const kind of ['CONTEXT', 'ARTIFACT', 'EXECUTION'] as const) {
      const t = TABLES[kind];
      // The values propertyValueOf refuses; the row found is decoded to refuse it with its message.
      const id = this.sql(`SELECT ${t.key} FROM ${t.properties} WHERE ${t.key} <= ? AND (byte_value IS NOT NULL
        OR int_value > 9007199254740991 OR int_value < -9007199254740991) LIMIT 1`).pluck().get(b[kind]) as number | undefined;
      if (id !== undefined) await this.nodesById(kind, [id]);
    }
    const event = this.sql('SELECT id FROM Event WHERE id <= ? AND type NOT BETWEEN 1 AND 7 LIMIT 1').pluck().get(b.event) as number | undefined;
    if (event !== undefined) await this.events(event - 1, 1, b);
  }

  async types(): Promise<MlmdType[]> {
    return typesOf(
      this.sql(`SELECT ${TYPE_COLUMNS} FROM Type ORDER BY id`).all() as TypeRow[],
      this.sql('SELECT type_id, parent_type_id FROM ParentType ORDER BY type_id, parent_type_id').all() as ParentTypeRow[],
      this.sql('SELECT type_id, name, data_type FROM TypeProperty ORDER BY type_id, name').all() as TypePropertyRow[],
    );
  }

  async nodes(kind: NodeKind, afterId: number, limit: number, b: SourceBounds): Promise<MlmdNode[]> {
    const t = TABLES[kind];
    const rows = this.sql(`SELECT ${nodeColumns(kind)} FROM ${t.table} WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`)
      .all(afterId, b[kind], limit) as NodeRow[];
    if (rows.length === 0) return [];
    // The page is a run of ids, so its properties are one range of the property table's key.
    const props = this.sql(`SELECT ${propertyColumns(kind)} FROM ${t.properties} WHERE ${t.key} BETWEEN ? AND ?`, true)
      .all(rows[0]!.id, rows[rows.length - 1]!.id) as NodePropertyRow[];
    return nodesOf(kind, rows, props);
  }

  async nodesById(kind: NodeKind, ids: readonly number[]): Promise<MlmdNode[]> {
    const t = TABLES[kind];
    const list = JSON.stringify(ids);
    const rows = this.sql(`SELECT ${nodeColumns(kind)} FROM ${t.table} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`).all(list) as NodeRow[];
    const props = this.sql(`SELECT ${propertyColumns(kind)} FROM ${t.properties} WHERE ${t.key} IN (SELECT value FROM json_each(?))`, true)
      .all(list) as NodePropertyRow[];
    return nodesOf(kind, rows, props);
  }

  private withPaths(rows: EventRow[]): MlmdEvent[] {
    if (rows.length === 0) return [];
    // rowid: ML Metadata's EventPath has no key of its own; its rows' order is the path's.
    const steps = this.sql(`SELECT event_id, is_index_step, step_index, step_key FROM EventPath
      WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY event_id, rowid`, true)
      .all(JSON.stringify(rows.map((r) => r.id))) as EventPathRow[];
    return eventsOf(rows, steps);
  }

  async events(afterId: number, limit: number, b: SourceBounds): Promise<MlmdEvent[]> {
    return this.withPaths(this.sql(`SELECT ${EVENT_COLUMNS} FROM Event WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`)
      .all(afterId, b.event, limit) as EventRow[]);
  }

  async eventsOf(kind: 'ARTIFACT' | 'EXECUTION', ids: readonly number[], b: SourceBounds): Promise<MlmdEvent[]> {
    const column = kind === 'ARTIFACT' ? 'artifact_id' : 'execution_id';
    return this.withPaths(this.sql(`SELECT ${EVENT_COLUMNS} FROM Event
      WHERE ${column} IN (SELECT value FROM json_each(?)) AND id <= ? ORDER BY id`).all(JSON.stringify(ids), b.event) as EventRow[]);
  }

  private links(table: 'Attribution' | 'Association', column: string, afterId: number, limit: number, bound: number): MlmdLink[] {
    return (this.sql(`SELECT id, context_id, ${column} AS node_id FROM ${table} WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`)
      .all(afterId, bound, limit) as { id: number; context_id: number; node_id: number }[])
      .map((r) => ({ id: r.id, contextId: r.context_id, nodeId: r.node_id }));
  }

  async attributions(afterId: number, limit: number, b: SourceBounds): Promise<MlmdLink[]> {
    return this.links('Attribution', 'artifact_id', afterId, limit, b.attribution);
  }

  async associations(afterId: number, limit: number, b: SourceBounds): Promise<MlmdLink[]> {
    return this.links('Association', 'execution_id', afterId, limit, b.association);
  }

  async parentContexts(after: MlmdParentLink | null, limit: number, b: SourceBounds): Promise<MlmdParentLink[]> {
    const from = after ?? { childId: -1, parentId: -1 };
    return (this.sql(`SELECT context_id, parent_context_id FROM ParentContext
      WHERE (context_id, parent_context_id) > (?, ?) AND context_id <= ? AND parent_context_id <= ?
      ORDER BY context_id, parent_context_id LIMIT ?`).all(from.childId, from.parentId, b.CONTEXT, b.CONTEXT, limit) as { context_id: number; parent_context_id: number }[])
      .map((r) => ({ childId: r.context_id, parentId: r.parent_context_id }));
  }

  async spreadIds(kind: NodeKind, count: number, b: SourceBounds): Promise<number[]> {
    const table = TABLES[kind].table;
    const total = Number(this.sql(`SELECT count(*) FROM ${table} WHERE id <= ?`).pluck().get(b[kind]));
    const ids = new Set<number>();
    for (let i = 0; i < Math.min(count, total); i += 1) {
      const offset = Math.floor((i * total) / Math.min(count, total));
      ids.add(Number(this.sql(`SELECT id FROM ${table} WHERE id <= ? ORDER BY id LIMIT 1 OFFSET ?`).pluck().get(b[kind], offset)));
    }
    return [...ids];
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
