/**
 * Errors over HTTP: each StoreError code becomes its GraphQL code with the field it
 * names; batch limits; anything else is masked for the client and logged in full; the
 * operation log line never carries variable values or query text.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/graph/errors.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS, useService } from '../support/backends.js';
import { failingStore, onlyError, putCommonTypes, startTestServer, type Faults, type TestServer } from './harness.js';

describe.each(BACKENDS)('errors over HTTP ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(h.api);
    await putCommonTypes(t);
  });
  afterEach(async () => { await t?.close(); });

  /** A second server over the same store whose StoreTx methods named in `faults` fail. */
  async function serverWithFaults(faults: Faults): Promise<TestServer> {
    return startTestServer(createMetadataService(failingStore(h.store, faults), { clock: h.clock }));
  }

  it('NOT_FOUND names the input field of an unknown type', async () => {
    const res = onlyError(await t.gql('mutation { putArtifacts(artifacts: [{ type: "DataSet" }, { type: "Nope", name: "x" }]) { id } }'));
    expect(res).toMatchObject({
      message: 'artifacts[1].type: no artifact type "Nope"',
      path: ['putArtifacts'],
      extensions: { code: 'NOT_FOUND', field: 'artifacts[1].type' },
    });
  });

  it('BAD_USER_INPUT names the property of the wrong type and keeps the service message', async () => {
    const res = onlyError(await t.gql('mutation P($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }', {
      a: [{ type: 'DataSet', name: 'ok', properties: { rows: 1 } }, { type: 'DataSet', name: 'bad', properties: { rows: 'many' } }],
    }));
    expect(res.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'artifacts[1].properties.rows' });
    expect(res.message).toBe('artifacts[1].properties.rows must be an INT (a whole number from -(2^53-1) to 2^53-1; store a larger one as a STRING), got "many"');
    expect((await t.data('{ artifacts { totalCount } }')).artifacts.totalCount).toBe(0);
  });

  it('ALREADY_EXISTS names the clashing field', async () => {
    await t.data('mutation { putContextType(input: { name: "A", externalId: "shared" }) { id } }');
    const res = onlyError(await t.gql('mutation { putContextType(input: { name: "B", externalId: "shared" }) { id } }'));
    expect(res.extensions).toEqual({ code: 'ALREADY_EXISTS', field: 'input.externalId' });
  });

  it('FAILED_PRECONDITION names the field that may not change', async () => {
    const { putArtifacts: [a] } = await t.data('mutation { putArtifacts(artifacts: [{ type: "DataSet", name: "one" }]) { id } }');
    const res = onlyError(await t.gql('mutation R($id: ID) { putArtifacts(artifacts: [{ id: $id, type: "DataSet", name: "two" }]) { id } }', { id: a.id }));
    expect(res.extensions).toEqual({ code: 'FAILED_PRECONDITION', field: 'artifacts[0].name' });
  });

  it('UNAVAILABLE passes through with its message when the store gives up', async () => {
    const down = await serverWithFaults({ listTypes: () => new UnavailableError('the database did not answer; try again') });
    try {
      const res = onlyError(await down.gql('{ artifactTypes { id } }'));
      expect(res).toMatchObject({ message: 'the database did not answer; try again', extensions: { code: 'UNAVAILABLE' } });
    } finally {
      await down.close();
    }
  });

  it('refuses a batch above 10,000 items with BAD_USER_INPUT naming the argument', async () => {
    const artifacts = Array.from({ length: 10_001 }, () => ({ type: 'DataSet' }));
    const res = onlyError(await t.gql('mutation P($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }', { a: artifacts }));
    expect(res).toMatchObject({ message: 'artifacts takes at most 10000 items, got 10001', extensions: { code: 'BAD_USER_INPUT', field: 'artifacts' } });
    const ids = onlyError(await t.gql('mutation D($ids: [ID!]!) { deleteNodes(ids: $ids) }', { ids: Array.from({ length: 10_001 }, (_, i) => `id-${i}`) }));
    expect(ids.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'ids' });
    const events = onlyError(await t.gql('mutation E($e: [EventInput!]!) { putEvents(events: $e) { type } }', {
      e: Array.from({ length: 10_001 }, () => ({ artifactId: 'a', executionId: 'x', type: 'INPUT' })),
    }));
    expect(events.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'events' });
    // Exactly 10,000 is allowed.
    const ok = await t.data('mutation P($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }', { a: artifacts.slice(1) });
    expect(ok.putArtifacts).toHaveLength(10_000);
  });

  it('masks an unexpected error: the client sees a generic message, the log has the cause and stack', async () => {
    const secret = "SELECT * FROM node WHERE id = 'top-secret' -- near \"WHERE\": syntax error";
    const broken = await serverWithFaults({ getNodes: () => new TypeError(secret) });
    try {
      const res = await broken.gql('query Broken { node(id: "any") { id } }');
      expect(res.errors).toEqual([{ message: 'Unexpected error.', locations: [{ line: 1, column: 16 }], path: ['node'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      expect(res.data).toEqual({ node: null });
      for (const leak of ['SELECT', 'top-secret', 'TypeError', 'stack', 'harness.ts']) expect(res.text).not.toContain(leak);

      const logged = broken.logs.lines().filter((l) => l.level === 50);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ msg: 'unexpected error (masked for the client)', path: 'node', err: { type: 'TypeError', message: secret } });
      expect(logged[0]!.err.stack).toContain('TypeError');
      expect(broken.logs.operations()).toEqual([expect.objectContaining({ operationName: 'Broken', errorCodes: ['INTERNAL_SERVER_ERROR'] })]);
    } finally {
      await broken.close();
    }
  });

  it('masks an unexpected error inside a write and writes nothing', async () => {
    const broken = await serverWithFaults({ insertNodes: () => new Error('constraint violation in table node') });
    try {
      const res = onlyError(await broken.gql('mutation { putArtifacts(artifacts: [{ type: "DataSet", name: "x" }]) { id } }'));
      expect(res).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(res.extensions).not.toHaveProperty('field');
      expect(broken.logs.text()).toContain('constraint violation in table node');
    } finally {
      await broken.close();
    }
    expect((await t.data('{ artifacts { totalCount } }')).artifacts.totalCount).toBe(0);
  });

  it('logs one line per operation with name, type, duration and error codes, never variable values or query text', async () => {
    const marker = 'sekrit-value-4711';
    await t.data('mutation PutSecret($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }', { a: [{ type: 'DataSet', name: marker, uri: `s3://${marker}` }] });
    await t.gql(`query FindSecret { artifactByName(type: "Nope", name: "${marker}") { id } artifacts(filter: { type: "Nope" }) { nodes { id } } }`);
    await t.gql('query Anonymous($n: Int) { artifacts(first: $n) { totalCount } }', { n: 0 });
    const ops = t.logs.operations().slice(-3);
    expect(ops.map((o) => ({ name: o.operationName, type: o.operationType, codes: o.errorCodes }))).toEqual([
      { name: 'PutSecret', type: 'mutation', codes: undefined },
      { name: 'FindSecret', type: 'query', codes: ['NOT_FOUND'] },
      { name: 'Anonymous', type: 'query', codes: ['BAD_USER_INPUT'] },
    ]);
    for (const op of ops) {
      expect(typeof op.durationMs).toBe('number');
      expect(op.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(t.logs.text()).not.toContain(marker);
    expect(t.logs.text()).not.toContain('artifactByName');
  });
});
