/**
 * Path: why is this model affected by that dataset? Two ends (picked by a small name
 * search, or given by the lineage panel's links), then ONE request (`Path`): the shortest
 * chain of events from one to the other, the ends' names, and the lineage between them
 * (downstream of `from` ∩ upstream of `to`) as the drawing's context, the chain
 * highlighted and listed hop by hop under it. The ends are in the URL:
 * `#/path?from=<id>&to=<id>&hops=`.
 */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '../api/use-query';
import { href, intParam, type Route } from '../app/routes';
import { navigate } from '../app/use-route';
import { ExportButtons } from '../graph/ExportButtons';
import { GraphCanvas } from '../graph/GraphCanvas';
import { groupSiblings } from '../graph/graph-grouping';
import type { GraphEdge, GraphNode, Layout } from '../graph/graph-model';
import { edgeId, LINEAGE_PARTS, toGraphNode, type LineageAnswer } from '../graph/lineage-graph';
import { NodePanel } from '../graph/NodePanel';
import { contains } from './find-query';
import './path-view.css';

const END_FIELDS = /* GraphQL */ `
  id
  ... on Artifact { name type { name } }
  ... on Execution { name type { name } }
`;

export const PATH_QUERY = /* GraphQL */ `
  query Path($from: ID!, $to: ID!, $hasFrom: Boolean!, $hasTo: Boolean!, $both: Boolean!, $maxHops: Int!, $maxNodes: Int!) {
    fromNode: node(id: $from) @include(if: $hasFrom) { ${END_FIELDS} }
    toNode: node(id: $to) @include(if: $hasTo) { ${END_FIELDS} }
    path(from: $from, to: $to, maxHops: $maxHops) @include(if: $both) { source target artifactId executionId type }
    down: lineage(start: [$from], direction: DOWNSTREAM, maxHops: $maxHops, maxNodes: $maxNodes) @include(if: $both) { ...LineageParts }
    up: lineage(start: [$to], direction: UPSTREAM, maxHops: $maxHops, maxNodes: $maxNodes) @include(if: $both) { ...LineageParts }
  }
  ${LINEAGE_PARTS}
`;

export const PATH_PICK_QUERY = /* GraphQL */ `
  query PathPick($where: String!) {
    artifacts(where: $where, first: 10) { nodes { id name type { name } } }
    executions(where: $where, first: 10) { nodes { id name type { name } } }
  }
`;

interface End { id: string; name?: string | null; type?: { name: string } }
interface PathEdge { source: string; target: string; artifactId: string; executionId: string; type: string }
export interface PathData {
  fromNode?: End | null;
  toNode?: End | null;
  path?: PathEdge[] | null;
  down?: LineageAnswer;
  up?: LineageAnswer;
}

/** The context drawn around the chain is cut at this many nodes per side. */
const CONTEXT_NODES = 2000;

/** The chain's nodes in order: `from`, then each event's target. */
export function chainOf(from: string, path: readonly PathEdge[]): string[] {
  return [from, ...path.map((e) => e.target)];
}

export function PathView({ route }: { route: Route }): ReactNode {
  const from = route.params.get('from') ?? '';
  const to = route.params.get('to') ?? '';
  const hops = intParam(route.params, 'hops', 20, 1, 100);
  const both = from !== '' && to !== '';
  const { data, error, loading } = useQuery<PathData>(PATH_QUERY, {
    from, to, hasFrom: from !== '', hasTo: to !== '', both, maxHops: hops, maxNodes: CONTEXT_NODES,
  }, from === '' && to === '');
  const [layout, setLayout] = useState<Layout | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const go = (change: { from?: string; to?: string; hops?: number }): void =>
    navigate(href('path', null, { from: change.from ?? from, to: change.to ?? to, hops: (change.hops ?? hops) === 20 ? null : change.hops ?? hops }));

  const drawing = useMemo(() => {
    if (!data?.path || !data.down || !data.up) return null;
    const chain = chainOf(from, data.path);
    const onChain = new Set(chain);
    const chainEdges = new Set(data.path.map((e) => edgeId(e.source, e.target)));
    const upIds = new Set(data.up.nodes.map((n) => n.id));
    const byId = new Map<string, GraphNode>();
    // The lineage between the ends: what is downstream of `from` and upstream of `to`.
    for (const n of data.down.nodes) {
      if (upIds.has(n.id) || onChain.has(n.id)) byId.set(n.id, { ...toGraphNode(n, new Set()), highlighted: onChain.has(n.id) });
    }
    for (const n of data.up.nodes) {
      if (onChain.has(n.id) && !byId.has(n.id)) byId.set(n.id, { ...toGraphNode(n, new Set()), highlighted: true });
    }
    // A chain node beyond a cut context still gets drawn (by its id).
    for (const id of chain) {
      if (!byId.has(id)) byId.set(id, { id, kind: 'ARTIFACT', label: id, typeName: '?', highlighted: true });
    }
    const edges = new Map<string, GraphEdge>();
    for (const e of [...data.down.edges, ...data.up.edges, ...data.path]) {
      const id = edgeId(e.source, e.target);
      if (byId.has(e.source) && byId.has(e.target) && !edges.has(id)) edges.set(id, { id, source: e.source, target: e.target, highlighted: chainEdges.has(id) });
    }
    const nodes = [...byId.values()];
    const grouped = groupSiblings(nodes, [...edges.values()]);
    return { chain: chain.map((id) => byId.get(id)!), nodes: grouped.nodes, edges: grouped.edges, all: byId, truncated: data.down.truncated || data.up.truncated };
  }, [data, from]);
  const picked = selected ? drawing?.nodes.find((n) => n.id === selected) : undefined;

  const nameOf = (end: End | null | undefined, id: string): string => end?.name ?? id;
  return (
    <section className="view path-view">
      <h1>Path</h1>
      <p className="muted">Why is one node affected by another? Pick where the data comes from and where it goes; the shortest chain of events between them is highlighted.</p>
      <div className="path-ends">
        <EndPicker label="From" id={from} end={data?.fromNode} onPick={(id) => go({ from: id })} />
        <button type="button" className="swap" disabled={!both} onClick={() => go({ from: to, to: from })} aria-label="Swap the ends">⇄</button>
        <EndPicker label="To" id={to} end={data?.toNode} onPick={(id) => go({ to: id })} />
        <label>Hops at most{' '}
          <input type="number" min={1} max={100} value={hops} onChange={(e) => { if (e.target.value !== '') go({ hops: Number(e.target.value) }); }} />
        </label>
        {drawing ? <ExportButtons layout={layout} base={`path-${from}-${to}`} /> : null}
      </div>
      {loading ? <p className="muted">Looking for a path…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {data && both && data.path === null ? (
        <p className="path-none" role="status">
          No path: nothing that {nameOf(data.fromNode, from)} led to, within {hops} hops along the data flow, leads to {nameOf(data.toNode, to)}.
          {' '}<a href={href('path', null, { from: to, to: from, hops: hops === 20 ? null : hops })}>Try the other way round</a>.
        </p>
      ) : null}
      {data && both && data.path?.length === 0 ? <p className="path-none" role="status">They are the same node.</p> : null}
      {drawing && drawing.chain.length > 1 ? (
        <>
          <p className="path-summary">{drawing.chain.length - 1} {drawing.chain.length === 2 ? 'hop' : 'hops'} from {nameOf(data?.fromNode, from)} to {nameOf(data?.toNode, to)}; around the chain, the rest of the lineage between them ({drawing.all.size} nodes).</p>
          {drawing.truncated ? <p className="warning">The lineage drawn around the chain is cut at {CONTEXT_NODES} nodes a side (the chain itself is complete).</p> : null}
          <div className="graph-with-panel">
            <GraphCanvas nodes={drawing.nodes} edges={drawing.edges} onLayout={setLayout} onNodeClick={(n) => setSelected(n.id)} selectedId={selected} />
            {picked ? <NodePanel node={picked} start={null} names={drawing.all} actions={[]} onClose={() => setSelected(null)} /> : null}
          </div>
          <ol className="path-hops" aria-label="The chain, hop by hop">
            {drawing.chain.map((n, i) => (
              <li key={n.id} data-node-id={n.id}>
                {i > 0 ? <span className="path-event">{data!.path![i - 1]!.type.toLowerCase()} → </span> : null}
                <span className="type">{n.typeName}</span>{' '}
                <a href={href('node', n.id)}>{n.label}</a>{' '}
                <a className="muted" href={href('lineage', n.id)}>lineage</a>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

interface PickData {
  artifacts: { nodes: { id: string; name: string | null; type: { name: string } }[] };
  executions: { nodes: { id: string; name: string | null; type: { name: string } }[] };
}

/** One end: its name when chosen, and a small name search to choose it (artifacts and executions). */
function EndPicker({ label, id, end, onPick }: { label: string; id: string; end: End | null | undefined; onPick: (id: string) => void }): ReactNode {
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const { data, error } = useQuery<PickData>(PATH_PICK_QUERY, { where: contains('name', search) }, search === '');
  const submit = (e: FormEvent): void => { e.preventDefault(); setSearch(draft.trim()); };
  const hits = data ? [...data.artifacts.nodes, ...data.executions.nodes] : [];
  return (
    <fieldset className="path-end" data-end={label.toLowerCase()}>
      <legend>{label}</legend>
      <div className="path-end-chosen">
        {id === '' ? <span className="muted">not chosen</span> : (
          <>{end?.type ? <span className="type">{end.type.name}</span> : null} <strong>{end?.name ?? id}</strong></>
        )}
      </div>
      <form onSubmit={submit} role="search">
        <input aria-label={`${label}: name contains`} value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="name contains…" />
        <button type="submit">Find</button>
      </form>
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {search !== '' && data ? (
        hits.length === 0 ? <p className="muted">Nothing named like that.</p> : (
          <ul className="path-hits">
            {hits.map((h) => (
              <li key={h.id}>
                <button type="button" data-pick={h.id} onClick={() => { onPick(h.id); setSearch(''); }}>
                  {h.name ?? h.id}
                </button> <span className="type">{h.type.name}</span>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </fieldset>
  );
}
