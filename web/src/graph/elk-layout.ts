/**
 * Layered left-to-right layout by ELK (elkjs), run in a Web Worker so a large answer does
 * not freeze the page while it is placed. One ELK instance (and worker) per page.
 */
import ELK, { type ElkNode } from 'elkjs/lib/elk-api.js';
import ElkWorker from 'elkjs/lib/elk-worker.min.js?worker';
import type { GraphEdge, GraphNode, Layout } from './graph-model';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 56;

let elk: InstanceType<typeof ELK> | null = null;
function engine(): InstanceType<typeof ELK> {
  elk ??= new ELK({ workerFactory: () => new ElkWorker() });
  return elk;
}

/** Positions for `nodes` and `edges` (edges whose ends are missing are dropped). */
export async function layoutGraph(nodes: GraphNode[], edges: GraphEdge[]): Promise<Layout> {
  const ids = new Set(nodes.map((n) => n.id));
  const kept = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '24',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.edgeRouting': 'POLYLINE',
    },
    children: nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: kept.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const placed = await engine().layout(graph);
  const at = new Map((placed.children ?? []).map((c) => [c.id, c]));
  const positioned = nodes.map((n) => {
    const c = at.get(n.id);
    return { ...n, x: c?.x ?? 0, y: c?.y ?? 0, width: NODE_WIDTH, height: NODE_HEIGHT };
  });
  return { nodes: positioned, edges: kept, width: placed.width ?? 0, height: placed.height ?? 0 };
}
