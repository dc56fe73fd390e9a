/**
 * Access over gRPC is HTTP's: the same keys, open local mode only while no key exists and
 * only on loopback, the role table per method (Get* read, Put* write), refusals as
 * UNAUTHENTICATED and PERMISSION_DENIED; one log line per call without values; int64 ids
 * the core cannot hold refused naming the field; JOURNEY_GRPC_PORT read, and `off` obeyed, by main.
 */
import { status } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { grpcRuleOf } from '../../src/server/authorization.js';
import { peerAddress } from '../../src/server/grpc/grpc-access.js';
import { loadMlmdPackage, SERVICE_NAME } from '../../src/server/grpc/mlmd-protos.js';
import { BACKENDS, useService } from '../support/backends.js';
import { startMain } from '../hardening/hardening-support.js';
import { mlmdClient, type MlmdClient } from './grpc-client.js';
import { startGrpcUnderTest, type GrpcUnderTest } from './grpc-harness.js';

const METHODS = Object.keys(loadMlmdPackage()[SERVICE_NAME] as object);

describe('the role table over gRPC', () => {
  it('gives each of the 52 methods a rule: Get* read, Put* write', () => {
    expect(METHODS).toHaveLength(52);
    for (const method of METHODS) expect([method, grpcRuleOf(method)]).toEqual([method, method.startsWith('Get') ? 'read' : 'write']);
    expect(grpcRuleOf('DeleteEverything')).toBeUndefined();
  });

  it('reads the loopback address out of grpc-js peers', () => {
    expect(peerAddress('127.0.0.1:5000')).toBe('127.0.0.1');
    expect(peerAddress('[::1]:5000')).toBe('::1');
    expect(peerAddress('/tmp/socket')).toBeNull();
  });
});

describe('JOURNEY_GRPC_PORT', () => {
  it('defaults to 8080, takes a port or off, and names itself when wrong', () => {
    expect(loadConfig({}).grpcPort).toBe(8080);
    expect(loadConfig({ JOURNEY_GRPC_PORT: '9090' }).grpcPort).toBe(9090);
    expect(loadConfig({ JOURNEY_GRPC_PORT: 'off' }).grpcPort).toBeNull();
    expect(() => loadConfig({ JOURNEY_GRPC_PORT: 'on' })).toThrow('JOURNEY_GRPC_PORT must be an integer from 0 to 65535 or off, got "on"');
    expect(() => loadConfig({ JOURNEY_GRPC_PORT: '70000' })).toThrow('JOURNEY_GRPC_PORT');
  });

  it('is served by npm start beside GraphQL, and off serves nothing', async () => {
    const free = await startGrpcFreePort();
    const on = await startMain({ JOURNEY_SQLITE_PATH: ':memory:', JOURNEY_GRPC_PORT: String(free) });
    try {
      await until(() => on.lines.some((l) => l.grpc === `127.0.0.1:${free}`));
      const client = mlmdClient(`127.0.0.1:${free}`);
      // An empty list is no field at all on the wire.
      expect(await client.call('GetArtifactTypes', {})).toEqual({ ok: {} });
      client.close();
    } finally {
      on.child.kill('SIGTERM');
      expect(await on.exited).toBe(0);
    }
    const off = await startMain({ JOURNEY_SQLITE_PATH: ':memory:', JOURNEY_GRPC_PORT: 'off' });
    try {
      await until(() => off.lines.some((l) => l.msg === 'the gRPC API is off (JOURNEY_GRPC_PORT=off)'));
      const client = mlmdClient(`127.0.0.1:${free}`);
      expect((await client.call('GetArtifactTypes', {})).code).toBe(status.UNAVAILABLE);
      client.close();
    } finally {
      off.child.kill('SIGTERM');
      await off.exited;
    }
  }, 90_000);
});

describe.each(BACKENDS.filter((b) => b.name === 'sqlite'))('calls over gRPC ($name)', (backend) => {
  const t = useService(backend);
  let grpc: GrpcUnderTest;
  let client: MlmdClient;
  beforeEach(async () => {
    grpc = await startGrpcUnderTest(t.api);
    client = mlmdClient(`127.0.0.1:${grpc.server.port}`);
  });
  afterEach(async () => {
    client.close();
    await grpc.server.close();
  });

  it('serve an anonymous loopback caller while no key exists, as an editor', async () => {
    expect(await client.call('PutArtifactType', { artifact_type: { name: 'Open' } })).toEqual({ ok: { type_id: '1' } });
    expect(grpc.lines.at(-1)).toMatchObject({ method: 'PutArtifactType', status: 'OK', keyId: null, role: 'editor', msg: 'grpc call' });
  });

  it('refuse a call without a key once a key exists, a bad key, and a viewer writing', async () => {
    // Open local mode is decided at start, as over HTTP; the first key ends it at once.
    const viewer = await grpc.keys.create({ name: 'viewer', role: 'viewer' });
    const editor = await grpc.keys.create({ name: 'editor', role: 'editor' });
    expect(await client.call('GetArtifactTypes', {})).toMatchObject({ code: status.UNAUTHENTICATED });
    expect(await client.call('GetArtifactTypes', {}, 'djk_not-a-key')).toMatchObject({ code: status.UNAUTHENTICATED });
    expect(await client.call('PutArtifactType', { artifact_type: { name: 'Refused' } }, viewer.token)).toEqual({
      code: status.PERMISSION_DENIED, details: 'PutArtifactType needs the editor or admin role; this call has viewer',
    });
    expect(await client.call('GetArtifactTypes', {}, viewer.token)).toEqual({ ok: {} });
    expect(await client.call('PutArtifactType', { artifact_type: { name: 'Allowed' } }, editor.token)).toEqual({ ok: { type_id: '1' } });
    // A method not served yet still asks for a key first.
    expect((await client.call('GetLineageGraph', {})).code).toBe(status.UNAUTHENTICATED);
    expect(grpc.lines.filter((l) => l.msg === 'grpc call').map((l) => [l.method, l.status, l.role])).toEqual([
      ['GetArtifactTypes', 'UNAUTHENTICATED', null],
      ['GetArtifactTypes', 'UNAUTHENTICATED', null],
      ['PutArtifactType', 'PERMISSION_DENIED', 'viewer'],
      ['GetArtifactTypes', 'OK', 'viewer'],
      ['PutArtifactType', 'OK', 'editor'],
      ['GetLineageGraph', 'UNAUTHENTICATED', null],
    ]);
  });

  it('log one line per call with method, duration and status, and no values', async () => {
    await client.call('PutArtifactType', { artifact_type: { name: 'SecretDatasetName', properties: { secret_column: 'STRING' } } });
    await client.call('GetArtifactType', { type_name: 'no-such-secret' });
    const calls = grpc.lines.filter((l) => l.msg === 'grpc call');
    expect(calls.map((l) => [l.method, l.status])).toEqual([['PutArtifactType', 'OK'], ['GetArtifactType', 'NOT_FOUND']]);
    for (const line of calls) expect(typeof line.durationMs).toBe('number');
    expect(JSON.stringify(grpc.lines)).not.toMatch(/Secret|secret/);
  });

  it('answer UNIMPLEMENTED for a method not served, as MLMD does for GetLineageGraph', async () => {
    expect(await client.call('GetLineageGraph', {})).toEqual({ code: status.UNIMPLEMENTED, details: 'GetLineageGraph is not served by Data Journey yet' });
  });

  it('refuse an int64 id the core cannot hold, naming the field, and keep the others exact', async () => {
    expect(await client.call('GetArtifactsByID', { artifact_ids: ['5', '9007199254740993'] })).toEqual({
      code: status.INVALID_ARGUMENT,
      details: 'artifact_ids[1] is 9007199254740993: Data Journey holds integers from -(2^53-1) to 2^53-1 exactly and refuses others',
    });
    const typeId = (await client.call('PutArtifactType', { artifact_type: { name: 'Big', properties: { n: 'INT' } } })).ok!.type_id;
    const put = await client.call('PutArtifacts', { artifacts: [{ type_id: typeId, properties: { n: { int_value: '9007199254740991' } } }] });
    const [id] = put.ok!.artifact_ids as string[];
    const read = await client.call('GetArtifactsByID', { artifact_ids: [id] });
    expect((read.ok!.artifacts as { properties: unknown }[])[0]!.properties).toEqual({ n: { int_value: '9007199254740991', value: 'int_value' } });
    expect(await client.call('PutArtifacts', { artifacts: [{ type_id: typeId, properties: { n: { int_value: '-9007199254740993' } } }] })).toMatchObject({
      code: status.INVALID_ARGUMENT, details: expect.stringContaining('artifacts[0].properties.n.int_value is -9007199254740993'),
    });
  });

  it('answer the parents and children of many contexts as a map by id (reads MLMD 1.17.1 offers only over gRPC)', async () => {
    const typeId = (await client.call('PutContextType', { context_type: { name: 'Run' } })).ok!.type_id;
    const put = await client.call('PutContexts', { contexts: ['root', 'left', 'right'].map((name) => ({ type_id: typeId, name })) });
    const [root, left, right] = put.ok!.context_ids as string[];
    expect(await client.call('PutParentContexts', { parent_contexts: [{ child_id: left, parent_id: root }, { child_id: right, parent_id: root }] })).toEqual({ ok: {} });
    // protobufjs hands a Node client int64 map keys as 8-byte hashes (the Python client gets
    // integers: test/grpc/python checks the wire); read them back as numbers.
    const byId = (map: unknown): Record<string, string[]> => Object.fromEntries(Object.entries(map as Record<string, Record<string, { name: string }[]>>)
      .map(([hash, entry]) => [String(protobuf.util.LongBits.fromHash(hash).toNumber()), Object.values(entry)[0]!.map((c) => c.name)]));
    const children = await client.call('GetChildrenContextsByContexts', { context_ids: [root, left, '987654'] });
    // A context without children is left out, as MLMD does.
    expect(byId(children.ok!.contexts)).toEqual({ [root!]: ['left', 'right'] });
    const parents = await client.call('GetParentContextsByContexts', { context_ids: [left, right, root] });
    expect(byId(parents.ok!.contexts)).toEqual({ [left!]: ['root'], [right!]: ['root'] });
  });

  it('keep a proto_value byte for byte, and refuse one without a type_url or a Struct of its JSON shape, naming the field', async () => {
    const typeId = (await client.call('PutArtifactType', { artifact_type: { name: 'P', properties: { card: 'PROTO' } } })).ok!.type_id;
    const bytes = Buffer.from([0, 0xff, 0xfe, 0x80]);
    const put = await client.call('PutArtifacts', { artifacts: [{ type_id: typeId, properties: { card: { proto_value: { type_url: 't/x', value: bytes } } } }] });
    const got = await client.call('GetArtifactsByID', { artifact_ids: put.ok!.artifact_ids });
    const card = (got.ok!.artifacts as { properties: Record<string, { proto_value: { type_url: string; value: Buffer } }> }[])[0]!.properties.card!;
    expect({ url: card.proto_value.type_url, bytes: Buffer.from(card.proto_value.value) }).toEqual({ url: 't/x', bytes });
    expect(await client.call('PutArtifacts', { artifacts: [{ type_id: typeId, properties: { card: { proto_value: { value: bytes } } } }] })).toMatchObject({
      code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^artifacts\[0\]\.properties\.card\.typeUrl must be a non-empty string/),
    });
    const shaped = { fields: { typeUrl: { stringValue: 't' }, value: { stringValue: 'AA==' } } };
    expect(await client.call('PutArtifacts', { artifacts: [{ type_id: typeId, custom_properties: { s: { struct_value: shaped } } }] })).toMatchObject({
      code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^artifacts\[0\]\.custom_properties\.s\.struct_value: a Struct of exactly/),
    });
  });

  it('honour a filter_query, and refuse a malformed one naming the field and the column', async () => {
    const typeId = (await client.call('PutArtifactType', { artifact_type: { name: 'D' } })).ok!.type_id;
    await client.call('PutArtifacts', { artifacts: [{ type_id: typeId, uri: 'x' }, { type_id: typeId, uri: 'y' }] });
    const found = await client.call('GetArtifacts', { options: { filter_query: 'uri = "x"' } });
    expect((found.ok!.artifacts as { uri: string }[]).map((a) => a.uri)).toEqual(['x']);
    expect(await client.call('GetArtifacts', { options: { filter_query: 'uri = "x" AND' } })).toMatchObject({
      code: status.INVALID_ARGUMENT, details: expect.stringMatching(/^options\.filter_query: at column 14, /),
    });
  });
});

/** A port free now (bound and released by a throw-away gRPC server). */
async function startGrpcFreePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until(test: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
