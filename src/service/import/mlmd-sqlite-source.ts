/**
 * Reads an ML Metadata SQLite file (schema version 10), read-only, through better-sqlite3:
 * the tables as ML Metadata's metadata_source_query_config.cc makes them (Type,
 * TypeProperty, ParentType, Artifact, Execution, Context, their *Property tables, Event,
 * EventPath, Attribution, Association, ParentContext, MLMDEnv). Every statement takes its
 * values as parameters; table and column names come from the closed maps below.
 */
import Database from 'better-sqlite3';
import type { NodeKind } from '../../graph/model.js';
import {
  type MlmdEvent, type MlmdLink, type MlmdNode, type MlmdParentLink, type MlmdSource, type MlmdType, type SourceBounds,
  type SourceCounts, SUPPORTED_SCHEMA_VERSION,
} from './mlmd-source.js';
import {
  artifactStateOf, eventTypeOf, executionStateOf, pathStepOf, propertyTypeOf, propertyValueOf, SIMPLE_TYPE_BASES,
  TYPE_KINDS, UnimportableError, type PropertyRow,
} from './mlmd-values.js';

/** A file that is not an ML Metadata database this importer reads; nothing was imported. */
export class NotMlmdSourceError extends Error {}

/** Each node kind's tables and columns (never from input). */
const TABLES = {
  ARTIFACT: { table: 'Artifact', properties: 'ArtifactProperty', key: 'artifact_id', word: 'artifact', extra: ', uri, state' },
  EXECUTION: { table: 'Execution', properties: 'ExecutionProperty', key: 'execution_id', word: 'execution', extra: ', last_known_state' },
  CONTEXT: { table: 'Context', properties: 'ContextProperty', key: 'context_id', word: 'context', extra: '' },
} as const;

const nodeColumns = (kind: NodeKind): string =>
  `id, type_id, name, external_id, create_time_since_epoch, last_update_time_since_epoch${TABLES[kind].extra}`;

interface NodeRow {
  id: number; type_id: number; name: string | null; external_id: string | null;
  create_time_since_epoch: number; last_update_time_since_epoch: number;
  uri?: string | null; state?: number | null; last_known_state?: number | null;
}

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
  const versions = db.prepare('SELECT schema_version FROM MLMDEnv').pluck().all() as number[];
  if (versions.length !== 1 || versions[0] !== SUPPORTED_SCHEMA_VERSION) {
    throw new NotMlmdSourceError(
      `${file} holds ML Metadata schema version ${versions.length === 1 ? versions[0] : `rows [${versions.join(', ')}]`}; `
      + `this importer reads version ${SUPPORTED_SCHEMA_VERSION} (what ml-metadata 1.14 to 1.21 write): `
      + 'open it once with a release of that range to migrate it',
    );
  }
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
    const rows = this.sql('SELECT id, name, version, type_kind, description, input_type, output_type, external_id FROM Type ORDER BY id')
      .all() as { id: number; name: string; version: string | null; type_kind: number; description: string | null; input_type: string | null; output_type: string | null; external_id: string | null }[];
    const names = new Map(rows.map((r) => [r.id, r.name]));
    const parents = this.sql('SELECT type_id, parent_type_id FROM ParentType ORDER BY type_id, parent_type_id').all() as { type_id: number; parent_type_id: number }[];
    const properties = this.sql('SELECT type_id, name, data_type FROM TypeProperty ORDER BY type_id, name').all() as { type_id: number; name: string; data_type: number | null }[];
    const out: MlmdType[] = [];
    for (const r of rows) {
      // ML Metadata makes its simple types in every store; they become base types, not types.
      if (SIMPLE_TYPE_BASES[r.name] !== undefined && r.version === null) continue;
      const kind = TYPE_KINDS[r.type_kind];
      const where = `type ${JSON.stringify(r.name)} (id ${r.id})`;
      if (!kind) throw new UnimportableError(`${where} has type_kind ${r.type_kind}, which is no kind of type Data Journey knows`);
      if (r.input_type !== null || r.output_type !== null) {
        throw new UnimportableError(`${where} declares input_type or output_type, which Data Journey cannot hold yet`);
      }
      const bases = parents.filter((p) => p.type_id === r.id).map((p) => names.get(p.parent_type_id) ?? `type ${p.parent_type_id}`);
      if (bases.length > 1 || (bases.length === 1 && SIMPLE_TYPE_BASES[bases[0]!] === undefined)) {
        throw new UnimportableError(`${where} has parent types [${bases.join(', ')}]; Data Journey keeps one base type, one of ML Metadata's simple types`);
      }
      out.push({
        id: r.id, kind, name: r.name, version: r.version, description: r.description, externalId: r.external_id,
        baseType: bases.length === 1 ? SIMPLE_TYPE_BASES[bases[0]!]! : null,
        properties: properties.filter((p) => p.type_id === r.id)
          .map((p) => ({ name: p.name, type: propertyTypeOf(p.data_type, `${where} property ${JSON.stringify(p.name)}`) })),
      });
    }
    return out;
  }

  async nodes(kind: NodeKind, afterId: number, limit: number, b: SourceBounds): Promise<MlmdNode[]> {
    const t = TABLES[kind];
    const rows = this.sql(`SELECT ${nodeColumns(kind)} FROM ${t.table} WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`)
      .all(afterId, b[kind], limit) as NodeRow[];
    if (rows.length === 0) return [];
    // The page is a run of ids, so its properties are one range of the property table's key.
    const props = this.sql(`SELECT ${t.key} AS node_id, name, is_custom_property, int_value, double_value, string_value, byte_value, proto_value, bool_value
      FROM ${t.properties} WHERE ${t.key} BETWEEN ? AND ?`, true).all(rows[0]!.id, rows[rows.length - 1]!.id) as (PropertyRow & { node_id: bigint })[];
    return this.assemble(kind, rows, props);
  }

  async nodesById(kind: NodeKind, ids: readonly number[]): Promise<MlmdNode[]> {
    const t = TABLES[kind];
    const list = JSON.stringify(ids);
    const rows = this.sql(`SELECT ${nodeColumns(kind)} FROM ${t.table} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`).all(list) as NodeRow[];
    const props = this.sql(`SELECT ${t.key} AS node_id, name, is_custom_property, int_value, double_value, string_value, byte_value, proto_value, bool_value
      FROM ${t.properties} WHERE ${t.key} IN (SELECT value FROM json_each(?))`, true).all(list) as (PropertyRow & { node_id: bigint })[];
    return this.assemble(kind, rows, props);
  }

  private assemble(kind: NodeKind, rows: readonly NodeRow[], props: readonly (PropertyRow & { node_id: bigint })[]): MlmdNode[] {
    const t = TABLES[kind];
    const byId = new Map<number, MlmdNode>();
    const out = rows.map((r) => {
      const where = `${t.word} ${r.id}`;
      const common = {
        id: r.id, typeId: r.type_id, name: r.name, externalId: r.external_id, properties: {}, customProperties: {},
        createTime: r.create_time_since_epoch, updateTime: r.last_update_time_since_epoch,
      };
      const node: MlmdNode = kind === 'ARTIFACT'
        // ML Metadata stores an artifact put without a uri as '' (and reads it back so); the core has no empty uri.
        ? { ...common, kind, uri: r.uri === '' ? null : r.uri ?? null, state: artifactStateOf(r.state ?? null, where) }
        : kind === 'EXECUTION'
          ? { ...common, kind, lastKnownState: executionStateOf(r.last_known_state ?? null, where) }
          : { ...common, kind, name: r.name ?? '' };
      byId.set(r.id, node);
      return node;
    });
    for (const p of props) {
      const node = byId.get(Number(p.node_id));
      if (!node) continue;
      const custom = Number(p.is_custom_property) !== 0;
      const where = `${t.word} ${node.id} ${custom ? 'custom property' : 'property'} ${JSON.stringify(p.name)}`;
      Object.defineProperty(custom ? node.customProperties : node.properties, p.name, {
        value: propertyValueOf(p, where), enumerable: true, writable: true, configurable: true,
      });
    }
    return out;
  }

  private withPaths(rows: { id: number; artifact_id: number; execution_id: number; type: number; milliseconds_since_epoch: number | null }[]): MlmdEvent[] {
    if (rows.length === 0) return [];
    const steps = this.sql(`SELECT event_id, is_index_step, step_index, step_key FROM EventPath
      WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY event_id, rowid`, true)
      .all(JSON.stringify(rows.map((r) => r.id))) as { event_id: bigint; is_index_step: bigint; step_index: bigint | null; step_key: string | null }[];
    const events = new Map(rows.map((r) => [r.id, {
      id: r.id, artifactId: r.artifact_id, executionId: r.execution_id, type: eventTypeOf(r.type, `event ${r.id}`),
      path: [], time: r.milliseconds_since_epoch,
    } as MlmdEvent]));
    for (const s of steps) {
      const event = events.get(Number(s.event_id));
      event?.path.push(pathStepOf(s, `event ${s.event_id} path`));
    }
    return [...events.values()];
  }

  async events(afterId: number, limit: number, b: SourceBounds): Promise<MlmdEvent[]> {
    return this.withPaths(this.sql('SELECT id, artifact_id, execution_id, type, milliseconds_since_epoch FROM Event WHERE id > ? AND id <= ? ORDER BY id LIMIT ?')
      .all(afterId, b.event, limit) as never);
  }

  async eventsOf(kind: 'ARTIFACT' | 'EXECUTION', ids: readonly number[], b: SourceBounds): Promise<MlmdEvent[]> {
    const column = kind === 'ARTIFACT' ? 'artifact_id' : 'execution_id';
    return this.withPaths(this.sql(`SELECT id, artifact_id, execution_id, type, milliseconds_since_epoch FROM Event
      WHERE ${column} IN (SELECT value FROM json_each(?)) AND id <= ? ORDER BY id`).all(JSON.stringify(ids), b.event) as never);
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
