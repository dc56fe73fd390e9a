/**
 * Lineage: upstream, downstream or both from a node, drawn on the graph canvas, in one
 * request. Direction and hops are in the URL.
 */
import { useMemo, type ReactNode } from 'react';
import { useQuery } from '../api/use-query';
import { href, intParam, type Route } from '../app/routes';
import { navigate } from '../app/use-route';
import { GraphCanvas } from '../graph/GraphCanvas';
import type { GraphEdge, GraphNode } from '../graph/graph-model';

export const LINEAGE_QUERY = /* GraphQL */ `
  query Lineage($start: [ID!]!, $direction: Direction, $maxHops: Int) {
    lineage(start: $start, direction: $direction, maxHops: $maxHops) {
      truncated
      nodes {
        id kind distance
        artifact { name uri type { name } }
        execution { name type { name } }
      }
      edges { source target type }
    }
  }
`;

interface LineageNodeData {
  id: string;
  kind: 'ARTIFACT' | 'EXECUTION';
  distance: number;
  artifact: { name: string | null; uri: string | null; type: { name: string } } | null;
  execution: { name: string | null; type: { name: string } } | null;
}
export interface LineageData {
  lineage: { truncated: boolean; nodes: LineageNodeData[]; edges: { source: string; target: string; type: string }[] };
}

const DIRECTIONS = ['UPSTREAM', 'DOWNSTREAM', 'BOTH'] as const;

export function LineageView({ route }: { route: Route }): ReactNode {
  const id = route.id;
  const direction = DIRECTIONS.find((d) => d === route.params.get('direction')) ?? 'BOTH';
  const hops = intParam(route.params, 'hops', 3, 1, 20);
  const { data, error, loading } = useQuery<LineageData>(LINEAGE_QUERY, { start: [id ?? ''], direction, maxHops: hops }, id === null);
  const graph = useMemo(() => {
    if (!data) return null;
    const nodes: GraphNode[] = data.lineage.nodes.map((n) => {
      const item = n.artifact ?? n.execution;
      return {
        id: n.id, kind: n.kind, label: item?.name ?? n.id, typeName: item?.type.name ?? n.kind,
        distance: n.distance, start: n.id === id,
      };
    });
    const edges: GraphEdge[] = data.lineage.edges.map((e) => ({ id: `${e.source}->${e.target}`, source: e.source, target: e.target }));
    return { nodes, edges };
  }, [data, id]);
  const go = (params: { direction?: string; hops?: number }): void =>
    navigate(href('lineage', id, { direction: params.direction ?? direction, hops: params.hops ?? hops }));
  if (id === null) return <section className="view"><h1>Lineage</h1><p>Pick a node in Find first.</p></section>;
  return (
    <section className="view lineage-view">
      <h1>Lineage</h1>
      <div className="controls">
        <label>Direction{' '}
          <select value={direction} onChange={(e) => go({ direction: e.target.value })}>
            {DIRECTIONS.map((d) => <option key={d} value={d}>{d.toLowerCase()}</option>)}
          </select>
        </label>
        <label>Hops{' '}
          <input type="number" min={1} max={20} value={hops} onChange={(e) => go({ hops: Number(e.target.value) })} />
        </label>
        {data?.lineage.truncated ? <span className="warning">truncated: the answer hit the node limit</span> : null}
      </div>
      {loading ? <p className="muted">Loading…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {graph ? <GraphCanvas nodes={graph.nodes} edges={graph.edges} /> : null}
    </section>
  );
}
