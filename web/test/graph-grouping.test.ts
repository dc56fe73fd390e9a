/**
 * Folding fan-ins and fan-outs (web/src/graph/graph-grouping.ts): siblings of one kind and
 * type with the same neighbours fold into one GROUP node above the threshold; the start,
 * highlighted nodes and nodes with other neighbours stay drawn; every node is either drawn
 * or a member of exactly one group; opened groups are drawn out.
 */
import { describe, expect, it } from 'vitest';
import { groupId, groupSiblings } from '../src/graph/graph-grouping';
import type { GraphEdge, GraphNode } from '../src/graph/graph-model';

const art = (id: string, typeName = 'DataSet', extra: Partial<GraphNode> = {}): GraphNode => ({ id, kind: 'ARTIFACT', label: id, typeName, ...extra });
const exe = (id: string, typeName = 'Train'): GraphNode => ({ id, kind: 'EXECUTION', label: id, typeName });
const edge = (source: string, target: string): GraphEdge => ({ id: `${source}->${target}`, source, target });

/** `n` datasets read by one execution that writes one model. */
function fanIn(n: number): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const inputs = Array.from({ length: n }, (_, i) => art(`d${String(i).padStart(4, '0')}`));
  return {
    nodes: [...inputs, exe('x'), art('m', 'Model', { start: true })],
    edges: [...inputs.map((d) => edge(d.id, 'x')), edge('x', 'm')],
  };
}

describe('groupSiblings', () => {
  it('folds a fan-in above the threshold into one group with every member, and its edges into one', () => {
    const g = fanIn(412);
    const folded = groupSiblings(g.nodes, g.edges, { threshold: 8 });
    const group = folded.nodes.find((n) => n.kind === 'GROUP');
    expect(group).toBeDefined();
    expect(group!.label).toBe('412 × DataSet');
    expect(group!.members).toHaveLength(412);
    expect(folded.nodes.map((n) => n.id).sort()).toEqual([group!.id, 'm', 'x'].sort());
    expect(folded.edges.map((e) => `${e.source}->${e.target}`).sort()).toEqual([`${group!.id}->x`, 'x->m'].sort());
    expect(folded.groups.get(group!.id)).toEqual(group!.members);
  });

  it('leaves a fan at or below the threshold drawn out', () => {
    const g = fanIn(8);
    const folded = groupSiblings(g.nodes, g.edges, { threshold: 8 });
    expect(folded.nodes).toHaveLength(10);
    expect(folded.groups.size).toBe(0);
    expect(groupSiblings(fanIn(9).nodes, fanIn(9).edges, { threshold: 8 }).groups.size).toBe(1);
  });

  it('does not fold siblings of another type, another kind, or with another neighbour, nor the start or highlighted ones', () => {
    const g = fanIn(20);
    g.nodes.push(art('other-type', 'Schema'), art('hl', 'DataSet', { highlighted: true }), art('extra'), exe('y'));
    g.edges.push(edge('other-type', 'x'), edge('hl', 'x'), edge('extra', 'x'), edge('extra', 'y'));
    g.nodes.find((n) => n.id === 'd0000')!.start = true;
    const folded = groupSiblings(g.nodes, g.edges, { threshold: 8 });
    const drawn = folded.nodes.map((n) => n.id);
    for (const id of ['other-type', 'hl', 'extra', 'd0000', 'y', 'x', 'm']) expect(drawn).toContain(id);
    const [members] = [...folded.groups.values()];
    expect(members).toHaveLength(19);
    expect(members).not.toContain('d0000');
  });

  it('accounts for every node exactly once: drawn, or a member of one group', () => {
    // A fan-out of 30 outputs and, beyond each output, a fan-out of its own readers.
    const nodes: GraphNode[] = [art('s', 'Raw', { start: true }), exe('split', 'Split')];
    const edges: GraphEdge[] = [edge('s', 'split')];
    for (let i = 0; i < 30; i++) { nodes.push(art(`shard${i}`, 'Shard')); edges.push(edge('split', `shard${i}`)); }
    nodes.push(exe('r1', 'Read'), exe('r2', 'Read'));
    edges.push(edge('shard0', 'r1'), edge('shard0', 'r2'));
    const folded = groupSiblings(nodes, edges);
    const count = folded.nodes.reduce((sum, n) => sum + (n.kind === 'GROUP' ? n.members!.length : 1), 0);
    expect(count).toBe(nodes.length);
    const all = folded.nodes.flatMap((n) => (n.kind === 'GROUP' ? n.members! : [n.id]));
    expect(new Set(all).size).toBe(nodes.length);
    // shard0 has readers of its own: it is not one of the folded siblings.
    expect(folded.nodes.map((n) => n.id)).toContain('shard0');
    for (const e of folded.edges) {
      expect(folded.nodes.some((n) => n.id === e.source)).toBe(true);
      expect(folded.nodes.some((n) => n.id === e.target)).toBe(true);
    }
  });

  it('draws an opened group as its members', () => {
    const g = fanIn(50);
    const first = groupSiblings(g.nodes, g.edges);
    const id = [...first.groups.keys()][0]!;
    expect(id).toBe(groupId(first.groups.get(id)!));
    const opened = groupSiblings(g.nodes, g.edges, { open: new Set([id]) });
    expect(opened.groups.size).toBe(0);
    expect(opened.nodes).toHaveLength(52);
    expect(opened.edges).toHaveLength(51);
  });
});
