/**
 * The small graph the filter differential test builds in ML Metadata and in each backend,
 * the filters it asks of both (written out, and drawn by a seeded generator), and the
 * builder for our side. Property values are tagged with ML Metadata's value field, so the
 * Python side sets exactly that field; doubles have fractions, since our numbers do not
 * keep INT apart from DOUBLE (see docs/architecture.md, "Filter queries").
 *
 *   contexts   p1 (Pipeline)  ── parent of r1, r2
 *              r1, r2, r3 (Run, note: 'nightly build' / 'Nightly' / none)
 *   artifacts  Train-A train-b TEST_c x%y ünï it's (Dataset)   m1 m2 (Model)   one unnamed
 *   attributions  r1: Train-A train-b m1     r2: train-b TEST_c m2     r3: x%y
 *   executions e1 e2 (Trainer) e3 (Evaluator)   associations r1: e1 e3   r2: e2
 *   events     Train-A →INPUT e1 →OUTPUT m1;  train-b →INPUT e2 →OUTPUT m2;
 *              m1 →INPUT e3,  TEST_c →INPUT e3,  e3 →OUTPUT ünï
 */
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';
import type { EventType, NodeKind } from '../../src/graph/model.js';

type Tagged = Record<string, { int: number } | { double: number } | { string: string } | { bool: boolean }>;
interface NodeSpec {
  /** The name, or (unnamed nodes) the key placeholders use. */
  name?: string;
  key?: string;
  type: string;
  uri?: string;
  state?: string;
  lastKnownState?: string;
  externalId?: string;
  properties?: Tagged;
  customProperties?: Tagged;
}

export const FILTER_GRAPH = {
  types: [
    { kind: 'ARTIFACT', name: 'Dataset', properties: { rows: 'INT', split: 'STRING', score: 'DOUBLE', ok: 'BOOLEAN' } },
    { kind: 'ARTIFACT', name: 'Model', properties: { lr: 'DOUBLE', layers: 'INT' } },
    { kind: 'EXECUTION', name: 'Trainer', properties: { epochs: 'INT' } },
    { kind: 'EXECUTION', name: 'Evaluator', properties: {} },
    { kind: 'CONTEXT', name: 'Pipeline', properties: {} },
    { kind: 'CONTEXT', name: 'Run', properties: { note: 'STRING' } },
  ],
  graph: {
    artifacts: [
      { name: 'Train-A', type: 'Dataset', uri: 'gs://b/train-a', state: 'LIVE', externalId: 'ext-1',
        properties: { rows: { int: 10 }, split: { string: 'train' }, score: { double: 0.25 }, ok: { bool: true } },
        customProperties: { team: { string: 'x' }, 'odd key.1': { int: 7 } } },
      { name: 'train-b', type: 'Dataset', uri: 'gs://b/train-b', state: 'PENDING',
        properties: { rows: { int: 20 }, split: { string: 'TRAIN' }, score: { double: 0.75 }, ok: { bool: false } },
        customProperties: { team: { string: 'y' }, flag: { bool: true } } },
      { name: 'TEST_c', type: 'Dataset', uri: 's3://c', state: 'LIVE',
        properties: { rows: { int: 30 }, split: { string: 'test' } }, customProperties: { team: { string: 'X' } } },
      { name: 'x%y', type: 'Dataset', state: 'DELETED', properties: { split: { string: '100%' } },
        customProperties: { 'odd key.1': { int: -3 } } },
      { name: 'ünï', type: 'Dataset', uri: 'file:///ü', state: 'MARKED_FOR_DELETION', externalId: 'ext-ü' },
      { name: "it's", type: 'Dataset', uri: 'a\\b', state: 'LIVE', properties: { split: { string: 'say "hi"' } } },
      { name: 'm1', type: 'Model', uri: 'gs://m/1', state: 'LIVE', properties: { lr: { double: 0.125 }, layers: { int: 3 } } },
      { name: 'm2', type: 'Model', state: 'PENDING', properties: { lr: { double: 0.5 } }, customProperties: { flag: { bool: false } } },
      { key: 'unnamed', type: 'Model', state: 'LIVE' },
    ] as NodeSpec[],
    executions: [
      { name: 'e1', type: 'Trainer', lastKnownState: 'COMPLETE', properties: { epochs: { int: 5 } }, customProperties: { gpu: { bool: true } } },
      { name: 'e2', type: 'Trainer', lastKnownState: 'RUNNING', properties: { epochs: { int: 50 } } },
      { name: 'e3', type: 'Evaluator', lastKnownState: 'FAILED', externalId: 'run-e3' },
    ] as NodeSpec[],
    contexts: [
      { name: 'p1', type: 'Pipeline' },
      { name: 'r1', type: 'Run', properties: { note: { string: 'nightly build' } } },
      { name: 'r2', type: 'Run', properties: { note: { string: 'Nightly' } }, externalId: 'run-2' },
      { name: 'r3', type: 'Run' },
    ] as NodeSpec[],
    attributions: [['r1', 'Train-A'], ['r1', 'train-b'], ['r1', 'm1'], ['r2', 'train-b'], ['r2', 'TEST_c'], ['r2', 'm2'], ['r3', 'x%y']],
    associations: [['r1', 'e1'], ['r1', 'e3'], ['r2', 'e2']],
    parents: [['r1', 'p1'], ['r2', 'p1']],
    events: [
      ['Train-A', 'e1', 'INPUT'], ['m1', 'e1', 'OUTPUT'], ['train-b', 'e2', 'INPUT'], ['m2', 'e2', 'OUTPUT'],
      ['m1', 'e3', 'INPUT'], ['TEST_c', 'e3', 'INPUT'], ['ünï', 'e3', 'OUTPUT'],
    ] as [string, string, EventType][],
  },
};

const untag = (values: Tagged | undefined): Record<string, unknown> =>
  Object.fromEntries(Object.entries(values ?? {}).map(([name, tagged]) => [name, Object.values(tagged)[0]]));

/** Each node's key (its name, or `key`) to its id and mlmdId in our store, and each type's mlmdId. */
export interface BuiltGraph {
  ids: Record<'a' | 'e' | 'c', Record<string, { id: string; mlmdId: number }>>;
  typeIds: Record<string, number>;
}

/** Builds FILTER_GRAPH through the service, as a client would. */
export async function buildFilterGraph(api: MetadataApi): Promise<BuiltGraph> {
  const typeIds: Record<string, number> = {};
  for (const t of FILTER_GRAPH.types) {
    const type = await api.putType(`${t.kind}_TYPE` as 'ARTIFACT_TYPE', {
      name: t.name, properties: Object.entries(t.properties).map(([name, type]) => ({ name, type: type as 'INT' })),
    });
    typeIds[t.name] = type.mlmdId;
  }
  const { graph } = FILTER_GRAPH;
  const input = (n: NodeSpec) => ({
    type: n.type, ...(n.name !== undefined ? { name: n.name } : {}), ...(n.externalId !== undefined ? { externalId: n.externalId } : {}),
    properties: untag(n.properties), customProperties: untag(n.customProperties),
  });
  const artifacts = await api.putArtifacts(graph.artifacts.map((a) => ({
    ...input(a), ...(a.uri !== undefined ? { uri: a.uri } : {}), state: a.state as 'LIVE',
  })));
  const executions = await api.putExecutions(graph.executions.map((x) => ({ ...input(x), lastKnownState: x.lastKnownState as 'COMPLETE' })));
  const contexts = await api.putContexts(graph.contexts.map((c) => ({ ...input(c), name: c.name! })));
  const keyed = (specs: NodeSpec[], records: { id: string; mlmdId: number }[]) =>
    Object.fromEntries(specs.map((s, i) => [s.key ?? s.name!, { id: records[i]!.id, mlmdId: records[i]!.mlmdId }]));
  const ids = { a: keyed(graph.artifacts, artifacts), e: keyed(graph.executions, executions), c: keyed(graph.contexts, contexts) };
  await api.putAttributions(graph.attributions.map(([c, a]) => ({ contextId: ids.c[c!]!.id, artifactId: ids.a[a!]!.id })));
  await api.putAssociations(graph.associations.map(([c, x]) => ({ contextId: ids.c[c!]!.id, executionId: ids.e[x!]!.id })));
  await api.putParentContexts(graph.parents.map(([child, parent]) => ({ childId: ids.c[child!]!.id, parentId: ids.c[parent!]!.id })));
  await api.putEvents(graph.events.map(([a, x, type]) => ({ artifactId: ids.a[a]!.id, executionId: ids.e[x]!.id, type })));
  return { ids, typeIds };
}

/**
 * A filter with its `{a:NAME}`-style placeholders replaced by this store's mlmdIds. Both
 * stores number each kind from 1, so on a fresh SQLite store the ids equal ML Metadata's;
 * on the shared Neo4j database the counters run on from earlier files (test/support/
 * neo4j-database.ts), so they differ. The placeholders keep the comparison by node either way.
 */
export function withIds(filter: string, built: BuiltGraph): string {
  return filter.replace(/\{([aect]):([^}]*)\}/g, (_, space: string, key: string) => {
    const value = space === 't' ? built.typeIds[key] : built.ids[space as 'a' | 'e' | 'c'][key]?.mlmdId;
    if (value === undefined) throw new Error(`no ${space} named ${key} in the filter graph`);
    return String(value);
  });
}

export interface FilterCase { kind: NodeKind; filter: string }

/** Filters written out: each attribute, neighbour and operator, and the quirks to check. */
export const WRITTEN_FILTERS: FilterCase[] = [
  ...[
    "name = 'Train-A'", "name = 'train-a'", "name LIKE 'train%'", "name LIKE 'TRAIN-_'", "name NOT LIKE '%a'",
    "name LIKE 'x_y'", "name = 'ünï'", "name LIKE 'ÜN%'", "name LIKE 'ün%'", "name = 'it\\'s'",
    'name = "it\'s"', 'name IS NULL', 'name IS NOT NULL', "name IN ('m1', 'm2', 'nope')", "name NOT IN ('m1')",
    "name > 'm'", "name <= 'TEST_c'", "uri LIKE 'gs://%'", "uri IS NULL", "uri = ''", "uri != ''",
    "external_id = 'ext-1'", 'external_id IS NULL', "external_id LIKE 'EXT%'",
    "type = 'Dataset'", "type != 'Dataset'", "type IN ('Model')", "type LIKE 'mod%'", 'type_id = {t:Model}',
    'id = {a:TEST_c}', 'id IN ({a:Train-A}, {a:m1})', 'id != {a:Train-A}', 'NOT (id = {a:Train-A})',
    'state = LIVE', 'state != LIVE', 'state IN (PENDING, DELETED)', 'state NOT IN (LIVE, PENDING)',
    'create_time_since_epoch > 0', 'last_update_time_since_epoch >= 1 AND create_time_since_epoch < 99999999999999',
    'properties.rows.int_value > 15', "properties.rows.int_value = 10 OR name = 'm1'", "properties.split.string_value = 'train'",
    "properties.split.string_value LIKE 'TR%'", "properties.split.string_value LIKE '%\\x25'", "name = '\\x78%y'", 'properties.score.double_value < 0.5',
    'properties.score.double_value >= 0.25', 'properties.ok.bool_value = true', 'properties.ok.bool_value = false',
    'properties.ok.bool_value != true', 'properties.rows.string_value IS NULL', 'NOT (properties.rows.int_value = 10)',
    'properties.lr.double_value > 0.2', 'properties.layers.int_value IS NOT NULL', 'properties.rows.int_value IN (10, 30)',
    "properties.split.string_value = 'say \"hi\"'", 'properties.nothing.int_value IS NULL',
    "custom_properties.team.string_value = 'x'", "custom_properties.team.string_value LIKE 'x'", 'custom_properties.`odd key.1`.int_value = 7',
    'custom_properties.`odd key.1`.int_value < 0', 'custom_properties.flag.bool_value = true', 'custom_properties.flag.bool_value IS NOT NULL',
    'custom_properties.rows.int_value = 10', "properties.team.string_value = 'x'",
    "contexts_a.name = 'r1'", "contexts_a.type = 'Run'", "contexts_a.name = 'r1' AND contexts_b.name = 'r2'",
    "contexts_a.name = 'r1' AND contexts_a.name = 'r2'", "contexts_a.name != 'r1'", "NOT (contexts_a.name = 'r1')",
    'contexts_a.id = {c:r2}', "contexts_a.name LIKE 'R%'", "name = 'ünï' OR contexts_a.name = 'r3'",
    'contexts_a.create_time_since_epoch > 0', 'contexts_a.last_update_time_since_epoch > 0',
    'events_0.type = OUTPUT', 'events_0.type = INPUT AND events_0.execution_id = {e:e3}', 'events_0.execution_id = {e:e1}',
    'events_0.type = INPUT AND events_1.type = OUTPUT', 'events_0.milliseconds_since_epoch > 0', 'events_0.type IN (OUTPUT)',
    'events_0.type != INPUT', 'NOT (events_0.type = INPUT)',
    "type = 'Dataset' AND (contexts_a.type = 'Run' AND contexts_a.name = 'r1') AND (properties.rows.int_value = 10 OR custom_properties.team.string_value = 'y')",
    "(name = 'm1' OR name = 'm2') AND NOT (state = PENDING)", "name = 'm1' OR name = 'm2' AND state = PENDING",
    "NOT name = 'm1'", "NOT NOT name = 'm1'", "name like 'm%' and NOT (uri is null)",
  ].map((filter) => ({ kind: 'ARTIFACT' as const, filter })),
  ...[
    'last_known_state = COMPLETE', 'last_known_state != RUNNING', 'last_known_state IN (FAILED, RUNNING)',
    'last_known_state NOT IN (COMPLETE)', 'properties.epochs.int_value >= 5', 'properties.epochs.int_value > 5',
    'custom_properties.gpu.bool_value = true', "type = 'Evaluator'", "type LIKE 't%'", 'external_id IS NOT NULL',
    "contexts_r.name = 'r1'", "contexts_r.name = 'r1' AND type = 'Trainer'", 'events_x.artifact_id = {a:Train-A}',
    'events_x.type = OUTPUT AND events_y.type = INPUT', 'events_x.type = OUTPUT AND events_x.type = INPUT',
    'events_x.artifact_id IN ({a:m1}, {a:TEST_c})', 'id = {e:e2}', 'type_id = {t:Trainer}', 'name IS NULL',
    "NOT (contexts_r.type = 'Run')",
  ].map((filter) => ({ kind: 'EXECUTION' as const, filter })),
  ...[
    "parent_contexts_p.name = 'p1'", "child_contexts_c.name = 'r1'", "child_contexts_c.type = 'Run'", 'parent_contexts_p.id = {c:p1}',
    'artifacts_a.state = LIVE', 'artifacts_a.state IN (DELETED)', 'executions_e.last_known_state = COMPLETE',
    "artifacts_a.name = 'Train-A' AND executions_e.name = 'e1'", "artifacts_a.name = 'TEST_c' AND artifacts_b.name = 'm2'",
    "type = 'Run' AND properties.note.string_value LIKE '%night%'", "properties.note.string_value = 'Nightly'",
    "artifacts_a.uri LIKE 'gs://%'", "artifacts_a.type = 'Model'", "executions_e.type = 'Evaluator'", 'artifacts_a.id = {a:x%y}',
    "type = 'Pipeline' OR parent_contexts_p.name = 'p1'", "external_id = 'run-2'", "name IN ('r1', 'r3')", "type = 'Run'",
    "NOT (artifacts_a.name LIKE 'm%')", 'executions_e.id = {e:e2}',
  ].map((filter) => ({ kind: 'CONTEXT' as const, filter })),
];

/** Filters both must refuse as InvalidArgument. */
export const REFUSED_FILTERS: FilterCase[] = [
  { kind: 'ARTIFACT', filter: "name = 'x' AND" },
  { kind: 'ARTIFACT', filter: "(name = 'x'" },
  { kind: 'ARTIFACT', filter: "name = 'x')" },
  { kind: 'ARTIFACT', filter: 'name = ' },
  { kind: 'ARTIFACT', filter: "name == 'x'" },
  { kind: 'ARTIFACT', filter: "colour = 'red'" },
  { kind: 'ARTIFACT', filter: "id = 'one'" },
  { kind: 'ARTIFACT', filter: "name = 1" },
  { kind: 'ARTIFACT', filter: 'state = BOGUS' },
  { kind: 'ARTIFACT', filter: "name LIKE 'x' LIKE 'y'" },
  { kind: 'EXECUTION', filter: "uri = 'x'" },
  { kind: 'EXECUTION', filter: 'state = LIVE' },
  { kind: 'CONTEXT', filter: "contexts_a.name = 'x'" },
  { kind: 'ARTIFACT', filter: "name = 'unclosed" },
  // \% is no escape in ZetaSQL, which ML Metadata parses with.
  { kind: 'ARTIFACT', filter: "name LIKE '%\\%%'" },
];

type Answer = { names: (string | null)[] } | { error: string };

/**
 * Where our answer differs from ML Metadata 1.17.1's on SQLite, on purpose (names sorted,
 * unnamed first, then by code point):
 * - its SQL for SQLite writes a backslash of a string literal doubled (MySQL's escaping),
 *   which SQLite reads as two backslashes, so no stored backslash can be matched; ours
 *   matches the text the filter says;
 * - neighbour attributes it declares but its SQL lacks fail there with an internal error,
 *   type_id of a neighbour and our extra enum values are refused there; ours answers;
 * - it rewrites enum predicates by text before parsing and fails on a filter holding the
 *   same one twice; ours answers.
 */
export const KNOWN_DIFFERENCES: (FilterCase & { mlmd: Answer; ours: Answer })[] = [
  { kind: 'ARTIFACT', filter: "uri = 'a\\\\b'", mlmd: { names: [] }, ours: { names: ["it's"] } },
  { kind: 'ARTIFACT', filter: "uri LIKE '%\\\\%'", mlmd: { names: [] }, ours: { names: ["it's"] } },
  { kind: 'CONTEXT', filter: 'parent_contexts_p.create_time_since_epoch > 0', mlmd: { error: 'InternalError' }, ours: { names: ['r1', 'r2'] } },
  { kind: 'CONTEXT', filter: "artifacts_a.external_id = 'ext-1'", mlmd: { error: 'InternalError' }, ours: { names: ['r1'] } },
  { kind: 'CONTEXT', filter: 'child_contexts_c.type_id = {t:Run}', mlmd: { error: 'InvalidArgumentError' }, ours: { names: ['p1'] } },
  { kind: 'ARTIFACT', filter: 'state = ABANDONED', mlmd: { error: 'InvalidArgumentError' }, ours: { names: [] } },
  { kind: 'ARTIFACT', filter: 'events_0.type = OUTPUT OR events_0.type = OUTPUT', mlmd: { error: 'InvalidArgumentError' }, ours: { names: ['m1', 'm2', 'ünï'] } },
];

/** A small seeded generator (mulberry32): the same seed gives the same filters. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Predicates the generator draws from, per kind: every one has the same meaning in both stores. */
const ATOMS: Record<NodeKind, string[]> = {
  ARTIFACT: [
    "name = 'Train-A'", "name LIKE 't%'", "name != 'm1'", 'name IS NULL', "uri LIKE 'gs://%'", 'uri IS NULL',
    "type = 'Model'", 'state = LIVE', 'state IN (PENDING, DELETED)', 'state != PENDING', 'properties.rows.int_value > 15',
    'properties.rows.int_value <= 20', "properties.split.string_value LIKE 'tr%'", 'properties.score.double_value < 0.5',
    'properties.ok.bool_value = true', "custom_properties.team.string_value = 'x'", 'custom_properties.flag.bool_value = false',
    "contexts_a.name = 'r1'", "contexts_a.name = 'r2'", "contexts_b.type = 'Run'", "contexts_b.name LIKE '%3'",
    'events_0.type = INPUT', 'events_0.type = OUTPUT', 'events_1.execution_id = {e:e3}', 'id = {a:m1}', "external_id LIKE 'ext%'",
  ],
  EXECUTION: [
    'last_known_state = COMPLETE', 'last_known_state != FAILED', "type = 'Trainer'", 'properties.epochs.int_value > 10',
    "contexts_r.name = 'r1'", "contexts_r.name = 'r2'", 'events_a.type = INPUT', 'events_a.artifact_id = {a:m1}',
    'events_b.type = OUTPUT', "name LIKE 'E%'", 'custom_properties.gpu.bool_value = true', 'external_id IS NULL',
  ],
  CONTEXT: [
    "type = 'Run'", "name = 'p1'", "name LIKE 'R%'", "parent_contexts_p.name = 'p1'", "child_contexts_c.name = 'r2'",
    'artifacts_a.state = LIVE', "artifacts_a.name LIKE 't%'", "artifacts_b.type = 'Model'", 'executions_e.last_known_state = RUNNING',
    "properties.note.string_value LIKE 'n%'", 'external_id IS NULL',
  ],
};

/** `count` random filters for `kind`: atoms joined by AND/OR, some negated, some parenthesised, up to depth 3. */
export function randomFilters(kind: NodeKind, seed: number, count: number): FilterCase[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const expression = (depth: number): string => {
    if (depth === 0 || next() < 0.35) return next() < 0.15 ? `NOT ${pick(ATOMS[kind])}` : pick(ATOMS[kind]);
    const parts = Array.from({ length: 2 + Math.floor(next() * 2) }, () => expression(depth - 1));
    const joined = parts.join(next() < 0.5 ? ' AND ' : ' OR ');
    return next() < 0.2 ? `NOT (${joined})` : `(${joined})`;
  };
  // ML Metadata rewrites enum predicates (state = LIVE) by text before parsing, and fails on
  // a filter holding the same one twice; such a filter is drawn again.
  const enumTwice = (filter: string): boolean => ATOMS[kind].some((atom) =>
    /state|\.type /.test(atom) && filter.split(atom).length > 2);
  return Array.from({ length: count }, () => {
    for (;;) {
      const filter = expression(3);
      if (!enumTwice(filter)) return { kind, filter };
    }
  });
}
