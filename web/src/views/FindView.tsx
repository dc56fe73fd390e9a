/**
 * Find: artifacts, executions and contexts whose name contains the text, in one request
 * (three aliased connections). A link to each node's lineage.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '../api/use-query';
import { href, type Route } from '../app/routes';
import { navigate } from '../app/use-route';

export const FIND_QUERY = /* GraphQL */ `
  query Find($where: String!, $first: Int!) {
    artifacts(where: $where, first: $first) { totalCount nodes { id name uri type { name } } }
    executions(where: $where, first: $first) { totalCount nodes { id name type { name } } }
    contexts(where: $where, first: $first) { totalCount nodes { id name type { name } } }
  }
`;

interface Hit { id: string; name: string | null; uri?: string | null; type: { name: string } }
interface FindData {
  artifacts: { totalCount: number; nodes: Hit[] };
  executions: { totalCount: number; nodes: Hit[] };
  contexts: { totalCount: number; nodes: Hit[] };
}

/** ML Metadata's filter language has no escape inside quotes but doubling: a quote in the text stays a quote. */
export function nameContains(text: string): string {
  return `name LIKE '%${text.replace(/'/g, "''")}%'`;
}

export function FindView({ route }: { route: Route }): ReactNode {
  const q = route.params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const { data, error, loading } = useQuery<FindData>(FIND_QUERY, { where: nameContains(q), first: 50 }, q === '');
  const submit = (e: FormEvent): void => { e.preventDefault(); navigate(href('find', null, { q: draft })); };
  return (
    <section className="view find-view">
      <h1>Find</h1>
      <form onSubmit={submit} role="search">
        <input aria-label="Name contains" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="name contains…" />
        <button type="submit">Find</button>
      </form>
      {loading ? <p className="muted">Searching…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {data ? (
        <div className="results">
          {(['artifacts', 'executions', 'contexts'] as const).map((kind) => (
            <div key={kind} className={`result-group result-${kind}`}>
              <h2>{kind} ({data[kind].totalCount})</h2>
              <ul>
                {data[kind].nodes.map((n) => (
                  <li key={n.id} data-node-id={n.id}>
                    <span className="type">{n.type.name}</span> {n.name ?? n.id}{' '}
                    <a href={href('lineage', n.id)}>lineage</a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}
