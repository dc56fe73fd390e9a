/**
 * Lineage answers as drawings: the GraphQL selection the lineage and path views share, its
 * conversion to graph nodes and edges, merging the one-hop answers of expanded nodes into
 * the drawing, and collapsing a node (hiding what is reachable only through it). Pure
 * functions, unit-tested in web/test/graph-lineage.test.ts.
 */
import type { GraphEdge, GraphNode } from './graph-model';

/** The fields of a LineageGraph each view draws (a fragment, spread where the lineage is asked for). */
export const LINEAGE_PARTS = /* GraphQL */ `
  fragment LineageParts on LineageGraph {
    truncated
    nodes {
      id kind distance
      artifact { name type { name } }
      execution { name type { name } }
    }
    edges { source target type }
  }
`;

export interface LineageNodeData {
  id: string;
  kind: 'ARTIFACT' | 'EXECUTION';
  distance: number;
  artifact: { name: string | null; type: { name: string } } | null;
  execution: { name: string | null; type: { name: string } } | null;
}

export interface LineageEdgeData {
  source: string;
  target: string;
  type: string;
}

export interface LineageAnswer {
  truncated: boolean;
  nodes: LineageNodeData[];
  edges: LineageEdgeData[];
}

/** An edge's id in every drawing: one edge per (source, target), whatever the event types. */
export const edgeId = (source: string, target: string): string => `${source}->${target}`;

/** A node of an answer as the canvas draws it (an unnamed node is labelled by its id). */
export function toGraphNode(n: LineageNodeData, starts: ReadonlySet<string>): GraphNode {
  const item = n.artifact ?? n.execution;
  return {
    id: n.id, kind: n.kind, label: item?.name ?? n.id, typeName: item?.type.name ?? n.kind,
    distance: n.distance, start: starts.has(n.id),
  };
}

/**
 * The union of a base answer and the one-hop answers of expanded nodes: each node once, at
 * its smallest distance from the start (an expansion's distances count from the expanded
 * node, so they are shifted by its distance), each (source, target) edge once.
 */
export function mergeAnswers(base: LineageAnswer, expansions: { from: string; answer: LineageAnswer }[], starts: ReadonlySet<string>): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const add = (answer: LineageAnswer, offset: number): void => {
    for (const n of answer.nodes) {
      const g = toGraphNode(n, starts);
      g.distance = n.distance + offset;
      const had = nodes.get(n.id);
      if (!had || (had.distance ?? Infinity) > (g.distance ?? Infinity)) nodes.set(n.id, had ? { ...had, distance: g.distance } : g);
    }
    for (const e of answer.edges) {
      const id = edgeId(e.source, e.target);
      if (!edges.has(id)) edges.set(id, { id, source: e.source, target: e.target });
    }
  };
  add(base, 0);
  for (const { from, answer } of expansions) add(answer, nodes.get(from)?.distance ?? 0);
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * The drawing with `collapsed` nodes folded away: what a walk from the start nodes reaches
 * without passing through a collapsed node stays; the collapsed nodes themselves stay (so
 * they can be opened again). The walk goes as lineage does: downstream along edges,
 * upstream against them, never turning (a sibling that only shares an input is not "along"
 * the start); from an `expanded` node, whose one-hop answer may go either way, both ways.
 * A collapsed start is ignored.
 */
export function collapse(
  nodes: readonly GraphNode[], edges: readonly GraphEdge[], collapsed: ReadonlySet<string>, expanded: ReadonlySet<string> = new Set(),
): { nodes: GraphNode[]; edges: GraphEdge[]; hidden: number } {
  const starts = nodes.filter((n) => n.start).map((n) => n.id);
  // Without a start (a path's context, say) nothing is hidden.
  if (collapsed.size === 0 || starts.length === 0) return { nodes: [...nodes], edges: [...edges], hidden: 0 };
  const outs = new Map<string, string[]>();
  const ins = new Map<string, string[]>();
  for (const e of edges) {
    (outs.get(e.source) ?? outs.set(e.source, []).get(e.source)!).push(e.target);
    (ins.get(e.target) ?? ins.set(e.target, []).get(e.target)!).push(e.source);
  }
  const reached = new Set<string>(starts);
  const seen = new Set<string>();
  const queue: [string, 'down' | 'up' | 'both'][] = starts.map((s) => [s, 'both']);
  while (queue.length > 0) {
    const [id, way] = queue.pop()!;
    if (seen.has(`${id} ${way}`)) continue;
    seen.add(`${id} ${way}`);
    if (collapsed.has(id) && !starts.includes(id)) continue;
    const both = way === 'both' || expanded.has(id);
    if (both || way === 'down') for (const next of outs.get(id) ?? []) { reached.add(next); queue.push([next, 'down']); }
    if (both || way === 'up') for (const next of ins.get(id) ?? []) { reached.add(next); queue.push([next, 'up']); }
  }
  const kept = nodes.filter((n) => reached.has(n.id));
  return {
    nodes: kept,
    edges: edges.filter((e) => reached.has(e.source) && reached.has(e.target)),
    hidden: nodes.length - kept.length,
  };
}
