/**
 * Access: paste an API key once; it is kept for this browser session only (session-key.ts)
 * and sent as a Bearer token. Shows the role the server reports and what it allows.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useCaller, type Permission } from '../app/caller';
import type { Route } from '../app/routes';

const ALLOWS: Record<Permission, string> = {
  READ: 'read metadata and lineage',
  WRITE: 'write metadata',
  PRIVACY: 'personal data: subjects, inventory, erasure, audit log',
  KEYS: 'manage API keys',
};

export function AccessView({ reason }: { route: Route; reason: string | null }): ReactNode {
  const { caller, error, hasKey, setKey } = useCaller();
  // Opened at #/access the frame passes no reason: the caller's own error still says why no one is signed in.
  const why = reason ?? error;
  const [draft, setDraft] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setKey(draft);
    setDraft('');
  };
  return (
    <section className="view access-view">
      <h1>Access</h1>
      {why && !caller ? <p className="error" role="alert">{why}</p> : null}
      {caller ? (
        <div className="caller">
          <p>
            Talking as <strong data-testid="caller-role">{caller.role.toLowerCase()}</strong>
            {caller.anonymous ? ' (open local mode: the server takes no key)' : ''}.
          </p>
          <ul className="allows">
            {caller.permissions.map((p) => <li key={p} data-permission={p}>{ALLOWS[p]}</li>)}
          </ul>
          {Object.keys(ALLOWS).some((p) => !caller.permissions.includes(p as Permission)) ? (
            <p className="muted not-allowed">
              Not with this {caller.anonymous ? 'mode' : 'key'} (hidden here, and refused by the server):{' '}
              {Object.entries(ALLOWS).filter(([p]) => !caller.permissions.includes(p as Permission)).map(([, what]) => what).join('; ')}.
            </p>
          ) : null}
        </div>
      ) : null}
      <form onSubmit={submit} className="key-form" autoComplete="off">
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key" name="api-key" type="password" value={draft} spellCheck={false}
          placeholder="djk_…" onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" disabled={draft.trim() === ''}>Use this key</button>
        {hasKey ? <button type="button" onClick={() => setKey(null)}>Forget the key</button> : null}
      </form>
      <p className="muted">The key stays in this browser tab until it closes; it is never put in a URL or in local storage.</p>
    </section>
  );
}
