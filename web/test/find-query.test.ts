/** The Find view's question: which kinds are searched and the filter each gets. */
import { describe, expect, it } from 'vitest';
import { criteriaFromParams, findVariables, quote, whereFor } from '../src/views/find-query';
import { countProblem, pickWhere } from '../src/views/CompareView';

const criteria = (query: string) => criteriaFromParams(new URLSearchParams(query));

describe('find query', () => {
  it('doubles quotes, the filter language\'s only escape, so a name cannot end the literal', () => {
    expect(quote("x'); DROP TABLE nodes;--")).toBe("'x''); DROP TABLE nodes;--'");
    expect(whereFor(criteria("q=it's"), 'artifacts')).toBe("name LIKE '%it''s%'");
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
    expect(pickWhere("run'1")).toBe("(name LIKE '%run''1%' OR type LIKE '%run''1%')");
  });
});
