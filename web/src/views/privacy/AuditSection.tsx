/**
 * Audit log: every personal-data query and erasure action, oldest first, as the server
 * records it (who, what, about which subject by keyed hash only, how many). Reading it is
 * audited too. One request (AuditLog) per page; the page is in the URL.
 */
import type { ReactNode } from 'react';
import { useQuery } from '../../api/use-query';
import { intParam, type Route } from '../../app/routes';
import { Pager } from './Pager';
import { AUDIT_QUERY, whenOf, type AuditData } from './privacy-queries';
import { privacyHref } from './privacy-routes';

/** A change's value as text (JSON values, rendered as text, never as markup). */
const shown = (value: unknown): string => (value === null || value === undefined ? '' : JSON.stringify(value));

export function AuditSection({ route }: { route: Route }): ReactNode {
  const after = route.params.get('after');
  const first = intParam(route.params, 'first', 100, 1, 1000);
  const { data, error, loading } = useQuery<AuditData>(AUDIT_QUERY, { first, after });
  const log = data?.auditLog ?? null;
  return (
    <div className="privacy-audit">
      <p className="muted">Oldest first. The log can be read but never changed; subjects appear only as keyed hashes.</p>
      {loading ? <p className="muted">Loading…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {log ? (
        <>
          <table className="audit" data-testid="audit-table">
            <thead><tr><th>Time</th><th>Caller</th><th>Operation</th><th>Subject (hash)</th><th>Target</th><th>Results</th><th>Before</th><th>After</th></tr></thead>
            <tbody>
              {log.nodes.map((e) => (
                <tr key={e.id} data-entry-id={e.id}>
                  <td className="when" title={e.time}>{whenOf(e.time)}</td>
                  <td>{e.caller}</td>
                  <td>{e.operation}</td>
                  <td className="hash" title={e.subjectHash ?? undefined}>{e.subjectHash ? `${e.subjectHash.slice(0, 12)}…` : ''}</td>
                  <td>{e.target ?? ''}</td>
                  <td>{e.resultCount}</td>
                  <td className="json">{shown(e.before)}</td>
                  <td className="json">{shown(e.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager pageInfo={log.pageInfo} paged={after !== null} hrefAfter={(c) => privacyHref('audit', null, { after: c, first: first === 100 ? null : first })} />
        </>
      ) : null}
    </div>
  );
}
