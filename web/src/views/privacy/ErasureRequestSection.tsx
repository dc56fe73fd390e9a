/**
 * One erasure request's page (`#/privacy/erasure/<requestId>`): its items in the request's
 * order (by distance from the subject's sources, then id) with their status and note, the
 * artifacts it does not cover, and per item the status change the privacy role may make
 * (UpdateErasureItem), the page then shown from the mutation's answer. One request to load.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { request } from '../../api/graphql-client';
import { useQuery } from '../../api/use-query';
import { href } from '../../app/routes';
import { ErasureProgressBar } from './ErasureProgressBar';
import {
  ERASURE_REQUEST_QUERY, nameOf, SETTABLE_STATUSES, UPDATE_ITEM_MUTATION, whenOf,
  type ErasureItemData, type ErasureRequestAnswer, type ErasureRequestData, type ErasureStatus,
} from './privacy-queries';
import { privacyHref } from './privacy-routes';

export function ErasureRequestSection({ requestId }: { requestId: string }): ReactNode {
  const { data, error, loading } = useQuery<ErasureRequestAnswer>(ERASURE_REQUEST_QUERY, { id: requestId });
  const [updated, setUpdated] = useState<ErasureRequestData | null>(null);
  useEffect(() => { setUpdated(null); }, [requestId]);
  const shown = updated ?? data?.erasureRequest ?? null;
  return (
    <div className="privacy-erasure-request">
      <p><a href={privacyHref('erasure')}>All erasure requests</a></p>
      {loading && !shown ? <p className="muted">Loading…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {data && data.erasureRequest === null ? <p className="error" role="alert">There is no erasure request with this id.</p> : null}
      {shown ? <RequestPage request={shown} onUpdated={setUpdated} /> : null}
    </div>
  );
}

function RequestPage({ request: r, onUpdated }: { request: ErasureRequestData; onUpdated: (r: ErasureRequestData) => void }): ReactNode {
  return (
    <div className="erasure-request" data-request-id={r.id} data-complete={r.complete ? 'true' : 'false'}>
      <h2>Erasure request <span className="mono">{r.id}</span></h2>
      <dl className="facts">
        <dt>Made</dt><dd title={r.createdAt}>{whenOf(r.createdAt)} UTC</dd>
        <dt>Reason</dt><dd>{r.reason ?? '—'}</dd>
        <dt>Progress</dt><dd><ErasureProgressBar progress={r.progress} /></dd>
        <dt>Complete</dt><dd>{r.complete ? 'yes: no item is pending; the subject\'s registrations on the listed artifacts were removed' : 'no'}</dd>
      </dl>
      <table className="erasure-items" data-testid="erasure-items">
        <thead><tr><th>#</th><th>Artifact</th><th>Type</th><th>Status</th><th>Note</th><th>Updated</th><th>Change</th></tr></thead>
        <tbody>
          {r.items.map((item, i) => (
            <tr key={item.artifact.id} data-artifact-id={item.artifact.id} data-status={item.status}>
              <td>{i + 1}</td>
              <td><a href={href('node', item.artifact.id)}>{nameOf(item.artifact)}</a></td>
              <td>{item.artifact.type.name}</td>
              <td className={`status status-${item.status.toLowerCase()}`}>{item.status.toLowerCase()}</td>
              <td>{item.note ?? ''}</td>
              <td className="when" title={item.updatedAt}>{whenOf(item.updatedAt)}</td>
              <td><ItemUpdate requestId={r.id} item={item} onUpdated={onUpdated} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <section aria-labelledby="not-covered">
        <h3 id="not-covered">Not covered</h3>
        <p className="muted">
          Artifacts where the subject is registered now that this request does not list (registered after it was made):
          completing it leaves these registrations, so the subject stays traceable through them until a new request covers them.
        </p>
        {r.notCovered.length === 0 ? <p className="muted">None.</p> : (
          <ul className="not-covered">{r.notCovered.map((a) => (
            <li key={a.id} data-node-id={a.id}><a href={href('node', a.id)}>{nameOf(a)}</a> <span className="type">{a.type.name}</span></li>
          ))}</ul>
        )}
      </section>
    </div>
  );
}

function ItemUpdate({ requestId, item, onUpdated }: { requestId: string; item: ErasureItemData; onUpdated: (r: ErasureRequestData) => void }): ReactNode {
  const [status, setStatus] = useState<ErasureStatus>('ERASED');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = `item-${item.artifact.id}`;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    request<{ updateErasureItem: ErasureRequestData }>(UPDATE_ITEM_MUTATION, {
      requestId, artifactId: item.artifact.id, status, note: note.trim() === '' ? null : note.trim(),
    }).then(
      (data) => { setBusy(false); setNote(''); onUpdated(data.updateErasureItem); },
      (err: unknown) => { setBusy(false); setError(err instanceof Error ? err.message : String(err)); },
    );
  };
  return (
    <form className="item-update" onSubmit={submit}>
      <label htmlFor={`${id}-status`} className="sr-only">New status of {nameOf(item.artifact)}</label>
      <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as ErasureStatus)}>
        {SETTABLE_STATUSES.map((s) => <option key={s} value={s}>{s.toLowerCase()}</option>)}
      </select>
      <label htmlFor={`${id}-note`} className="sr-only">Note{status === 'EXEMPT' ? ' (required: which exemption)' : ''}</label>
      <input id={`${id}-note`} type="text" value={note} onChange={(e) => setNote(e.target.value)}
        placeholder={status === 'EXEMPT' ? 'which exemption (required)' : 'note'} />
      <button type="submit" disabled={busy || (status === 'EXEMPT' && note.trim() === '')}>Set</button>
      {error ? <span className="error" role="alert">{error}</span> : null}
    </form>
  );
}
