/**
 * Impact: the downstream blast radius of one or more nodes (`#/impact/<id>` or
 * `#/impact?ids=a,b`), in one request: affected models first, counts by type and base
 * type, the affected contexts, then every affected artifact and execution (up to the API's
 * IMPACT_LIST_SIZE per list; more is said, not hidden). Exported as CSV through a blob: URL.
 */
import type { ReactNode } from 'react';
import { useQuery } from '../api/use-query';
import { href, listParam, type Route } from '../app/routes';
import { downloadText } from './csv';
import { displayName } from './format';
import { impactCsv, type ImpactContextRow, type ImpactListPage, type ImpactNodeRow, type ImpactReportData } from './impact-csv';
import { NodeLinks } from './node-links';
import './impact-view.css';

/**
 * How many of each list the page asks for (and the export holds): the server prices an
 * operation by the nodes it may return (its cost limit, src/server/limits.ts), and four
 * lists of 100 nodes with their names, types and states stay within it; the counts are
 * always whole, and a longer list says how many it leaves out.
 */
export const IMPACT_LIST_SIZE = 100;

const NODE = 'id kind distance artifact { name uri state type { name } } execution { name lastKnownState type { name } }';
export const IMPACT_QUERY = /* GraphQL */ `
  query Impact($start: [ID!]!, $first: Int!) {
    impact(start: $start) {
      start { ${NODE} }
      truncated artifactCount executionCount modelCount
      countsByType { kind typeName typeVersion baseType count }
      countsByBaseType { kind baseType count }
      models(first: $first) { totalCount nodes { ${NODE} } }
      artifacts(first: $first) { totalCount nodes { ${NODE} } }
      executions(first: $first) { totalCount nodes { ${NODE} } }
      contexts(first: $first) { totalCount nodes { artifactCount executionCount context { id name type { name } } } }
    }
  }
`;

export interface ImpactData { impact: ImpactReportData }

export function ImpactView({ route }: { route: Route }): ReactNode {
  const ids = route.id ? [route.id, ...listParam(route.params, 'ids')] : listParam(route.params, 'ids');
  const start = [...new Set(ids)];
  const { data, error, loading } = useQuery<ImpactData>(IMPACT_QUERY, { start, first: IMPACT_LIST_SIZE }, start.length === 0);
  if (start.length === 0) return <section className="view"><h1>Impact</h1><p>Pick a node in Find first (its “impact” link).</p></section>;
  const report = data?.impact;
  return (
    <section className="view impact-view">
      <h1>Impact</h1>
      {loading ? <p className="muted">Loading…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {report ? (
        <>
          <p className="impact-start">Downstream of{' '}
            {report.start.map((n) => <span key={n.id} className="start-node"><a href={href('node', n.id)}>{displayName({ id: n.id, name: (n.artifact ?? n.execution)?.name })}</a> </span>)}
          </p>
          <div className="controls">
            <span className="impact-totals" data-testid="impact-totals">
              <strong data-testid="model-count">{report.modelCount}</strong> models, <strong data-testid="artifact-count">{report.artifactCount}</strong> artifacts,{' '}
              <strong data-testid="execution-count">{report.executionCount}</strong> executions, <strong data-testid="context-count">{report.contexts.totalCount}</strong> contexts affected
            </span>
            {report.truncated ? <span className="warning" data-testid="truncated">truncated: the walk hit the server's hop or node limit; more may be affected</span> : null}
            <button type="button" onClick={() => downloadText(impactCsv(report), `impact-${start.join('-')}.csv`)}>Export CSV</button>
            <a href={href('lineage', start[0], { direction: 'DOWNSTREAM' })}>downstream lineage</a>
          </div>
          <NodeList title="Affected models" page={report.models} testId="models" />
          <div className="impact-grid">
            <table data-testid="counts-by-type">
              <caption>By type</caption>
              <thead><tr><th scope="col">Kind</th><th scope="col">Type</th><th scope="col">Base type</th><th scope="col">Count</th></tr></thead>
              <tbody>
                {report.countsByType.map((c) => (
                  <tr key={`${c.kind}:${c.typeName}:${c.typeVersion ?? ''}`} data-type-name={c.typeName}>
                    <td>{c.kind.toLowerCase()}</td><td>{c.typeName}{c.typeVersion ? ` (${c.typeVersion})` : ''}</td><td>{c.baseType ?? '—'}</td><td className="count">{c.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table data-testid="counts-by-base-type">
              <caption>By base type</caption>
              <thead><tr><th scope="col">Kind</th><th scope="col">Base type</th><th scope="col">Count</th></tr></thead>
              <tbody>
                {report.countsByBaseType.map((c) => (
                  <tr key={`${c.kind}:${c.baseType ?? ''}`}><td>{c.kind.toLowerCase()}</td><td>{c.baseType ?? 'none'}</td><td className="count">{c.count}</td></tr>
                ))}
              </tbody>
            </table>
            <ContextList page={report.contexts} />
          </div>
          <div className="impact-grid two">
            <NodeList title="Affected artifacts" page={report.artifacts} testId="artifacts" />
            <NodeList title="Affected executions" page={report.executions} testId="executions" />
          </div>
        </>
      ) : null}
    </section>
  );
}

function More({ page }: { page: ImpactListPage<unknown> }): ReactNode {
  return page.totalCount > page.nodes.length
    ? <p className="warning">{page.totalCount - page.nodes.length} more not listed here or in the export (the first {page.nodes.length} are).</p>
    : null;
}

function NodeList({ title, page, testId }: { title: string; page: ImpactListPage<ImpactNodeRow>; testId: string }): ReactNode {
  return (
    <table className="impact-list" data-testid={testId}>
      <caption>{title} ({page.totalCount})</caption>
      <thead><tr><th scope="col">Type</th><th scope="col">Name</th><th scope="col">State</th><th scope="col">Hops</th><th scope="col">Links</th></tr></thead>
      <tbody>
        {page.nodes.length === 0 ? <tr><td colSpan={5} className="muted">None.</td></tr> : page.nodes.map((n) => {
          const item = n.artifact ?? n.execution;
          return (
            <tr key={n.id} data-node-id={n.id}>
              <td className="type">{item?.type.name}</td>
              <td className="name">{displayName({ id: n.id, name: item?.name })}</td>
              <td>{n.artifact?.state ?? n.execution?.lastKnownState}</td>
              <td>{n.distance}</td>
              <td><NodeLinks id={n.id} kind={n.kind} /></td>
            </tr>
          );
        })}
      </tbody>
      <tfoot><tr><td colSpan={5}><More page={page} /></td></tr></tfoot>
    </table>
  );
}

function ContextList({ page }: { page: ImpactListPage<ImpactContextRow> }): ReactNode {
  return (
    <table data-testid="contexts">
      <caption>Affected contexts ({page.totalCount})</caption>
      <thead><tr><th scope="col">Type</th><th scope="col">Name</th><th scope="col">Artifacts</th><th scope="col">Executions</th></tr></thead>
      <tbody>
        {page.nodes.map((c) => (
          <tr key={c.context.id} data-node-id={c.context.id}>
            <td className="type">{c.context.type.name}</td>
            <td><a href={href('browse', c.context.id)}>{c.context.name}</a></td>
            <td className="count">{c.artifactCount}</td><td className="count">{c.executionCount}</td>
          </tr>
        ))}
      </tbody>
      <tfoot><tr><td colSpan={4}><More page={page} /></td></tr></tfoot>
    </table>
  );
}
