/** What the graph canvas draws: nodes and edges already chosen by a view (lineage, path, a subject's data). */
export type GraphNodeKind = 'ARTIFACT' | 'EXECUTION' | 'CONTEXT' | 'GROUP';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** The node's name, drawn as text (never as HTML). */
  label: string;
  /** Its type's name, or for a group the members' type. */
  typeName: string;
  /** Hops from the start, where the view knows it. */
  distance?: number;
  /** The node the view started from. */
  start?: boolean;
  /** Part of what the view points at (a path, a subject's data). */
  highlighted?: boolean;
  /** A short badge under the label (a personal-data category, a state). */
  badge?: string;
  /** A group's members (a fan-in or fan-out folded into one node). */
  members?: string[];
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label?: string;
  highlighted?: boolean;
}

export interface PositionedNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  nodes: PositionedNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}
