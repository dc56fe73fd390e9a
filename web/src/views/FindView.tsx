/**
 * Find: artifacts, executions and contexts by name, URI, type, a property's value and (the
 * advanced box) ML Metadata's filter language, in one request: three aliased connections, each included
 * only when searched, and the type lists for the type choice. Every criterion is in the
 * route, so a search is a link. A kind's "next page" continues after its cursor.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/graphql-client';
import { useQuery } from '../api/use-query';
import { href, type Route } from '../app/routes';
import { navigate } from '../app/use-route';
import { criteriaFromParams, FIND_KINDS, findVariables, searches, whereFor, type FindCriteria, type FindKind } from './find-query';
import { displayName } from './format';
import { NodeLinks } from './node-links';
import './find-view.css';

export const PAGE_SIZE = 50;

const NODE_FIELDS = 'totalCount pageInfo { hasNextPage endCursor }';
export const FIND_QUERY = /* GraphQL */ `
  query Find($first: Int!,
    $aIn: Boolean!, $aWhere: String, $aFilter: ArtifactFilter, $aAfter: String,
    $eIn: Boolean!, $eWhere: String, $eFilter: ExecutionFilter, $eAfter: String,
    $cIn: Boolean!, $cWhere: String, $cFilter: ContextFilter, $cAfter: String) {
    artifactTypes { name }
    executionTypes { name }
    contextTypes { name }
    artifacts(where: $aWhere, filter: $aFilter, first: $first, after: $aAfter) @include(if: $aIn) {
      ${NODE_FIELDS} nodes { id name uri state type { name } }
    }
    executions(where: $eWhere, filter: $eFilter, first: $first, after: $eAfter) @include(if: $eIn) {
      ${NODE_FIELDS} nodes { id name lastKnownState type { name } }
    }
    contexts(where: $cWhere, filter: $cFilter, first: $first, after: $cAfter) @include(if: $cIn) {
      ${NODE_FIELDS} nodes { id name type { name } }
    }
  }
`;

interface Hit { id: string; name: string | null; uri?: string | null; state?: string; lastKnownState?: string; type: { name: string } }
interface Page { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Hit[] }
export interface FindData {
  artifactTypes: { name: string }[];
  executionTypes: { name: string }[];
  contextTypes: { name: string }[];
  artifacts?: Page;
  executions?: Page;
  contexts?: Page;
}

const KIND_OF: Record<FindKind, 'ARTIFACT' | 'EXECUTION' | 'CONTEXT'> = { artifacts: 'ARTIFACT', executions: 'EXECUTION', contexts: 'CONTEXT' };
const TYPE_LIST: Record<FindKind, 'artifactTypes' | 'executionTypes' | 'contextTypes'> = { artifacts: 'artifactTypes', executions: 'executionTypes', contexts: 'contextTypes' };

function findHref(c: FindCriteria, after: string | null = null): string {
  return href('find', null, { q: c.q, uri: c.uri, prop: c.prop, value: c.prop ? c.value : '', custom: c.prop && c.custom ? '1' : '', kind: c.kind, type: c.type, where: c.where, after });
}

/** The filters sent, per kind searched, for reading the server's column numbers against. */
function sentWhere(c: FindCriteria): string {
  return FIND_KINDS.filter((k) => searches(c, k)).map((k) => `${k}: ${whereFor(c, k) ?? ''}`).join(' · ');
}

export function FindView({ route }: { route: Route }): ReactNode {
  const criteria = criteriaFromParams(route.params);
  const routeKey = route.params.toString();
  const [draft, setDraft] = useState<FindCriteria>(criteria);
  const [draftKey, setDraftKey] = useState(routeKey);
  if (draftKey !== routeKey) { setDraftKey(routeKey); setDraft(criteria); } // the route moved (back button, link): the form follows
  const { data, error, loading } = useQuery<FindData>(FIND_QUERY, findVariables(criteria, PAGE_SIZE));
  const submit = (e: FormEvent): void => { e.preventDefault(); navigate(findHref({ ...draft, after: null })); };
  const field = (error instanceof ApiError ? error.errors[0]?.extensions?.field : undefined) ?? null;
  const typeValue = draft.kind && draft.type ? `${draft.kind}:${draft.type}` : '';
  return (
    <section className="view find-view">
      <h1>Find</h1>
      <form onSubmit={submit} role="search" className="find-form">
        <label>Name contains <input name="q" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} /></label>
        <label>URI contains <input name="uri" value={draft.uri} onChange={(e) => setDraft({ ...draft, uri: e.target.value })} /></label>
        <label>Property <input name="prop" value={draft.prop} onChange={(e) => setDraft({ ...draft, prop: e.target.value })} placeholder="name" /></label>
        <label>equals <input name="value" value={draft.value} onChange={(e) => setDraft({ ...draft, value: e.target.value })} placeholder='any value (0.5, true, "text")' /></label>
        <label className="inline"><input type="checkbox" name="custom" checked={draft.custom} onChange={(e) => setDraft({ ...draft, custom: e.target.checked })} /> custom property</label>
        <label>Kind{' '}
          <select name="kind" value={draft.kind ?? ''} onChange={(e) => setDraft({ ...draft, kind: (FIND_KINDS.find((k) => k === e.target.value) ?? null), type: '' })}>
            <option value="">all</option>
            {FIND_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </label>
        <label>Type{' '}
          <select name="type" value={typeValue} onChange={(e) => {
            const at = e.target.value.indexOf(':');
            const kind = FIND_KINDS.find((k) => k === e.target.value.slice(0, at)) ?? null;
            setDraft({ ...draft, kind: kind ?? draft.kind, type: kind ? e.target.value.slice(at + 1) : '' });
          }}>
            <option value="">any</option>
            {data ? FIND_KINDS.map((k) => (
              <optgroup key={k} label={k}>
                {data[TYPE_LIST[k]].map((t) => <option key={`${k}:${t.name}`} value={`${k}:${t.name}`}>{t.name}</option>)}
              </optgroup>
            )) : null}
          </select>
        </label>
        <details className="advanced" open={criteria.where !== ''}>
          <summary>Advanced filter</summary>
          <label className="where-label">Filter (ML Metadata's filter language, applied to each kind searched; choose one kind for attributes only it has, such as uri)
            <textarea name="where" rows={2} value={draft.where} onChange={(e) => setDraft({ ...draft, where: e.target.value })}
              placeholder="type = 'Model' AND properties.accuracy.double_value > 0.8" />
          </label>
        </details>
        <button type="submit">Find</button>
      </form>
      {loading ? <p className="muted">Searching…</p> : null}
      {error ? (
        <p className="error" role="alert" data-testid="find-error">
          {error.message}{field ? <span className="error-field"> (field: {field})</span> : null}
          {criteria.where !== '' ? <><br /><span className="muted">Filter sent: <code>{sentWhere(criteria)}</code></span></> : null}
        </p>
      ) : null}
      {data ? (
        <div className="results">
          {FIND_KINDS.map((kind) => {
            const page = data[kind];
            if (!page) return null;
            return (
              <div key={kind} className={`result-group result-${kind}`} data-kind={kind} data-total={page.totalCount}>
                <h2>{kind} <span className="muted">({page.totalCount})</span></h2>
                {page.nodes.length === 0 ? <p className="muted">None.</p> : (
                  <ul>
                    {page.nodes.map((n) => (
                      <li key={n.id} data-node-id={n.id}>
                        <span className="type">{n.type.name}</span>{' '}
                        <span className="hit-name">{displayName(n)}</span>{' '}
                        {n.uri ? <span className="hit-uri muted">{n.uri}</span> : null}{' '}
                        <NodeLinks id={n.id} kind={KIND_OF[kind]} />
                      </li>
                    ))}
                  </ul>
                )}
                {page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
                  <a className="next-page" href={findHref({ ...criteria, kind }, page.pageInfo.endCursor)}>next {kind} →</a>
                ) : null}
              </div>
            );
          })}
        </div>
      ) : null}
    </section>
  );
}
