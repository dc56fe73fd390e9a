/**
 * Types: artifact, execution and context types identified by (name, version), their
 * base types, property definitions, external ids, and the evolution rules of a re-put.
 */
import { describe, expect, it } from 'vitest';
import { ARTIFACT_BASE_TYPES, EXECUTION_BASE_TYPES, type TypeKind } from '../../src/graph/model.js';
import { BACKENDS, useService } from '../support/backends.js';
import { expectStoreError, UUID_V7 } from './fixtures.js';

describe.each(BACKENDS)('types on $name', (backend) => {
  const t = useService(backend);

  it('stores every field of an artifact type, properties sorted by name', async () => {
    const put = await t.api.putType('ARTIFACT_TYPE', {
      name: 'Model',
      version: '1.0',
      description: 'a trained model',
      externalId: 'ext-model',
      baseType: 'MODEL',
      properties: [{ name: 'lr', type: 'DOUBLE' }, { name: 'config', type: 'STRUCT' }, { name: 'layers', type: 'INT' }],
    });
    const expected = {
      id: put.id,
      mlmdId: put.mlmdId,
      kind: 'ARTIFACT_TYPE',
      name: 'Model',
      version: '1.0',
      description: 'a trained model',
      externalId: 'ext-model',
      baseType: 'MODEL',
      properties: [{ name: 'config', type: 'STRUCT' }, { name: 'layers', type: 'INT' }, { name: 'lr', type: 'DOUBLE' }],
    };
    expect(put).toEqual(expected);
    expect(put.id).toMatch(UUID_V7);
    expect(put.mlmdId).toBeGreaterThanOrEqual(1);
    expect(await t.api.getTypes([put.id])).toEqual([expected]);
    expect(await t.api.findType('ARTIFACT_TYPE', 'Model', '1.0')).toEqual(expected);
  });

  it('fills absent optional fields with null and no properties', async () => {
    const put = await t.api.putType('CONTEXT_TYPE', { name: 'Pipeline' });
    expect(put).toEqual({
      id: put.id, mlmdId: expect.any(Number), kind: 'CONTEXT_TYPE', name: 'Pipeline', version: null, description: null,
      externalId: null, baseType: null, properties: [],
    });
  });

  it('takes every property value type: INT, DOUBLE, STRING, BOOLEAN, STRUCT', async () => {
    const put = await t.api.putType('EXECUTION_TYPE', {
      name: 'Trainer',
      properties: [
        { name: 'e', type: 'STRUCT' }, { name: 'd', type: 'BOOLEAN' }, { name: 'c', type: 'STRING' },
        { name: 'b', type: 'DOUBLE' }, { name: 'a', type: 'INT' },
      ],
    });
    expect((await t.api.getTypes([put.id]))[0]?.properties).toEqual([
      { name: 'a', type: 'INT' }, { name: 'b', type: 'DOUBLE' }, { name: 'c', type: 'STRING' },
      { name: 'd', type: 'BOOLEAN' }, { name: 'e', type: 'STRUCT' },
    ]);
  });

  it('refuses a property value type outside the five', async () => {
    await expectStoreError(
      () => t.api.putType('ARTIFACT_TYPE', { name: 'Model', properties: [{ name: 'lr', type: 'FLOAT' as never }] }),
      'INVALID_ARGUMENT', 'input.properties[0].type');
    expect(await t.api.listTypes('ARTIFACT_TYPE')).toEqual([]);
  });

  it('refuses two property definitions with the same name', async () => {
    await expectStoreError(
      () => t.api.putType('ARTIFACT_TYPE', { name: 'Model', properties: [{ name: 'lr', type: 'DOUBLE' }, { name: 'lr', type: 'INT' }] }),
      'INVALID_ARGUMENT', 'input.properties[1].name');
  });

  it('refuses a type without a name', async () => {
    await expectStoreError(() => t.api.putType('ARTIFACT_TYPE', { name: '' }), 'INVALID_ARGUMENT', 'input.name');
  });

  it.each(ARTIFACT_BASE_TYPES)('accepts the artifact base type %s', async (baseType) => {
    const put = await t.api.putType('ARTIFACT_TYPE', { name: 'T', baseType });
    expect((await t.api.getTypes([put.id]))[0]?.baseType).toBe(baseType);
  });

  it.each(EXECUTION_BASE_TYPES)('accepts the execution base type %s', async (baseType) => {
    const put = await t.api.putType('EXECUTION_TYPE', { name: 'T', baseType });
    expect((await t.api.getTypes([put.id]))[0]?.baseType).toBe(baseType);
  });

  it.each<[TypeKind, string]>([
    ['ARTIFACT_TYPE', 'BANANA'],
    ['ARTIFACT_TYPE', 'TRAIN'],
    ['EXECUTION_TYPE', 'DATASET'],
    ['EXECUTION_TYPE', 'dataset'],
    ['CONTEXT_TYPE', 'DATASET'],
  ])('refuses on a %s the base type %s (unknown or of the wrong kind)', async (kind, baseType) => {
    await expectStoreError(() => t.api.putType(kind, { name: 'T', baseType }), 'INVALID_ARGUMENT', 'input.baseType');
    expect(await t.api.listTypes(kind)).toEqual([]);
  });

  it('keeps types with the same name and different versions apart', async () => {
    const plain = await t.api.putType('ARTIFACT_TYPE', { name: 'Model', properties: [{ name: 'lr', type: 'DOUBLE' }] });
    const v2 = await t.api.putType('ARTIFACT_TYPE', { name: 'Model', version: '2', properties: [{ name: 'lr', type: 'STRING' }] });
    const v10 = await t.api.putType('ARTIFACT_TYPE', { name: 'Model', version: '10' });
    expect(new Set([plain.id, v2.id, v10.id]).size).toBe(3);
    expect((await t.api.findType('ARTIFACT_TYPE', 'Model'))?.id).toBe(plain.id);
    expect((await t.api.findType('ARTIFACT_TYPE', 'Model', null))?.id).toBe(plain.id);
    expect((await t.api.findType('ARTIFACT_TYPE', 'Model', '2'))?.properties).toEqual([{ name: 'lr', type: 'STRING' }]);
    expect(await t.api.findType('ARTIFACT_TYPE', 'Model', '3')).toBeNull();
    // Ordered by name, then version with null first; versions compare as strings ('10' < '2').
    expect((await t.api.listTypes('ARTIFACT_TYPE')).map((x) => x.id)).toEqual([plain.id, v10.id, v2.id]);
  });

  it('keeps the kinds apart: the same name is a different type in each kind', async () => {
    const a = await t.api.putType('ARTIFACT_TYPE', { name: 'Thing' });
    const e = await t.api.putType('EXECUTION_TYPE', { name: 'Thing' });
    const c = await t.api.putType('CONTEXT_TYPE', { name: 'Thing' });
    expect(new Set([a.id, e.id, c.id]).size).toBe(3);
    expect((await t.api.findType('EXECUTION_TYPE', 'Thing'))?.kind).toBe('EXECUTION_TYPE');
    expect((await t.api.listTypes('CONTEXT_TYPE')).map((x) => x.id)).toEqual([c.id]);
  });

  it('answers getTypes aligned with the ids, null for a miss, duplicates allowed', async () => {
    const a = await t.api.putType('ARTIFACT_TYPE', { name: 'A' });
    const b = await t.api.putType('EXECUTION_TYPE', { name: 'B' });
    const got = await t.api.getTypes([b.id, 'no-such-type', a.id, b.id]);
    expect(got.map((x) => x?.name ?? null)).toEqual(['B', null, 'A', 'B']);
  });

  it('returns the same type for an identical re-put, and stores it once', async () => {
    const input = { name: 'Dataset', version: 'v1', baseType: 'DATASET', properties: [{ name: 'rows', type: 'INT' as const }] };
    const first = await t.api.putType('ARTIFACT_TYPE', input);
    const second = await t.api.putType('ARTIFACT_TYPE', input);
    expect(second).toEqual(first);
    expect(await t.api.listTypes('ARTIFACT_TYPE')).toEqual([first]);
  });

  it('keeps externalId unique within a kind', async () => {
    await t.api.putType('ARTIFACT_TYPE', { name: 'A', externalId: 'ext-1' });
    await expectStoreError(() => t.api.putType('ARTIFACT_TYPE', { name: 'B', externalId: 'ext-1' }), 'ALREADY_EXISTS', 'input.externalId');
    expect((await t.api.listTypes('ARTIFACT_TYPE')).map((x) => x.name)).toEqual(['A']);
  });

  it('allows the same externalId in different kinds', async () => {
    const a = await t.api.putType('ARTIFACT_TYPE', { name: 'A', externalId: 'ext-1' });
    const e = await t.api.putType('EXECUTION_TYPE', { name: 'E', externalId: 'ext-1' });
    expect([a.externalId, e.externalId]).toEqual(['ext-1', 'ext-1']);
  });

  describe('evolution', () => {
    const base = { name: 'Model', properties: [{ name: 'lr', type: 'DOUBLE' as const }, { name: 'layers', type: 'INT' as const }] };

    it('refuses a new property without canAddFields and keeps the stored type', async () => {
      const stored = await t.api.putType('ARTIFACT_TYPE', base);
      await expectStoreError(
        () => t.api.putType('ARTIFACT_TYPE', { name: 'Model', properties: [...base.properties, { name: 'tuned', type: 'BOOLEAN' }] }),
        'FAILED_PRECONDITION', 'input.properties.tuned');
      expect(await t.api.getTypes([stored.id])).toEqual([stored]);
    });

    it('adds a new property with canAddFields, under the same id', async () => {
      const stored = await t.api.putType('ARTIFACT_TYPE', base);
      const evolved = await t.api.putType(
        'ARTIFACT_TYPE', { name: 'Model', properties: [...base.properties, { name: 'tuned', type: 'BOOLEAN' }] }, { canAddFields: true });
      expect(evolved.id).toBe(stored.id);
      expect((await t.api.getTypes([stored.id]))[0]?.properties).toEqual([
        { name: 'layers', type: 'INT' }, { name: 'lr', type: 'DOUBLE' }, { name: 'tuned', type: 'BOOLEAN' },
      ]);
    });

    it('refuses to omit a stored property without canOmitFields', async () => {
      const stored = await t.api.putType('ARTIFACT_TYPE', base);
      await expectStoreError(
        () => t.api.putType('ARTIFACT_TYPE', { name: 'Model', properties: [{ name: 'lr', type: 'DOUBLE' }] }),
        'FAILED_PRECONDITION', 'input.properties');
      expect(await t.api.getTypes([stored.id])).toEqual([stored]);
    });

    it('keeps an omitted property with canOmitFields', async () => {
      const stored = await t.api.putType('ARTIFACT_TYPE', base);
      const evolved = await t.api.putType('ARTIFACT_TYPE', { name: 'Model', properties: [{ name: 'lr', type: 'DOUBLE' }] }, { canOmitFields: true });
      expect(evolved.id).toBe(stored.id);
      expect((await t.api.getTypes([stored.id]))[0]?.properties).toEqual([{ name: 'layers', type: 'INT' }, { name: 'lr', type: 'DOUBLE' }]);
    });

    it('adds and omits at once when both are allowed', async () => {
      const stored = await t.api.putType('ARTIFACT_TYPE', base);
      await t.api.putType('ARTIFACT_TYPE', { name: 'Model', properties: [{ name: 'note', type: 'STRING' }] },
        { canAddFields: true, canOmitFields: true });
      expect((await t.api.getTypes([stored.id]))[0]?.properties).toEqual([
        { name: 'layers', type: 'INT' }, { name: 'lr', type: 'DOUBLE' }, { name: 'note', type: 'STRING' },
      ]);
    });

    it('refuses to change a property value type even with both options', async () => {
      const stored = await t.api.putType('ARTIFACT_TYPE', base);
      await expectStoreError(
        () => t.api.putType('ARTIFACT_TYPE', { name: 'Model', properties: [{ name: 'lr', type: 'STRING' }, { name: 'layers', type: 'INT' }] },
          { canAddFields: true, canOmitFields: true }),
        'FAILED_PRECONDITION', 'input.properties.lr');
      expect(await t.api.getTypes([stored.id])).toEqual([stored]);
    });

    it('evolves only the version it names', async () => {
      const v1 = await t.api.putType('ARTIFACT_TYPE', { ...base, version: '1' });
      const v2 = await t.api.putType('ARTIFACT_TYPE', { ...base, version: '2' });
      await t.api.putType('ARTIFACT_TYPE', { name: 'Model', version: '2', properties: [{ name: 'tuned', type: 'BOOLEAN' }] },
        { canAddFields: true, canOmitFields: true });
      expect((await t.api.getTypes([v1.id]))[0]).toEqual(v1);
      expect((await t.api.getTypes([v2.id]))[0]?.properties.map((p) => p.name)).toEqual(['layers', 'lr', 'tuned']);
    });
  });
});
