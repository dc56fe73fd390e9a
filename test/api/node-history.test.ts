/**
 * History of nodes over HTTP on every backend: an update by id keeps the record it
 * replaces, `node(id, asOf:)` and the lineage queries' `asOf` answer with records as they
 * stood then, and `history` lists them.
 *
 *   clean (s3://clean/v1, rows 90) ─▶ train (RUNNING → COMPLETE) ─▶ model (PENDING → LIVE)
 *
 * Times are the fake clock's: T0 = CLOCK_START creates clean; T1 = T0 + 1000 records the
 * training; T2 = T1 + 1000 moves clean to s3://clean/v2 (rows 180) by id, the run to
 * COMPLETE and the model to LIVE.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { countingStore, onlyError, putCommonTypes, startTestServer, type TestServer } from './harness.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';

const T0 = CLOCK_START;
const T1 = T0 + 1000;
const T2 = T1 + 1000;
const iso = (ms: number): string => new Date(ms).toISOString();

const RECORD_CLEAN = `mutation { putArtifacts(artifacts: [{ type: "DataSet", name: "clean", uri: "s3://clean/v1", properties: { rows: 90 } }]) { id } }`;
const TRAIN = `mutation T($clean: ID) { recordExecution(input: {
  execution: { type: "Trainer", name: "train", lastKnownState: RUNNING }
  inputs: [{ id: $clean }]
  outputs: [{ artifact: { type: "Model", name: "model", uri: "s3://model/1", state: PENDING } }]
}) { execution { id } outputs { id } } }`;
const MOVE = `mutation M($clean: ID!, $run: ID!, $model: ID!) {
  putArtifacts(artifacts: [
    { id: $clean, type: "DataSet", uri: "s3://clean/v2", properties: { rows: 180 } },
    { id: $model, type: "Model", state: LIVE }
  ]) { id }
  putExecutions(executions: [{ id: $run, type: "Trainer", lastKnownState: COMPLETE }]) { id }
}`;
const LINEAGE = `query L($s: [ID!]!, $at: DateTime) { lineage(start: $s, asOf: $at) {
  nodes { id artifact { name uri state properties } execution { name lastKnownState } }
} }`;

interface Pipeline { clean: string; run: string; model: string }

/** The drawing above, recorded through the API. */
async function recordPipeline(t: TestServer, h: { clock: { set(ms: number): void } }): Promise<Pipeline> {
  h.clock.set(T0);
  const clean = (await t.data(RECORD_CLEAN)).putArtifacts[0].id as string;
  h.clock.set(T1);
  const trained = await t.data(TRAIN, { clean });
  const p = { clean, run: trained.recordExecution.execution.id as string, model: trained.recordExecution.outputs[0].id as string };
  h.clock.set(T2);
  await t.data(MOVE, p);
  return p;
}

/** The lineage answer's records, by node name, without ids. */
const recordsOf = (data: any): Record<string, unknown>[] =>
  data.lineage.nodes.map((n: any) => n.artifact ?? n.execution);

describe.each(BACKENDS)('history of nodes ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(h.api);
    await putCommonTypes(t);
  });
  afterEach(async () => { await t?.close(); });

  it('the re-recording problem: the model asOf its training shows the input it read (v1), now v2, with the record kept', async () => {
    const p = await recordPipeline(t, h);
    const then = await t.data(LINEAGE, { s: [p.model], at: iso(T1) });
    expect(recordsOf(then)).toEqual([
      { name: 'model', uri: 's3://model/1', state: 'PENDING', properties: {} },
      { name: 'train', lastKnownState: 'RUNNING' },
      { name: 'clean', uri: 's3://clean/v1', state: 'UNKNOWN', properties: { rows: 90 } },
    ]);
    const now = await t.data(LINEAGE, { s: [p.model] });
    expect(recordsOf(now)).toEqual([
      { name: 'model', uri: 's3://model/1', state: 'LIVE', properties: {} },
      { name: 'train', lastKnownState: 'COMPLETE' },
      { name: 'clean', uri: 's3://clean/v2', state: 'UNKNOWN', properties: { rows: 180 } },
    ]);
    // The same walk from the Artifact field, and the history with its time ranges.
    const field = await t.data(`query U($m: ID!, $at: DateTime) { artifact(id: $m) {
      upstream(asOf: $at) { nodes { artifact { uri } } dot }
    } }`, { m: p.model, at: iso(T1 + 500) });
    expect(field.artifact.upstream.nodes.flatMap((n: any) => (n.artifact ? [n.artifact.uri] : []))).toEqual(['s3://model/1', 's3://clean/v1']);
    const history = await t.data(`query H($c: ID!) { artifact(id: $c) { history { validFrom validTo artifact { uri properties updateTime } } } }`, { c: p.clean });
    expect(history.artifact.history).toEqual([
      { validFrom: iso(T0), validTo: iso(T2), artifact: { uri: 's3://clean/v1', properties: { rows: 90 }, updateTime: iso(T0) } },
      { validFrom: iso(T2), validTo: null, artifact: { uri: 's3://clean/v2', properties: { rows: 180 }, updateTime: iso(T2) } },
    ]);
  });

  it('node(id, asOf): null before creation, the record of the time at each boundary, the current one in the future', async () => {
    const p = await recordPipeline(t, h);
    const q = await t.data(`query N($c: ID!, $r: ID!, $sql: ID!, $cypher: ID!, $before: DateTime, $t0: DateTime, $justBefore: DateTime, $t2: DateTime, $future: DateTime) {
      before: node(id: $c, asOf: $before) { id }
      t0: node(id: $c, asOf: $t0) { ... on Artifact { uri } }
      justBefore: node(id: $c, asOf: $justBefore) { ... on Artifact { uri } }
      t2: node(id: $c, asOf: $t2) { ... on Artifact { uri } }
      future: node(id: $c, asOf: $future) { ... on Artifact { uri } }
      runThen: node(id: $r, asOf: $justBefore) { ... on Execution { lastKnownState history { validTo } } }
      runNow: node(id: $r) { ... on Execution { lastKnownState } }
      missing: node(id: "no-such-node", asOf: $t2) { id }
      sql: node(id: $sql, asOf: $t2) { id }
      cypher: node(id: $cypher, asOf: $t2) { id }
    }`, {
      c: p.clean, r: p.run, before: iso(T0 - 1), t0: iso(T0), justBefore: iso(T2 - 1), t2: iso(T2), future: '2999-01-01T00:00:00Z',
      // Hostile ids are values, never statement text: they find nothing and harm nothing.
      sql: "x') OR 1=1; DELETE FROM node_history; --", cypher: 'x"}) MATCH (h:NodeHistory) DETACH DELETE h //',
    });
    expect(q).toEqual({
      before: null,
      t0: { uri: 's3://clean/v1' },
      justBefore: { uri: 's3://clean/v1' },
      t2: { uri: 's3://clean/v2' },
      future: { uri: 's3://clean/v2' },
      runThen: { lastKnownState: 'RUNNING', history: [{ validTo: iso(T2) }, { validTo: null }] },
      runNow: { lastKnownState: 'COMPLETE' },
      missing: null,
      sql: null,
      cypher: null,
    });
    expect((await h.api.nodeHistories([p.clean]))[0]).toHaveLength(2);
  });

  it('several updates are kept in order, each valid until the next, and each asOf finds its own', async () => {
    h.clock.set(T0);
    const id = (await t.data(RECORD_CLEAN)).putArtifacts[0].id as string;
    for (let v = 2; v <= 4; v += 1) {
      h.clock.set(T0 + v * 100);
      await t.data(`mutation U($id: ID!, $uri: String) { putArtifacts(artifacts: [{ id: $id, type: "DataSet", uri: $uri, properties: { rows: ${v} } }]) { id } }`, { id, uri: `s3://clean/v${v}` });
    }
    const history = await t.data(`query H($id: ID!) { artifact(id: $id) { history { validFrom validTo artifact { uri properties } } } }`, { id });
    expect(history.artifact.history).toEqual([
      { validFrom: iso(T0), validTo: iso(T0 + 200), artifact: { uri: 's3://clean/v1', properties: { rows: 90 } } },
      { validFrom: iso(T0 + 200), validTo: iso(T0 + 300), artifact: { uri: 's3://clean/v2', properties: { rows: 2 } } },
      { validFrom: iso(T0 + 300), validTo: iso(T0 + 400), artifact: { uri: 's3://clean/v3', properties: { rows: 3 } } },
      { validFrom: iso(T0 + 400), validTo: null, artifact: { uri: 's3://clean/v4', properties: { rows: 4 } } },
    ]);
    const at = await t.data(`query A($id: ID!, $a: DateTime, $b: DateTime, $c: DateTime) {
      a: node(id: $id, asOf: $a) { ... on Artifact { uri } }
      b: node(id: $id, asOf: $b) { ... on Artifact { uri } }
      c: node(id: $id, asOf: $c) { ... on Artifact { uri } }
    }`, { id, a: iso(T0 + 199), b: iso(T0 + 250), c: iso(T0 + 399) });
    expect(at).toEqual({ a: { uri: 's3://clean/v1' }, b: { uri: 's3://clean/v2' }, c: { uri: 's3://clean/v3' } });
  });

  it('an update that fails validation, or whose transaction fails later, leaves no history record', async () => {
    h.clock.set(T0);
    const ids = (await t.data(`mutation { putArtifacts(artifacts: [
      { type: "DataSet", name: "a", uri: "s3://a/1" }, { type: "DataSet", name: "b", uri: "s3://b/1", externalId: "ext-b" }
    ]) { id } }`)).putArtifacts.map((a: any) => a.id as string);
    h.clock.set(T1);
    const badValue = onlyError(await t.gql(`mutation U($id: ID!) { putArtifacts(artifacts: [{ id: $id, type: "DataSet", uri: "s3://a/2", properties: { rows: "many" } }]) { id } }`, { id: ids[0] }));
    expect(badValue.extensions?.code).toBe('BAD_USER_INPUT');
    // The first item's update is valid and stored before the second's uniqueness fails: the transaction undoes both, history included.
    const clash = onlyError(await t.gql(`mutation U($a: ID!) { putArtifacts(artifacts: [
      { id: $a, type: "DataSet", uri: "s3://a/3" }, { type: "DataSet", name: "c", externalId: "ext-b" }
    ]) { id } }`, { a: ids[0] }));
    expect(clash.extensions?.code).toBe('ALREADY_EXISTS');
    const history = await t.data(`query H($id: ID!) { artifact(id: $id) { uri history { validTo artifact { uri } } } }`, { id: ids[0] });
    expect(history.artifact).toEqual({ uri: 's3://a/1', history: [{ validTo: null, artifact: { uri: 's3://a/1' } }] });
  });

  it('an unchanged re-put by id keeps no record; a malformed asOf is BAD_USER_INPUT', async () => {
    h.clock.set(T0);
    const id = (await t.data(RECORD_CLEAN)).putArtifacts[0].id as string;
    h.clock.set(T1);
    await t.data(`mutation U($id: ID!) { putArtifacts(artifacts: [{ id: $id, type: "DataSet", uri: "s3://clean/v1" }]) { id } }`, { id });
    const history = await t.data(`query H($id: ID!) { artifact(id: $id) { history { validTo } } }`, { id });
    expect(history.artifact.history).toEqual([{ validTo: null }]);
    for (const bad of ['yesterday', '2024-05-01', 12]) {
      const error = onlyError(await t.gql(`query N($id: ID!, $at: DateTime) { node(id: $id, asOf: $at) { id } }`, { id, at: bad }));
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toContain('$at');
    }
  });

  it('concurrent updates of one node both land in history: no record is lost', async () => {
    h.clock.set(T0);
    const id = (await t.data(RECORD_CLEAN)).putArtifacts[0].id as string;
    h.clock.set(T1);
    const writers = ['left', 'right', 'third'].map((who) => h.api.putArtifacts([
      { id, type: 'DataSet', uri: `s3://clean/${who}`, customProperties: { writer: who } } as never,
    ]));
    await Promise.all(writers);
    const [history] = await h.api.nodeHistories([id]);
    expect(history!.length).toBe(4);
    expect(history![0]!.record).toMatchObject({ kind: 'ARTIFACT', uri: 's3://clean/v1' });
    // Every writer's record is there once: the two replaced ones and the current one.
    const uris = history!.slice(1).map((e) => (e.record as { uri: string | null }).uri).sort();
    expect(uris).toEqual(['s3://clean/left', 's3://clean/right', 's3://clean/third']);
    expect(history![3]!.validTo).toBeNull();
  });

  it('asOf reads cost one store call for a batch of nodes, and a lineage walk asOf the same number of calls as without', async () => {
    const counting = countingStore(h.store);
    const { createServices } = await import('../../src/service/services.js');
    const api: MetadataApi = createServices(counting.store, { clock: h.clock }).metadata;
    const c = await startTestServer(api);
    // The graph's calls only (the server also asks whether any API key exists, once per request).
    const graphCalls = (): Record<string, number> => {
      const { countApiKeys: _, ...rest } = counting.tally();
      return rest;
    };
    try {
      const p = await recordPipeline(c, h);
      counting.reset();
      await c.data(`query N($a: ID!, $b: ID!, $m: ID!, $at: DateTime) {
        a: node(id: $a, asOf: $at) { id } b: node(id: $b, asOf: $at) { id } m: node(id: $m, asOf: $at) { id }
      }`, { a: p.clean, b: p.run, m: p.model, at: iso(T1) });
      expect(graphCalls()).toEqual({ nodesAsOf: 1 });
      counting.reset();
      await c.data(LINEAGE, { s: [p.model] });
      const now = graphCalls();
      counting.reset();
      await c.data(LINEAGE, { s: [p.model], at: iso(T1) });
      const then = graphCalls();
      expect(then.nodesAsOf).toBe(1);
      expect(then.getNodes ?? 0).toBe((now.getNodes ?? 0) - 1);
      expect(Object.values(then).reduce((a, b) => a + b, 0)).toBe(Object.values(now).reduce((a, b) => a + b, 0));
    } finally {
      await c.close();
    }
  });
});
