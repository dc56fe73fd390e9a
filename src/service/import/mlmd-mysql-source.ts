/**
 * Reads an ML Metadata MySQL (or MariaDB) database, schema version 10, through mysql2:
 * the same tables as the SQLite reader (mlmd-sqlite-source.ts), assembled by the same
 * code (mlmd-rows.ts). Every value is a parameter of a prepared statement; table and
 * column names come from the closed map in mlmd-rows.ts, and a LIMIT or OFFSET is a
 * literal integer checked first (prepared LIMIT parameters are refused by some MySQL
 * releases). An id list is one statement with as many placeholders as ids, in chunks.
 *
 * The URL's password is never shown: `location` (in messages, progress and the default
 * name of the import's origins) is the URL without it, and a driver error is said again
 * in this file's words, by its code.
 */
import mysql from 'mysql2/promise';
import type { NodeKind } from '../../graph/model.js';
import {
  type MlmdEvent, type MlmdLink, type MlmdNode, type MlmdParentLink, type MlmdSource, type MlmdType, type SourceBounds,
  type SourceCounts, NotMlmdSourceError, requireSchemaVersion,
} from './mlmd-source.js';
import {
  EVENT_COLUMNS, eventsOf, nodeColumns, nodesOf, propertyColumns, TABLES, TYPE_COLUMNS, typesOf,
  type EventPathRow, type EventRow, type NodePropertyRow, type NodeRow, type ParentTypeRow, type TypePropertyRow, type TypeRow,
} from './mlmd-rows.js';

/** Where a MySQL ML Metadata store is, from `mysql://user[:password]@host[:port]/database`. */
export interface MysqlLocation {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  /** The URL without its password: what messages show. */
  redacted: string;
}

/** Whether `text` names a MySQL store rather than a file. */
export const isMysqlUrl = (text: string): boolean => /^mysql:\/\//i.test(text);

/** Parses a `mysql://` URL, refusing one that lacks a user, host or database, naming what; never echoes the password. */
export function parseMysqlUrl(text: string): MysqlLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text itself may hold the password: say only what shape is wanted.
    throw new NotMlmdSourceError('the MySQL source is not a URL of the form mysql://user[:password]@host[:port]/database');
  }
  const user = decodeURIComponent(url.username);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const port = url.port === '' ? 3306 : Number(url.port);
  const redacted = `mysql://${url.username}@${url.host}${url.pathname}`;
  if (url.protocol !== 'mysql:') throw new NotMlmdSourceError(`${redacted}: the MySQL source's URL must start with mysql://`);
  if (user === '') throw new NotMlmdSourceError(`${redacted}: the MySQL source's URL names no user (mysql://user[:password]@host[:port]/database)`);
  if (url.hostname === '') throw new NotMlmdSourceError(`${redacted}: the MySQL source's URL names no host`);
  if (database === '' || database.includes('/')) {
    throw new NotMlmdSourceError(`${redacted}: the MySQL source's URL must name one database after the host (…/database)`);
  }
  if (url.search !== '' || url.hash !== '') throw new NotMlmdSourceError(`${redacted}: the MySQL source's URL takes no ?options or #fragment`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''), port, user, database, redacted,
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
  };
}

/** A driver's refusal to connect, said by its code: what is wrong, where, never the password. */
function connectError(err: unknown, at: MysqlLocation): NotMlmdSourceError {
  const code = (err as { code?: string }).code ?? '';
  const where = `${at.host}:${at.port}`;
  const reason: Record<string, string> = {
    ECONNREFUSED: `nothing accepts connections at ${where}`,
    ENOTFOUND: `host ${at.host} is not found`,
    EAI_AGAIN: `host ${at.host} is not found`,
    ETIMEDOUT: `${where} did not answer in time`,
    ER_ACCESS_DENIED_ERROR: `the server refused user ${JSON.stringify(at.user)}: wrong password, or no such user from this host`,
    ER_DBACCESS_DENIED_ERROR: `user ${JSON.stringify(at.user)} may not use database ${JSON.stringify(at.database)}`,
    ER_BAD_DB_ERROR: `the server has no database ${JSON.stringify(at.database)}`,
  };
  return new NotMlmdSourceError(`cannot read ${at.redacted}: ${reason[code] ?? `the connection failed (${code || (err as Error).message})`}`);
}

/**
 * The binary columns read as bytes. proto_value is not one: ML Metadata writes the
 * serialised Any there as base64 text (its EncodeBytes), on MySQL as on SQLite.
 */
const BINARY_COLUMNS = new Set(['byte_value']);

/**
 * ML Metadata's client talks to MySQL over a latin1 connection (its connector's default)
 * and hands it UTF-8 bytes, which the server takes for latin1 characters: its text is
 * what a latin1 connection sends back, read as UTF-8. This reader connects the same way
 * and reads text columns so, and sees the text ML Metadata's client sees, whatever the
 * tables' own charset (latin1 where the server's default is, as on MariaDB's).
 */
const typeCast: mysql.TypeCast = (field, next) =>
  (['VAR_STRING', 'STRING', 'BLOB'].includes(field.type) && !BINARY_COLUMNS.has(field.name) ? field.string('utf8') : next());

/** Connects to `url` (mysql://…) and checks it holds an ML Metadata database of schema version 10. */
export async function openMlmdMysql(url: string): Promise<MlmdSource> {
  const at = parseMysqlUrl(url);
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({
      host: at.host, port: at.port, user: at.user, password: at.password, database: at.database,
      connectTimeout: 10_000,
      // BIGINT columns (times, counts) as decimal strings, never a rounded double; mlmd-rows.ts converts them.
      supportBigNumbers: true, bigNumberStrings: true,
      charset: 'LATIN1_SWEDISH_CI', typeCast,
    });
  } catch (err) {
    throw connectError(err, at);
  }
  try {
    let versions: { schema_version: number | bigint }[];
    try {
      [versions] = await connection.query<(mysql.RowDataPacket & { schema_version: number | bigint })[]>('SELECT schema_version FROM MLMDEnv');
    } catch (err) {
      if ((err as { code?: string }).code === 'ER_NO_SUCH_TABLE') {
        throw new NotMlmdSourceError(`${at.redacted} is not an ML Metadata database: it has no MLMDEnv table`);
      }
      throw err;
    }
    requireSchemaVersion(at.redacted, versions.map((r) => r.schema_version));
  } catch (err) {
    await connection.end();
    throw err;
  }
  return new MysqlMlmdSource(connection, at.redacted);
}

/** A validated integer for a LIMIT or OFFSET literal. */
function literal(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`a LIMIT or OFFSET must be a non-negative integer, got ${n}`);
  return n;
}

/** At most this many placeholders in one IN list (MySQL allows 65,535 per statement). */
const IN_CHUNK = 10_000;

class MysqlMlmdSource implements MlmdSource {
  constructor(private readonly db: mysql.Connection, readonly location: string) {}

  private async rows<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const [rows] = await this.db.execute(sql, params as never);
    return rows as T[];
  }

  private async one(sql: string, params: readonly unknown[] = []): Promise<number | undefined> {
    const [row] = await this.rows<Record<string, unknown>>(sql, params);
    return row === undefined ? undefined : Number(Object.values(row)[0]);
  }

  /** The rows of `sql` (with one `(?)` for the id list) for every chunk of `ids`, in chunk order. */
  private async byIds<T>(sql: (placeholders: string) => string, ids: readonly number[], after: readonly unknown[] = []): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const chunk = ids.slice(i, i + IN_CHUNK);
      out.push(...await this.rows<T>(sql(chunk.map(() => '?').join(', ')), [...chunk, ...after]));
    }
    return out;
  }

  private async max(table: string): Promise<number> {
    return (await this.one(`SELECT coalesce(max(id), 0) FROM ${table}`))!;
  }

  async bounds(): Promise<SourceBounds> {
    return {
      ARTIFACT: await this.max('Artifact'), EXECUTION: await this.max('Execution'), CONTEXT: await this.max('Context'),
      event: await this.max('Event'), attribution: await this.max('Attribution'), association: await this.max('Association'),
    };
  }

  async counts(b: SourceBounds): Promise<SourceCounts> {
    const count = async (table: string, bound: number): Promise<number> => (await this.one(`SELECT count(*) FROM ${table} WHERE id <= ?`, [bound]))!;
    return {
      types: (await this.types()).length,
      ARTIFACT: await count('Artifact', b.ARTIFACT),
      EXECUTION: await count('Execution', b.EXECUTION),
      CONTEXT: await count('Context', b.CONTEXT),
      events: await count('Event', b.event),
      attributions: await count('Attribution', b.attribution),
      associations: await count('Association', b.association),
      parentContexts: (await this.one('SELECT count(*) FROM ParentContext WHERE context_id <= ? AND parent_context_id <= ?', [b.CONTEXT, b.CONTEXT]))!,
    };
  }

  async checkValues(b: SourceBounds): Promise<void> {
    await this.types();
    for (const kind of ['CONTEXT', 'ARTIFACT', 'EXECUTION'] as const) {
      const t = TABLES[kind];
      // The values propertyValueOf refuses; the row found is decoded to refuse it with its message.
      const id = await this.one(`SELECT ${t.key} FROM ${t.properties} WHERE ${t.key} <= ? AND (byte_value IS NOT NULL
        OR int_value > 9007199254740991 OR int_value < -9007199254740991) LIMIT 1`, [b[kind]]);
      if (id !== undefined) await this.nodesById(kind, [id]);
    }
    const event = await this.one('SELECT id FROM Event WHERE id <= ? AND type NOT BETWEEN 1 AND 7 LIMIT 1', [b.event]);
    if (event !== undefined) await this.events(event - 1, 1, b);
  }

  async types(): Promise<MlmdType[]> {
    return typesOf(
      await this.rows<TypeRow>(`SELECT ${TYPE_COLUMNS} FROM Type ORDER BY id`),
      await this.rows<ParentTypeRow>('SELECT type_id, parent_type_id FROM ParentType ORDER BY type_id, parent_type_id'),
      await this.rows<TypePropertyRow>('SELECT type_id, name, data_type FROM TypeProperty ORDER BY type_id, name'),
    );
  }

  async nodes(kind: NodeKind, afterId: number, limit: number, b: SourceBounds): Promise<MlmdNode[]> {
    const t = TABLES[kind];
    const rows = await this.rows<NodeRow>(`SELECT ${nodeColumns(kind)} FROM ${t.table} WHERE id > ? AND id <= ? ORDER BY id LIMIT ${literal(limit)}`,
      [afterId, b[kind]]);
    if (rows.length === 0) return [];
    // The page is a run of ids, so its properties are one range of the property table's key.
    const props = await this.rows<NodePropertyRow>(`SELECT ${propertyColumns(kind)} FROM ${t.properties} WHERE ${t.key} BETWEEN ? AND ?`,
      [rows[0]!.id, rows[rows.length - 1]!.id]);
    return nodesOf(kind, rows, props);
  }

  async nodesById(kind: NodeKind, ids: readonly number[]): Promise<MlmdNode[]> {
    if (ids.length === 0) return [];
    const t = TABLES[kind];
    const rows = await this.byIds<NodeRow>((list) => `SELECT ${nodeColumns(kind)} FROM ${t.table} WHERE id IN (${list})`, ids);
    rows.sort((x, y) => Number(x.id) - Number(y.id));
    const props = await this.byIds<NodePropertyRow>((list) => `SELECT ${propertyColumns(kind)} FROM ${t.properties} WHERE ${t.key} IN (${list})`, ids);
    return nodesOf(kind, rows, props);
  }

  private async withPaths(rows: EventRow[]): Promise<MlmdEvent[]> {
    if (rows.length === 0) return [];
    // EventPath has no key: a path's steps are in the order its rows come, as ML Metadata reads them (its own query has no ORDER BY either).
    const steps = await this.byIds<EventPathRow>((list) => `SELECT event_id, is_index_step, step_index, step_key FROM EventPath WHERE event_id IN (${list})`,
      rows.map((r) => Number(r.id)));
    return eventsOf(rows, steps);
  }

  async events(afterId: number, limit: number, b: SourceBounds): Promise<MlmdEvent[]> {
    return this.withPaths(await this.rows<EventRow>(`SELECT ${EVENT_COLUMNS} FROM Event WHERE id > ? AND id <= ? ORDER BY id LIMIT ${literal(limit)}`,
      [afterId, b.event]));
  }

  async eventsOf(kind: 'ARTIFACT' | 'EXECUTION', ids: readonly number[], b: SourceBounds): Promise<MlmdEvent[]> {
    if (ids.length === 0) return [];
    const column = kind === 'ARTIFACT' ? 'artifact_id' : 'execution_id';
    const rows = await this.byIds<EventRow>((list) => `SELECT ${EVENT_COLUMNS} FROM Event WHERE ${column} IN (${list}) AND id <= ?`, ids, [b.event]);
    rows.sort((x, y) => Number(x.id) - Number(y.id));
    return this.withPaths(rows);
  }

  private async links(table: 'Attribution' | 'Association', column: string, afterId: number, limit: number, bound: number): Promise<MlmdLink[]> {
    return (await this.rows<{ id: number; context_id: number; node_id: number }>(
      `SELECT id, context_id, ${column} AS node_id FROM ${table} WHERE id > ? AND id <= ? ORDER BY id LIMIT ${literal(limit)}`, [afterId, bound]))
      .map((r) => ({ id: Number(r.id), contextId: Number(r.context_id), nodeId: Number(r.node_id) }));
  }

  async attributions(afterId: number, limit: number, b: SourceBounds): Promise<MlmdLink[]> {
    return this.links('Attribution', 'artifact_id', afterId, limit, b.attribution);
  }

  async associations(afterId: number, limit: number, b: SourceBounds): Promise<MlmdLink[]> {
    return this.links('Association', 'execution_id', afterId, limit, b.association);
  }

  async parentContexts(after: MlmdParentLink | null, limit: number, b: SourceBounds): Promise<MlmdParentLink[]> {
    const from = after ?? { childId: -1, parentId: -1 };
    return (await this.rows<{ context_id: number; parent_context_id: number }>(`SELECT context_id, parent_context_id FROM ParentContext
      WHERE (context_id > ? OR (context_id = ? AND parent_context_id > ?)) AND context_id <= ? AND parent_context_id <= ?
      ORDER BY context_id, parent_context_id LIMIT ${literal(limit)}`, [from.childId, from.childId, from.parentId, b.CONTEXT, b.CONTEXT]))
      .map((r) => ({ childId: Number(r.context_id), parentId: Number(r.parent_context_id) }));
  }

  async spreadIds(kind: NodeKind, count: number, b: SourceBounds): Promise<number[]> {
    const table = TABLES[kind].table;
    const total = (await this.one(`SELECT count(*) FROM ${table} WHERE id <= ?`, [b[kind]]))!;
    const n = Math.min(count, total);
    const ids = new Set<number>();
    for (let i = 0; i < n; i += 1) {
      ids.add((await this.one(`SELECT id FROM ${table} WHERE id <= ? ORDER BY id LIMIT 1 OFFSET ${literal(Math.floor((i * total) / n))}`, [b[kind]]))!);
    }
    return [...ids];
  }

  async close(): Promise<void> {
    await this.db.end();
  }
}
