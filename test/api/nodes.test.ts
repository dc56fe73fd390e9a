/**
 * Artifacts, executions and contexts over HTTP: putArtifacts, putExecutions, putContexts
 * (insert, update by id, reuse by (type, name) or externalId), the node, artifact,
 * execution, context and *ByName lookups, and deleteNodes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { putCommonTypes, startTestServer, type TestServer } from './harness.js';

const START_ISO = new Date(CLOCK_START).toISOString(); // 2023-11-14T22:13:20.000Z

const ARTIFACT_FIELDS = 'id type { name } name uri externalId state properties customProperties createTime updateTime';

describe.each(BACKENDS)('artifacts, executions and contexts over HTTP ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(h.api);
    await putCommonTypes(t);
  });
  afterEach(async () => { await t?.close(); });

  it('putArtifacts stores every field and returns the artifacts in input order', async () => {
    const { putArtifacts } = await t.data(`mutation Put($props: JSON) {
      putArtifacts(artifacts: [
        { type: "DataSet", name: "train", uri: "s3://b/train.csv", externalId: "ext-1", state: LIVE,
          properties: $props, customProperties: { owner: "ana", tags: ["a", "b"] } },
        { type: "Model" }
      ]) { ${ARTIFACT_FIELDS} }
    }`, { props: { split: 'train', rows: 1200 } });
    expect(putArtifacts).toEqual([
      {
        id: putArtifacts[0].id, type: { name: 'DataSet' }, name: 'train', uri: 's3://b/train.csv', externalId: 'ext-1',
        state: 'LIVE', properties: { split: 'train', rows: 1200 }, customProperties: { owner: 'ana', tags: ['a', 'b'] },
        createTime: START_ISO, updateTime: START_ISO,
      },
      {
        id: putArtifacts[1].id, type: { name: 'Model' }, name: null, uri: null, externalId: null, state: 'UNKNOWN',
        properties: {}, customProperties: {}, createTime: START_ISO, updateTime: START_ISO,
      },
    ]);
    expect(putArtifacts[0].id).not.toBe(putArtifacts[1].id);
  });

  it('a STRUCT, DOUBLE and BOOLEAN property round-trip as JSON, from literals and variables alike', async () => {
    const literal = await t.data(`mutation { putArtifacts(artifacts: [{ type: "Model", name: "m1",
      properties: { lr: 0.01, tuned: true, config: { layers: [64, 32], act: "relu", dropout: null } } }]) { properties } }`);
    const props = { lr: 0.01, tuned: true, config: { layers: [64, 32], act: 'relu', dropout: null } };
    expect(literal.putArtifacts[0].properties).toEqual(props);
    const variable = await t.data('mutation P($p: JSON) { putArtifacts(artifacts: [{ type: "Model", name: "m2", properties: $p }]) { properties } }', { p: props });
    expect(variable.putArtifacts[0].properties).toEqual(props);
  });

  it('putExecutions and putContexts store every field', async () => {
    const data = await t.data(`mutation {
      putExecutions(executions: [{ type: "Trainer", name: "train-1", externalId: "x-1", lastKnownState: RUNNING,
        properties: { epochs: 3 }, customProperties: { host: "gpu-7" } }]) {
        id type { name } name externalId lastKnownState properties customProperties createTime updateTime }
      putContexts(contexts: [{ type: "Pipeline", name: "churn", externalId: "c-1", customProperties: { team: "ml" } }]) {
        id type { name } name externalId properties customProperties createTime updateTime }
    }`);
    expect(data.putExecutions).toEqual([{
      id: data.putExecutions[0].id, type: { name: 'Trainer' }, name: 'train-1', externalId: 'x-1', lastKnownState: 'RUNNING',
      properties: { epochs: 3 }, customProperties: { host: 'gpu-7' }, createTime: START_ISO, updateTime: START_ISO,
    }]);
    expect(data.putContexts).toEqual([{
      id: data.putContexts[0].id, type: { name: 'Pipeline' }, name: 'churn', externalId: 'c-1',
      properties: {}, customProperties: { team: 'ml' }, createTime: START_ISO, updateTime: START_ISO,
    }]);
  });

  it('node, artifact, execution and context find by id; a missing id or another kind is null', async () => {
    const put = await t.data(`mutation {
      a: putArtifacts(artifacts: [{ type: "DataSet", name: "d" }]) { id }
      x: putExecutions(executions: [{ type: "Trainer" }]) { id }
      c: putContexts(contexts: [{ type: "Run", name: "r1" }]) { id }
    }`);
    const [a, x, c] = [put.a[0].id, put.x[0].id, put.c[0].id];
    const read = await t.data(`query Read($a: ID!, $x: ID!, $c: ID!) {
      na: node(id: $a) { __typename id ... on Artifact { name } }
      nx: node(id: $x) { __typename id }
      nc: node(id: $c) { __typename id ... on Context { name } }
      missing: node(id: "no-such-id") { id }
      artifact(id: $a) { id name }
      execution(id: $x) { id }
      context(id: $c) { id name }
      artifactGivenExecutionId: artifact(id: $x) { id }
      executionGivenContextId: execution(id: $c) { id }
      contextGivenArtifactId: context(id: $a) { id }
    }`, { a, x, c });
    expect(read).toEqual({
      na: { __typename: 'Artifact', id: a, name: 'd' },
      nx: { __typename: 'Execution', id: x },
      nc: { __typename: 'Context', id: c, name: 'r1' },
      missing: null,
      artifact: { id: a, name: 'd' },
      execution: { id: x },
      context: { id: c, name: 'r1' },
      artifactGivenExecutionId: null,
      executionGivenContextId: null,
      contextGivenArtifactId: null,
    });
  });

  it('artifactByName, executionByName and contextByName find by type name (and version) and name', async () => {
    await t.data('mutation { putArtifactType(input: { name: "DataSet", version: "2" }) { id } }');
    const put = await t.data(`mutation {
      a: putArtifacts(artifacts: [{ type: "DataSet", name: "d" }, { type: "DataSet", typeVersion: "2", name: "d" }]) { id }
      x: putExecutions(executions: [{ type: "Trainer", name: "t" }]) { id }
      c: putContexts(contexts: [{ type: "Pipeline", name: "p" }]) { id }
    }`);
    const read = await t.data(`{
      unversioned: artifactByName(type: "DataSet", name: "d") { id }
      v2: artifactByName(type: "DataSet", name: "d", typeVersion: "2") { id }
      noSuchName: artifactByName(type: "DataSet", name: "zzz") { id }
      noSuchType: artifactByName(type: "Nope", name: "d") { id }
      executionByName(type: "Trainer", name: "t") { id }
      contextByName(type: "Pipeline", name: "p") { id }
      wrongKind: contextByName(type: "Trainer", name: "t") { id }
    }`);
    expect(read).toEqual({
      unversioned: { id: put.a[0].id }, v2: { id: put.a[1].id }, noSuchName: null, noSuchType: null,
      executionByName: { id: put.x[0].id }, contextByName: { id: put.c[0].id }, wrongKind: null,
    });
  });

  it('a re-put with the id updates the node and its updateTime; without an id it reuses the same (type, name)', async () => {
    const { putArtifacts: [first] } = await t.data('mutation { putArtifacts(artifacts: [{ type: "DataSet", name: "d", state: PENDING }]) { id } }');
    h.clock.advance(1000);
    const byId = await t.data('mutation U($id: ID) { putArtifacts(artifacts: [{ id: $id, type: "DataSet", state: LIVE, uri: "s3://d" }]) { id name state uri createTime updateTime } }', { id: first.id });
    expect(byId.putArtifacts).toEqual([{
      id: first.id, name: 'd', state: 'LIVE', uri: 's3://d', createTime: START_ISO, updateTime: new Date(CLOCK_START + 1000).toISOString(),
    }]);
    const byName = await t.data('mutation { putArtifacts(artifacts: [{ type: "DataSet", name: "d", properties: { rows: 5 } }]) { id state properties } }');
    expect(byName.putArtifacts).toEqual([{ id: first.id, state: 'LIVE', properties: { rows: 5 } }]);
    expect((await t.data('{ artifacts { totalCount } }')).artifacts.totalCount).toBe(1);
  });

  it('reuseByExternalId reuses the node holding the externalId; without it the externalId is ALREADY_EXISTS', async () => {
    const { putExecutions: [first] } = await t.data('mutation { putExecutions(executions: [{ type: "Trainer", externalId: "job-9" }]) { id } }');
    const refused = await t.gql('mutation { putExecutions(executions: [{ type: "Trainer", externalId: "job-9", lastKnownState: COMPLETE }]) { id } }');
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'ALREADY_EXISTS', field: 'executions[0].externalId' });
    const reused = await t.data('mutation { putExecutions(executions: [{ type: "Trainer", externalId: "job-9", lastKnownState: COMPLETE }], reuseByExternalId: true) { id lastKnownState } }');
    expect(reused.putExecutions).toEqual([{ id: first.id, lastKnownState: 'COMPLETE' }]);
    const ctx = await t.data('mutation { a: putContexts(contexts: [{ type: "Run", name: "r", externalId: "run-1" }]) { id } b: putContexts(contexts: [{ type: "Run", name: "r", externalId: "run-1" }], reuseByExternalId: true) { id } }');
    expect(ctx.b[0].id).toBe(ctx.a[0].id);
  });

  it('deleteNodes deletes what exists, counts it, and the nodes are gone', async () => {
    const put = await t.data(`mutation {
      a: putArtifacts(artifacts: [{ type: "DataSet", name: "d" }]) { id }
      x: putExecutions(executions: [{ type: "Trainer" }]) { id }
      c: putContexts(contexts: [{ type: "Run", name: "r" }]) { id }
    }`);
    const ids = [put.a[0].id, put.x[0].id];
    const { deleteNodes } = await t.data('mutation D($ids: [ID!]!) { deleteNodes(ids: $ids) }', { ids: [...ids, 'no-such-id', ids[0]] });
    expect(deleteNodes).toBe(2);
    const read = await t.data('query R($a: ID!, $x: ID!, $c: ID!) { a: node(id: $a) { id } x: node(id: $x) { id } c: node(id: $c) { id } }', { a: ids[0], x: ids[1], c: put.c[0].id });
    expect(read).toEqual({ a: null, x: null, c: { id: put.c[0].id } });
  });
});
