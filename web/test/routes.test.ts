import { describe, expect, it } from 'vitest';
import { href, intParam, listParam, parseRoute } from '../src/app/routes';

describe('explorer routes', () => {
  it('round-trips a view, an id with reserved characters, and its parameters', () => {
    const id = 'a/b?c#d e%';
    const hash = href('lineage', id, { direction: 'UPSTREAM', hops: 4, types: ['Model', 'Examples'], empty: '' });
    expect(hash).toBe('#/lineage/a%2Fb%3Fc%23d%20e%25?direction=UPSTREAM&hops=4&types=Model%2CExamples');
    const route = parseRoute(hash);
    expect(route.view).toBe('lineage');
    expect(route.id).toBe(id);
    expect(route.params.get('direction')).toBe('UPSTREAM');
    expect(listParam(route.params, 'types')).toEqual(['Model', 'Examples']);
  });

  it('treats unknown views and malformed escapes as harmless', () => {
    expect(parseRoute('#/nope/x').view).toBe('find');
    expect(parseRoute('#/node/%E0%A4%A').id).toBeNull();
    expect(parseRoute('').view).toBe('find');
  });

  it('bounds integer parameters and ignores non-integers', () => {
    const p = new URLSearchParams('hops=999&bad=1e3&neg=-5');
    expect(intParam(p, 'hops', 3, 1, 20)).toBe(20);
    expect(intParam(p, 'bad', 3, 1, 20)).toBe(3);
    expect(intParam(p, 'neg', 3, 1, 20)).toBe(1);
    expect(intParam(p, 'missing', 3, 1, 20)).toBe(3);
  });
});
