/**
 * The subject access report (Query.accessReport, GDPR Art. 15) as a file to hand over: one
 * request per format asked for, offered through a blob: URL made in the page (the
 * Content-Security-Policy allows nothing else, and no server URL carries the identifier).
 * The file's name never holds the identifier.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { request } from '../../api/graphql-client';
import { ACCESS_REPORT_QUERY, type ReportFormat } from './privacy-queries';

interface Prepared { format: ReportFormat; url: string; bytes: number }

const FILE: Record<ReportFormat, { name: string; type: string; label: string }> = {
  JSON: { name: 'access-report.json', type: 'application/json', label: 'JSON' },
  MARKDOWN: { name: 'access-report.md', type: 'text/markdown', label: 'Markdown' },
};

export function AccessReportDownload({ subject }: { subject: string }): ReactNode {
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A report made for one subject is never offered for another; its URL is freed when it goes.
  useEffect(() => { setPrepared(null); setError(null); }, [subject]);
  useEffect(() => () => { if (prepared) URL.revokeObjectURL(prepared.url); }, [prepared]);
  const prepare = (format: ReportFormat): void => {
    setBusy(true);
    setError(null);
    request<{ accessReport: string }>(ACCESS_REPORT_QUERY, { subjectId: subject, format }).then(
      (data) => {
        const blob = new Blob([data.accessReport], { type: FILE[format].type });
        setPrepared({ format, url: URL.createObjectURL(blob), bytes: blob.size });
        setBusy(false);
      },
      (e: unknown) => { setError(e instanceof Error ? e.message : String(e)); setBusy(false); },
    );
  };
  return (
    <div className="access-report">
      <span>Access report:</span>
      {(Object.keys(FILE) as ReportFormat[]).map((f) => (
        <button key={f} type="button" disabled={busy} onClick={() => prepare(f)}>Prepare {FILE[f].label}</button>
      ))}
      {prepared ? (
        <a className="download" href={prepared.url} download={FILE[prepared.format].name} data-format={prepared.format} data-bytes={prepared.bytes}>
          Download {FILE[prepared.format].name} ({prepared.bytes} bytes)
        </a>
      ) : null}
      {error ? <span className="error" role="alert">{error}</span> : null}
    </div>
  );
}
