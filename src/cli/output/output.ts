/**
 * How server commands print answers. The format is --format's, else a table on a terminal
 * and JSON when stdout is piped or redirected (a script reading the output never gets a
 * table it would have to parse). JSON is the GraphQL answer's data as the command built it,
 * two-space indented, keys in the query's order. Tables, CSV and markdown are drawn from one
 * `Tabular` (columns and rows), so every command offers the same three the same way.
 */
import { Option } from 'commander';
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../exit-codes.js';
import { INVISIBLE, markdownText, visibleEscape } from './text-escapes.js';

/** Every output format a command may offer. */
export type OutputFormat = 'table' | 'json' | 'csv' | 'markdown' | 'dot' | 'mermaid' | 'svg';

/** A cell value; null prints as `-` in tables and markdown, empty in CSV. */
export type Cell = string | number | boolean | null;

/** Rows under named columns. */
export interface Tabular {
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
}

/** The --format option offering `formats` (default: table on a terminal, else json). */
export function formatOption(formats: readonly OutputFormat[]): Option {
  return new Option('--format <format>', 'output format (default: table on a terminal, json when piped)').choices(formats);
}

/**
 * The format to print in: `given` when set (it must be one of `formats`: commander's
 * choices check it, this checks again for callers that bypass it), else table on a
 * terminal when offered, else json.
 */
export function chooseFormat<F extends OutputFormat>(given: string | undefined, formats: readonly F[], isTerminal = process.stdout.isTTY === true): F {
  if (given !== undefined) {
    if (!(formats as readonly string[]).includes(given)) throw new UsageError(`--format must be one of ${formats.join(', ')}, got ${JSON.stringify(given)}`);
    return given as F;
  }
  return (isTerminal && (formats as readonly string[]).includes('table') ? 'table' : 'json') as F;
}

/** `data` as the JSON the commands print: two-space indented, one trailing newline. */
export const renderJson = (data: unknown): string => `${JSON.stringify(data, null, 2)}\n`;

/**
 * A cell as terminal text: control and format characters (a newline, an ANSI escape
 * sequence, a bidi override that would show a name reversed) are shown as escapes, so no
 * value can redraw or recolour the terminal, break a row, or read as something else.
 */
export function terminalText(value: Cell): string {
  if (value === null) return '-';
  return String(value).replace(INVISIBLE, visibleEscape);
}

/** `tabular` as a boxed table (cli-table3), without colours so it reads the same in a log. */
export function renderTable(tabular: Tabular): string {
  // No rule between rows: a long answer stays one line per row, easy to scan and to grep.
  const table = new Table({
    head: [...tabular.columns], style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of tabular.rows) table.push(row.map(terminalText));
  return `${table.toString()}\n`;
}

/**
 * A CSV cell: a string a spreadsheet would run as a formula (starting with =, +, -, @, a
 * tab or a carriage return) is prefixed with ' (OWASP's advice), so an export opened in a
 * spreadsheet never runs what a node's name carries. Numbers are written as they are.
 */
function csvCell(value: Cell): string | number | boolean | null {
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) return `'${value}`;
  return value;
}

/** `tabular` as CSV (RFC 4180 quoting by csv-stringify), a header row first. */
export function renderCsv(tabular: Tabular): string {
  return stringify([[...tabular.columns], ...tabular.rows.map((r) => r.map(csvCell))], { cast: { boolean: (b) => String(b) } });
}

/** A markdown table cell: the value as literal text (text-escapes.ts), `-` for none. */
export function markdownCell(value: Cell): string {
  return value === null ? '-' : markdownText(String(value));
}

/** `tabular` as a GitHub-flavoured markdown table, ready to paste into a comment. */
export function renderMarkdown(tabular: Tabular): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(tabular.columns.map(markdownCell)),
    line(tabular.columns.map(() => '---')),
    ...tabular.rows.map((r) => line(r.map(markdownCell))),
  ].join('\n') + '\n';
}

/** `tabular` in a tabular format; json prints `data` instead (the answer as the command shaped it). */
export function renderTabular(format: 'table' | 'json' | 'csv' | 'markdown', tabular: Tabular, data: unknown): string {
  switch (format) {
    case 'table': return renderTable(tabular);
    case 'csv': return renderCsv(tabular);
    case 'markdown': return renderMarkdown(tabular);
    case 'json': return renderJson(data);
  }
}

/**
 * Writes `text` to stdout and resolves once it is flushed, so the process never exits
 * with a large answer half-written to a pipe. A reader that went away (EPIPE: `| head`)
 * ends the write quietly: the reader already has all it wanted.
 */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => {
      if (error && (error as NodeJS.ErrnoException).code !== 'EPIPE') reject(error);
      else resolve();
    });
  });
}
