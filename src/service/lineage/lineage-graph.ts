/**
 * The shapes lineage queries answer with (nodes with distances, edges in data-flow
 * direction) and their assembly from a walk: records and types are read once, in two
 * batch calls, for the whole result.
 */
import type { ArtifactRecord, EventRecord, EventType, ExecutionRecord, TypeRecord } from '../../graph/model.js';
import { isInputEvent } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import type { WalkedNode } from './lineage-walk.js';
import { recordsById, typesById } from '../shared/batch-reads.js';
import { compareText } from '../shared/compare-text.js';

/** A returned node: its distance from the start set and, once read, its record. */
export interface LineageNode extends WalkedNode {
  /** null when the record was not read (asked without records, or impact's non-model nodes). */
  record: ArtifactRecord | ExecutionRecord | null;
}

/** An event, oriented along the data flow: artifact to execution for input kinds, execution to artifact otherwise. */
export interface LineageEdge {
  source: string;
  target: string;
  artifactId: string;
  executionId: string;
  type: EventType;
  /** Milliseconds since the epoch. */
  time: number;
}

export interface LineageGraph {
  /** By distance, then id. */
  nodes: LineageNode[];
  /** Events among `nodes` that the walk took, by artifact id, execution id, then type. */
  edges: LineageEdge[];
  /** Whether maxHops or maxNodes left out a node the walk would otherwise have reached. */
  truncated: boolean;
  /** The type of every node of `nodes`, by type id, when records were read; empty otherwise. */
  types: ReadonlyMap<string, TypeRecord>;
  /** The time the graph was read as of (ms; its records are as they stood then), or null: as it is now. */
  asOf: number | null;
}

/** The event as an edge in data-flow direction. */
export function edgeOf(event: EventRecord): LineageEdge {
  const input = isInputEvent(event.type);
  return {
    source: input ? event.artifactId : event.executionId,
    target: input ? event.executionId : event.artifactId,
    artifactId: event.artifactId,
    executionId: event.executionId,
    type: event.type,
    time: event.time,
  };
}


export const byEdgeKey = (a: LineageEdge, b: LineageEdge): number =>
  compareText(a.artifactId, b.artifactId) || compareText(a.executionId, b.executionId) || compareText(a.type, b.type);

/**
 * The graph of the walked nodes that pass `returns`, and the walked events between two
 * of them. With `records`, each node's record and type are read too (one getNodes, or
 * with `asOf` one nodesAsOf, and one getTypes call), and a node whose record vanished mid-read (a backend without
 * snapshot reads) is left out with its edges; without, records are null and `types`
 * is empty, for a caller that reads them itself only when asked (the API's loaders).
 */
export async function assembleGraph(
  tx: StoreTx,
  walked: { nodes: readonly WalkedNode[]; events: readonly EventRecord[]; truncated: boolean },
  returns: (node: WalkedNode) => boolean,
  records: boolean,
  asOf: number | null = null,
): Promise<LineageGraph> {
  const kept = walked.nodes.filter(returns);
  let nodes: LineageNode[] = kept.map((n) => ({ ...n, record: null }));
  let types = new Map<string, TypeRecord>();
  if (records) {
    const byId = await recordsById(tx, kept.map((n) => n.id), asOf);
    nodes = nodes.filter((n) => byId.has(n.id)).map((n) => ({ ...n, record: byId.get(n.id)! }));
    types = await typesById(tx, nodes.map((n) => n.typeId));
  }
  const present = new Set(nodes.map((n) => n.id));
  const edges = walked.events
    .filter((e) => present.has(e.artifactId) && present.has(e.executionId))
    .map(edgeOf)
    .sort(byEdgeKey);
  return { nodes, edges, truncated: walked.truncated, types, asOf };
}
