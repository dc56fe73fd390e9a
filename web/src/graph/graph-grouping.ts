/**
 * Folding large fan-ins and fan-outs so a 1,000-node answer stays readable: siblings of the
 * same kind and type that hang off exactly the same neighbours (the 600 inputs of one
 * execution, the shards one step wrote) become one GROUP node, "412 × DataSet". The layout
 * then works on the folded graph, which is what keeps ELK and React Flow fast.
 *
 * Pure functions: no DOM, no React, so the rules are unit-tested (web/test/graph-grouping.test.ts).
 */
import type { GraphEdge, GraphNode } from './graph-model';

/** Folding starts above this many siblings: a fan of 8 is still readable drawn out. */
export const GROUP_THRESHOLD = 8;

export interface GroupingOptions {
  /** Fold groups of more than this many siblings. */
  threshold?: number;
  /** Groups (by id) the user opened: drawn as their members. */
  open?: ReadonlySet<string>;
}

export interface GroupedGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Each group's id → its members' ids (by id). */
  groups: Map<string, string[]>;
}

/** A group's id: stable while its membership is (its first member's id, which no other group can hold). */
export function groupId(members: readonly string[]): string {
  return `group:${[...members].sort()[0] ?? ''}`;
}

/**
 * Folds every set of more than `threshold` nodes that share kind, type, and the exact set of
 * in- and out-neighbours. The start nodes and highlighted nodes are never folded (they are
 * what the view points at). Edges to members become one edge to the group.
 */
export function groupSiblings(nodes: readonly GraphNode[], edges: readonly GraphEdge[], options: GroupingOptions = {}): GroupedGraph {
  const threshold = options.threshold ?? GROUP_THRESHOLD;
  const open = options.open ?? new Set<string>();
  const ins = new Map<string, string[]>();
  const outs = new Map<string, string[]>();
  for (const e of edges) {
    (outs.get(e.source) ?? outs.set(e.source, []).get(e.source)!).push(e.target);
    (ins.get(e.target) ?? ins.set(e.target, []).get(e.target)!).push(e.source);
  }
  const signature = (n: GraphNode): string => {
    const i = [...new Set(ins.get(n.id) ?? [])].sort().join(',');
    const o = [...new Set(outs.get(n.id) ?? [])].sort().join(',');
    return `${n.kind}\u0000${n.typeName}\u0000${i}\u0000${o}`;
  };
  const bySignature = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    if (n.start || n.highlighted || n.kind === 'GROUP') continue;
    // A node with no neighbour at all shares nothing: folding loners would hide them.
    if (!ins.has(n.id) && !outs.has(n.id)) continue;
    const key = signature(n);
    (bySignature.get(key) ?? bySignature.set(key, []).get(key)!).push(n);
  }
  const memberOf = new Map<string, string>();
  const groups = new Map<string, string[]>();
  const groupNodes = new Map<string, GraphNode>();
  for (const siblings of bySignature.values()) {
    if (siblings.length <= threshold) continue;
    const members = siblings.map((n) => n.id).sort();
    const id = groupId(members);
    if (open.has(id)) continue;
    const first = siblings[0]!;
    groups.set(id, members);
    for (const m of members) memberOf.set(m, id);
    groupNodes.set(id, {
      id, kind: 'GROUP', label: `${members.length} × ${first.typeName}`, typeName: first.typeName, members,
      distance: Math.min(...siblings.map((s) => s.distance ?? Infinity)),
    });
  }
  const out: GraphNode[] = [];
  const placed = new Set<string>();
  for (const n of nodes) {
    const g = memberOf.get(n.id);
    if (g === undefined) { out.push(n); continue; }
    if (!placed.has(g)) { placed.add(g); out.push(groupNodes.get(g)!); }
  }
  const seen = new Set<string>();
  const outEdges: GraphEdge[] = [];
  for (const e of edges) {
    const source = memberOf.get(e.source) ?? e.source;
    const target = memberOf.get(e.target) ?? e.target;
    const id = source === e.source && target === e.target ? e.id : `${source}->${target}`;
    if (seen.has(id)) continue;
    seen.add(id);
    outEdges.push(source === e.source && target === e.target ? e : { id, source, target, highlighted: e.highlighted });
  }
  return { nodes: out, edges: outEdges, groups };
}
