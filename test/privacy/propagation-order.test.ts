/**
 * The canonical routes of propagation.ts when a search starts from facts at several depths,
 * as the kept statuses' derivation does (derived-status.ts), without a store: the graph and
 * its expected routes are drawn by hand.
 */
import { describe, expect, it } from 'vitest';
import type { PrivacyDeclaration } from '../../src/graph/model.js';
import type { FlowGraph } from '../../src/service/privacy/data-flow-walk.js';
import { Propagation, type SeedFact } from '../../src/service/privacy/propagation.js';

const drop = (category: string): PrivacyDeclaration => ({ transform: 'DROP', categories: [category], specialCategories: [], k: null });

/** A flow graph from execution -> [inputs, outputs, transform]. */
function graph(steps: Record<string, [string[], string[], PrivacyDeclaration | null]>): FlowGraph {
  const entries = Object.entries(steps);
  return {
    nodes: new Map(),
    inputsOf: new Map(entries.map(([x, [inputs]]) => [x, new Set(inputs)])),
    outputsOf: new Map(entries.map(([x, [, outputs]]) => [x, new Set(outputs)])),
    privacyOf: new Map(entries.map(([x, [, , privacy]]) => [x, privacy])),
    blockedOutputsOf: new Map(),
    truncated: false,
  };
}

describe('propagation from facts at several depths', () => {
  // D1{a, b} -> x1 -> M;  M -> x9 (DROP b) -> T;  M -> x5 (DROP a) -> T;  M -> x7 (DROP a) -> Q;  T, Q -> y -> U.
  // U's shortest routes for b are through T (x5) and through Q (x7); x5 sorts first.
  const whole = graph({
    x1: [['D1'], ['M'], null],
    x9: [['M'], ['T'], drop('b')],
    x5: [['M'], ['T'], drop('a')],
    x7: [['M'], ['Q'], drop('a')],
    y: [['T', 'Q'], ['U'], null],
  });
  const expected = ['D1', 'x1', 'M', 'x5', 'T', 'y', 'U'];

  it('picks the first of the shortest routes over the whole graph', () => {
    const p = new Propagation(whole, new Map([['D1', [{ key: 'c:a', clear: true, route: ['D1'] }, { key: 'c:b', clear: true, route: ['D1'] }]]]), 10);
    expect(p.route('U', 'c:b')).toEqual(expected);
    expect(p.route('T', 'c:a')).toEqual(['D1', 'x1', 'M', 'x9', 'T']);
  });

  it('picks the same route from stored facts on the edge, where a deeper seed meets derived facts of two keys', () => {
    // Only T and U are derived; M (depth 2) and Q (depth 4) start from what is stored for them.
    // At depth 4 the derived facts come as T/a (via x9) then T/b (via x5): in route order for
    // each key, not across keys, and Q/b's route falls between theirs.
    const part = graph({ x9: [['M'], ['T'], drop('b')], x5: [['M'], ['T'], drop('a')], y: [['T', 'Q'], ['U'], null] });
    const seeds = new Map<string, SeedFact[]>([
      ['M', [{ key: 'c:a', clear: true, route: ['D1', 'x1', 'M'] }, { key: 'c:b', clear: true, route: ['D1', 'x1', 'M'] }]],
      ['Q', [{ key: 'c:b', clear: true, route: ['D1', 'x1', 'M', 'x7', 'Q'] }]],
    ]);
    const p = new Propagation(part, seeds, 10);
    expect(p.route('U', 'c:b')).toEqual(expected);
    expect(p.route('U', 'c:a')).toEqual(['D1', 'x1', 'M', 'x9', 'T', 'y', 'U']);
  });
});
