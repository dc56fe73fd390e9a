/**
 * Lineage answers as drawings (web/src/graph/lineage-graph.ts): merging an expanded node's
 * one-hop answer keeps each node once at its smallest distance from the start; collapsing a
 * node hides exactly what is reachable only through it.
 */
import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../src/graph/graph-model';
import { collapse, mergeAnswers, type LineageAnswer } from '../src/graph/lineage-graph';

const node = (id: string, distance: number): LineageAnswer['nodes'][number] => ({
  id, kind: id.startsWith('x') ? 'EXECUTION' : 'ARTIFACT', distance,
  artifact: id.startsWith('x') ? null : { name: `name-${id}`, type: { name: 'T' } },
  execution: id.startsWith('x') ? { name: null, type: { name: 'E' } } : null,
});
const ev = (source: string, target: string): LineageAnswer['edges'][number] => ({ source, target, type: 'OUTPUT' });

describe('mergeAnswers', () => {
  it('adds the expansion, shifts its distances by the expanded node, keeps each node and edge once', () => {
    const base: LineageAnswer = { truncated: true, nodes: [node('a', 0), node('x1', 1), node('b', 2)], edges: [ev('a', 'x1'), ev('x1', 'b')] };
    const more: LineageAnswer = { truncated: false, nodes: [node('b', 0), node('x2', 1), node('x1', 1)], edges: [ev('b', 'x2'), ev('x1', 'b')] };
    const g = mergeAnswers(base, [{ from: 'b', answer: more }], new Set(['a']));
    expect(g.nodes.map((n) => [n.id, n.distance])).toEqual([['a', 0], ['x1', 1], ['b', 2], ['x2', 3]]);
    expect(g.edges.map((e) => e.id)).toEqual(['a->x1', 'x1->b', 'b->x2']);
    expect(g.nodes.find((n) => n.id === 'a')!.start).toBe(true);
    expect(g.nodes.find((n) => n.id === 'b')!.label).toBe('name-b');
    // An unnamed node is labelled by its id.
    expect(g.nodes.find((n) => n.id === 'x1')!.label).toBe('x1');
  });
});

describe('collapse', () => {
  const n = (id: string, start = false): GraphNode => ({ id, kind: 'ARTIFACT', label: id, typeName: 'T', start });
  const e = (s: string, t: string): GraphEdge => ({ id: `${s}->${t}`, source: s, target: t });
  // s → a → b → c, and s → d → c: c is reachable around a; b only through a.
  const nodes = [n('s', true), n('a'), n('b'), n('c'), n('d')];
  const edges = [e('s', 'a'), e('a', 'b'), e('b', 'c'), e('s', 'd'), e('d', 'c')];

  it('hides what is reachable only through the collapsed node, and keeps the node', () => {
    const g = collapse(nodes, edges, new Set(['a']));
    expect(g.nodes.map((x) => x.id)).toEqual(['s', 'a', 'c', 'd']);
    expect(g.edges.map((x) => x.id)).toEqual(['s->a', 's->d', 'd->c']);
    expect(g.hidden).toBe(1);
  });

  it('hides nothing without collapsed nodes, and never the start', () => {
    expect(collapse(nodes, edges, new Set()).nodes).toHaveLength(5);
    expect(collapse(nodes, edges, new Set(['s'])).nodes).toHaveLength(5);
    expect(collapse(nodes, edges, new Set(['a', 'd'])).nodes.map((x) => x.id)).toEqual(['s', 'a', 'd']);
  });

  it('walks from an expanded node both ways (its one-hop answer may add its other inputs)', () => {
    // s → x ← i: i is an input of x, drawn because x was expanded.
    const fan = [n('s', true), n('x'), n('i'), n('y')];
    const links = [e('s', 'x'), e('i', 'x'), e('x', 'y')];
    expect(collapse(fan, links, new Set(['y'])).nodes.map((v) => v.id)).toEqual(['s', 'x', 'y']);
    expect(collapse(fan, links, new Set(['y']), new Set(['x'])).nodes.map((v) => v.id)).toEqual(['s', 'x', 'i', 'y']);
  });
});
