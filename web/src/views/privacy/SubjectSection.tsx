/**
 * Data subject: where one person's data went (GDPR Art. 15 and 17). The identifier is typed
 * into a form and kept in this component's memory only: not in the URL, history, storage or
 * the console; it travels as a variable of one POST (DataSubjectLineage), and again for the
 * access report. The report is drawn on the graph canvas and listed, affected models first.
 */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '../../api/use-query';
import { href } from '../../app/routes';
import { navigate } from '../../app/use-route';
import { GraphCanvas } from '../../graph/GraphCanvas';
import { AccessReportDownload } from './AccessReportDownload';
import { nameOf, specialLabel, SUBJECT_QUERY, type AffectedArtifactData, type SubjectData } from './privacy-queries';
import { BOUNDARY_BADGE, subjectGraph } from './subject-graph';

export function SubjectSection(): ReactNode {
  const [draft, setDraft] = useState('');
  const [subject, setSubject] = useState<string | null>(null);
  const { data, error, loading } = useQuery<SubjectData>(SUBJECT_QUERY, { subjectId: subject ?? '' }, subject === null);
  const submit = (e: FormEvent): void => {
    // Never let the browser submit the form itself: a GET submission would put the field in the URL.
    e.preventDefault();
    const typed = draft.trim();
    setSubject(typed === '' ? null : typed);
  };
  const forget = (): void => { setDraft(''); setSubject(null); };
  const report = data?.dataSubjectLineage ?? null;
  return (
    <div className="privacy-subject">
      <form className="subject-form" onSubmit={submit} autoComplete="off">
        <label htmlFor="subject-id">Subject identifier</label>
        {/* No name attribute: nothing of it can reach a URL or the browser's form history. */}
        <input
          id="subject-id" type="text" autoComplete="off" spellCheck={false} value={draft}
          onChange={(e) => setDraft(e.target.value)} placeholder="as registered with registerDataSubjects"
        />
        <button type="submit" disabled={draft.trim() === ''}>Trace</button>
        {subject !== null ? <button type="button" onClick={forget}>Forget the identifier</button> : null}
      </form>
      <p className="muted">The identifier stays in this page only; the server hashes it at once and keeps it nowhere. Every query is audited.</p>
      {loading ? <p className="muted">Tracing…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {report && subject !== null ? <SubjectReport report={report} subject={subject} /> : null}
    </div>
  );
}

function SubjectReport({ report, subject }: { report: SubjectData['dataSubjectLineage']; subject: string }): ReactNode {
  const graph = useMemo(() => subjectGraph(report), [report]);
  if (!report.found) {
    return <p className="subject-not-found" data-found="false">No artifact is registered as holding this subject&apos;s records.</p>;
  }
  const byId = new Map(report.affected.map((a) => [a.artifact.id, a]));
  const models = report.models.map((m) => byId.get(m.artifact.id)).filter((a): a is AffectedArtifactData => a !== undefined);
  return (
    <div className="subject-report" data-found="true">
      <p className="subject-summary">
        The data reached <strong>{report.affected.length}</strong> artifacts ({models.length} models) from{' '}
        <strong>{report.sources.length}</strong> registered sources, through {report.executions.length} executions
        in {report.contexts.length} contexts.
        {report.truncated ? <span className="warning"> truncated: the search hit the hop or node ceiling</span> : null}
      </p>
      <AccessReportDownload subject={subject} />
      <Legend />
      <GraphCanvas nodes={graph.nodes} edges={graph.edges} onNodeClick={(n) => navigate(href('node', n.id))} />
      <section aria-labelledby="affected-models">
        <h2 id="affected-models">Affected models</h2>
        {models.length === 0 ? <p className="muted">None.</p> : <AffectedTable rows={models} id="models-table" />}
      </section>
      <section aria-labelledby="affected-all">
        <h2 id="affected-all">Affected artifacts</h2>
        <p className="muted">The sources (distance 0), then everything the data reaches downstream; by distance, then id.</p>
        <AffectedTable rows={report.affected} id="affected-table" />
      </section>
      <div className="subject-lists">
        <section aria-labelledby="subject-executions">
          <h2 id="subject-executions">Executions that read the data</h2>
          <ul>{report.executions.map((x) => (
            <li key={x.id} data-node-id={x.id}>
              <a href={href('node', x.id)}>{nameOf(x)}</a> <span className="type">{x.type.name}</span>
              {x.privacy && x.privacy.transform !== 'NONE' ? <span className="transform"> {x.privacy.transform.toLowerCase()}</span> : null}
            </li>
          ))}</ul>
        </section>
        <section aria-labelledby="subject-contexts">
          <h2 id="subject-contexts">Contexts</h2>
          <ul>{report.contexts.map((c) => (
            <li key={c.id} data-node-id={c.id}><a href={href('node', c.id)}>{nameOf(c)}</a> <span className="type">{c.type.name}</span></li>
          ))}</ul>
        </section>
        <section aria-labelledby="subject-boundary">
          <h2 id="subject-boundary">Anonymised boundary</h2>
          <p className="muted">Outputs of anonymising steps the data reached but did not pass.</p>
          {report.anonymizedBoundary.length === 0 ? <p className="muted">None.</p> : (
            <ul>{report.anonymizedBoundary.map((b) => (
              <li key={b.id} data-node-id={b.id}><a href={href('node', b.id)}>{nameOf(b)}</a> <span className="type">{b.type.name}</span></li>
            ))}</ul>
          )}
        </section>
      </div>
    </div>
  );
}

function AffectedTable({ rows, id }: { rows: AffectedArtifactData[]; id: string }): ReactNode {
  return (
    <table className="affected" data-testid={id}>
      <thead><tr><th>Artifact</th><th>Type</th><th>Distance</th><th>Categories</th><th>Special categories</th><th>Pseudonymised</th></tr></thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.artifact.id} data-node-id={a.artifact.id}>
            <td><a href={href('node', a.artifact.id)}>{nameOf(a.artifact)}</a></td>
            <td>{a.artifact.type.name}</td>
            <td>{a.distance}</td>
            <td>{a.categories.join(', ')}</td>
            <td>{a.specialCategories.map(specialLabel).join(', ')}</td>
            <td>{a.pseudonymized ? 'yes' : 'no'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Legend(): ReactNode {
  return (
    <ul className="privacy-legend" aria-label="Legend">
      <li><span className="swatch swatch-source" /> registered source (holds the subject&apos;s records)</li>
      <li><span className="swatch swatch-affected" /> badge: the subject&apos;s categories it holds; &quot;pseudonymised:&quot; when all of them are</li>
      <li><span className="swatch swatch-boundary" /> {BOUNDARY_BADGE}</li>
      <li><span className="swatch swatch-execution" /> execution (badge: its privacy transform)</li>
    </ul>
  );
}
