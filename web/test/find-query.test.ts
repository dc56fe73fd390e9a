/** The Find view's question: which kinds are searched and the filter each gets. */
import { describe, expect, it } from 'vitest';
import { criteriaFromParams, findVariables, hasProperty, propertyName, propertyValue, quote, whereFor } from '../src/views/find-query';
import { countProblem, pickWhere } from '../src/views/CompareView';

const criteria = (query: string) => criteriaFromParams(new URLSearchParams(query));

describe('find query', () => {
  it('escapes quotes and backslashes as ZetaSQL does, so a name cannot end the literal', () => {
    expect(quote("x'); DROP TABLE nodes;--")).toBe("'x\\'); DROP TABLE nodes;--'");
    expect(quote('a\\\'b')).toBe("'a\\\\\\'b'");
    expect(whereFor(criteria("q=it's"), 'artifacts')).toBe("name LIKE '%it\\'s%'");
  });

  it('matches a property by a typed value (a JSON scalar, else the text) or, without one, by having it', () => {
    expect([propertyValue('0.02'), propertyValue('true'), propertyValue('"0.02"'), propertyValue('abc'), propertyValue('1e309'), propertyValue('{"a":1}')])
      .toEqual([0.02, true, '0.02', 'abc', '1e309', '{"a":1}']);
    const v = findVariables(criteria('kind=executions&type=Trainer&prop=learning_rate&value=0.02'), 5);
    expect(v.eFilter).toEqual({ type: 'Trainer', properties: [{ name: 'learning_rate', custom: false, eq: 0.02 }] });
    expect(v.eWhere).toBeNull();
    const all = findVariables(criteria('prop=note&value=x&custom=1'), 5);
    expect([all.aFilter, all.cFilter]).toEqual([{ properties: [{ name: 'note', custom: true, eq: 'x' }] }, { properties: [{ name: 'note', custom: true, eq: 'x' }] }]);
    expect(whereFor(criteria('prop=' + encodeURIComponent('a b`c') + '&custom=1'), 'contexts')).toBe('(' + ['string_value', 'int_value', 'double_value', 'bool_value']
      .map((k) => `custom_properties.\`a b\\\`c\`.${k} IS NOT NULL`).join(' OR ') + ')');
    expect(hasProperty('ok_1', false)).toContain('properties.ok_1.string_value IS NOT NULL');
    expect(propertyName('ok_1')).toBe('ok_1');
  });

  it('ANDs name, URI (artifacts only) and the advanced filter in parentheses', () => {
    const c = criteria('q=model&uri=gs://taxi&where=' + encodeURIComponent('state = LIVE OR state = PENDING'));
    expect(whereFor(c, 'artifacts')).toBe("name LIKE '%model%' AND uri LIKE '%gs://taxi%' AND (state = LIVE OR state = PENDING)");
    expect(whereFor(criteria('where=' + encodeURIComponent(' a = 1 OR b = 2 ')), 'artifacts')).toBe('a = 1 OR b = 2');
    const v = findVariables(c, 10);
    // a URI search is of artifacts only: executions and contexts have no uri
    expect([v.aIn, v.eIn, v.cIn]).toEqual([true, false, false]);
  });

  it('searches one kind with its type and cursor, or all three without either', () => {
    const one = findVariables(criteria('kind=executions&type=Trainer&after=abc'), 50);
    expect([one.aIn, one.eIn, one.cIn]).toEqual([false, true, false]);
    expect(one.eFilter).toEqual({ type: 'Trainer' });
    expect(one.eAfter).toBe('abc');
    const all = findVariables(criteria('type=Trainer&after=abc&kind=bogus'), 50);
    expect([all.aIn, all.eIn, all.cIn]).toEqual([true, true, true]);
    expect([all.aFilter, all.eFilter, all.cFilter, all.aAfter]).toEqual([null, null, null, null]);
    expect(all.aWhere).toBeNull();
  });
});

describe('compare limits', () => {
  it('refuses fewer than 2 and more than 20 contexts before asking the server', () => {
    expect(countProblem(0)).toMatch(/at least 2/);
    expect(countProblem(1)).toMatch(/at least 2/);
    expect(countProblem(2)).toBeNull();
    expect(countProblem(20)).toBeNull();
    expect(countProblem(21)).toMatch(/At most 20.*remove 1/);
    expect(pickWhere('  ')).toBeNull();
    expect(pickWhere("run'1")).toBe("(name LIKE '%run\\'1%' OR type LIKE '%run\\'1%')");
  });
});
