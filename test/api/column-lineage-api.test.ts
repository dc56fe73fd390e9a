/**
 * Column lineage over HTTP, on every backend, with versions built through GraphQL by the
 * shared contract (column-lineage-fixtures.ts draws the chain): upstream and downstream
 * hop by hop, binding to the version a run read, the older facet form and the
 * whole-dataset list, maxHops bounds and `truncated`, hostile field names, bad arguments,
 * and the store calls a walk costs (three per hop, whatever its width).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS, useService } from '../support/backends.js';
import { countingStore, onlyError, startTestServer, type CountingStore, type TestServer } from './harness.js';
import { buildVersions, chainSpec, columnLineageFacet, direct, type InputField } from '../lineage/column-lineage-fixtures.js';

const QUERY = `query C($a: ID!, $f: String!, $d: ColumnLineageDirection, $h: Int) {
  columnLineage(artifact: $a, field: $f, direction: $d, maxHops: $h) {
    fields { artifact { name } dataset field hops }
    edges { input { name } inputField output { name } outputField run { name } transformations { type subtype description masking } wholeDataset }
    truncated
  }
}`;

const IDENTITY = { type: 'DIRECT', subtype: 'IDENTITY', description: null, masking: false };
const LEGACY = { type: 'DIRECT', subtype: 'IDENTITY', description: 'copied', masking: false };

/** Version names by their short keys, for readable expectations. */
const V = {
  landing: 's3://lake/landing/users.csv@l1', raw1: 'postgres://db:5432/raw.users@v1', raw2: 'postgres://db:5432/raw.users@v2',
  clean1: 'postgres://db:5432/clean.users@c1', clean2: 'postgres://db:5432/clean.users@c2', features: 'postgres://db:5432/features.users@f1',
};

// Each test builds its versions through GraphQL first: on a loaded machine's Neo4j that alone can take most of the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

describe.each(BACKENDS)('columnLineage ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  let counting: CountingStore;
  beforeEach(async () => {
    counting = countingStore(h.store);
    t = await startTestServer(createMetadataService(counting.store, { clock: h.clock }), { lineage: createLineageService(counting.store) });
  });
  afterEach(async () => { await t?.close(); });

  const chain = async () => {
    const spec = chainSpec();
    return buildVersions(t.data, spec.versions, spec.runs);
  };
  const walk = async (a: string, f: string, d?: string, hops?: number) =>
    (await t.data(QUERY, { a, f, d, h: hops })).columnLineage;
  const fields = (w: any) => w.fields.map((n: any) => [n.artifact.name, n.field, n.hops]);

  it('upstream, hop by hop: a masked rename, then the rename, then the older IDENTITY form, with the whole-dataset FILTER', async () => {
    const ids = await chain();
    const w = await walk(ids.features!, 'email_hash');
    expect(fields(w)).toEqual([
      [V.features, 'email_hash', 0],
      [V.clean1, 'mail', 1],
      // clean1run read raw@v1, not the newer v2: the binding follows its INPUT event.
      [V.raw1, 'birth', 2], [V.raw1, 'email', 2],
      [V.landing, 'birth', 3], [V.landing, 'email', 3],
    ]);
    expect(w.fields[0].dataset).toBe('postgres://db:5432/features.users');
    expect(w.edges).toEqual([
      { input: { name: V.raw1 }, inputField: 'birth', output: { name: V.clean1 }, outputField: 'mail', run: { name: 'clean1run' },
        transformations: [{ type: 'INDIRECT', subtype: 'FILTER', description: 'birth < 2007', masking: false }], wholeDataset: true },
      { input: { name: V.raw1 }, inputField: 'email', output: { name: V.clean1 }, outputField: 'mail', run: { name: 'clean1run' },
        transformations: [{ ...IDENTITY, description: 'renamed' }], wholeDataset: false },
      { input: { name: V.clean1 }, inputField: 'mail', output: { name: V.features }, outputField: 'email_hash', run: { name: 'feat1' },
        transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', description: 'sha256(mail)', masking: true }], wholeDataset: false },
      { input: { name: V.landing }, inputField: 'birth', output: { name: V.raw1 }, outputField: 'birth', run: { name: 'ingest' }, transformations: [LEGACY], wholeDataset: false },
      { input: { name: V.landing }, inputField: 'email', output: { name: V.raw1 }, outputField: 'email', run: { name: 'ingest' }, transformations: [LEGACY], wholeDataset: false },
    ].sort((a, b) => (ids[key(a.output.name)]! + a.outputField + ids[key(a.input.name)]! + a.inputField < ids[key(b.output.name)]! + b.outputField + ids[key(b.input.name)]! + b.inputField ? -1 : 1)));
    expect(w.truncated).toBe(false);
    // Nothing of the second raw version or of the other clean run.
    expect(JSON.stringify(w)).not.toMatch(/@v2|@c2|clean2run|ingest2/);
  });

  it('binds each run to the version it read: clean@c2 derives from raw@v2, which derives from landing through ingest2', async () => {
    const ids = await chain();
    const w = await walk(ids.clean2!, 'mail');
    expect(fields(w).filter((f: any) => f[1] !== 'birth')).toEqual([[V.clean2, 'mail', 0], [V.raw2, 'email', 1], [V.landing, 'email', 2]]);
    expect(w.edges.map((e: any) => e.run.name).sort()).toEqual(['clean2run', 'clean2run', 'ingest2', 'ingest2']);
  });

  it('an aggregation derives from its DIRECT input and names its INDIRECT grouping key', async () => {
    const ids = await chain();
    const w = await walk(ids.features!, 'users_in_country', 'UPSTREAM', 1);
    expect(fields(w)).toEqual([[V.features, 'users_in_country', 0], [V.clean1, 'country', 1], [V.clean1, 'user_id', 1]]);
    expect(w.edges.map((e: any) => [e.inputField, e.transformations[0].type, e.transformations[0].subtype])).toEqual([
      ['country', 'INDIRECT', 'GROUP_BY'], ['user_id', 'DIRECT', 'AGGREGATION'],
    ]);
    expect(w.truncated).toBe(true);
  });

  it('downstream: a field reaches only the fields that derive from it, in the versions of the runs that read it', async () => {
    const ids = await chain();
    expect(fields(await walk(ids.raw1!, 'email', 'DOWNSTREAM'))).toEqual([[V.raw1, 'email', 0], [V.clean1, 'mail', 1], [V.features, 'email_hash', 2]]);
    expect(fields(await walk(ids.raw2!, 'email', 'DOWNSTREAM'))).toEqual([[V.raw2, 'email', 0], [V.clean2, 'mail', 1]]);
    expect(fields(await walk(ids.landing!, 'country', 'DOWNSTREAM'))).toEqual([
      [V.landing, 'country', 0],
      ...[[V.raw1, 'country', 1], [V.raw2, 'country', 1]].sort((a, b) => (ids[key(a[0] as string)]! < ids[key(b[0] as string)]! ? -1 : 1)),
      ...[[V.clean1, 'country', 2], [V.clean2, 'country', 2]].sort((a, b) => (ids[key(a[0] as string)]! < ids[key(b[0] as string)]! ? -1 : 1)),
      [V.features, 'country', 3], [V.features, 'users_in_country', 3],
    ]);
  });

  it('the dropped column reaches no output field directly; its whole-dataset FILTER marks every field of clean@c1', async () => {
    const ids = await chain();
    const w = await walk(ids.raw1!, 'birth', 'DOWNSTREAM', 1);
    expect(fields(w)).toEqual([[V.raw1, 'birth', 0], ...['country', 'full_name', 'mail', 'user_id'].map((f) => [V.clean1, f, 1])]);
    expect(w.edges.every((e: any) => e.wholeDataset && e.transformations[0].type === 'INDIRECT')).toBe(true);
    expect(w.truncated).toBe(true);
  });

  it('maxHops bounds the walk and truncated says whether it cut anything off', async () => {
    const ids = await chain();
    const at = async (hops: number) => {
      const w = await walk(ids.features!, 'user_id', 'UPSTREAM', hops);
      return [w.fields.length, w.edges.length, w.truncated];
    };
    // features.user_id ← clean.user_id ← raw.id (+ raw.birth, whole dataset) ← landing.id, landing.birth
    expect(await at(0)).toEqual([1, 0, true]);
    expect(await at(1)).toEqual([2, 1, true]);
    expect(await at(2)).toEqual([4, 3, true]);
    expect(await at(3)).toEqual([6, 5, false]);
    expect(await at(4)).toEqual([6, 5, false]);
  });

  it('an unknown field answers the start alone, and bad arguments name theirs', async () => {
    const ids = await chain();
    expect(await walk(ids.features!, 'no such field')).toEqual({
      fields: [{ artifact: { name: V.features }, dataset: 'postgres://db:5432/features.users', field: 'no such field', hops: 0 }], edges: [], truncated: false,
    });
    const missing = onlyError(await t.gql(QUERY, { a: 'nope', f: 'x' }));
    expect(missing.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'artifact' });
    const run = onlyError(await t.gql(QUERY, { a: ids.feat1, f: 'x' }));
    expect(run.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'artifact' });
    const hops = onlyError(await t.gql(QUERY, { a: ids.features, f: 'x', h: 101 }));
    expect(hops.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(hops.message).toMatch(/maxHops/);
    const empty = onlyError(await t.gql(QUERY, { a: ids.features, f: '' }));
    expect(empty.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'field' });
    expect(onlyError(await t.gql(QUERY, { a: ids.features, f: 'x', d: 'BOTH' })).message).toMatch(/ColumnLineageDirection/);
  });

  it('hostile field names (dots, quotes, unicode, __proto__, constructor) are names like any other', async () => {
    const NS = "ns'; DROP TABLE nodes; --";
    const hostile = ['a.b', `it's "quoted"`, 'ünï©ødé 🚀', '__proto__', 'constructor', '$where', 'n) DETACH DELETE n //'];
    const outName = (f: string) => (f === '__proto__' ? 'proto_out' : `out ${f}`);
    const ids = await buildVersions(t.data, [
      { key: 'src', namespace: NS, name: 'src', version: '1', versionTime: 1 },
      { key: 'dst', namespace: NS, name: 'dst', version: '1', versionTime: 2, facets: {
        columnLineage: columnLineageFacet(Object.fromEntries(hostile.map((f) => [outName(f), [[NS, 'src', f, [direct('IDENTITY')]]] as InputField[]]))),
      } },
    ], [{ key: 'run', job: 'j', reads: ['src'], writes: ['dst'] }]);
    for (const f of hostile) {
      const up = await walk(ids.dst!, outName(f));
      expect(up.fields.map((n: any) => n.field)).toEqual([outName(f), f]);
      const down = await walk(ids.src!, f, 'DOWNSTREAM');
      expect(down.fields.map((n: any) => n.field)).toEqual([f, outName(f)]);
    }
    // Object's own keys are no fields: nothing derives from "toString" or "hasOwnProperty".
    expect((await walk(ids.dst!, 'toString')).fields).toHaveLength(1);
    expect((await walk(ids.src!, 'hasOwnProperty', 'DOWNSTREAM')).fields).toHaveLength(1);
    // A facet cannot name an output field __proto__ through GraphQL: the STRUCT key is refused, naming where.
    const refused = onlyError(await t.gql(`mutation P($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }`, { a: [{
      type: 'openlineage.DatasetVersion', name: 'x@1', customProperties: { 'facet:columnLineage': JSON.parse('{"fields":{"__proto__":{"inputFields":[]}}}') },
    }] }));
    expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(refused.message).toMatch(/__proto__/);
  });

  it('a cycle of runs ends: each field once, at its smallest hop count, with the edge that closes the cycle', async () => {
    // a reads d1 and writes d2 (d2.x ← d1.x); b reads d2 and writes d1 (d1.x ← d2.x, d1.y ← d2.x).
    const ids = await buildVersions(t.data, [
      { key: 'd1', namespace: 'n', name: 'd1', version: '1', versionTime: 1, facets: { columnLineage: columnLineageFacet({ x: [['n', 'd2', 'x']], y: [['n', 'd2', 'x']] }) } },
      { key: 'd2', namespace: 'n', name: 'd2', version: '1', versionTime: 2, facets: { columnLineage: columnLineageFacet({ x: [['n', 'd1', 'x']] }) } },
    ], [{ key: 'a', job: 'j', reads: ['d1'], writes: ['d2'] }, { key: 'b', job: 'j', reads: ['d2'], writes: ['d1'] }]);
    const up = await walk(ids.d2!, 'x');
    expect(fields(up)).toEqual([['n/d2@1', 'x', 0], ['n/d1@1', 'x', 1]]);
    expect(up.edges.map((e: any) => [e.input.name, e.inputField, e.output.name, e.outputField, e.run.name])).toEqual(
      [['n/d2@1', 'x', 'n/d1@1', 'x', 'b'], ['n/d1@1', 'x', 'n/d2@1', 'x', 'a']].sort((p, q) => (ids[p[2] === 'n/d1@1' ? 'd1' : 'd2']! < ids[q[2] === 'n/d1@1' ? 'd1' : 'd2']! ? -1 : 1)),
    );
    expect(up.truncated).toBe(false);
    const down = await walk(ids.d2!, 'x', 'DOWNSTREAM');
    expect(fields(down).map((f: any) => [f[1], f[2]])).toEqual([['x', 0], ...[['x', 1], ['y', 1]]]);
    expect(down.truncated).toBe(false);
  });

  it('costs three store calls per hop, however many fields the frontier holds', async () => {
    const wide = 60;
    const inputs = Array.from({ length: wide }, (_, i) => `c${i}`);
    const layer = (ns: string, prev: string) => columnLineageFacet(Object.fromEntries(inputs.map((f) => [f, [[ns, prev, f]] as InputField[]])),);
    const ids = await buildVersions(t.data, [
      { key: 'v0', namespace: 'n', name: 'd0', version: '1', versionTime: 1 },
      { key: 'v1', namespace: 'n', name: 'd1', version: '1', versionTime: 2, facets: { columnLineage: layer('n', 'd0') } },
      { key: 'v2', namespace: 'n', name: 'd2', version: '1', versionTime: 3, facets: { columnLineage: layer('n', 'd1') } },
      { key: 'v3', namespace: 'n', name: 'd3', version: '1', versionTime: 4, facets: {
        // One field derived from all 60 of d2's: the frontier is 60 fields wide from hop 1 on.
        columnLineage: columnLineageFacet({ all: inputs.map((f) => ['n', 'd2', f] as InputField) }),
      } },
    ], [
      { key: 'r1', job: 'j', reads: ['v0'], writes: ['v1'] },
      { key: 'r2', job: 'j', reads: ['v1'], writes: ['v2'] },
      { key: 'r3', job: 'j', reads: ['v2'], writes: ['v3'] },
    ]);
    counting.reset();
    const w = await (await t.data(`query C($a: ID!) { columnLineage(artifact: $a, field: "all") { fields { field hops } truncated } }`, { a: ids.v3 })).columnLineage;
    expect(w.fields).toHaveLength(1 + 3 * wide);
    expect(w.truncated).toBe(false);
    // The start's record; then per hop the frontier's events, its runs' events and the new versions (3 hops; v0 has no facet, so no fourth).
    expect(counting.tally()).toEqual({ countApiKeys: 1, getNodes: 4, eventsByArtifacts: 3, eventsByExecutions: 3 });
    // Two read transactions: authentication's key count, and the walk's one.
    expect(counting.reads()).toBe(2);
  });
});

/** The key of a version name (V's inverse). */
function key(name: string): string {
  return Object.entries(V).find(([, n]) => n === name)![0];
}
