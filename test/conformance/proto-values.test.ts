/**
 * PROTO values (ML Metadata's proto_value, a google.protobuf.Any): declared as a type's
 * property, stored as a typed or custom property, read back byte for byte on every
 * backend, whatever the bytes; a missing type_url or bytes not in canonical base64 are
 * refused naming the field. Over GraphQL with variables and literals as well.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PropertyMap, ProtoValue } from '../../src/graph/model.js';
import { MAX_PROTO_BYTES } from '../../src/service/shared/validate.js';
import { startTestServer, onlyError, type TestServer } from '../api/harness.js';
import { BACKENDS, useService } from '../support/backends.js';
import { expectStoreError } from './fixtures.js';

const proto = (typeUrl: string, bytes: readonly number[] | Buffer): ProtoValue =>
  ({ typeUrl, value: Buffer.from(bytes as number[]).toString('base64') });

/** Bytes no text encoding keeps: each is one PROTO value written and read back. */
const HOSTILE: [string, ProtoValue][] = [
  ['no bytes at all', proto('type.googleapis.com/google.protobuf.Empty', [])],
  ['one zero byte', proto('t/x', [0])],
  ['bytes that are not UTF-8', proto('example.com/ünï "quoted" \'x\'', [0xff, 0xfe, 0x80, 0xc0, 0x00, 0xed, 0xa0, 0x80])],
  ['every byte value', proto('t/all', Array.from({ length: 256 }, (_, i) => i))],
  ['the largest value taken', proto('t/large', Buffer.alloc(MAX_PROTO_BYTES, 0xa5))],
  ['text that reads like a query', proto("x' OR 1=1; MATCH (n) DETACH DELETE n //", Buffer.from("'; DROP TABLE nodes; --"))],
];

describe.each(BACKENDS)('PROTO property values on $name', (backend) => {
  const t = useService(backend);

  async function putProtoType(): Promise<void> {
    await t.api.putType('ARTIFACT_TYPE', { name: 'Packed', properties: [{ name: 'p', type: 'PROTO' }, { name: 'j', type: 'STRUCT' }] });
  }

  it('declares a PROTO property on a type of each kind', async () => {
    for (const kind of ['ARTIFACT_TYPE', 'EXECUTION_TYPE', 'CONTEXT_TYPE'] as const) {
      const type = await t.api.putType(kind, { name: 'Packed', properties: [{ name: 'p', type: 'PROTO' }] });
      expect(type.properties).toEqual([{ name: 'p', type: 'PROTO' }]);
      expect((await t.api.findType(kind, 'Packed'))?.properties).toEqual([{ name: 'p', type: 'PROTO' }]);
    }
  });

  it.each(HOSTILE)('keeps %s byte for byte, typed and custom', async (_label, value) => {
    await putProtoType();
    const [put] = await t.api.putArtifacts([{ type: 'Packed', properties: { p: value }, customProperties: { c: value } }]);
    const [got] = await t.api.getNodes([put!.id]);
    expect(got?.properties).toStrictEqual({ p: value });
    expect(got?.customProperties).toStrictEqual({ c: value });
    expect(Buffer.from((got!.properties.p as ProtoValue).value, 'base64')).toEqual(Buffer.from(value.value, 'base64'));
  }, 120_000);

  it('keeps PROTO values on executions and contexts, beside a STRUCT of other keys', async () => {
    await t.api.putType('EXECUTION_TYPE', { name: 'Packed', properties: [{ name: 'p', type: 'PROTO' }] });
    await t.api.putType('CONTEXT_TYPE', { name: 'Packed', properties: [{ name: 'p', type: 'PROTO' }] });
    const value = proto('t/x', [1, 2, 3]);
    // Three keys, or other names: a STRUCT, kept as one.
    const structs: PropertyMap = { s3: { typeUrl: 'a', value: 'AQ==', more: 1 }, s2: { type_url: 'a', value: 'AQ==' } };
    const [e] = await t.api.putExecutions([{ type: 'Packed', properties: { p: value }, customProperties: { c: value, ...structs } }]);
    const [c] = await t.api.putContexts([{ type: 'Packed', name: 'k', properties: { p: value }, customProperties: { c: value, ...structs } }]);
    for (const got of await t.api.getNodes([e!.id, c!.id])) {
      expect(got?.properties).toStrictEqual({ p: value });
      expect(got?.customProperties).toStrictEqual({ c: value, ...structs });
    }
  });

  it.each([
    ['a missing type_url', { p: { typeUrl: '', value: '' } }, 'artifacts[0].properties.p.typeUrl'],
    ['bytes in url-safe base64', { p: { typeUrl: 't', value: '-_8=' } }, 'artifacts[0].properties.p.value'],
    ['bytes without padding', { p: { typeUrl: 't', value: 'AP8' } }, 'artifacts[0].properties.p.value'],
    ['a last character with stray bits', { p: { typeUrl: 't', value: 'QR==' } }, 'artifacts[0].properties.p.value'],
    ['bytes that are not base64', { p: { typeUrl: 't', value: 'not base64!' } }, 'artifacts[0].properties.p.value'],
    ['a value over the limit', { p: proto('t', Buffer.alloc(MAX_PROTO_BYTES + 1)) }, 'artifacts[0].properties.p.value'],
    ['a string for a PROTO property', { p: 'AAEC' }, 'artifacts[0].properties.p'],
    ['a STRUCT of a PROTO value\'s shape', { j: { typeUrl: 't', value: 'AA==' } }, 'artifacts[0].properties.j'],
    ['a PROTO value for a STRUCT property', { j: proto('t', [1]) }, 'artifacts[0].properties.j'],
  ])('refuses %s as a typed property, naming the field', async (_label, properties, field) => {
    await putProtoType();
    await expectStoreError(() => t.api.putArtifacts([{ type: 'Packed', properties: properties as PropertyMap }]), 'INVALID_ARGUMENT', field);
  });

  it.each([
    ['a missing type_url', { c: { typeUrl: '', value: 'AA==' } }, 'artifacts[0].customProperties.c.typeUrl'],
    ['bytes that are not base64', { c: { typeUrl: 't', value: '%%%%' } }, 'artifacts[0].customProperties.c.value'],
    ['a type_url with an unpaired surrogate', { c: { typeUrl: 't\ud800', value: '' } }, 'artifacts[0].customProperties.c.typeUrl'],
  ])('refuses %s as a custom property, naming the field', async (_label, customProperties, field) => {
    await putProtoType();
    await expectStoreError(() => t.api.putArtifacts([{ type: 'Packed', customProperties: customProperties as PropertyMap }]), 'INVALID_ARGUMENT', field);
  });

  it('never matches a property predicate', async () => {
    await putProtoType();
    await t.api.putArtifacts([{ type: 'Packed', properties: { p: proto('t', [0]) } }]);
    const page = await t.api.listNodes('ARTIFACT', { filter: { properties: [{ name: 'p', ne: 'x' }] } });
    expect(page.nodes).toEqual([]);
  });

  describe('over GraphQL', () => {
    let server: TestServer;
    beforeEach(async () => { server = await startTestServer(t.api); });
    afterEach(async () => { await server?.close(); });

    it('declares PROTO, writes values as variables and literals, and reads them back as JSON', async () => {
      await server.data('mutation { putArtifactType(input: { name: "Packed", properties: [{ name: "p", type: PROTO }] }) { id } }');
      const value = proto('type.googleapis.com/my.Card', [0, 0xff, 0xfe, 0x80]);
      const put = await server.data(
        'mutation P($p: JSON, $c: JSON) { putArtifacts(artifacts: [{ type: "Packed", name: "v", properties: $p, customProperties: $c }]) { id } }',
        { p: { p: value }, c: { c: value } },
      );
      await server.data(`mutation { putArtifacts(artifacts: [{ type: "Packed", name: "l", properties: { p: { typeUrl: "t/l", value: "AA==" } } }]) { id } }`);
      const read = await server.data<{ artifacts: { nodes: { name: string; properties: unknown; customProperties: unknown }[] } }>(
        '{ artifacts(orderBy: { field: ID }) { nodes { name properties customProperties } } }');
      expect(read.artifacts.nodes).toEqual([
        { name: 'v', properties: { p: value }, customProperties: { c: value } },
        { name: 'l', properties: { p: { typeUrl: 't/l', value: 'AA==' } }, customProperties: {} },
      ]);
      expect(put.putArtifacts).toHaveLength(1);
      const type = await server.data('{ artifactTypes { name properties { name type } } }');
      expect(type.artifactTypes).toEqual([{ name: 'Packed', properties: [{ name: 'p', type: 'PROTO' }] }]);
    });

    it('refuses bad bytes with BAD_USER_INPUT naming the field', async () => {
      await server.data('mutation { putArtifactType(input: { name: "Packed", properties: [{ name: "p", type: PROTO }] }) { id } }');
      const res = await server.gql('mutation P($p: JSON) { putArtifacts(artifacts: [{ type: "Packed", properties: $p }]) { id } }',
        { p: { p: { typeUrl: 't', value: 'QR==' } } });
      const error = onlyError(res);
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/^artifacts\[0\]\.properties\.p\.value must be the bytes in standard base64/);
    });
  });
});
