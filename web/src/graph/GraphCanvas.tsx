/**
 * Draws a graph the view chose: laid out by ELK (left to right), rendered by React Flow
 * with pan, zoom and fit. Labels are React text, never HTML. The container carries
 * `data-layout` ("pending" | "done") and the drawn counts, for the end-to-end tests and the
 * bench to read.
 */
import {
  Background, Controls, Handle, MarkerType, MiniMap, Position, ReactFlow, ReactFlowProvider,
  type Edge, type Node, type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { layoutGraph } from './elk-layout';
import type { GraphEdge, GraphNode, Layout, PositionedNode } from './graph-model';

export interface GraphCanvasProps {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Called on a node's click (its page, or a group's expansion, as the view decides). */
  onNodeClick?: (node: GraphNode) => void;
  /** Called with the finished layout (for export). */
  onLayout?: (layout: Layout) => void;
  /** The node the view shows details of (drawn selected: React Flow's `selected` class on its node). */
  selectedId?: string | null;
}

/** Above this many drawn nodes the minimap (a second drawing of every node) is left out. */
const MINIMAP_LIMIT = 400;

type FlowNode = Node<{ node: PositionedNode }, 'journey'>;

const JourneyNode = memo(function JourneyNode({ data }: NodeProps<FlowNode>): ReactNode {
  const n = data.node;
  return (
    <div
      className={`gnode gnode-${n.kind.toLowerCase()}${n.start ? ' gnode-start' : ''}${n.highlighted ? ' gnode-highlighted' : ''}`}
      data-node-id={n.id}
      data-kind={n.kind}
      data-start={n.start ? 'true' : undefined}
      data-highlighted={n.highlighted ? 'true' : undefined}
      data-members={n.kind === 'GROUP' ? n.members?.length ?? 0 : undefined}
      title={`${n.typeName}: ${n.label}`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="gnode-type">{n.kind === 'GROUP' ? `group of ${n.members?.length ?? 0} · open` : n.typeName}</div>
      <div className="gnode-label">{n.label}</div>
      {n.badge ? <div className="gnode-badge">{n.badge}</div> : null}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

const NODE_TYPES = { journey: JourneyNode };

export function GraphCanvas(props: GraphCanvasProps): ReactNode {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({ nodes, edges, onNodeClick, onLayout, selectedId }: GraphCanvasProps): ReactNode {
  const [layout, setLayout] = useState<Layout | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setLayout(null);
    setFailure(null);
    layoutGraph(nodes, edges).then(
      (l) => { if (live) { setLayout(l); onLayout?.(l); } },
      (e: unknown) => { if (live) setFailure(e instanceof Error ? e.message : String(e)); },
    );
    return () => { live = false; };
    // onLayout is a notification, not an input of the layout
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [nodes, edges]);

  const flowNodes = useMemo<FlowNode[]>(() => (layout?.nodes ?? []).map((n) => ({
    id: n.id, type: 'journey', position: { x: n.x, y: n.y }, data: { node: n },
    draggable: false, connectable: false, width: n.width, height: n.height, selected: n.id === selectedId,
  })), [layout, selectedId]);
  const flowEdges = useMemo<Edge[]>(() => (layout?.edges ?? []).map((e) => ({
    id: e.id, source: e.source, target: e.target, label: e.label,
    className: e.highlighted ? 'gedge-highlighted' : undefined,
    markerEnd: { type: MarkerType.ArrowClosed },
    animated: false,
  })), [layout]);
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  // React Flow's nodes take the focus (Tab) but a key press only selects them: Enter or
  // Space on a focused node does what a click does, so the graph works from the keyboard.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const id = (e.target as HTMLElement).closest?.('.react-flow__node')?.getAttribute('data-id');
    const g = id ? byId.get(id) : undefined;
    if (g && onNodeClick) { e.preventDefault(); onNodeClick(g); }
  };

  if (failure) return <div className="error" role="alert">The graph could not be laid out: {failure}</div>;
  return (
    <div
      className="graph-canvas"
      data-layout={layout ? 'done' : 'pending'}
      data-node-count={layout?.nodes.length ?? 0}
      data-edge-count={layout?.edges.length ?? 0}
      onKeyDown={onKeyDown}
    >
      {layout ? (
        <ReactFlow
          nodes={flowNodes}
          edges={flowEdges}
          nodeTypes={NODE_TYPES}
          fitView
          minZoom={0.05}
          maxZoom={2}
          onlyRenderVisibleElements={flowNodes.length > 300}
          nodesDraggable={false}
          nodesConnectable={false}
          proOptions={{ hideAttribution: true }}
          onNodeClick={(_, n) => { const g = byId.get(n.id); if (g && onNodeClick) onNodeClick(g); }}
        >
          <Background />
          <Controls showInteractive={false} />
          {flowNodes.length <= MINIMAP_LIMIT ? <MiniMap pannable zoomable /> : null}
        </ReactFlow>
      ) : (
        <p className="muted">Laying out {nodes.length} nodes…</p>
      )}
    </div>
  );
}
