/**
 * Lineage over HTTP: Query.lineage, impact, path and compareContexts, the
 * Artifact/Execution upstream and downstream fields, DOT and Mermaid, error codes and
 * fields, and the backend calls a lineage query costs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { countingStore, onlyError, putCommonTypes, startTestServer, type TestServer } from './harness.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe.each(BACKENDS)('lineage over HTTP ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(h.api);
    await putCommonTypes(t);
  });
  afterEach(async () => { await t?.close(); });

  /**
   *   raw -> prep -> clean -> train -> model        (DataSet, Trainer, DataSet, Trainer, Model)
   *                      \-> audit                  (Trainer, a second consumer of clean)
   * All in run r1; model is LIVE.
   */
  async function pipeline(): Promise<Record<'raw' | 'clean' | 'model' | 'prep' | 'train' | 'audit' | 'r1', string>> {
    const put = await t.data(`mutation {
      putLineageSubgraph(input: {
        artifacts: [{ type: "DataSet", name: "raw", uri: "s3://raw" }, { type: "DataSet", name: "clean" }, { type: "Model", name: "model", state: LIVE }]
        executions: [{ type: "Trainer", name: "prep" }, { type: "Trainer", name: "train" }, { type: "Trainer", name: "audit" }]
        contexts: [{ type: "Run", name: "r1" }]
        events: [
          { artifactIndex: 0, executionIndex: 0, type: INPUT }, { artifactIndex: 1, executionIndex: 0, type: OUTPUT },
          { artifactIndex: 1, executionIndex: 1, type: INPUT }, { artifactIndex: 2, executionIndex: 1, type: OUTPUT },
          { artifactIndex: 1, executionIndex: 2, type: INPUT }
        ]
        attributions: [{ contextIndex: 0, artifactIndex: 1 }, { contextIndex: 0, artifactIndex: 2 }]
        associations: [{ contextIndex: 0, executionIndex: 1 }]
      }) { artifacts { id } executions { id } contexts { id } }
    }`);
    const [raw, clean, model] = put.putLineageSubgraph.artifacts.map((n: any) => n.id);
    const [prep, train, audit] = put.putLineageSubgraph.executions.map((n: any) => n.id);
    return { raw, clean, model, prep, train, audit, r1: put.putLineageSubgraph.contexts[0].id };
  }

  const GRAPH = `nodes { id kind distance artifact { name } execution { name } } edges { source target artifactId executionId type } truncated`;

  it('answers lineage with nodes, records, edges in data-flow direction, and the defaults of the contract', async () => {
    const n = await pipeline();
    const res = await t.data(`query L($s: [ID!]!) { lineage(start: $s) { ${GRAPH} } }`, { s: [n.model] });
    expect(res.lineage.nodes.map((x: any) => [x.artifact?.name ?? x.execution?.name, x.kind, x.distance])).toEqual([
      ['model', 'ARTIFACT', 0], ['train', 'EXECUTION', 1], ['clean', 'ARTIFACT', 2], ['prep', 'EXECUTION', 3], ['raw', 'ARTIFACT', 4],
    ]);
    expect(res.lineage.nodes.every((x: any) => (x.kind === 'ARTIFACT') === (x.execution === null))).toBe(true);
    expect(res.lineage.edges).toContainEqual({ source: n.clean, target: n.train, artifactId: n.clean, executionId: n.train, type: 'INPUT' });
    expect(res.lineage.edges).toContainEqual({ source: n.train, target: n.model, artifactId: n.model, executionId: n.train, type: 'OUTPUT' });
    expect(res.lineage.edges).toHaveLength(4);
    expect(res.lineage.truncated).toBe(false);
  });

  it('takes direction, maxHops, the filters, stopAt and asOf', async () => {
    const n = await pipeline();
    const q = `query L($s: [ID!]!, $d: Direction, $h: Int, $stop: LineageStopInput, $x: [String!], $at: DateTime) {
      lineage(start: $s, direction: $d, maxHops: $h, stopAt: $stop, executionTypes: $x, asOf: $at) { nodes { id distance } truncated }
    }`;
    const down = await t.data(q, { s: [n.raw], d: 'DOWNSTREAM', h: 2 });
    expect(down.lineage).toEqual({ nodes: [{ id: n.raw, distance: 0 }, { id: n.prep, distance: 1 }, { id: n.clean, distance: 2 }], truncated: true });
    const artifactsOnly = await t.data(q, { s: [n.model], x: [] });
    expect(artifactsOnly.lineage.nodes.map((x: any) => x.id)).toEqual([n.model, n.clean, n.raw]);
    const stopped = await t.data(q, { s: [n.model], stop: { ids: [n.clean] } });
    expect(stopped.lineage.nodes.map((x: any) => x.id)).toEqual([n.model, n.train, n.clean]);
    const before = await t.data(q, { s: [n.model], at: iso(CLOCK_START - 1) });
    expect(before.lineage).toEqual({ nodes: [], truncated: false });
  });

  it('offers upstream and downstream on artifacts and executions', async () => {
    const n = await pipeline();
    const res = await t.data(`query N($a: ID!, $x: ID!) {
      artifact(id: $a) { upstream { nodes { id distance } } downstream { nodes { id distance } } }
      execution(id: $x) { upstream(maxHops: 1) { nodes { id } truncated } downstream { nodes { id } } }
    }`, { a: n.clean, x: n.train });
    expect(res.artifact.upstream.nodes).toEqual([{ id: n.clean, distance: 0 }, { id: n.prep, distance: 1 }, { id: n.raw, distance: 2 }]);
    expect(res.artifact.downstream.nodes.map((x: any) => x.id).sort())
      .toEqual([n.clean, n.train, n.audit, n.model].sort());
    expect(res.execution.upstream).toEqual({ nodes: [{ id: n.train }, { id: n.clean }], truncated: true });
    expect(res.execution.downstream.nodes).toEqual([{ id: n.train }, { id: n.model }]);
  });

  it('renders DOT and Mermaid', async () => {
    const n = await pipeline();
    const res = await t.data('query L($s: [ID!]!) { lineage(start: $s, maxHops: 1) { dot mermaid } }', { s: [n.model] });
    expect(res.lineage.dot).toBe([
      'digraph lineage {', '  rankdir=LR;',
      '  n1 [shape=box, label="Model\\nmodel", penwidth=2];', '  n2 [shape=ellipse, label="Trainer\\ntrain"];',
      '  n2 -> n1;', '}', '',
    ].join('\n'));
    expect(res.lineage.mermaid).toBe([
      'flowchart LR', '  n1["Model<br/>model"]', '  n2(["Trainer<br/>train"])', '  n2 --> n1',
      '  classDef start stroke-width:3px', '  class n1 start', '',
    ].join('\n'));
  });

  it('reports limits and unknown ids with their code and field', async () => {
    const n = await pipeline();
    const hops = onlyError(await t.gql('query L($s: [ID!]!) { lineage(start: $s, maxHops: 250) { truncated } }', { s: [n.model] }));
    expect(hops).toMatchObject({ message: 'maxHops must be an integer from 0 to 100, got 250', extensions: { code: 'BAD_USER_INPUT', field: 'maxHops' } });
    const nodes = onlyError(await t.gql('query L($s: [ID!]!) { impact(start: $s, maxNodes: 0) { truncated } }', { s: [n.model] }));
    expect(nodes.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'maxNodes' });
    const missing = onlyError(await t.gql('query L($s: [ID!]!) { lineage(start: $s) { truncated } }', { s: [n.model, 'nope'] }));
    expect(missing).toMatchObject({ message: 'start[1]: no artifact or execution "nope"', extensions: { code: 'NOT_FOUND', field: 'start[1]' } });
    const type = onlyError(await t.gql('query L($s: [ID!]!) { lineage(start: $s, stopAt: { artifactTypes: ["Nope"] }) { truncated } }', { s: [n.model] }));
    expect(type.extensions).toEqual({ code: 'NOT_FOUND', field: 'stopAt.artifactTypes[0]' });
  });

  it('answers impact with models, counts, contexts and pages', async () => {
    const n = await pipeline();
    const q = `query I($s: [ID!]!, $after: String) {
      impact(start: $s) {
        start { id distance }
        models(first: 1) { nodes { distance artifact { name state } } pageInfo { hasNextPage } totalCount }
        executions(first: 1, after: $after) { edges { cursor node { execution { name } distance } } pageInfo { hasNextPage endCursor } totalCount }
        contexts { nodes { context { name } artifactCount executionCount } }
        artifactCount executionCount modelCount
        countsByType { kind typeName typeVersion baseType count }
        countsByBaseType { kind baseType count }
        truncated
      }
    }`;
    const res = (await t.data(q, { s: [n.raw] })).impact;
    expect(res.start).toEqual([{ id: n.raw, distance: 0 }]);
    expect(res.models).toEqual({ nodes: [{ distance: 4, artifact: { name: 'model', state: 'LIVE' } }], pageInfo: { hasNextPage: false }, totalCount: 1 });
    expect(res.executions.totalCount).toBe(3);
    expect(res.executions.edges[0].node).toEqual({ execution: { name: 'prep' }, distance: 1 });
    expect(res.executions.pageInfo.hasNextPage).toBe(true);
    expect(res.contexts.nodes).toEqual([{ context: { name: 'r1' }, artifactCount: 2, executionCount: 1 }]);
    expect([res.artifactCount, res.executionCount, res.modelCount]).toEqual([2, 3, 1]);
    expect(res.countsByType).toEqual([
      { kind: 'ARTIFACT', typeName: 'DataSet', typeVersion: null, baseType: 'DATASET', count: 1 },
      { kind: 'ARTIFACT', typeName: 'Model', typeVersion: null, baseType: 'MODEL', count: 1 },
      { kind: 'EXECUTION', typeName: 'Trainer', typeVersion: null, baseType: 'TRAIN', count: 3 },
    ]);
    expect(res.countsByBaseType).toEqual([
      { kind: 'ARTIFACT', baseType: 'DATASET', count: 1 }, { kind: 'ARTIFACT', baseType: 'MODEL', count: 1 },
      { kind: 'EXECUTION', baseType: 'TRAIN', count: 3 },
    ]);
    expect(res.truncated).toBe(false);
    // train and audit are both at distance 3: the page after prep holds the one with the smaller id.
    const next = (await t.data(q, { s: [n.raw], after: res.executions.pageInfo.endCursor })).impact.executions;
    const [firstAt3] = [n.train, n.audit].sort();
    expect(next.edges.map((e: any) => e.node.execution.name)).toEqual([firstAt3 === n.train ? 'train' : 'audit']);
    expect(next.pageInfo.hasNextPage).toBe(true);
    const bad = onlyError(await t.gql(q, { s: [n.raw], after: 'garbage' }));
    expect(bad.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('answers path with the chain of edges, or null', async () => {
    const n = await pipeline();
    const q = 'query P($f: ID!, $to: ID!, $h: Int) { path(from: $f, to: $to, maxHops: $h) { source target type } }';
    expect((await t.data(q, { f: n.raw, to: n.model })).path).toEqual([
      { source: n.raw, target: n.prep, type: 'INPUT' }, { source: n.prep, target: n.clean, type: 'OUTPUT' },
      { source: n.clean, target: n.train, type: 'INPUT' }, { source: n.train, target: n.model, type: 'OUTPUT' },
    ]);
    expect((await t.data(q, { f: n.model, to: n.raw })).path).toBeNull();
    expect((await t.data(q, { f: n.audit, to: n.model })).path).toBeNull();
    expect((await t.data(q, { f: n.raw, to: n.model, h: 3 })).path).toBeNull();
    const missing = onlyError(await t.gql(q, { f: n.raw, to: 'nope' }));
    expect(missing.extensions).toEqual({ code: 'NOT_FOUND', field: 'to' });
  });

  it('compares contexts side by side', async () => {
    await t.data(`mutation {
      a: recordExecution(input: { execution: { type: "Trainer", name: "t1", properties: { epochs: 3 } },
        inputs: [{ artifact: { type: "DataSet", name: "d1", uri: "s3://d/1" } }], contexts: [{ type: "Run", name: "run-a" }] }) { execution { id } }
      b: recordExecution(input: { execution: { type: "Trainer", name: "t2", properties: { epochs: 5 } },
        inputs: [{ artifact: { type: "DataSet", name: "d2", uri: "s3://d/2" } }], contexts: [{ type: "Run", name: "run-b" }] }) { execution { id } }
    }`);
    const ids = (await t.data('{ contexts(orderBy: { field: CREATE_TIME }) { nodes { id } } }')).contexts.nodes.map((c: any) => c.id);
    const res = await t.data(`query C($ids: [ID!]!) { compareContexts(ids: $ids) {
      contexts { name }
      executions { type { name } position executions { name } properties { name custom values differs } }
      inputs { type { name } path { key index } position artifacts { name } uris differs }
      metrics { type { name } }
      truncated
    } }`, { ids });
    expect(res.compareContexts).toEqual({
      contexts: [{ name: 'run-a' }, { name: 'run-b' }],
      executions: [{
        type: { name: 'Trainer' }, position: 1, executions: [{ name: 't1' }, { name: 't2' }],
        properties: [{ name: 'epochs', custom: false, values: [3, 5], differs: true }],
      }],
      inputs: [{ type: { name: 'DataSet' }, path: [], position: 1, artifacts: [{ name: 'd1' }, { name: 'd2' }], uris: ['s3://d/1', 's3://d/2'], differs: true }],
      metrics: [],
      truncated: false,
    });
    const twice = onlyError(await t.gql('query C($ids: [ID!]!) { compareContexts(ids: $ids) { truncated } }', { ids: [ids[0], ids[0]] }));
    expect(twice.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'ids[1]' });
  });
});

describe.each(BACKENDS)('lineage backend calls over HTTP ($name)', (backend) => {
  const h = useService(backend);

  /**
   * A chain of 6 hops from a0: a0 -> x0 -> a1 -> x1 -> a2 -> x2 -> a3, with three
   * extra readers of a0 (fan-out). Asking for every record of every node must still cost
   * one lineageReach for the whole walk and one more getNodes in all.
   */
  it('reads per hop, never per node, and serves records from what the walk read', async () => {
    const counting = countingStore(h.store);
    const api = createMetadataService(counting.store, { clock: h.clock });
    const t = await startTestServer(api);
    try {
      await putCommonTypes(t);
      const put = await t.data(`mutation {
        putLineageSubgraph(input: {
          artifacts: [{ type: "DataSet", name: "a0" }, { type: "DataSet", name: "a1" }, { type: "DataSet", name: "a2" }, { type: "Model", name: "a3" }]
          executions: [{ type: "Trainer", name: "x0" }, { type: "Trainer", name: "x1" }, { type: "Trainer", name: "x2" },
                       { type: "Trainer", name: "r1" }, { type: "Trainer", name: "r2" }, { type: "Trainer", name: "r3" }]
          events: [
            { artifactIndex: 0, executionIndex: 0, type: INPUT }, { artifactIndex: 1, executionIndex: 0, type: OUTPUT },
            { artifactIndex: 1, executionIndex: 1, type: INPUT }, { artifactIndex: 2, executionIndex: 1, type: OUTPUT },
            { artifactIndex: 2, executionIndex: 2, type: INPUT }, { artifactIndex: 3, executionIndex: 2, type: OUTPUT },
            { artifactIndex: 0, executionIndex: 3, type: INPUT }, { artifactIndex: 0, executionIndex: 4, type: INPUT },
            { artifactIndex: 0, executionIndex: 5, type: INPUT }
          ]
        }) { artifacts { id } }
      }`);
      const start = [put.putLineageSubgraph.artifacts[0].id];
      counting.reset();
      const bare = await t.data('query L($s: [ID!]!) { lineage(start: $s, direction: DOWNSTREAM) { nodes { id distance } } }', { s: start });
      expect(bare.lineage.nodes).toHaveLength(10);
      // One reach holds hops 1..6 and the look past a3, which has no readers. The
      // one getNodes checks the start ids: no record is read when none is asked for. The
      // countApiKeys is authentication's look-up per request while no key exists (open local mode).
      expect(counting.tally()).toEqual({ getNodes: 1, lineageReach: 1, countApiKeys: 1 });
      counting.reset();
      const full = await t.data(`query L($s: [ID!]!) { lineage(start: $s, direction: DOWNSTREAM) {
        nodes { artifact { name uri state } execution { name lastKnownState } } dot mermaid
      } }`, { s: start });
      expect(full.lineage.nodes).toHaveLength(10);
      // Every record in one more getNodes, shared by the node fields, DOT and Mermaid; types in one getTypes.
      expect(counting.tally()).toEqual({ getNodes: 2, lineageReach: 1, getTypes: 1, countApiKeys: 1 });
      // All of it in the walk's one read transaction (the other is authentication's): on
      // SQLite each read is a hand-off to a reader thread, so the fields do not add more.
      expect(counting.reads()).toBe(2);
      // The same through a named fragment and an inline one.
      counting.reset();
      const viaFragments = await t.data(`query L($s: [ID!]!) { lineage(start: $s, direction: DOWNSTREAM) { ...Drawn } }
        fragment Drawn on LineageGraph { nodes { ... on LineageNode { execution { name } } } }`, { s: start });
      expect(viaFragments.lineage.nodes.filter((n: { execution: unknown }) => n.execution !== null)).toHaveLength(6);
      expect({ reads: counting.reads(), getTypes: counting.tally().getTypes ?? 0 }).toEqual({ reads: 2, getTypes: 1 });
    } finally {
      await t.close();
    }
  });
});
