/**
 * CSV as RFC 4180 writes it (CRLF between records, a field quoted when it holds a quote,
 * comma, CR or LF, quotes doubled), with one addition for spreadsheets: a field starting
 * with =, +, -, @ (or a tab or CR, which some spreadsheets skip before them) is prefixed
 * with a single quote, so a hostile node name cannot become a formula when the export is
 * opened in Excel or LibreOffice (OWASP's "CSV injection" advice).
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: neutralised against formula injection, then quoted when RFC 4180 needs it. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Numbers are data, not text a user typed: -1 stays a number a spreadsheet can sum.
  if (typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Records (the header first) as one CSV text, each record ended by CRLF. */
export function toCsv(records: readonly (readonly CsvValue[])[]): string {
  return records.map((record) => `${record.map(csvField).join(',')}\r\n`).join('');
}

/** Offers `text` as a file download through a blob: URL (no data leaves the page). */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
