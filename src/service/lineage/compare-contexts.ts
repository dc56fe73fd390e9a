/**
 * Runs side by side ("compare training runs"): for a few contexts, their executions,
 * their input artifacts and their metrics, aligned into rows so that a table with one
 * column per context can be drawn. A fixed number of reads: the contexts, one execution
 * page per context, their events, the artifacts, the types.
 */
import { InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import type {
  ArtifactRecord, ContextRecord, EventRecord, ExecutionRecord, PathStep, PropertyMap, PropertyValue, TypeRecord,
} from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import { recordsById, typesById } from '../shared/batch-reads.js';
import { describe, requireIdList } from '../shared/validate.js';
import { compareText } from '../shared/compare-text.js';

/** Most contexts one comparison takes. */
export const MAX_COMPARED_CONTEXTS = 20;
/** Most executions compared per context (the oldest first); more sets `truncated`. */
export const MAX_COMPARED_EXECUTIONS = 1000;

/** One property across the compared nodes of a row. */
export interface ComparedProperty {
  name: string;
  /** true for a custom property, false for a declared one. */
  custom: boolean;
  /** The value in each context, aligned with the comparison's contexts; null where absent. */
  values: (PropertyValue | null)[];
  /** Whether the values (absence included) are not all equal. */
  differs: boolean;
}

/** The `position`-th execution (oldest first) of one type in each context. */
export interface ExecutionRow {
  type: TypeRecord;
  /** 1 for each context's oldest execution of the type, 2 for the next... */
  position: number;
  /** Aligned with the contexts; null where a context has fewer executions of the type. */
  executions: (ExecutionRecord | null)[];
  properties: ComparedProperty[];
}

/** The `position`-th input (oldest first) of one artifact type read at one event path, in each context. */
export interface InputRow {
  type: TypeRecord;
  /** The event path the executions read it at ([] when none was recorded). */
  path: PathStep[];
  position: number;
  /** Aligned with the contexts; null where a context has no such input. */
  artifacts: (ArtifactRecord | null)[];
  uris: (string | null)[];
  /** Whether the contexts read different data: uris differ, or an input is missing in some. */
  differs: boolean;
}

/** The `position`-th output (oldest first) of one METRICS artifact type, in each context. */
export interface MetricsRow {
  type: TypeRecord;
  position: number;
  /** Aligned with the contexts; null where a context has fewer. */
  artifacts: (ArtifactRecord | null)[];
  properties: ComparedProperty[];
}

export interface ContextComparison {
  /** In the order asked. */
  contexts: ContextRecord[];
  /** By type name, version, then position. */
  executions: ExecutionRow[];
  /**
   * A run's inputs: artifacts its executions read (INPUT events) that none of them
   * wrote (OUTPUT events). By type name, version, path, then position.
   */
  inputs: InputRow[];
  /** Outputs (OUTPUT events) of base type METRICS. By type name, version, then position. */
  metrics: MetricsRow[];
  /** Whether a context had more than MAX_COMPARED_EXECUTIONS executions (only the oldest were compared). */
  truncated: boolean;
}

/** The context ids: 1..MAX_COMPARED_CONTEXTS, no repeats. */
export function validateComparedIds(value: unknown): string[] {
  const ids = requireIdList(value, 'ids');
  if (ids.length === 0 || ids.length > MAX_COMPARED_CONTEXTS) {
    throw new InvalidArgumentError(`ids must list from 1 to ${MAX_COMPARED_CONTEXTS} contexts, got ${ids.length}`, 'ids');
  }
  const first = new Map<string, number>();
  ids.forEach((id, i) => {
    const earlier = first.get(id);
    if (earlier !== undefined) throw new InvalidArgumentError(`ids[${i}] repeats ids[${earlier}] (${describe(id)})`, `ids[${i}]`);
    first.set(id, i);
  });
  return ids;
}

const byAge = (a: { createTime: number; id: string }, b: { createTime: number; id: string }): number =>
  a.createTime - b.createTime || compareText(a.id, b.id);
const typeOrder = (a: TypeRecord, b: TypeRecord): number =>
  compareText(a.name, b.name) || compareText(a.version ?? '', b.version ?? '');

/** JSON with object keys sorted, so equal STRUCT values compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareText(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const allEqual = (keys: readonly string[]): boolean => keys.every((k) => k === keys[0]);

/** Each property any of `nodes` has, declared ones first, each by name, with its value per node. */
function compareProperties(nodes: readonly ({ properties: PropertyMap; customProperties: PropertyMap } | null)[]): ComparedProperty[] {
  const out: ComparedProperty[] = [];
  for (const custom of [false, true]) {
    const mapOf = (n: { properties: PropertyMap; customProperties: PropertyMap }): PropertyMap => (custom ? n.customProperties : n.properties);
    const names = [...new Set(nodes.flatMap((n) => (n ? Object.keys(mapOf(n)) : [])))].sort(compareText);
    for (const name of names) {
      const values = nodes.map((n) => (n ? mapOf(n)[name] ?? null : null));
      out.push({ name, custom, values, differs: !allEqual(values.map(canonical)) });
    }
  }
  return out;
}

/** Rows of a table: one per (group, position), each with one cell per context. */
function alignGroups<T>(perContext: readonly Map<string, T[]>[]): { group: string; position: number; cells: (T | null)[] }[] {
  const groups = new Set(perContext.flatMap((m) => [...m.keys()]));
  const rows: { group: string; position: number; cells: (T | null)[] }[] = [];
  for (const group of groups) {
    const depth = Math.max(...perContext.map((m) => m.get(group)?.length ?? 0));
    for (let p = 0; p < depth; p += 1) rows.push({ group, position: p + 1, cells: perContext.map((m) => m.get(group)?.[p] ?? null) });
  }
  return rows;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** What a comparison reads, in a fixed number of set reads: the contexts, their executions, their events, artifacts and types. */
interface ComparedRecords {
  contexts: ContextRecord[];
  /** Each context's executions, oldest first, at most MAX_COMPARED_EXECUTIONS. */
  executionsOf: ExecutionRecord[][];
  truncated: boolean;
  eventsOf: Map<string, EventRecord[]>;
  artifacts: Map<string, ArtifactRecord>;
  types: Map<string, TypeRecord>;
}

async function readCompared(tx: StoreTx, ids: readonly string[]): Promise<ComparedRecords> {
  const found = await tx.getNodes(ids);
  const contexts = ids.map((id, i) => {
    const c = found[i];
    if (!c || c.kind !== 'CONTEXT') throw new NotFoundError(`ids[${i}]: no context ${describe(id)}`, `ids[${i}]`);
    return c;
  });
  let truncated = false;
  const executionsOf: ExecutionRecord[][] = [];
  // One page per context: at most MAX_COMPARED_CONTEXTS queries, however many executions.
  for (const c of contexts) {
    const page = await tx.listNodes({ kind: 'EXECUTION', contextId: c.id, orderBy: 'createTime', ascending: true, limit: MAX_COMPARED_EXECUTIONS + 1 });
    if (page.length > MAX_COMPARED_EXECUTIONS) truncated = true;
    executionsOf.push(page.slice(0, MAX_COMPARED_EXECUTIONS) as ExecutionRecord[]);
  }
  const executionIds = [...new Set(executionsOf.flat().map((x) => x.id))];
  const eventLists = executionIds.length > 0 ? await tx.eventsByExecutions(executionIds) : [];
  const eventsOf = new Map(executionIds.map((id, i) => [id, eventLists[i] ?? []]));
  const artifactIds = new Set<string>();
  for (const list of eventLists) for (const e of list) if (e.type === 'INPUT' || e.type === 'OUTPUT') artifactIds.add(e.artifactId);
  const artifacts = await recordsById(tx, [...artifactIds]) as Map<string, ArtifactRecord>;
  const types = await typesById(tx, [...executionsOf.flat().map((x) => x.typeId), ...[...artifacts.values()].map((a) => a.typeId)]);
  return { contexts: contexts as ContextRecord[], executionsOf, truncated, eventsOf, artifacts, types };
}

/** One context's groups: its executions by type, the artifacts it read from outside by (type, path), its metrics by type. */
interface ContextGroups {
  executions: Map<string, ExecutionRecord[]>;
  inputs: Map<string, ArtifactRecord[]>;
  metrics: Map<string, ArtifactRecord[]>;
}

/** The groups of one context's `executions`; notes each input group's path in `pathOfGroup`. */
function groupsOf(executions: readonly ExecutionRecord[], read: ComparedRecords, pathOfGroup: Map<string, PathStep[]>): ContextGroups {
  const byType = new Map<string, ExecutionRecord[]>();
  for (const x of executions) push(byType, x.typeId, x);
  const events = executions.flatMap((x) => read.eventsOf.get(x.id) ?? []);
  const written = new Set(events.filter((e) => e.type === 'OUTPUT').map((e) => e.artifactId));
  const inputs = new Map<string, ArtifactRecord[]>();
  const metrics = new Map<string, ArtifactRecord[]>();
  const placed = new Set<string>();
  for (const e of events) {
    const a = read.artifacts.get(e.artifactId);
    if (!a) continue;
    if (e.type === 'INPUT' && !written.has(a.id)) {
      const pathKey = JSON.stringify(e.path);
      const group = `${a.typeId}\u0000${pathKey}`;
      if (placed.has(`${group}\u0000${a.id}`)) continue;
      placed.add(`${group}\u0000${a.id}`);
      pathOfGroup.set(group, e.path);
      push(inputs, group, a);
    } else if (e.type === 'OUTPUT' && read.types.get(a.typeId)?.baseType === 'METRICS') {
      if (placed.has(`metrics\u0000${a.id}`)) continue;
      placed.add(`metrics\u0000${a.id}`);
      push(metrics, a.typeId, a);
    }
  }
  for (const list of [...inputs.values(), ...metrics.values()]) list.sort(byAge);
  return { executions: byType, inputs, metrics };
}

function inputRowsOf(groups: readonly ContextGroups[], types: ReadonlyMap<string, TypeRecord>, pathOfGroup: ReadonlyMap<string, PathStep[]>): InputRow[] {
  return alignGroups(groups.map((g) => g.inputs))
    .map((r) => {
      const [typeId] = r.group.split('\u0000');
      return { typeId: typeId!, path: pathOfGroup.get(r.group) ?? [], position: r.position, artifacts: r.cells };
    })
    .filter((r) => types.has(r.typeId))
    .map((r) => {
      const uris = r.artifacts.map((a) => a?.uri ?? null);
      const differs = !allEqual(r.artifacts.map((a) => (a ? JSON.stringify(['read', a.uri]) : 'absent')));
      return { type: types.get(r.typeId)!, path: r.path, position: r.position, artifacts: r.artifacts, uris, differs };
    })
    .sort((a, b) => typeOrder(a.type, b.type) || compareText(JSON.stringify(a.path), JSON.stringify(b.path)) || a.position - b.position);
}

/** One row per (execution type, position): the executions side by side, their properties compared. By type, then position. */
function executionRowsOf(groups: readonly ContextGroups[], types: ReadonlyMap<string, TypeRecord>): ExecutionRow[] {
  return alignGroups(groups.map((g) => g.executions))
    .filter((r) => types.has(r.group))
    .map((r) => ({ type: types.get(r.group)!, position: r.position, executions: r.cells, properties: compareProperties(r.cells) }))
    .sort((a, b) => typeOrder(a.type, b.type) || a.position - b.position);
}

/** One row per (METRICS artifact type, position): the metrics side by side, their properties compared. By type, then position. */
function metricRowsOf(groups: readonly ContextGroups[], types: ReadonlyMap<string, TypeRecord>): MetricsRow[] {
  return alignGroups(groups.map((g) => g.metrics))
    .filter((r) => types.has(r.group))
    .map((r) => ({ type: types.get(r.group)!, position: r.position, artifacts: r.cells, properties: compareProperties(r.cells) }))
    .sort((a, b) => typeOrder(a.type, b.type) || a.position - b.position);
}

/** Reads and aligns the contexts `ids` (validated) inside `tx`; NOT_FOUND names `ids[i]` that is not a context. */
export async function compareContextsInTx(tx: StoreTx, ids: readonly string[]): Promise<ContextComparison> {
  const read = await readCompared(tx, ids);
  const pathOfGroup = new Map<string, PathStep[]>();
  const groups = read.executionsOf.map((executions) => groupsOf(executions, read, pathOfGroup));
  return {
    contexts: read.contexts,
    executions: executionRowsOf(groups, read.types),
    inputs: inputRowsOf(groups, read.types, pathOfGroup),
    metrics: metricRowsOf(groups, read.types),
    truncated: read.truncated,
  };
}
