/**
 * Erasure: the requests, newest first, with their progress (one request, ErasureRequests),
 * and the form that makes a new one (RequestErasure). The identifier is typed into the form
 * and forgotten once the request is made; the new request, as the server answered it, is
 * shown at the top of the list without asking again.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { request } from '../../api/graphql-client';
import { useQuery } from '../../api/use-query';
import { intParam, type Route } from '../../app/routes';
import { ErasureProgressBar } from './ErasureProgressBar';
import { Pager } from './Pager';
import { ERASURE_LIST_QUERY, REQUEST_ERASURE_MUTATION, whenOf, type ErasureListData, type ErasureSummary } from './privacy-queries';
import { privacyHref } from './privacy-routes';

export function ErasureListSection({ route }: { route: Route }): ReactNode {
  const after = route.params.get('after');
  const first = intParam(route.params, 'first', 50, 1, 1000);
  const { data, error, loading } = useQuery<ErasureListData>(ERASURE_LIST_QUERY, { first, after });
  const [made, setMade] = useState<ErasureSummary[]>([]);
  const listed = data?.erasureRequests.nodes ?? [];
  // Requests made here first (newest first), then the page, without the same request twice.
  const rows = after === null ? [...made.filter((m) => !listed.some((r) => r.id === m.id)), ...listed] : listed;
  return (
    <div className="privacy-erasure">
      <RequestErasureForm onMade={(r) => setMade((m) => [r, ...m])} />
      {loading ? <p className="muted">Loading…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {data ? (
        <>
          <table className="erasure-requests" data-testid="erasure-table">
            <thead><tr><th>Request</th><th>Made</th><th>Reason</th><th>Progress</th><th>Complete</th><th>Not covered</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-request-id={r.id}>
                  <td><a href={privacyHref('erasure', r.id)}>{r.id}</a></td>
                  <td className="when" title={r.createdAt}>{whenOf(r.createdAt)}</td>
                  <td>{r.reason ?? ''}</td>
                  <td><ErasureProgressBar progress={r.progress} /></td>
                  <td>{r.complete ? 'complete' : 'open'}</td>
                  <td>{r.notCovered.length === 0 ? '' : `${r.notCovered.length} artifacts`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p className="muted">No erasure request yet.</p> : null}
          <Pager pageInfo={data.erasureRequests.pageInfo} paged={after !== null} hrefAfter={(c) => privacyHref('erasure', null, { after: c })} />
        </>
      ) : null}
    </div>
  );
}

function RequestErasureForm({ onMade }: { onMade: (r: ErasureSummary) => void }): ReactNode {
  const [subject, setSubject] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<ErasureSummary | null>(null);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    request<{ requestErasure: ErasureSummary }>(REQUEST_ERASURE_MUTATION, { subjectId: subject.trim(), reason: reason.trim() === '' ? null : reason.trim() }).then(
      (data) => {
        // The identifier has done its work: it is not kept for another request.
        setSubject('');
        setReason('');
        setBusy(false);
        setNotice(data.requestErasure);
        onMade(data.requestErasure);
      },
      (err: unknown) => { setBusy(false); setError(err instanceof Error ? err.message : String(err)); },
    );
  };
  return (
    <form className="erasure-form" onSubmit={submit} autoComplete="off" aria-labelledby="erasure-form-title">
      <h2 id="erasure-form-title">Request erasure</h2>
      <label htmlFor="erasure-subject">Subject identifier</label>
      <input id="erasure-subject" type="text" autoComplete="off" spellCheck={false} value={subject} onChange={(e) => setSubject(e.target.value)} />
      <label htmlFor="erasure-reason">Reason</label>
      <input id="erasure-reason" type="text" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. ticket 1234 (never the identifier)" />
      <button type="submit" disabled={busy || subject.trim() === ''}>Request erasure</button>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {notice ? (
        <p className="notice" role="status">
          Erasure request made: {notice.progress.total} artifacts to deal with. <a href={privacyHref('erasure', notice.id)}>Open it</a>
        </p>
      ) : null}
    </form>
  );
}
