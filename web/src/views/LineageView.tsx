/**
 * Lineage: upstream, downstream or both from a node, drawn on the graph canvas. One request
 * (`Lineage`) brings the walk, the types to choose "stop at" and filters from, and, on a
 * pasted link, the one-hop answers of the nodes the link expands. Expanding a node later
 * asks one request (`LineageExpand`) for one more hop from it and merges it into the
 * drawing; collapsing hides what is reachable only through it; large fans are folded into
 * groups. Everything that decides the drawing is in the URL:
 * `#/lineage/<id>?direction=&hops=&limit=&stop=a:Model,e:Trainer&types=a:Examples&expand=&collapse=&open=`
 * (`open`: groups drawn as their members).
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { request } from '../api/graphql-client';
import { useQuery } from '../api/use-query';
import { href, intParam, listParam, type Route } from '../app/routes';
import { navigate } from '../app/use-route';
import { ExportButtons } from '../graph/ExportButtons';
import { GraphCanvas } from '../graph/GraphCanvas';
import { groupSiblings } from '../graph/graph-grouping';
import type { GraphNode, Layout } from '../graph/graph-model';
import { collapse, LINEAGE_PARTS, mergeAnswers, type LineageAnswer } from '../graph/lineage-graph';
import { NodePanel, type PanelAction } from '../graph/NodePanel';
import { filterArgs, stopArg, TypePicker, type TypeChoice } from './lineage-types';
import './lineage-view.css';

export const LINEAGE_QUERY = /* GraphQL */ `
  query Lineage($start: [ID!]!, $direction: Direction, $maxHops: Int, $maxNodes: Int, $stopAt: LineageStopInput,
                $artifactTypes: [String!], $executionTypes: [String!], $more: [ID!]!, $withMore: Boolean!) {
    artifactTypes { name }
    executionTypes { name }
    lineage(start: $start, direction: $direction, maxHops: $maxHops, maxNodes: $maxNodes, stopAt: $stopAt,
            artifactTypes: $artifactTypes, executionTypes: $executionTypes) { ...LineageParts }
    more: lineage(start: $more, direction: $direction, maxHops: 1, maxNodes: $maxNodes, stopAt: $stopAt,
                  artifactTypes: $artifactTypes, executionTypes: $executionTypes) @include(if: $withMore) { ...LineageParts }
  }
  ${LINEAGE_PARTS}
`;

export const LINEAGE_EXPAND_QUERY = /* GraphQL */ `
  query LineageExpand($start: [ID!]!, $direction: Direction, $maxNodes: Int, $stopAt: LineageStopInput,
                      $artifactTypes: [String!], $executionTypes: [String!]) {
    lineage(start: $start, direction: $direction, maxHops: 1, maxNodes: $maxNodes, stopAt: $stopAt,
            artifactTypes: $artifactTypes, executionTypes: $executionTypes) { ...LineageParts }
  }
  ${LINEAGE_PARTS}
`;

export interface LineageData {
  artifactTypes: { name: string }[];
  executionTypes: { name: string }[];
  lineage: LineageAnswer;
  more?: LineageAnswer;
}

const DIRECTIONS = ['UPSTREAM', 'DOWNSTREAM', 'BOTH'] as const;
/** What a browser draws comfortably before the answer is cut (the `limit` parameter raises it up to the API's 10,000). */
export const DEFAULT_NODE_LIMIT = 2000;

interface Expansions {
  /** The walk these answers belong to: they are dropped when it changes. */
  key: string;
  answers: Map<string, LineageAnswer>;
}

export function LineageView({ route }: { route: Route }): ReactNode {
  const id = route.id;
  const direction = DIRECTIONS.find((d) => d === route.params.get('direction')) ?? 'BOTH';
  const hops = intParam(route.params, 'hops', 3, 0, 100);
  const limit = intParam(route.params, 'limit', DEFAULT_NODE_LIMIT, 1, 10_000);
  // Lists parsed once per URL: the drawing is recomputed (and laid out again) only when they change.
  const query = route.params.toString();
  const { stop, types, expand, collapsed, openGroups } = useMemo(() => {
    const params = new URLSearchParams(query);
    return {
      stop: listParam(params, 'stop'), types: listParam(params, 'types'), expand: listParam(params, 'expand'),
      collapsed: new Set(listParam(params, 'collapse')), openGroups: new Set(listParam(params, 'open')),
    };
  }, [query]);

  const state = { direction, hops, limit, stop, types };
  /** Goes to the view with `change`; a new walk (`fresh`) drops the expansions, collapses and opened groups of the old one. */
  const go = (change: Partial<typeof state> & { expand?: string[]; collapse?: string[]; open?: string[] }, fresh = false): void => {
    const kept = fresh ? { expand: [], collapse: [], open: [] } : { expand, collapse: [...collapsed], open: [...openGroups] };
    const next = { ...state, ...kept, ...change };
    navigate(href('lineage', id, {
      direction: next.direction, hops: next.hops, limit: next.limit === DEFAULT_NODE_LIMIT ? null : next.limit,
      stop: next.stop, types: next.types, expand: next.expand, collapse: next.collapse, open: next.open,
    }));
  };

  // The walk: changing any of these is a new answer (and drops the expansions made on the old one).
  const filters = { direction, maxNodes: limit, stopAt: stopArg(stop), ...filterArgs(types) };
  const walkKey = JSON.stringify({ id, hops, ...filters });
  // The expansions a link brings are asked in the same request as the walk; later ones one by one.
  const [frozen, setFrozen] = useState({ key: walkKey, more: expand });
  if (frozen.key !== walkKey) setFrozen({ key: walkKey, more: expand });
  const withMore = frozen.more.length > 0 && frozen.more.every((e) => expand.includes(e));
  const { data, error, loading } = useQuery<LineageData>(LINEAGE_QUERY, {
    start: [id ?? ''], maxHops: hops, ...filters, more: withMore ? frozen.more : [], withMore,
  }, id === null);

  const [extra, setExtra] = useState<Expansions>({ key: walkKey, answers: new Map() });
  const [expandError, setExpandError] = useState<string | null>(null);
  const missing = expand.filter((e) => !(withMore && frozen.more.includes(e)) && !(extra.key === walkKey && extra.answers.has(e)));
  const missingKey = missing.join(',');
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  useEffect(() => {
    if (missingKey === '' || !data) return undefined;
    const controller = new AbortController();
    const starts = missingKey.split(',');
    setExpandError(null);
    request<{ lineage: LineageAnswer }>(LINEAGE_EXPAND_QUERY, { start: starts, ...filtersRef.current }, controller.signal).then(
      (answer) => setExtra((had) => {
        const answers = new Map(had.key === walkKey ? had.answers : []);
        // One request for several nodes answers for all of them together: kept under each.
        for (const s of starts) answers.set(s, answer.lineage);
        return { key: walkKey, answers };
      }),
      (e: unknown) => { if (!controller.signal.aborted) setExpandError(e instanceof Error ? e.message : String(e)); },
    );
    return () => controller.abort();
  }, [missingKey, walkKey, data]);

  const [selected, setSelected] = useState<string | null>(null);
  const [layout, setLayout] = useState<Layout | null>(null);

  const merged = useMemo(() => {
    if (!data) return null;
    const starts = new Set([id ?? '']);
    const expansions = expand.flatMap((from) => {
      if (withMore && frozen.more.includes(from) && data.more) return [{ from, answer: data.more }];
      const answer = extra.key === walkKey ? extra.answers.get(from) : undefined;
      return answer ? [{ from, answer }] : [];
    });
    const all = mergeAnswers(data.lineage, expansions, starts);
    const shown = collapse(all.nodes, all.edges, collapsed, new Set(expand));
    const truncated = data.lineage.truncated || expansions.some((x) => x.answer.truncated);
    return { all, shown, truncated };
  }, [data, extra, expand, frozen, withMore, walkKey, collapsed, id]);
  const graph = useMemo(() => (merged ? groupSiblings(merged.shown.nodes, merged.shown.edges, { open: openGroups }) : null), [merged, openGroups]);
  const byId = useMemo(() => new Map((merged?.all.nodes ?? []).map((n) => [n.id, n])), [merged]);
  const drawnById = useMemo(() => new Map((graph?.nodes ?? []).map((n) => [n.id, n])), [graph]);
  const picked: GraphNode | undefined = selected ? drawnById.get(selected) : undefined;

  if (id === null) return <section className="view"><h1>Lineage</h1><p>Pick a node in Find first.</p></section>;

  const actionsFor = (n: GraphNode): PanelAction[] => {
    if (n.kind === 'GROUP') {
      return [{ label: `Draw all ${n.members?.length ?? 0}`, run: () => { go({ open: [...openGroups, n.id] }); setSelected(null); } }];
    }
    const out: PanelAction[] = [];
    if (!expand.includes(n.id)) out.push({ label: 'Expand one hop', run: () => go({ expand: [...expand, n.id] }) });
    else out.push({ label: 'Unexpand', run: () => go({ expand: expand.filter((e) => e !== n.id) }) });
    if (!n.start) {
      if (collapsed.has(n.id)) out.push({ label: 'Show what is beyond', run: () => go({ collapse: [...collapsed].filter((c) => c !== n.id) }) });
      else out.push({ label: 'Collapse', run: () => go({ collapse: [...collapsed, n.id] }) });
    }
    return out;
  };

  return (
    <section className="view lineage-view">
      <h1>Lineage of {byId.get(id)?.label ?? id}</h1>
      <div className="controls">
        <label>Direction{' '}
          <select value={direction} onChange={(e) => go({ direction: e.target.value as typeof direction }, true)}>
            {DIRECTIONS.map((d) => <option key={d} value={d}>{d.toLowerCase()}</option>)}
          </select>
        </label>
        <label>Hops{' '}
          <input type="number" min={0} max={100} value={hops} onChange={(e) => { if (e.target.value !== '') go({ hops: Number(e.target.value) }, true); }} />
        </label>
        <label>Node limit{' '}
          <input type="number" min={1} max={10000} value={limit} onChange={(e) => { if (e.target.value !== '') go({ limit: Number(e.target.value) }, true); }} />
        </label>
        {data ? (
          <>
            <TypePicker label="Stop at" name="stop" value={stop} types={data} onChange={(v: TypeChoice[]) => go({ stop: v }, true)} />
            <TypePicker label="Show only" name="types" value={types} types={data} onChange={(v: TypeChoice[]) => go({ types: v }, true)} />
          </>
        ) : null}
        <ExportButtons layout={layout} base={`lineage-${id}`} />
      </div>
      <p className="lineage-summary" aria-live="polite">
        {merged ? (
          <>
            <span data-answer-nodes={merged.all.nodes.length}>{merged.all.nodes.length} nodes, {merged.all.edges.length} edges</span>
            {merged.shown.hidden > 0 ? <span>; {merged.shown.hidden} hidden behind collapsed nodes</span> : null}
            {graph && graph.groups.size > 0 ? <span>; large fans folded into {graph.groups.size} {graph.groups.size === 1 ? 'group' : 'groups'} (click one to list or draw its members)</span> : null}
            {openGroups.size > 0 ? <>{' '}<button type="button" className="link-button" onClick={() => go({ open: [] })}>Fold the opened groups again</button></> : null}
          </>
        ) : null}
      </p>
      {merged?.truncated ? (
        <p className="warning lineage-truncated" role="status">
          Truncated: the walk stopped at the hop limit ({hops}) or the node limit ({limit}) while more lineage lay beyond, so
          this is not all of it. Raise the hops or the limit, or expand a node at the edge.
        </p>
      ) : null}
      {loading ? <p className="muted">Loading…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {expandError ? <p className="error" role="alert">Expanding failed: {expandError}</p> : null}
      {graph ? (
        <div className="graph-with-panel">
          <GraphCanvas nodes={graph.nodes} edges={graph.edges} onNodeClick={(n) => setSelected(n.id)} onLayout={setLayout} selectedId={selected} />
          {picked ? <NodePanel node={picked} start={id} names={byId} actions={actionsFor(picked)} onClose={() => setSelected(null)} /> : null}
        </div>
      ) : null}
    </section>
  );
}
