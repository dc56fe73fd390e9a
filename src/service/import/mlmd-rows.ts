/**
 * ML Metadata's rows assembled into what a source hands the importer (mlmd-source.ts):
 * the part every reader shares, whatever database the rows came from (SQLite through
 * mlmd-sqlite-source.ts, MySQL through mlmd-mysql-source.ts). The readers run the
 * queries; this file names the tables and columns (a closed map, never from input) and
 * turns their rows into types, nodes with their properties, and events with their paths.
 */
import type { NodeKind } from '../../graph/model.js';
import type { MlmdEvent, MlmdNode, MlmdType } from './mlmd-source.js';
import {
  artifactStateOf, eventTypeOf, executionStateOf, pathStepOf, propertyTypeOf, propertyValueOf, SIMPLE_TYPE_BASES,
  TYPE_KINDS, UnimportableError, type PropertyRow,
} from './mlmd-values.js';

/** Each node kind's tables and columns. */
export const TABLES = {
  ARTIFACT: { table: 'Artifact', properties: 'ArtifactProperty', key: 'artifact_id', word: 'artifact', extra: ', uri, state' },
  EXECUTION: { table: 'Execution', properties: 'ExecutionProperty', key: 'execution_id', word: 'execution', extra: ', last_known_state' },
  CONTEXT: { table: 'Context', properties: 'ContextProperty', key: 'context_id', word: 'context', extra: '' },
} as const;

export const nodeColumns = (kind: NodeKind): string =>
  `id, type_id, name, external_id, create_time_since_epoch, last_update_time_since_epoch${TABLES[kind].extra}`;

/** The property columns, the node's id as node_id. */
export const propertyColumns = (kind: NodeKind): string =>
  `${TABLES[kind].key} AS node_id, name, is_custom_property, int_value, double_value, string_value, byte_value, proto_value, bool_value`;

export const TYPE_COLUMNS = 'id, name, version, type_kind, description, input_type, output_type, external_id';
export const EVENT_COLUMNS = 'id, artifact_id, execution_id, type, milliseconds_since_epoch';

/** Integers come as numbers, bigints or decimal strings, as the driver gives them; ids and times fit a double. */
type Int = number | bigint | string;

export interface NodeRow {
  id: Int; type_id: Int; name: string | null; external_id: string | null;
  create_time_since_epoch: Int; last_update_time_since_epoch: Int;
  uri?: string | null; state?: Int | null; last_known_state?: Int | null;
}
export interface TypeRow {
  id: Int; name: string; version: string | null; type_kind: Int; description: string | null;
  input_type: string | null; output_type: string | null; external_id: string | null;
}
export interface ParentTypeRow { type_id: Int; parent_type_id: Int }
export interface TypePropertyRow { type_id: Int; name: string; data_type: Int | null }
export interface EventRow { id: Int; artifact_id: Int; execution_id: Int; type: Int; milliseconds_since_epoch: Int | null }
export interface EventPathRow { event_id: Int; is_index_step: Int; step_index: Int | null; step_key: string | null }
export type NodePropertyRow = PropertyRow & { node_id: Int };

const num = (n: Int | null): number | null => (n === null ? null : Number(n));

/** Every type the users made; ML Metadata's own simple types (`mlmd.Dataset` and the like) become base types, not types. */
export function typesOf(rows: readonly TypeRow[], parents: readonly ParentTypeRow[], properties: readonly TypePropertyRow[]): MlmdType[] {
  const names = new Map(rows.map((r) => [Number(r.id), r.name]));
  const out: MlmdType[] = [];
  for (const r of rows) {
    const id = Number(r.id);
    if (SIMPLE_TYPE_BASES[r.name] !== undefined && r.version === null) continue;
    const kind = TYPE_KINDS[Number(r.type_kind)];
    const where = `type ${JSON.stringify(r.name)} (id ${id})`;
    if (!kind) throw new UnimportableError(`${where} has type_kind ${r.type_kind}, which is no kind of type Data Journey knows`);
    if (r.input_type !== null || r.output_type !== null) {
      throw new UnimportableError(`${where} declares input_type or output_type, which Data Journey cannot hold yet`);
    }
    const bases = parents.filter((p) => Number(p.type_id) === id).map((p) => names.get(Number(p.parent_type_id)) ?? `type ${p.parent_type_id}`);
    if (bases.length > 1 || (bases.length === 1 && SIMPLE_TYPE_BASES[bases[0]!] === undefined)) {
      throw new UnimportableError(`${where} has parent types [${bases.join(', ')}]; Data Journey keeps one base type, one of ML Metadata's simple types`);
    }
    out.push({
      id, kind, name: r.name, version: r.version, description: r.description, externalId: r.external_id,
      baseType: bases.length === 1 ? SIMPLE_TYPE_BASES[bases[0]!]! : null,
      properties: properties.filter((p) => Number(p.type_id) === id)
        .map((p) => ({ name: p.name, type: propertyTypeOf(num(p.data_type), `${where} property ${JSON.stringify(p.name)}`) })),
    });
  }
  return out;
}

/** Nodes of `kind` from their rows (in the rows' order) and their property rows (any order; others ignored). */
export function nodesOf(kind: NodeKind, rows: readonly NodeRow[], props: readonly NodePropertyRow[]): MlmdNode[] {
  const t = TABLES[kind];
  const byId = new Map<number, MlmdNode>();
  const out = rows.map((r) => {
    const id = Number(r.id);
    const where = `${t.word} ${id}`;
    const common = {
      id, typeId: Number(r.type_id), name: r.name, externalId: r.external_id, properties: {}, customProperties: {},
      createTime: Number(r.create_time_since_epoch), updateTime: Number(r.last_update_time_since_epoch),
    };
    const node: MlmdNode = kind === 'ARTIFACT'
      // ML Metadata stores an artifact put without a uri as '' (and reads it back so); the core has no empty uri.
      ? { ...common, kind, uri: r.uri === '' ? null : r.uri ?? null, state: artifactStateOf(num(r.state ?? null), where) }
      : kind === 'EXECUTION'
        ? { ...common, kind, lastKnownState: executionStateOf(num(r.last_known_state ?? null), where) }
        : { ...common, kind, name: r.name ?? '' };
    byId.set(id, node);
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

/** Events from their rows (in the rows' order) and their path steps, in stored order. */
export function eventsOf(rows: readonly EventRow[], steps: readonly EventPathRow[]): MlmdEvent[] {
  const events = new Map(rows.map((r) => [Number(r.id), {
    id: Number(r.id), artifactId: Number(r.artifact_id), executionId: Number(r.execution_id),
    type: eventTypeOf(Number(r.type), `event ${r.id}`), path: [], time: num(r.milliseconds_since_epoch),
  } as MlmdEvent]));
  for (const s of steps) {
    const event = events.get(Number(s.event_id));
    event?.path.push(pathStepOf(s, `event ${s.event_id} path`));
  }
  return [...events.values()];
}
