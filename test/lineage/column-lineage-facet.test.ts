/**
 * Reading OpenLineage's ColumnLineageDatasetFacet from a version's custom properties:
 * both facet forms, the whole-dataset list, and malformed or hostile values, which are
 * skipped entry by entry rather than failing the walk.
 */
import { describe, expect, it } from 'vitest';
import {
  carriesValue, columnLineageOf, datasetOf, knownFieldsOf, masksValue, parseColumnLineage,
} from '../../src/service/lineage/column-lineage-facet.js';

describe('the columnLineage facet', () => {
  it('reads the newer per-input transformations and the whole-dataset list', () => {
    const facet = parseColumnLineage({
      fields: { b: { inputFields: [{ namespace: 'n', name: 'd', field: 'a', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION', description: 'sum', masking: false }] }] } },
      dataset: [{ namespace: 'n', name: 'd', field: 'k', transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }] }],
    })!;
    expect([...facet.fields]).toEqual([['b', [{ dataset: 'n/d', field: 'a', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION', description: 'sum', masking: false }] }]]]);
    expect(facet.datasetLevel).toEqual([{ dataset: 'n/d', field: 'k', transformations: [{ type: 'INDIRECT', subtype: 'JOIN', description: null, masking: false }] }]);
  });

  it('reads the older field-level transformationType as one DIRECT transformation, MASKED as masking', () => {
    const facet = parseColumnLineage({ fields: {
      a: { inputFields: [{ namespace: 'n', name: 'd', field: 'x' }], transformationType: 'MASKED', transformationDescription: 'sha1' },
      b: { inputFields: [{ namespace: 'n', name: 'd', field: 'y' }] },
    } })!;
    expect(facet.fields.get('a')![0]!.transformations).toEqual([{ type: 'DIRECT', subtype: 'MASKED', description: 'sha1', masking: true }]);
    expect(facet.fields.get('b')![0]!.transformations).toEqual([]);
  });

  it('skips what is not of the facet shape, entry by entry', () => {
    expect(parseColumnLineage(undefined)).toBeNull();
    expect(parseColumnLineage('text')).toBeNull();
    expect(parseColumnLineage({ fields: [1, 2] })).toBeNull();
    const facet = parseColumnLineage({
      fields: { ok: { inputFields: [{ namespace: 'n', name: 'd', field: 'x', transformations: 'no' }, { namespace: 1, name: 'd', field: 'x' }, null, 'x'] }, bad: 7, none: {} },
      dataset: 'nope',
    })!;
    expect([...facet.fields]).toEqual([['ok', [{ dataset: 'n/d', field: 'x', transformations: [] }]], ['none', []]]);
    expect(facet.datasetLevel).toEqual([]);
  });

  it('keeps hostile names as data: __proto__ as an input field, constructor as an output field', () => {
    const facet = parseColumnLineage(JSON.parse('{"fields":{"constructor":{"inputFields":[{"namespace":"n","name":"d","field":"__proto__"}]}}}'))!;
    expect(facet.fields.get('constructor')![0]!.field).toBe('__proto__');
    expect(facet.fields.get('toString')).toBeUndefined();
    expect(columnLineageOf({})).toBeNull();
    expect(datasetOf({ dataset: 3 })).toBeNull();
    expect(knownFieldsOf({ 'facet:schema': { fields: [{ name: 'a' }, { name: 2 }, 'b'] }, 'facet:columnLineage': { fields: { c: {}, a: {} } } })).toEqual(['a', 'c']);
  });

  it('a derivation carries the value unless every transformation is INDIRECT, and masks it when every DIRECT one masks', () => {
    const t = (type: string | null, masking = false) => ({ type, subtype: null, description: null, masking });
    expect(carriesValue([])).toBe(true);
    expect(carriesValue([t('INDIRECT'), t('indirect')])).toBe(false);
    expect(carriesValue([t('INDIRECT'), t('DIRECT')])).toBe(true);
    expect(masksValue([t('DIRECT', true), t('INDIRECT')])).toBe(true);
    expect(masksValue([t('DIRECT', true), t('DIRECT')])).toBe(false);
    expect(masksValue([])).toBe(false);
  });
});
