/**
 * ML Metadata ids over HTTP: the `mlmdId` field on every node and type, the MlmdId scalar
 * (a JSON number out; a number or a string of digits in, anything else refused naming
 * the argument), and the lookups that take `mlmdId` instead of `id` or `name`, batched
 * through the request's loaders. An mlmdId is unique within its kind only (as in ML
 * Metadata), so `artifact`, `execution` and `context` take one and `node` does not.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS, useService } from '../support/backends.js';
import { countingStore, onlyError, putCommonTypes, startTestServer, type CountingStore, type TestServer } from './harness.js';

const TOO_BIG = '9007199254740992'; // 2^53

describe.each(BACKENDS)('ML Metadata ids over HTTP ($name)', (backend) => {
  const h = useService(backend);
  let counting: CountingStore;
  let t: TestServer;
  beforeEach(async () => {
    counting = countingStore(h.store);
    t = await startTestServer(createMetadataService(counting.store, { clock: h.clock }));
    await putCommonTypes(t);
  });
  afterEach(async () => { await t?.close(); });

  /** One artifact `d` (DataSet), execution `x` (Trainer) and context `r` (Run), with every field that carries an mlmdId. */
  async function oneOfEach() {
    const { putLineageSubgraph: put } = await t.data(`mutation {
      putLineageSubgraph(input: {
        artifacts: [{ type: "DataSet", name: "d" }], executions: [{ type: "Trainer", name: "x" }], contexts: [{ type: "Run", name: "r" }]
      }) {
        artifacts { id mlmdId type { id mlmdId } }
        executions { id mlmdId type { id mlmdId } }
        contexts { id mlmdId type { id mlmdId } }
      }
    }`);
    return { d: put.artifacts[0], x: put.executions[0], r: put.contexts[0] };
  }

  it('serves mlmdId on every node and type as a JSON number, the same through the Node interface', async () => {
    const { d, x, r } = await oneOfEach();
    for (const node of [d, x, r]) {
      expect(Number.isSafeInteger(node.mlmdId) && node.mlmdId >= 1).toBe(true);
      expect(Number.isSafeInteger(node.type.mlmdId) && node.type.mlmdId >= 1).toBe(true);
    }
    expect(new Set([d.type.mlmdId, x.type.mlmdId, r.type.mlmdId]).size).toBe(3);
    const res = await t.gql(`query { a: node(id: "${d.id}") { id mlmdId } b: node(id: "${x.id}") { ... on Node { mlmdId } } }`);
    expect(res.text).toContain(`"mlmdId":${d.mlmdId}`); // a number on the wire, not a string
    expect(res.data).toEqual({ a: { id: d.id, mlmdId: d.mlmdId }, b: { mlmdId: x.mlmdId } });
  });

  it('finds each kind of node by mlmdId; an unknown id, or an id naming a node of another kind, is null', async () => {
    const { d, x, r } = await oneOfEach();
    const unknown = Math.max(d.mlmdId, x.mlmdId, r.mlmdId) + 1000;
    const read = await t.data(`query {
      artifact(mlmdId: ${d.mlmdId}) { id name }
      execution(mlmdId: ${x.mlmdId}) { id name }
      context(mlmdId: ${r.mlmdId}) { id name }
      wrongKind: artifact(id: "${r.id}") { id }
      unknown: execution(mlmdId: ${unknown}) { id }
      byId: execution(id: "${x.id}") { mlmdId }
    }`);
    expect(read).toEqual({
      artifact: { id: d.id, name: 'd' },
      execution: { id: x.id, name: 'x' },
      context: { id: r.id, name: 'r' },
      wrongKind: null,
      unknown: null,
      byId: { mlmdId: x.mlmdId },
    });
  });

  it('tells apart an artifact, an execution and a context holding the same mlmdId, each found by its own field', async () => {
    // One id free in every space, given to a node of each kind by trusted code (as the importer does).
    const handedOut = (space: 'artifact' | 'execution' | 'context'): Promise<number> => h.store.write((tx) => tx.claimMlmdIdsUpTo(space, 0));
    const shared = Math.max(await handedOut('artifact'), await handedOut('execution'), await handedOut('context')) + 1;
    const put = await createMetadataService(h.store, { clock: h.clock }).putLineageSubgraph({
      artifacts: [{ type: 'DataSet', name: 'same-a', mlmdId: shared }],
      executions: [{ type: 'Trainer', name: 'same-x', mlmdId: shared }],
      contexts: [{ type: 'Run', name: 'same-r', mlmdId: shared }],
    }, undefined, { withGivenMlmdIds: true });
    const read = await t.data(`query($m: MlmdId!) {
      artifact(mlmdId: $m) { __typename id mlmdId } execution(mlmdId: $m) { __typename id mlmdId } context(mlmdId: $m) { __typename id mlmdId }
    }`, { m: shared });
    expect(read).toEqual({
      artifact: { __typename: 'Artifact', id: put.artifacts[0]!.id, mlmdId: shared },
      execution: { __typename: 'Execution', id: put.executions[0]!.id, mlmdId: shared },
      context: { __typename: 'Context', id: put.contexts[0]!.id, mlmdId: shared },
    });
  });

  it('looks up `node` by id only: an mlmdId names a node only with its kind', async () => {
    const { d } = await oneOfEach();
    const error = onlyError(await t.gql(`query { node(id: "${d.id}", mlmdId: ${d.mlmdId}) { id } }`));
    expect(error.message).toMatch(/Unknown argument "mlmdId" on field "Query.node"/);
    expect(onlyError(await t.gql('query { node { id } }')).message).toMatch(/argument "id" of type "ID!" is required/);
  });

  it('keeps given ids out of the API: an input carrying mlmdId is refused by the schema', async () => {
    const error = onlyError(await t.gql('mutation { putArtifacts(artifacts: [{ type: "DataSet", name: "a", mlmdId: 5 }]) { id } }'));
    expect(error.message).toMatch(/"mlmdId" is not defined by type "ArtifactInput"/);
  });

  it('finds types by mlmdId; a type of another kind, or an unknown id, is null', async () => {
    const { d, x, r } = await oneOfEach();
    const read = await t.data(`query {
      artifactType(mlmdId: ${d.type.mlmdId}) { id name }
      executionType(mlmdId: ${x.type.mlmdId}) { id name }
      contextType(mlmdId: ${r.type.mlmdId}) { id name }
      wrongKind: contextType(mlmdId: ${d.type.mlmdId}) { id }
      unknown: artifactType(mlmdId: ${d.type.mlmdId + 1000}) { id }
      byName: artifactType(name: "DataSet") { mlmdId }
    }`);
    expect(read).toEqual({
      artifactType: { id: d.type.id, name: 'DataSet' },
      executionType: { id: x.type.id, name: 'Trainer' },
      contextType: { id: r.type.id, name: 'Run' },
      wrongKind: null,
      unknown: null,
      byName: { mlmdId: d.type.mlmdId },
    });
  });

  it('takes mlmdId as a string of decimal digits, in the query text and in a variable', async () => {
    const { d } = await oneOfEach();
    const read = await t.data(`query($m: MlmdId!) { literal: artifact(mlmdId: "${d.mlmdId}") { id } variable: artifact(mlmdId: $m) { id } }`, { m: String(d.mlmdId) });
    expect(read).toEqual({ literal: { id: d.id }, variable: { id: d.id } });
  });

  it.each([
    ['the exponent "1e3"', '"1e3"'], ['the float literal 1e3', '1e3'], ['-1', '-1'], ['0', '0'], ['2^53', TOO_BIG],
    ['the fraction 1.5', '1.5'], ['true', 'true'], ['the empty string', '""'],
  ])('refuses %s in the query text, naming the argument, before any store call', async (_label, literal) => {
    counting.reset();
    const error = onlyError(await t.gql(`query { artifact(mlmdId: ${literal}) { id } }`));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'mlmdId' });
    expect(error.message).toMatch(/^mlmdId must be a whole number from 1 to 9007199254740991/);
    expect(counting.calls.filter((c) => c !== 'countApiKeys')).toEqual([]);
  });

  it.each([['"1e3"', '1e3'], ['-1', -1], ['0', 0], ['2^53', 2 ** 53], ['"12.0"', '12.0'], ['a list', [1]]])(
    'refuses %s in a variable, naming the argument', async (_label, value) => {
      const error = onlyError(await t.gql('query($m: MlmdId) { context(mlmdId: $m) { id } }', { m: value }));
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'mlmdId' });
      expect(error.message).toMatch(/^mlmdId must be a whole number/);
    },
  );

  it('refuses both id and mlmdId, or neither, naming the field', async () => {
    const { d } = await oneOfEach();
    const both = onlyError(await t.gql(`query { artifact(id: "${d.id}", mlmdId: ${d.mlmdId}) { id } }`));
    expect(both).toMatchObject({
      message: 'artifact takes exactly one of id and mlmdId, got both', extensions: { code: 'BAD_USER_INPUT', field: 'artifact' },
    });
    const neither = onlyError(await t.gql('query { execution { id } }'));
    expect(neither).toMatchObject({
      message: 'execution takes exactly one of id and mlmdId, got neither', extensions: { code: 'BAD_USER_INPUT', field: 'execution' },
    });
  });

  it('refuses a type lookup with both name and mlmdId, neither, or a version beside mlmdId', async () => {
    const { d } = await oneOfEach();
    const both = onlyError(await t.gql(`query { artifactType(name: "DataSet", mlmdId: ${d.type.mlmdId}) { id } }`));
    expect(both).toMatchObject({
      message: 'artifactType takes exactly one of name and mlmdId, got both', extensions: { code: 'BAD_USER_INPUT', field: 'artifactType' },
    });
    const neither = onlyError(await t.gql('query { contextType { id } }'));
    expect(neither.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contextType' });
    const versioned = onlyError(await t.gql(`query { artifactType(mlmdId: ${d.type.mlmdId}, version: "1") { id } }`));
    expect(versioned).toMatchObject({
      message: 'artifactType takes version only with name, not with mlmdId', extensions: { code: 'BAD_USER_INPUT', field: 'version' },
    });
  });

  it('answers many mlmdId lookups of one query with one store call per kind of node, and one for types', async () => {
    const { d, x, r } = await oneOfEach();
    const unknown = Math.max(d.mlmdId, x.mlmdId, r.mlmdId) + 1000;
    counting.reset();
    const read = await t.data(`query {
      a: artifact(mlmdId: ${d.mlmdId}) { id } a2: artifact(mlmdId: ${unknown}) { id } b: execution(mlmdId: ${x.mlmdId}) { id }
      c: context(mlmdId: ${r.mlmdId}) { id } c2: context(mlmdId: ${unknown}) { id }
      ta: artifactType(mlmdId: ${d.type.mlmdId}) { id } tc: contextType(mlmdId: ${r.type.mlmdId}) { id }
    }`);
    expect(read).toEqual({ a: { id: d.id }, a2: null, b: { id: x.id }, c: { id: r.id }, c2: null, ta: { id: d.type.id }, tc: { id: r.type.id } });
    expect(counting.tally()).toEqual({ getNodesByMlmdId: 3, getTypesByMlmdId: 1, countApiKeys: 1 });
  });
});
