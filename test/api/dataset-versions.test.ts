/**
 * Dataset versions over GraphQL (issue 15), on both backends: datasetVersions and
 * Artifact.versions in the contract's order with writers and readers, paging, restore
 * (versionsUsed) along a chain of runs, diffVersions, the errors users see, and a fixed
 * number of store calls whatever the number of versions.
 *
 * The graph, built through GraphQL mutations by the shared contract (docs/architecture.md):
 *
 *   ingest1 ─▶ r1 ─▶ clean1 ─▶ c1 ─▶ featurize ─▶ f1 ─▶ train ─▶ model
 *   ingest2 ─▶ r2 ─▶ clean2 ─▶ c2 ───────────────────────▲
 *                r2 ────────────────▶ featurize
 *   ingest3 ─▶ r3
 *
 *   datasets: warehouse/raw.orders = {r1, r2, r3} (versionTime 100, 200, 300; created r3, r1, r2),
 *             warehouse/clean.orders = {c1, c2}, warehouse/features = {f1}; model is in no dataset.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS, useService } from '../support/backends.js';
import { countingStore, onlyError, startTestServer, type CountingStore, type TestServer } from './harness.js';

const T = Date.UTC(2026, 0, 1);
const iso = (offset: number): string => new Date(T + offset).toISOString();

const CONTRACT_TYPES = `mutation Types {
  ds: putContextType(input: { name: "openlineage.Dataset" }) { id }
  job: putContextType(input: { name: "openlineage.Job" }) { id }
  ns: putContextType(input: { name: "openlineage.Namespace" }) { id }
  v: putArtifactType(input: { name: "openlineage.DatasetVersion", baseType: DATASET, properties: [{ name: "rows", type: INT }] }) { id }
  m: putArtifactType(input: { name: "Model", baseType: MODEL }) { id }
  run: putExecutionType(input: { name: "openlineage.Run" }) { id }
}`;

const SUBGRAPH = `mutation Graph($in: LineageSubgraphInput!) {
  putLineageSubgraph(input: $in) { artifacts { id name } executions { id name } contexts { id name } }
}`;

interface Version { dataset: string; version: string; time?: number; digest?: string; uri?: string; rows?: number; facets?: Record<string, unknown> }

/** An artifact input for a version, by the contract's names and custom properties. */
function versionInput(v: Version): Record<string, unknown> {
  const custom: Record<string, unknown> = { dataset: v.dataset, version: v.version };
  if (v.time !== undefined) custom.versionTime = T + v.time;
  if (v.digest !== undefined) custom.digest = v.digest;
  for (const [name, facet] of Object.entries(v.facets ?? {})) custom[`facet:${name}`] = facet;
  return {
    type: 'openlineage.DatasetVersion', name: `${v.dataset}@${v.version}`, externalId: `openlineage:${v.dataset}@${v.version}`,
    uri: v.uri ?? v.dataset, customProperties: custom, ...(v.rows !== undefined ? { properties: { rows: v.rows } } : {}),
  };
}

const SCHEMA_1 = { fields: [
  { name: 'id', type: 'int' }, { name: 'amount', type: 'double' }, { name: 'email', type: 'string' },
  { name: 'address', type: 'struct', fields: [{ name: 'city', type: 'string' }] },
] };
const SCHEMA_2 = { fields: [
  { name: 'id', type: 'bigint' }, { name: 'amount', type: 'double' }, { name: 'country', type: 'string' },
  { name: 'address', type: 'struct', fields: [{ name: 'city', type: 'string' }, { name: 'zip', type: 'string' }] },
] };

/** Builds the graph drawn above; answers the ids by name. */
async function buildChain(t: TestServer): Promise<Record<string, string>> {
  await t.data(CONTRACT_TYPES);
  const raw = 'warehouse/raw.orders';
  const clean = 'warehouse/clean.orders';
  const features = 'warehouse/features';
  // Created out of versionTime order: r3 first, then r1, then r2.
  const artifacts = [
    versionInput({ dataset: raw, version: 'v3', time: 300, uri: 's3://lake/raw/orders/3' }),
    versionInput({ dataset: raw, version: 'v1', time: 100, digest: 'md5-r1', uri: 's3://lake/raw/orders/1' }),
    versionInput({ dataset: raw, version: 'v2', time: 200, uri: 's3://lake/raw/orders/2' }),
    versionInput({ dataset: clean, version: 'v1', time: 150, digest: 'md5-c1', uri: 's3://lake/clean/1', rows: 100, facets: { schema: SCHEMA_1 } }),
    versionInput({ dataset: clean, version: 'v2', time: 250, uri: 's3://lake/clean/2', rows: 120, facets: { schema: SCHEMA_2, dataSource: { name: 'pg' } } }),
    versionInput({ dataset: features, version: 'v1', time: 400, uri: 's3://lake/features/1' }),
    { type: 'Model', name: 'model', uri: 's3://models/1' },
  ];
  const [r3, r1, r2, c1, c2, f1, model] = [0, 1, 2, 3, 4, 5, 6] as const;
  const runs = ['ingest1', 'ingest2', 'ingest3', 'clean1', 'clean2', 'featurize', 'train'];
  const [ingest1, ingest2, ingest3, clean1, clean2, featurize, train] = [0, 1, 2, 3, 4, 5, 6] as const;
  const contexts = [raw, clean, features].map((name) => ({ type: 'openlineage.Dataset', name }));
  const flow: [number, number, 'INPUT' | 'OUTPUT'][] = [
    [r1, ingest1, 'OUTPUT'], [r2, ingest2, 'OUTPUT'], [r3, ingest3, 'OUTPUT'],
    [r1, clean1, 'INPUT'], [c1, clean1, 'OUTPUT'],
    [r2, clean2, 'INPUT'], [c2, clean2, 'OUTPUT'],
    [c1, featurize, 'INPUT'], [r2, featurize, 'INPUT'], [f1, featurize, 'OUTPUT'],
    [f1, train, 'INPUT'], [c2, train, 'INPUT'], [model, train, 'OUTPUT'],
  ];
  const { putLineageSubgraph: put } = await t.data(SUBGRAPH, { in: {
    artifacts,
    executions: runs.map((name) => ({ type: 'openlineage.Run', name, externalId: `openlineage:${name}`, lastKnownState: 'COMPLETE' })),
    contexts,
    events: flow.map(([artifactIndex, executionIndex, type]) => ({ artifactIndex, executionIndex, type })),
    attributions: [[0, r1], [0, r2], [0, r3], [1, c1], [1, c2], [2, f1]].map(([contextIndex, artifactIndex]) => ({ contextIndex, artifactIndex })),
  } });
  const ids: Record<string, string> = {};
  const names = ['r3', 'r1', 'r2', 'c1', 'c2', 'f1', 'model'];
  put.artifacts.forEach((a: { id: string }, i: number) => { ids[names[i]!] = a.id; });
  put.executions.forEach((x: { id: string; name: string }) => { ids[x.name] = x.id; });
  return ids;
}

const VERSION_FIELDS = `datasetName version versionTime digest uri artifact { name } dataset { name type { name } }
  writtenBy { name } readBy { name }`;

const byName = (list: { name: string }[]): string[] => list.map((x) => x.name).sort();

// A cold Neo4j plans every statement on first use: on a loaded machine the first test's graph takes longer than the default 30 s.
describe.each(BACKENDS)('dataset versions over GraphQL ($name)', { timeout: 120_000 }, (backend) => {
  const h = useService(backend);
  let counting: CountingStore;
  let t: TestServer;
  beforeEach(async () => {
    counting = countingStore(h.store);
    t = await startTestServer(createMetadataService(counting.store, { clock: h.clock }));
  });
  afterEach(async () => { await t?.close(); });

  it('lists a dataset\'s versions by versionTime even when created out of order, each with its writer and readers', async () => {
    await buildChain(t);
    const { datasetVersions } = await t.data(`query V($name: String!) {
      datasetVersions(name: $name) { totalCount pageInfo { hasNextPage } nodes { ${VERSION_FIELDS} } }
    }`, { name: 'warehouse/raw.orders' });
    expect(datasetVersions.totalCount).toBe(3);
    expect(datasetVersions.pageInfo.hasNextPage).toBe(false);
    const nodes = datasetVersions.nodes.map((v: any) => ({ ...v, readBy: byName(v.readBy) }));
    const dataset = { name: 'warehouse/raw.orders', type: { name: 'openlineage.Dataset' } };
    expect(nodes).toEqual([
      { datasetName: 'warehouse/raw.orders', version: 'v1', versionTime: iso(100), digest: 'md5-r1', uri: 's3://lake/raw/orders/1',
        artifact: { name: 'warehouse/raw.orders@v1' }, dataset, writtenBy: { name: 'ingest1' }, readBy: ['clean1'] },
      { datasetName: 'warehouse/raw.orders', version: 'v2', versionTime: iso(200), digest: null, uri: 's3://lake/raw/orders/2',
        artifact: { name: 'warehouse/raw.orders@v2' }, dataset, writtenBy: { name: 'ingest2' }, readBy: ['clean2', 'featurize'] },
      { datasetName: 'warehouse/raw.orders', version: 'v3', versionTime: iso(300), digest: null, uri: 's3://lake/raw/orders/3',
        artifact: { name: 'warehouse/raw.orders@v3' }, dataset, writtenBy: { name: 'ingest3' }, readBy: [] },
    ]);
  });

  it('Artifact.versions lists every version of the artifact\'s dataset, itself included; an artifact in no dataset has none', async () => {
    const ids = await buildChain(t);
    const res = await t.data(`query A($r2: ID!, $c2: ID!, $m: ID!) {
      r2: artifact(id: $r2) { versions { totalCount nodes { version } } }
      c2: artifact(id: $c2) { versions(first: 1) { nodes { version writtenBy { name } } pageInfo { hasNextPage } } }
      m: artifact(id: $m) { versions { totalCount nodes { version } } }
    }`, { r2: ids.r2, c2: ids.c2, m: ids.model });
    expect(res.r2.versions).toEqual({ totalCount: 3, nodes: [{ version: 'v1' }, { version: 'v2' }, { version: 'v3' }] });
    expect(res.c2.versions).toEqual({ nodes: [{ version: 'v1', writtenBy: { name: 'clean1' } }], pageInfo: { hasNextPage: true } });
    expect(res.m.versions).toEqual({ totalCount: 0, nodes: [] });
  });

  it('pages with first/after, and refuses a cursor of another dataset naming `after`', async () => {
    await buildChain(t);
    const page = `query P($name: String!, $after: String) {
      datasetVersions(name: $name, first: 2, after: $after) { nodes { version } pageInfo { hasNextPage endCursor } }
    }`;
    const first = (await t.data(page, { name: 'warehouse/raw.orders' })).datasetVersions;
    expect(first.nodes).toEqual([{ version: 'v1' }, { version: 'v2' }]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await t.data(page, { name: 'warehouse/raw.orders', after: first.pageInfo.endCursor })).datasetVersions;
    expect(second).toEqual({ nodes: [{ version: 'v3' }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });

    const other = onlyError(await t.gql(page, { name: 'warehouse/clean.orders', after: first.pageInfo.endCursor }));
    expect(other.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const tooMany = onlyError(await t.gql('{ datasetVersions(name: "warehouse/raw.orders", first: 1001) { totalCount } }'));
    expect(tooMany.extensions?.code).toBe('BAD_USER_INPUT');
    expect(tooMany.message).toMatch(/first/);
  });

  it('answers null for a name no dataset has, hostile names included, and changes nothing', async () => {
    await buildChain(t);
    const names = ['warehouse/none', "'}) DETACH DELETE n //", "x' OR 1=1; DROP TABLE nodes; --", 'warehouse/raw.orders\u0000'];
    for (const name of names) {
      expect((await t.data('query N($n: String!) { datasetVersions(name: $n) { totalCount } }', { n: name })).datasetVersions).toBeNull();
    }
    // A context of another type with a dataset's name is no dataset.
    await t.data('mutation { putContexts(contexts: [{ type: "openlineage.Job", name: "warehouse/job" }]) { id } }');
    expect((await t.data('{ datasetVersions(name: "warehouse/job") { totalCount } }')).datasetVersions).toBeNull();
    expect((await t.data('{ datasetVersions(name: "warehouse/raw.orders") { totalCount } }')).datasetVersions.totalCount).toBe(3);
    const empty = onlyError(await t.gql('{ datasetVersions(name: "") { totalCount } }'));
    expect(empty.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('restore: each run downstream of a version, with the version of every dataset it read', async () => {
    const ids = await buildChain(t);
    const { versionsUsed } = await t.data(`query R($a: ID!) {
      versionsUsed(artifact: $a) {
        start { name } truncated
        runs { run { name } distance inputs { artifact { name } datasetName version uri digest versionTime latest downstreamOfStart } }
      }
    }`, { a: ids.r1 });
    const used = (name: string, dataset: string | null, version: string | null, uri: string, latest: boolean | null, downstream: boolean,
      extra: { digest?: string; time?: number } = {}) => ({
      artifact: { name }, datasetName: dataset, version, uri, digest: extra.digest ?? null,
      versionTime: extra.time === undefined ? null : iso(extra.time), latest, downstreamOfStart: downstream,
    });
    const sortInputs = (run: any) => ({ ...run, inputs: [...run.inputs].sort((p: any, q: any) => (p.artifact.name < q.artifact.name ? -1 : 1)) });
    expect({ ...versionsUsed, runs: versionsUsed.runs.map(sortInputs) }).toEqual({
      start: { name: 'warehouse/raw.orders@v1' },
      truncated: false,
      runs: [
        { run: { name: 'clean1' }, distance: 1, inputs: [
          used('warehouse/raw.orders@v1', 'warehouse/raw.orders', 'v1', 's3://lake/raw/orders/1', false, true, { digest: 'md5-r1', time: 100 }),
        ] },
        { run: { name: 'featurize' }, distance: 3, inputs: [
          used('warehouse/clean.orders@v1', 'warehouse/clean.orders', 'v1', 's3://lake/clean/1', false, true, { digest: 'md5-c1', time: 150 }),
          used('warehouse/raw.orders@v2', 'warehouse/raw.orders', 'v2', 's3://lake/raw/orders/2', false, false, { time: 200 }),
        ] },
        { run: { name: 'train' }, distance: 5, inputs: [
          used('warehouse/clean.orders@v2', 'warehouse/clean.orders', 'v2', 's3://lake/clean/2', true, false, { time: 250 }),
          used('warehouse/features@v1', 'warehouse/features', 'v1', 's3://lake/features/1', true, true, { time: 400 }),
        ] },
      ],
    });

    // maxHops bounds the walk as lineage's does: two hops reach clean1 only, and say more lies beyond.
    const near = (await t.data('query R($a: ID!) { versionsUsed(artifact: $a, maxHops: 2) { truncated runs { run { name } } } }', { a: ids.r1 })).versionsUsed;
    expect(near).toEqual({ truncated: true, runs: [{ run: { name: 'clean1' } }] });
    // An artifact in no dataset may start too: nothing reads the model.
    expect((await t.data('query R($a: ID!) { versionsUsed(artifact: $a) { runs { distance } } }', { a: ids.model })).versionsUsed.runs).toEqual([]);
  });

  it('restore refuses an execution or an unknown id naming `artifact`, and a bad maxHops naming it', async () => {
    const ids = await buildChain(t);
    const q = 'query R($a: ID!, $h: Int) { versionsUsed(artifact: $a, maxHops: $h) { truncated } }';
    const execution = onlyError(await t.gql(q, { a: ids.clean1 }));
    expect(execution.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'artifact' });
    expect(execution.message).toMatch(/artifact must name an artifact/);
    const unknown = onlyError(await t.gql(q, { a: 'no-such-id' }));
    expect(unknown.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'artifact' });
    const hops = onlyError(await t.gql(q, { a: ids.r1, h: -1 }));
    expect(hops.extensions?.code).toBe('BAD_USER_INPUT');
    expect(hops.message).toMatch(/maxHops/);
  });

  it('diffVersions: fields, properties, custom properties, schema fields added, removed and retyped, and the upstream runs', async () => {
    const ids = await buildChain(t);
    const { diffVersions: d } = await t.data(`query D($a: ID!, $b: ID!) {
      diffVersions(a: $a, b: $b) {
        dataset { name } a { version } b { version }
        fields { name change before after }
        properties { name change before after }
        customProperties { name change before after }
        schemaFields { name change typeBefore typeAfter }
        upstreamA { run { name } inputs { version datasetName } }
        upstreamB { run { name } inputs { version datasetName } }
        upstreamChanges { datasetName change before { version } after { version } }
      }
    }`, { a: ids.c1, b: ids.c2 });
    expect(d.dataset).toEqual({ name: 'warehouse/clean.orders' });
    expect([d.a, d.b]).toEqual([{ version: 'v1' }, { version: 'v2' }]);
    expect(d.fields).toEqual([{ name: 'uri', change: 'CHANGED', before: 's3://lake/clean/1', after: 's3://lake/clean/2' }]);
    expect(d.properties).toEqual([{ name: 'rows', change: 'CHANGED', before: 100, after: 120 }]);
    expect(d.customProperties).toEqual([
      { name: 'digest', change: 'REMOVED', before: 'md5-c1', after: null },
      { name: 'facet:dataSource', change: 'ADDED', before: null, after: { name: 'pg' } },
      { name: 'facet:schema', change: 'CHANGED', before: SCHEMA_1, after: SCHEMA_2 },
      { name: 'version', change: 'CHANGED', before: 'v1', after: 'v2' },
      { name: 'versionTime', change: 'CHANGED', before: T + 150, after: T + 250 },
    ]);
    expect(d.schemaFields).toEqual([
      { name: 'address.zip', change: 'ADDED', typeBefore: null, typeAfter: 'string' },
      { name: 'country', change: 'ADDED', typeBefore: null, typeAfter: 'string' },
      { name: 'email', change: 'REMOVED', typeBefore: 'string', typeAfter: null },
      { name: 'id', change: 'CHANGED', typeBefore: 'int', typeAfter: 'bigint' },
    ]);
    expect(d.upstreamA).toEqual([{ run: { name: 'clean1' }, inputs: [{ version: 'v1', datasetName: 'warehouse/raw.orders' }] }]);
    expect(d.upstreamB).toEqual([{ run: { name: 'clean2' }, inputs: [{ version: 'v2', datasetName: 'warehouse/raw.orders' }] }]);
    expect(d.upstreamChanges).toEqual([
      { datasetName: 'warehouse/raw.orders', change: 'CHANGED', before: [{ version: 'v1' }], after: [{ version: 'v2' }] },
    ]);

    // A version against itself: nothing changed.
    const same = (await t.data(`query D($a: ID!) { diffVersions(a: $a, b: $a) {
      fields { name } properties { name } customProperties { name } schemaFields { name } upstreamChanges { change } } }`, { a: ids.c1 })).diffVersions;
    expect(same).toEqual({ fields: [], properties: [], customProperties: [], schemaFields: [], upstreamChanges: [] });
  });

  it('diffVersions refuses, naming the argument: versions of different datasets, an artifact in no dataset, an execution, an unknown id', async () => {
    const ids = await buildChain(t);
    const q = 'query D($a: ID!, $b: ID!) { diffVersions(a: $a, b: $b) { dataset { name } } }';
    const apart = onlyError(await t.gql(q, { a: ids.c1, b: ids.r1 }));
    expect(apart.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'b' });
    expect(apart.message).toBe('b must be a version of the same dataset as a: a is a version of "warehouse/clean.orders", b of "warehouse/raw.orders"');
    const loose = onlyError(await t.gql(q, { a: ids.model, b: ids.c1 }));
    expect(loose.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'a' });
    expect(loose.message).toMatch(/^a must name a dataset version, but artifact .* is attributed to no dataset/);
    const run = onlyError(await t.gql(q, { a: ids.c1, b: ids.clean1 }));
    expect(run.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'b' });
    const unknown = onlyError(await t.gql(q, { a: "'}) DETACH DELETE n //", b: ids.c1 }));
    expect(unknown.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'a' });
    const unknownB = onlyError(await t.gql(q, { a: ids.c1, b: 'missing' }));
    expect(unknownB.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'b' });
  });

  it('a malformed schema facet or a version without versionTime neither fails nor misorders', async () => {
    await t.data(CONTRACT_TYPES);
    const dataset = 'odd/ds';
    let deep: Record<string, unknown> = { name: 'leaf', type: 'int' };
    for (let i = 0; i < 25; i += 1) deep = { name: 'n', type: 'struct', fields: [deep] };
    const hostile = "'}) DETACH DELETE n //";
    await t.data(SUBGRAPH, { in: {
      artifacts: [
        versionInput({ dataset, version: 'p1', time: 100, facets: { schema: { fields: 'not a list' } } }),
        versionInput({ dataset, version: 'p2', time: 300, facets: { schema: { fields: [null, 7, { type: 'int' }, { name: 'ok', type: 5 }, { name: hostile, type: hostile }, deep] } } }),
      ],
      contexts: [{ type: 'openlineage.Dataset', name: dataset }],
      attributions: [{ contextIndex: 0, artifactIndex: 0 }, { contextIndex: 0, artifactIndex: 1 }],
    } });
    // Recorded by hand without versionTime: it sorts at its create time, between p1 and p2.
    h.clock.set(T + 200);
    await t.data(SUBGRAPH, { in: {
      artifacts: [{ type: 'openlineage.DatasetVersion', name: `${dataset}@p3`, customProperties: { dataset, version: 'p3' } }],
      contexts: [{ type: 'openlineage.Dataset', name: dataset }],
      attributions: [{ contextIndex: 0, artifactIndex: 0 }],
    } });
    const { datasetVersions } = await t.data('{ datasetVersions(name: "odd/ds") { nodes { version versionTime artifact { id } } } }');
    expect(datasetVersions.nodes.map((v: any) => [v.version, v.versionTime])).toEqual([['p1', iso(100)], ['p3', null], ['p2', iso(300)]]);
    const [p1, , p2] = datasetVersions.nodes.map((v: any) => v.artifact.id);
    const { diffVersions } = await t.data('query D($a: ID!, $b: ID!) { diffVersions(a: $a, b: $b) { schemaFields { name change typeBefore typeAfter } } }', { a: p1, b: p2 });
    const names = diffVersions.schemaFields.map((f: any) => f.name);
    // Entries without a text name are skipped, a non-text type is no type, nested fields are named by their path.
    expect(diffVersions.schemaFields.filter((f: any) => !f.name.startsWith('n'))).toEqual([
      { name: hostile, change: 'ADDED', typeBefore: null, typeAfter: hostile },
      { name: 'ok', change: 'ADDED', typeBefore: null, typeAfter: null },
    ]);
    expect(names.filter((n: string) => /^n(\.n)*$/.test(n))).toHaveLength(25);
    expect(diffVersions.schemaFields).toContainEqual({ name: `${'n.'.repeat(25)}leaf`, change: 'ADDED', typeBefore: null, typeAfter: 'int' });
  });

  it('pages by key while versions are written between pages: none repeated, a later one not missed', async () => {
    await t.data(CONTRACT_TYPES);
    const dataset = 'live/ds';
    const add = (version: string, time: number) => t.data(SUBGRAPH, { in: {
      artifacts: [versionInput({ dataset, version, time })],
      contexts: [{ type: 'openlineage.Dataset', name: dataset }],
      attributions: [{ contextIndex: 0, artifactIndex: 0 }],
    } });
    for (const [v, time] of [['a', 10], ['b', 20], ['c', 30]] as const) await add(v, time);
    const page = 'query P($after: String) { datasetVersions(name: "live/ds", first: 2, after: $after) { nodes { version } pageInfo { endCursor } } }';
    const first = (await t.data(page)).datasetVersions;
    expect(first.nodes).toEqual([{ version: 'a' }, { version: 'b' }]);
    // Concurrent writers: one version older than the cursor, one newer, and readers at the same time.
    const reads = Array.from({ length: 4 }, () => t.data('{ datasetVersions(name: "live/ds") { totalCount nodes { version } } }'));
    await Promise.all([add('early', 15), add('late', 40), ...reads]);
    for (const r of await Promise.all(reads)) {
      const versions = r.datasetVersions.nodes.map((n: any) => n.version);
      // Each reader sees a whole state, in order: with or without each write, never half of one.
      expect(versions).toEqual(['a', 'early', 'b', 'c', 'late'].filter((v) => versions.includes(v)));
      expect(r.datasetVersions.totalCount).toBe(versions.length);
    }
    const second = (await t.data(page, { after: first.pageInfo.endCursor })).datasetVersions;
    expect(second.nodes).toEqual([{ version: 'c' }, { version: 'late' }]);
  });

  /** A dataset of `n` versions, version i written by run wi and read by run ri, created newest first. */
  async function manyVersions(n: number): Promise<void> {
    await t.data(CONTRACT_TYPES);
    const dataset = `bench/d${n}`;
    const order = Array.from({ length: n }, (_, i) => n - 1 - i);
    await t.data(SUBGRAPH, { in: {
      artifacts: order.map((i) => versionInput({ dataset, version: `v${i}`, time: i * 10, digest: `md5-${i}` })),
      executions: order.flatMap((i) => [{ type: 'openlineage.Run', name: `w${i}` }, { type: 'openlineage.Run', name: `r${i}` }]),
      contexts: [{ type: 'openlineage.Dataset', name: dataset }],
      events: order.flatMap((_, k) => [
        { artifactIndex: k, executionIndex: 2 * k, type: 'OUTPUT' }, { artifactIndex: k, executionIndex: 2 * k + 1, type: 'INPUT' },
      ]),
      attributions: order.map((_, k) => ({ contextIndex: 0, artifactIndex: k })),
    } });
  }

  // countApiKeys: authentication's one look-up per request while no key exists (open local mode).
  // The dataset: its types, its context, its versions; then one batch each of events and runs.
  const EXPECTED_DATASET_CALLS = { countApiKeys: 1, listTypes: 1, findNodesByName: 1, artifactsOfContexts: 1, eventsByArtifacts: 1, getNodes: 1 };

  it('50 versions with writers and readers cost the same few store calls as 5', async () => {
    for (const n of [5, 50]) {
      await manyVersions(n);
      counting.reset();
      const { datasetVersions } = await t.data(`query M($name: String!) {
        datasetVersions(name: $name, first: 100) { nodes { version digest versionTime artifact { name } writtenBy { name } readBy { name } } }
      }`, { name: `bench/d${n}` });
      expect(counting.tally()).toEqual(EXPECTED_DATASET_CALLS);
      expect(datasetVersions.nodes).toHaveLength(n);
      const contextId = (await t.data('query C($name: String!) { contextByName(type: "openlineage.Dataset", name: $name) { id } }', { name: `bench/d${n}` })).contextByName.id;
      datasetVersions.nodes.forEach((v: any, i: number) => {
        expect(v).toEqual({ version: `v${i}`, digest: `md5-${i}`, versionTime: iso(i * 10), artifact: { name: `bench/d${n}@v${i}` },
          writtenBy: { name: `w${i}` }, readBy: [{ name: `r${i}` }] });
      });

      // Artifact.versions of every version at once: one service call for the whole list.
      counting.reset();
      const { artifacts } = await t.data(`query L($c: ID!, $n: Int) {
        artifacts(first: $n, filter: { contextId: $c }) { nodes { versions(first: 10) { totalCount nodes { version } } } }
      }`, { c: contextId, n });
      expect(artifacts.nodes).toHaveLength(n);
      const all = Array.from({ length: Math.min(n, 10) }, (_, i) => ({ version: `v${i}` }));
      for (const a of artifacts.nodes) expect(a.versions).toEqual({ totalCount: n, nodes: all });
      expect(counting.tally()).toEqual({ countApiKeys: 1, listNodes: 1, listTypes: 1, contextsOfNodes: 1, artifactsOfContexts: 1 });
    }
  });

  it('restore over 50 downstream runs costs the same few store calls as over 5', async () => {
    await t.data(CONTRACT_TYPES);
    for (const n of [5, 50]) {
      const dataset = `restore/d${n}`;
      const { putLineageSubgraph: put } = await t.data(SUBGRAPH, { in: {
        artifacts: [
          versionInput({ dataset, version: 'v0', time: 0, digest: 'md5-0' }),
          ...Array.from({ length: n }, (_, i) => ({ type: 'Model', name: `m${n}-${i}` })),
        ],
        executions: Array.from({ length: n }, (_, i) => ({ type: 'openlineage.Run', name: `x${n}-${i}` })),
        contexts: [{ type: 'openlineage.Dataset', name: dataset }],
        events: Array.from({ length: n }, (_, i) => [
          { artifactIndex: 0, executionIndex: i, type: 'INPUT' }, { artifactIndex: i + 1, executionIndex: i, type: 'OUTPUT' },
        ]).flat(),
        attributions: [{ contextIndex: 0, artifactIndex: 0 }],
      } });
      counting.reset();
      const { versionsUsed } = await t.data(`query U($a: ID!) {
        versionsUsed(artifact: $a) { runs { run { name } distance inputs { datasetName version digest latest downstreamOfStart } } }
      }`, { a: put.artifacts[0].id });
      expect(versionsUsed.runs.map((r: any) => r.run.name).sort()).toEqual(Array.from({ length: n }, (_, i) => `x${n}-${i}`).sort());
      for (const r of versionsUsed.runs) {
        expect(r).toMatchObject({ distance: 1, inputs: [{ datasetName: dataset, version: 'v0', digest: 'md5-0', latest: true, downstreamOfStart: true }] });
      }
      // The start, the walk's one reach, the runs' events, the inputs' records, dataset types,
      // contexts and datasets' versions; then the runs' records through the loader.
      expect(counting.tally()).toEqual({
        countApiKeys: 1, getNodes: 3, lineageReach: 1, eventsByExecutions: 1, listTypes: 1, contextsOfNodes: 1, artifactsOfContexts: 1,
      });
    }
  });
});
