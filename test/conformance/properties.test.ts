/**
 * Property values: each of the five kinds round-trips exactly, typed properties are
 * checked against their type (the error names the offending field), custom ones are free.
 */
import { describe, expect, it } from 'vitest';
import type { PropertyMap, PropertyType } from '../../src/graph/model.js';
import { BACKENDS, useService } from '../support/backends.js';
import { expectStoreError } from './fixtures.js';

/** One artifact type with one property of each kind: i INT, d DOUBLE, s STRING, b BOOLEAN, j STRUCT. */
const KINDS: Record<string, PropertyType> = { i: 'INT', d: 'DOUBLE', s: 'STRING', b: 'BOOLEAN', j: 'STRUCT' };

const ROUND_TRIPS: [string, PropertyMap][] = [
  ['zero and empty values', { i: 0, d: 0, s: '', b: false, j: {} }],
  ['negative and fractional numbers', { i: -42, d: -2.5, s: ' padded ', b: true, j: [] }],
  // Every double from 2^53 up is a whole number, refused as a custom property (see below).
  ['the largest safe integers and the largest double with a fraction', { i: Number.MAX_SAFE_INTEGER, d: 4503599627370495.5, s: 'x', b: true, j: [0] }],
  ['the smallest safe integer and a tiny double', { i: Number.MIN_SAFE_INTEGER, d: 5e-324, s: 'y', b: false, j: { a: null } }],
  ['0.1, which no binary fraction holds exactly', { i: 1, d: 0.1, s: '0.1', b: true, j: { v: 0.1 } }],
  ['a whole-number DOUBLE', { i: 2, d: 3, s: '3', b: false, j: { n: 3 } }],
  ['unicode', { i: 7, d: 1.5, s: 'héllo wörld ✓ 日本語 🚀 \u0000 \n\t"\'\\', b: true, j: { 'ключ': 'значение', '🚀': ['ü'] } }],
  ['query-like text', { i: 8, d: 2.5, s: "x' OR 1=1; MATCH (n) DETACH DELETE n //", b: false, j: { '$where': "'; DROP TABLE nodes; --" } }],
  ['nested structs', {
    i: 9, d: 9.75, s: 'nest', b: true,
    j: { a: { b: { c: [1, 2.5, 'three', true, null, { d: [] }] } }, e: [[1, [2, [3]]]], big: 9007199254740991, neg: -1e-7 },
  }],
  ['a struct that is an array of objects', { i: 10, d: -0.5, s: 'arr', b: false, j: [{ a: 1 }, { b: [true, false] }] }],
];

describe.each(BACKENDS)('property values on $name', (backend) => {
  const t = useService(backend);

  async function putKindsType(): Promise<void> {
    await t.api.putType('ARTIFACT_TYPE', { name: 'Kinds', properties: Object.entries(KINDS).map(([name, type]) => ({ name, type })) });
  }

  it.each(ROUND_TRIPS)('round-trips %s as typed and as custom properties', async (_label, values) => {
    await putKindsType();
    const [put] = await t.api.putArtifacts([{ type: 'Kinds', properties: values, customProperties: values }]);
    const [got] = await t.api.getNodes([put!.id]);
    expect(got?.properties).toStrictEqual(values);
    expect(got?.customProperties).toStrictEqual(values);
    // Kinds survive too: a DOUBLE 3 stays a number, the STRING '3' stays a string.
    expect(Object.fromEntries(Object.entries(got!.properties).map(([k, v]) => [k, typeof v])))
      .toEqual(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v])));
  });

  it('keeps the largest double in a DOUBLE property; as a custom property it is a whole number beyond ±(2^53−1), refused', async () => {
    await putKindsType();
    const [put] = await t.api.putArtifacts([{ type: 'Kinds', properties: { d: Number.MAX_VALUE } }]);
    expect((await t.api.getNodes([put!.id]))[0]?.properties).toStrictEqual({ d: Number.MAX_VALUE });
    await expectStoreError(() => t.api.putArtifacts([{ type: 'Kinds', customProperties: { d: Number.MAX_VALUE } }]), 'INVALID_ARGUMENT', 'artifacts[0].customProperties.d');
  });

  it('round-trips properties on executions and contexts', async () => {
    await t.api.putType('EXECUTION_TYPE', { name: 'Kinds', properties: Object.entries(KINDS).map(([name, type]) => ({ name, type })) });
    await t.api.putType('CONTEXT_TYPE', { name: 'Kinds', properties: Object.entries(KINDS).map(([name, type]) => ({ name, type })) });
    const values: PropertyMap = { i: -3, d: 0.1, s: 'ü', b: true, j: { k: [1, { l: 'm' }] } };
    const [e] = await t.api.putExecutions([{ type: 'Kinds', properties: values, customProperties: { c: values } }]);
    const [c] = await t.api.putContexts([{ type: 'Kinds', name: 'k', properties: values, customProperties: { c: values } }]);
    const got = await t.api.getNodes([e!.id, c!.id]);
    expect(got.map((n) => n?.properties)).toStrictEqual([values, values]);
    expect(got.map((n) => n?.customProperties)).toStrictEqual([{ c: values }, { c: values }]);
  });

  it('stores only the properties given: absent ones stay absent', async () => {
    await putKindsType();
    const [put] = await t.api.putArtifacts([{ type: 'Kinds', properties: { s: 'only' } }]);
    const [got] = await t.api.getNodes([put!.id]);
    expect(got?.properties).toStrictEqual({ s: 'only' });
    expect(got?.properties).not.toHaveProperty('i');
  });

  it.each<[PropertyType, string, unknown]>([
    ['INT', 'i', 1.5],
    ['INT', 'i', '3'],
    ['INT', 'i', 2 ** 53],
    ['INT', 'i', true],
    ['DOUBLE', 'd', '0.1'],
    ['DOUBLE', 'd', Number.NaN],
    ['DOUBLE', 'd', Number.POSITIVE_INFINITY],
    ['STRING', 's', 5],
    ['STRING', 's', ['a']],
    ['BOOLEAN', 'b', 'true'],
    ['BOOLEAN', 'b', 1],
    ['STRUCT', 'j', 'text'],
    ['STRUCT', 'j', 5],
    ['STRUCT', 'j', true],
    ['STRUCT', 'j', { bad: Number.NaN }],
  ])('refuses for %s property %s the value %j', async (_kind, name, value) => {
    await putKindsType();
    await expectStoreError(
      () => t.api.putArtifacts([{ type: 'Kinds', properties: { s: 'fine' } }, { type: 'Kinds', properties: { [name]: value } }]),
      'INVALID_ARGUMENT', `artifacts[1].properties.${name}`);
    expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(0);
  });

  it('refuses a property the type does not define, naming it', async () => {
    await t.api.putType('ARTIFACT_TYPE', { name: 'Model', properties: [{ name: 'layers', type: 'INT' }] });
    const error = await expectStoreError(() => t.api.putArtifacts([{ type: 'Model', properties: { layers: 2, lr: 0.1 } }]),
      'INVALID_ARGUMENT', 'artifacts[0].properties.lr');
    expect(error.message).toContain('lr');
  });

  it('checks execution and context properties against their types too', async () => {
    await t.api.putType('EXECUTION_TYPE', { name: 'Trainer', properties: [{ name: 'epochs', type: 'INT' }] });
    await t.api.putType('CONTEXT_TYPE', { name: 'Pipeline', properties: [{ name: 'owner', type: 'STRING' }] });
    await expectStoreError(() => t.api.putExecutions([{ type: 'Trainer', properties: { epochs: 'ten' } }]), 'INVALID_ARGUMENT', 'executions[0].properties.epochs');
    await expectStoreError(() => t.api.putExecutions([{ type: 'Trainer', properties: { lr: 1 } }]), 'INVALID_ARGUMENT', 'executions[0].properties.lr');
    await expectStoreError(() => t.api.putContexts([{ type: 'Pipeline', name: 'p', properties: { owner: 7 } }]), 'INVALID_ARGUMENT', 'contexts[0].properties.owner');
  });

  it('takes any custom property name and any JSON value', async () => {
    await t.api.putType('ARTIFACT_TYPE', { name: 'Bare' });
    const custom: PropertyMap = { 'any name with spaces': 1, 'dotted.name': 'two', flag: false, tree: { a: [1, 'b'] }, list: [1, 2] };
    const [put] = await t.api.putArtifacts([{ type: 'Bare', customProperties: custom }]);
    expect((await t.api.getNodes([put!.id]))[0]?.customProperties).toStrictEqual(custom);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['NaN', Number.NaN],
    ['Infinity', Number.NEGATIVE_INFINITY],
  ])('refuses the custom property value %s, naming it', async (_label, value) => {
    await t.api.putType('ARTIFACT_TYPE', { name: 'Bare' });
    await expectStoreError(() => t.api.putArtifacts([{ type: 'Bare', customProperties: { ok: 1, bad: value } }]),
      'INVALID_ARGUMENT', 'artifacts[0].customProperties.bad');
  });
});
