/**
 * The per-request DataLoaders: a list query's cost in backend calls does not grow with
 * the list, and no loader cache outlives its request or a write within it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TypeRecord } from '../../src/graph/model.js';
import { RecordLoader } from '../../src/resolvers/loaders.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS, useService } from '../support/backends.js';
import { countingStore, putCommonTypes, startTestServer, type CountingStore, type TestServer } from './harness.js';

/**
 * `size` artifacts in `size / 10` runs; execution i produced artifacts 10i..10i+9, and
 * artifact k is attributed to context k mod 5.
 */
async function pipeline(t: TestServer, size: number): Promise<void> {
  const runs = size / 10;
  await t.data('mutation S($in: LineageSubgraphInput!) { putLineageSubgraph(input: $in) { contexts { id } } }', { in: {
    artifacts: Array.from({ length: size }, (_, k) => ({ type: 'DataSet', name: `d${k}` })),
    executions: Array.from({ length: runs }, (_, i) => ({ type: 'Trainer', name: `x${i}` })),
    contexts: Array.from({ length: 5 }, (_, c) => ({ type: 'Run', name: `r${c}` })),
    events: Array.from({ length: size }, (_, k) => ({ artifactIndex: k, executionIndex: Math.floor(k / 10), type: 'OUTPUT' })),
    attributions: Array.from({ length: size }, (_, k) => ({ contextIndex: k % 5, artifactIndex: k })),
  } });
}

const LIST_QUERY = `query Hundred($n: Int) {
  artifacts(first: $n) { nodes { name type { name } producedBy { name type { name } } contexts { name } } }
}`;

describe.each(BACKENDS)('per-request loaders ($name)', (backend) => {
  const h = useService(backend);
  let counting: CountingStore;
  let t: TestServer;
  beforeEach(async () => {
    counting = countingStore(h.store);
    t = await startTestServer(createMetadataService(counting.store, { clock: h.clock }));
    await putCommonTypes(t);
  });
  afterEach(async () => { await t?.close(); });

  // One call per loader level: the page; the artifacts' types, events and contexts in one
  // batch each; the producers; then the producers' types (a second type batch, since they
  // are asked one level deeper).
  // countApiKeys: authentication's one look-up per request while no key exists (open local mode).
  const EXPECTED_CALLS = { listNodes: 1, getTypes: 2, eventsByArtifacts: 1, contextsOfNodes: 1, getNodes: 1, countApiKeys: 1 };

  it('100 artifacts with their types, producers and contexts cost the same few store calls as 10', async () => {
    await pipeline(t, 100);
    for (const n of [10, 100]) {
      counting.reset();
      const { artifacts } = await t.data(LIST_QUERY, { n });
      expect(counting.tally()).toEqual(EXPECTED_CALLS);
      expect(artifacts.nodes).toHaveLength(n);
      artifacts.nodes.forEach((a: any, k: number) => {
        expect(a).toEqual({
          name: `d${k}`, type: { name: 'DataSet' },
          producedBy: [{ name: `x${Math.floor(k / 10)}`, type: { name: 'Trainer' } }],
          contexts: [{ name: `r${k % 5}` }],
        });
      });
    }
  });

  it('a later request never sees an earlier request\'s cached reads', async () => {
    const { putArtifacts: [a] } = await t.data('mutation { putArtifacts(artifacts: [{ type: "DataSet", name: "d", state: LIVE }]) { id } }');
    const read = 'query R($id: ID!) { artifact(id: $id) { state } }';
    expect((await t.data(read, { id: a.id })).artifact.state).toBe('LIVE');
    await h.api.putArtifacts([{ id: a.id, type: 'DataSet', state: 'DELETED' }]);
    expect((await t.data(read, { id: a.id })).artifact.state).toBe('DELETED');
  });

  it('a mutation field sees the writes of the mutation fields before it', async () => {
    const put = await t.data('mutation { a: putArtifacts(artifacts: [{ type: "DataSet", name: "d" }]) { id } x: putExecutions(executions: [{ type: "Trainer" }]) { id } }');
    const [a, x] = [put.a[0].id, put.x[0].id];
    const res = await t.data(`mutation Both($a: ID, $aid: ID!, $x: ID!) {
      before: putArtifacts(artifacts: [{ id: $a, type: "DataSet", state: LIVE }]) { events { type } }
      after: putEvents(events: [{ artifactId: $aid, executionId: $x, type: INPUT }]) { artifact { state events { type } } }
    }`, { a, aid: a, x });
    expect(res).toEqual({ before: [{ events: [] }], after: [{ artifact: { state: 'LIVE', events: [{ type: 'INPUT' }] } }] });
  });
});

describe('RecordLoader', () => {
  const type = (id: string): TypeRecord => ({ id, kind: 'ARTIFACT_TYPE', name: `T${id}`, version: null, baseType: null, externalId: null, description: null, properties: {} } as unknown as TypeRecord);

  // A field resolved from a promise costs the executor a promise and a microtask per value:
  // a thousand lineage nodes of the same few types must not pay that a thousand times.
  it('answers at once for a record the request has read or primed, and forgets it when cleared', async () => {
    const batches: string[][] = [];
    const loader = new RecordLoader<TypeRecord>(async (ids) => { batches.push([...ids]); return ids.map((id) => (id === 'gone' ? null : type(id))); }, {});
    const first = loader.now('t1');
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual(type('t1'));
    expect(loader.now('t1')).toEqual(type('t1'));
    expect(await loader.now('gone')).toBeNull();
    expect(loader.now('gone')).toBeNull();
    loader.prime('t2', type('t2'));
    expect(loader.now('t2')).toEqual(type('t2'));
    expect(batches).toEqual([['t1'], ['gone']]);
    loader.clearAll();
    expect(loader.now('t1')).toBeInstanceOf(Promise);
    await loader.now('t2');
    expect(batches).toEqual([['t1'], ['gone'], ['t1', 't2']]);
  });
});
