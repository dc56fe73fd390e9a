/**
 * Compare runs (`#/compare?ids=a,b,c`): 2 to 20 contexts side by side, from
 * `compareContexts`: each execution's parameters, the inputs' URIs, the metrics, one
 * column per context, rows that differ highlighted (a class for the eye, a "≠" and a
 * "differs" text for everyone else). A picker lists contexts by name or type (the `pick`
 * text is in the route too). One request: the picker's list and, when 2 to 20 ids are
 * chosen, the comparison (an @include variable), so a wrong count never reaches the server.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '../api/use-query';
import { href, listParam, type Route } from '../app/routes';
import { navigate } from '../app/use-route';
import { quote } from './find-query';
import { displayName, formatPath, formatValue } from './format';
import './compare-view.css';

export const MIN_COMPARED = 2;
export const MAX_COMPARED = 20;
const PICK_SIZE = 25;

const ARTIFACT = 'id name uri';
export const COMPARE_QUERY = /* GraphQL */ `
  query Compare($ids: [ID!]!, $compare: Boolean!, $pickWhere: String, $pickFirst: Int!) {
    candidates: contexts(where: $pickWhere, first: $pickFirst, orderBy: { field: CREATE_TIME, ascending: false }) {
      totalCount nodes { id name type { name } }
    }
    compareContexts(ids: $ids) @include(if: $compare) {
      truncated
      contexts { id name type { name } }
      executions { type { name version } position executions { id name lastKnownState } properties { name custom values differs } }
      inputs { type { name version } path { index key } position artifacts { ${ARTIFACT} } uris differs }
      metrics { type { name version } position artifacts { ${ARTIFACT} } properties { name custom values differs } }
    }
  }
`;

interface Ref { id: string; name: string | null }
interface Compared { name: string; custom: boolean; values: unknown[]; differs: boolean }
export interface Comparison {
  truncated: boolean;
  contexts: { id: string; name: string; type: { name: string } }[];
  executions: { type: { name: string; version: string | null }; position: number; executions: (Ref & { lastKnownState: string } | null)[]; properties: Compared[] }[];
  inputs: { type: { name: string; version: string | null }; path: { index: number | null; key: string | null }[]; position: number; artifacts: (Ref & { uri: string | null } | null)[]; uris: (string | null)[]; differs: boolean }[];
  metrics: { type: { name: string; version: string | null }; position: number; artifacts: (Ref & { uri: string | null } | null)[]; properties: Compared[] }[];
}
export interface CompareData {
  candidates: { totalCount: number; nodes: { id: string; name: string; type: { name: string } }[] };
  compareContexts?: Comparison;
}

/** Why the ids cannot be compared, or null when they can. */
export function countProblem(count: number): string | null {
  if (count < MIN_COMPARED) return `Pick at least ${MIN_COMPARED} contexts to compare (${count} chosen).`;
  if (count > MAX_COMPARED) return `At most ${MAX_COMPARED} contexts can be compared at once (${count} chosen): remove ${count - MAX_COMPARED}.`;
  return null;
}

/** The picker's filter: name or type name contains the text; every context when it is empty. */
export function pickWhere(text: string): string | null {
  const t = text.trim();
  return t === '' ? null : `(name LIKE ${quote(`%${t}%`)} OR type LIKE ${quote(`%${t}%`)})`;
}

export function CompareView({ route }: { route: Route }): ReactNode {
  const ids = [...new Set(listParam(route.params, 'ids'))];
  const pick = route.params.get('pick') ?? '';
  const problem = countProblem(ids.length);
  const [draft, setDraft] = useState(pick);
  const { data, error, loading } = useQuery<CompareData>(COMPARE_QUERY, { ids, compare: problem === null, pickWhere: pickWhere(pick), pickFirst: PICK_SIZE });
  const go = (next: string[], nextPick = pick): void => navigate(href('compare', null, { ids: next, pick: nextPick }));
  const toggle = (id: string): void => go(ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]);
  const search = (e: FormEvent): void => { e.preventDefault(); go(ids, draft); };
  const names = new Map<string, string>();
  for (const c of [...(data?.candidates.nodes ?? []), ...(data?.compareContexts?.contexts ?? [])]) names.set(c.id, `${c.type.name} ${c.name}`);
  return (
    <section className="view compare-view">
      <h1>Compare runs</h1>
      <div className="compare-picker">
        <div className="chosen" aria-label="Chosen contexts">
          {ids.length === 0 ? <span className="muted">None chosen.</span> : ids.map((id) => (
            <span key={id} className="chip" data-context-id={id}>
              {names.get(id) ?? `#${id}`}{' '}
              <button type="button" aria-label={`Remove ${names.get(id) ?? id}`} onClick={() => toggle(id)}>×</button>
            </span>
          ))}
        </div>
        <form onSubmit={search} role="search">
          <label>Contexts whose name or type contains <input name="pick" value={draft} onChange={(e) => setDraft(e.target.value)} /></label>{' '}
          <button type="submit">List</button>
        </form>
        {data ? (
          <ul className="candidates" aria-label="Contexts to choose from">
            {data.candidates.nodes.map((c) => (
              <li key={c.id} data-context-id={c.id}>
                <label>
                  <input type="checkbox" checked={ids.includes(c.id)} onChange={() => toggle(c.id)} />{' '}
                  <span className="type">{c.type.name}</span> {c.name}
                </label>
              </li>
            ))}
            {data.candidates.totalCount > data.candidates.nodes.length ? <li className="muted">…{data.candidates.totalCount - data.candidates.nodes.length} more: narrow the search.</li> : null}
          </ul>
        ) : null}
      </div>
      {problem ? <p className="warning" role="status" data-testid="compare-problem">{problem}</p> : null}
      {loading ? <p className="muted">Loading…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {data?.compareContexts ? <ComparisonTables comparison={data.compareContexts} /> : null}
    </section>
  );
}

function Head({ comparison, first }: { comparison: Comparison; first: string }): ReactNode {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {comparison.contexts.map((c) => <th scope="col" key={c.id} data-context-id={c.id}><a href={href('browse', c.id)}>{c.name}</a> <span className="type">{c.type.name}</span></th>)}
      </tr>
    </thead>
  );
}

/** A value cell; in a row that differs, marked by class, a visible ≠ and a text for screen readers. */
function Cell({ differs, children }: { differs: boolean; children: ReactNode }): ReactNode {
  return (
    <td className={differs ? 'differs' : undefined} data-differs={differs ? 'true' : undefined}>
      {differs ? <><span className="differs-mark" aria-hidden="true">≠ </span><span className="sr-only">differs: </span></> : null}
      {children}
    </td>
  );
}

function PropertyRows({ properties, section }: { properties: Compared[]; section: string }): ReactNode {
  return properties.map((p) => (
    <tr key={`${section}:${p.custom ? 'c' : 'p'}:${p.name}`} data-property={p.name} data-differs={p.differs ? 'true' : 'false'} className="property-row">
      <th scope="row">{p.name}{p.custom ? <span className="muted"> (custom)</span> : null}</th>
      {p.values.map((v, i) => <Cell key={i} differs={p.differs}>{v === null || v === undefined ? <span className="muted">—</span> : formatValue(v)}</Cell>)}
    </tr>
  ));
}

function typeLabel(t: { name: string; version: string | null }, position: number): string {
  return `${t.name}${t.version ? ` (${t.version})` : ''}${position > 1 ? ` #${position}` : ''}`;
}

function ComparisonTables({ comparison }: { comparison: Comparison }): ReactNode {
  const span = comparison.contexts.length + 1;
  return (
    <div className="comparison" data-testid="comparison">
      {comparison.truncated ? <p className="warning">truncated: a context has more than 1,000 executions; only the oldest 1,000 were compared.</p> : null}
      <table data-testid="compare-executions">
        <caption>Executions and their parameters</caption>
        <Head comparison={comparison} first="Step / parameter" />
        {comparison.executions.map((row) => (
          <tbody key={`${row.type.name}:${row.type.version ?? ''}:${row.position}`} data-execution-type={row.type.name}>
            <tr className="group-row">
              <th scope="row">{typeLabel(row.type, row.position)}</th>
              {row.executions.map((e, i) => <td key={i}>{e ? <a href={href('node', e.id)}>{displayName(e)}</a> : <span className="muted">none</span>}{e ? <span className="muted"> {e.lastKnownState}</span> : null}</td>)}
            </tr>
            <PropertyRows properties={row.properties} section={`${row.type.name}:${row.position}`} />
          </tbody>
        ))}
        {comparison.executions.length === 0 ? <tbody><tr><td colSpan={span} className="muted">No executions.</td></tr></tbody> : null}
      </table>
      <table data-testid="compare-inputs">
        <caption>Inputs (data read from outside the run)</caption>
        <Head comparison={comparison} first="Input" />
        <tbody>
          {comparison.inputs.map((row) => (
            <tr key={`${row.type.name}:${formatPath(row.path)}:${row.position}`} data-input-type={row.type.name} data-differs={row.differs ? 'true' : 'false'}>
              <th scope="row">{typeLabel(row.type, row.position)}{row.path.length > 0 ? <span className="muted"> at {formatPath(row.path)}</span> : null}</th>
              {row.artifacts.map((a, i) => (
                <Cell key={i} differs={row.differs}>
                  {a ? <><a href={href('node', a.id)}>{displayName(a)}</a><br /><code>{row.uris[i] ?? '—'}</code></> : <span className="muted">none</span>}
                </Cell>
              ))}
            </tr>
          ))}
          {comparison.inputs.length === 0 ? <tr><td colSpan={span} className="muted">No inputs.</td></tr> : null}
        </tbody>
      </table>
      <table data-testid="compare-metrics">
        <caption>Metrics</caption>
        <Head comparison={comparison} first="Metrics / value" />
        {comparison.metrics.map((row) => (
          <tbody key={`${row.type.name}:${row.type.version ?? ''}:${row.position}`} data-metrics-type={row.type.name}>
            <tr className="group-row">
              <th scope="row">{typeLabel(row.type, row.position)}</th>
              {row.artifacts.map((a, i) => <td key={i}>{a ? <a href={href('node', a.id)}>{displayName(a)}</a> : <span className="muted">none</span>}</td>)}
            </tr>
            <PropertyRows properties={row.properties} section={`m:${row.type.name}:${row.position}`} />
          </tbody>
        ))}
        {comparison.metrics.length === 0 ? <tbody><tr><td colSpan={span} className="muted">No metrics.</td></tr></tbody> : null}
      </table>
    </div>
  );
}
