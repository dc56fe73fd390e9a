/**
 * Access: paste an API key once; it is kept for this browser session only (session-key.ts)
 * and sent as a Bearer token. Shows the role the server reports and what it allows.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useCaller } from '../app/caller';
import type { Route } from '../app/routes';

const ALLOWS: Record<string, string> = {
  READ: 'read metadata and lineage',
  WRITE: 'write metadata',
  PRIVACY: 'personal data: subjects, inventory, erasure, audit log',
  KEYS: 'manage API keys',
};

export function AccessView({ reason }: { route: Route; reason: string | null }): ReactNode {
  const { caller, hasKey, setKey } = useCaller();
  const [draft, setDraft] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setKey(draft);
    setDraft('');
  };
  return (
    <section className="view access-view">
      <h1>Access</h1>
      {reason && !caller ? <p className="error" role="alert">{reason}</p> : null}
      {caller ? (
        <div className="caller">
          <p>
            Talking as <strong data-testid="caller-role">{caller.role.toLowerCase()}</strong>
            {caller.anonymous ? ' (open local mode: the server takes no key)' : ''}.
          </p>
          <ul className="allows">
            {caller.permissions.map((p) => <li key={p}>{ALLOWS[p] ?? p}</li>)}
          </ul>
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
