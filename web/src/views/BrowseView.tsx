/**
 * Pipelines: `#/browse` lists the top-level contexts (those without a parent: pipelines,
 * experiments) by type; `#/browse/<contextId>` is a context's page: its parents, children
 * (runs), first executions and artifacts, properties. Runs can be ticked and compared.
 * One request per page.
 */
import { useState, type ReactNode } from 'react';
import { useQuery } from '../api/use-query';
import { href, type Route } from '../app/routes';
import { navigate } from '../app/use-route';
import { displayName, formatTime } from './format';
import { NodeLinks } from './node-links';
import { PropertyTable } from './property-table';
import { MAX_COMPARED, MIN_COMPARED } from './CompareView';
import './browse-view.css';

/**
 * Contexts the root page reads to find the top-level ones (the filter language cannot say
 * "has no parent": a neighbour it names must exist), the oldest first: as many as the
 * server's cost limit lets one request read with their parents and children.
 */
export const ROOT_SCAN = 500;
export const CONTEXT_PAGE = 100;

export const BROWSE_ROOT_QUERY = /* GraphQL */ `
  query BrowseRoot($first: Int!) {
    contexts(first: $first) {
      totalCount
      nodes { id name createTime type { name } parents { id } children { id } }
    }
  }
`;

const REF = 'id name type { name }';
export const BROWSE_CONTEXT_QUERY = /* GraphQL */ `
  query BrowseContext($id: ID!, $first: Int!) {
    context(id: $id) {
      id mlmdId name externalId createTime updateTime properties customProperties
      type { name version }
      parents { ${REF} }
      children { ${REF} createTime children { id } }
      executions(first: $first) { totalCount nodes { ${REF} lastKnownState createTime } }
      artifacts(first: $first) { totalCount nodes { ${REF} uri state createTime } }
    }
  }
`;

interface RootData { contexts: { totalCount: number; nodes: { id: string; name: string; createTime: string; type: { name: string }; parents: { id: string }[]; children: { id: string }[] }[] } }
interface Ref { id: string; name: string | null; type: { name: string } }
export interface ContextPage {
  id: string; mlmdId: number; name: string; externalId: string | null; createTime: string; updateTime: string;
  properties: Record<string, unknown>; customProperties: Record<string, unknown>;
  type: { name: string; version: string | null };
  parents: Ref[];
  children: (Ref & { createTime: string; children: { id: string }[] })[];
  executions: { totalCount: number; nodes: (Ref & { lastKnownState: string; createTime: string })[] };
  artifacts: { totalCount: number; nodes: (Ref & { uri: string | null; state: string; createTime: string })[] };
}

export function BrowseView({ route }: { route: Route }): ReactNode {
  return route.id === null ? <BrowseRoot /> : <BrowseContext id={route.id} />;
}

function BrowseRoot(): ReactNode {
  const { data, error, loading } = useQuery<RootData>(BROWSE_ROOT_QUERY, { first: ROOT_SCAN });
  const byType = new Map<string, RootData['contexts']['nodes']>();
  for (const c of data?.contexts.nodes ?? []) {
    if (c.parents.length > 0) continue;
    const list = byType.get(c.type.name) ?? [];
    list.push(c);
    byType.set(c.type.name, list);
  }
  return (
    <section className="view browse-view">
      <h1>Pipelines</h1>
      <p className="muted">Top-level contexts (those without a parent), by type. Open one for its runs.</p>
      {loading ? <p className="muted">Loading…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {data && data.contexts.totalCount > data.contexts.nodes.length
        ? <p className="warning">Only the oldest {data.contexts.nodes.length} of {data.contexts.totalCount} contexts were scanned; use Find for the others.</p> : null}
      {data && byType.size === 0 ? <p className="muted">No contexts yet.</p> : null}
      <div className="browse-types">
        {[...byType.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([typeName, contexts]) => (
          <div key={typeName} className="browse-type" data-type-name={typeName}>
            <h2>{typeName} <span className="muted">({contexts.length})</span></h2>
            <ul>
              {contexts.map((c) => (
                <li key={c.id} data-context-id={c.id}>
                  <a href={href('browse', c.id)}>{c.name}</a>{' '}
                  <span className="muted">{c.children.length} {c.children.length === 1 ? 'child' : 'children'} · {formatTime(c.createTime)}</span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}

function BrowseContext({ id }: { id: string }): ReactNode {
  const { data, error, loading } = useQuery<{ context: ContextPage | null }>(BROWSE_CONTEXT_QUERY, { id, first: CONTEXT_PAGE });
  const [picked, setPicked] = useState<string[]>([]);
  const context = data?.context;
  const toggle = (childId: string): void => setPicked((p) => (p.includes(childId) ? p.filter((x) => x !== childId) : [...p, childId]));
  const canCompare = picked.length >= MIN_COMPARED && picked.length <= MAX_COMPARED;
  return (
    <section className="view browse-view">
      <p className="crumbs"><a href={href('browse')}>Pipelines</a>{context ? context.parents.map((p) => <span key={p.id}> / <a href={href('browse', p.id)}>{p.name}</a></span>) : null}</p>
      {loading ? <p className="muted">Loading…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {data && context === null ? <p className="error" role="alert">No context has the id {id}.</p> : null}
      {context ? (
        <>
          <h1><span className="type">{context.type.name}</span> <span data-testid="context-name">{context.name}</span></h1>
          <p className="muted">Created {formatTime(context.createTime)} · updated {formatTime(context.updateTime)}{context.externalId ? ` · external id ${context.externalId}` : ''}</p>
          <PropertyTable properties={context.properties} customProperties={context.customProperties} />
          {context.parents.length > 0 ? (
            <p>Part of {context.parents.map((p, i) => <span key={p.id}>{i > 0 ? ', ' : ''}<span className="type">{p.type.name}</span> <a href={href('browse', p.id)}>{p.name}</a></span>)}</p>
          ) : null}
          <div className="browse-children" data-testid="children">
            <h2>Children <span className="muted">({context.children.length})</span></h2>
            {context.children.length === 0 ? <p className="muted">None.</p> : (
              <>
                <ul>
                  {context.children.map((c) => (
                    <li key={c.id} data-context-id={c.id}>
                      <label>
                        <input type="checkbox" checked={picked.includes(c.id)} onChange={() => toggle(c.id)} aria-label={`Select ${c.name ?? c.id} to compare`} />{' '}
                        <span className="type">{c.type.name}</span>
                      </label>{' '}
                      <a href={href('browse', c.id)}>{displayName(c)}</a>{' '}
                      <span className="muted">{formatTime(c.createTime)}{c.children.length ? ` · ${c.children.length} children` : ''}</span>
                    </li>
                  ))}
                </ul>
                <button type="button" disabled={!canCompare} onClick={() => navigate(href('compare', null, { ids: picked }))}>
                  Compare selected ({picked.length})
                </button>{' '}
                {!canCompare ? <span className="muted">tick {MIN_COMPARED} to {MAX_COMPARED} runs</span> : null}
              </>
            )}
          </div>
          <div className="browse-grid">
            <MemberTable title="Executions" page={context.executions} kind="EXECUTION" testId="executions" />
            <MemberTable title="Artifacts" page={context.artifacts} kind="ARTIFACT" testId="artifacts" />
          </div>
          <p>
            {/* The filter language's id is ML Metadata's id (mlmdId), not the server's. */}
            <a href={href('find', null, { kind: 'artifacts', where: `contexts_c.id = ${context.mlmdId}` })}>all artifacts of this context</a>{' '}
            <a href={href('find', null, { kind: 'executions', where: `contexts_c.id = ${context.mlmdId}` })}>all executions</a>
          </p>
        </>
      ) : null}
    </section>
  );
}

function MemberTable({ title, page, kind, testId }: {
  title: string; kind: 'ARTIFACT' | 'EXECUTION'; testId: string;
  page: { totalCount: number; nodes: (Ref & { lastKnownState?: string; state?: string; uri?: string | null })[] };
}): ReactNode {
  return (
    <table data-testid={testId}>
      <caption>{title} ({page.totalCount}{page.totalCount > page.nodes.length ? `, first ${page.nodes.length} shown` : ''})</caption>
      <thead><tr><th scope="col">Type</th><th scope="col">Name</th><th scope="col">State</th><th scope="col">Links</th></tr></thead>
      <tbody>
        {page.nodes.map((n) => (
          <tr key={n.id} data-node-id={n.id}>
            <td className="type">{n.type.name}</td>
            <td className="name">{displayName(n)}{n.uri ? <><br /><code className="muted">{n.uri}</code></> : null}</td>
            <td>{n.state ?? n.lastKnownState}</td>
            <td><NodeLinks id={n.id} kind={kind} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
