/**
 * The answer to a subject access request (GDPR Art. 15): what personal data is held, in
 * which artifacts, for which processing (the contexts: pipelines, runs) and derived into
 * which models. Built from a subject lineage and the records it names (two batch reads),
 * and rendered as JSON or Markdown. It never names the subject: whoever asked knows who
 * it is about, and the report may be stored or forwarded.
 */
import type { ContextRecord, NodeRecord, TypeRecord } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import { nodesById, typesById } from '../shared/batch-reads.js';
import type { AffectedArtifact, SubjectLineage } from './subject-lineage.js';

export const REPORT_FORMATS = ['JSON', 'MARKDOWN'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

interface ReportedArtifact {
  id: string;
  name: string | null;
  type: string;
  uri: string | null;
  /** Events from the artifact where the subject's records were registered: 0 for those. */
  distance: number;
  categories: string[];
  specialCategories: string[];
  /** The JSON report's field, spelled as the schema spells it. */
  pseudonymized: boolean;
}

interface ReportedNode { id: string; name: string | null; type: string }

/** The report's content, in the order it is rendered. */
export interface AccessReport {
  generatedAt: string;
  /** false: no records of the subject are held, and every list is empty. */
  found: boolean;
  /** Every category and special category held anywhere, sorted. */
  categories: string[];
  specialCategories: string[];
  /** Where the data is held: by distance from where it was registered, then id. */
  artifacts: ReportedArtifact[];
  /** Models trained on or derived from the data. */
  models: ReportedArtifact[];
  /** The processing it went through: the contexts (pipelines, runs) of the artifacts and executions involved. */
  processing: ReportedNode[];
  /** The executions that read it. */
  executions: ReportedNode[];
  /** true when the search stopped at the server's bounds, so the report may be incomplete. */
  truncated: boolean;
}

const typeName = (types: ReadonlyMap<string, TypeRecord>, typeId: string): string => types.get(typeId)?.name ?? typeId;
const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** Reads the records `lineage` names and assembles the report, inside `tx`. */
export async function accessReportInTx(tx: StoreTx, lineage: SubjectLineage, now: number): Promise<AccessReport> {
  const artifactIds = lineage.affected.map((a) => a.artifactId);
  const ids = [...artifactIds, ...lineage.executions];
  const records = await nodesById(tx, ids);
  const types = await typesById(tx, [
    ...[...records.values()].map((r) => r.typeId), ...lineage.contexts.map((c) => c.typeId),
  ]);
  const artifact = (a: AffectedArtifact): ReportedArtifact => {
    const r = records.get(a.artifactId);
    return {
      id: a.artifactId,
      name: r?.name ?? null,
      type: typeName(types, a.typeId),
      uri: r?.kind === 'ARTIFACT' ? r.uri : null,
      distance: a.distance,
      categories: a.categories,
      specialCategories: a.specialCategories,
      pseudonymized: a.pseudonymized,
    };
  };
  const node = (r: NodeRecord | ContextRecord): ReportedNode => ({ id: r.id, name: r.name, type: typeName(types, r.typeId) });
  return {
    generatedAt: new Date(now).toISOString(),
    found: lineage.found,
    categories: sorted(lineage.affected.flatMap((a) => a.categories)),
    specialCategories: sorted(lineage.affected.flatMap((a) => a.specialCategories)),
    artifacts: lineage.affected.map(artifact),
    models: lineage.models.map(artifact),
    processing: lineage.contexts.map(node),
    executions: lineage.executions.flatMap((id) => (records.has(id) ? [node(records.get(id)!)] : [])),
    truncated: lineage.truncated,
  };
}

/** The report as text in `format`. */
export function renderAccessReport(report: AccessReport, format: ReportFormat): string {
  return format === 'JSON' ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report);
}

/** HTML's special characters, as entities: a renderer that passes HTML through shows them as text. */
const HTML_ENTITIES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' };

/**
 * A caller's value as Markdown text. Names, types, URIs and categories all come from
 * callers, and the report is read in renderers that make `[x](javascript:…)` a link and
 * `<img onerror=…>` live. So HTML's characters become entities, the Markdown punctuation
 * that works mid-line (links, images, emphasis, code, strike-through, table pipes) is
 * escaped with a backslash, and line breaks are flattened: nothing from a value starts a
 * line, so the line-start marks (`#`, `-`, `1.`) stay text and ids keep their hyphens.
 */
export const markdownText = (value: string): string =>
  value.replace(/[\r\n]+/g, ' ').replace(/[<>&"']|[\\`*_[\]()|~]/g, (c) => HTML_ENTITIES[c] ?? `\\${c}`);

/** A table cell: the value as Markdown text, so a name can neither break the table nor become markup. */
const cell = (value: string | number | boolean | null): string => (value === null ? '' : markdownText(String(value)));

function table(header: string[], rows: (string | number | boolean | null)[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

const listed = (values: readonly string[]): string => (values.length === 0 ? 'none' : values.join(', '));
/** Callers' names (categories) listed as Markdown text; special categories are the schema's enum values and need no escape. */
const listedText = (values: readonly string[]): string => listed(values.map(markdownText));

function renderMarkdown(r: AccessReport): string {
  const lines = ['# Personal data access report (GDPR Art. 15)', '', `Generated ${r.generatedAt}.`, ''];
  if (!r.found) {
    lines.push('No records of this data subject are held.', '');
    return lines.join('\n');
  }
  if (r.truncated) lines.push("**Incomplete:** the search stopped at the server's bounds.", '');
  lines.push(
    '## Personal data held', '',
    `- Categories: ${listedText(r.categories)}`,
    `- Special categories (Art. 9): ${listed(r.specialCategories)}`, '',
    `## Where it is held (${r.artifacts.length} artifacts)`, '',
    ...table(['Artifact', 'Name', 'Type', 'URI', 'Categories', 'Special categories', 'Pseudonymised', 'Distance'],
      r.artifacts.map((a) => [a.id, a.name, a.type, a.uri, listed(a.categories), listed(a.specialCategories), a.pseudonymized ? 'yes' : 'no', a.distance])),
    '', `## Models derived from it (${r.models.length})`, '',
  );
  if (r.models.length === 0) lines.push('None.');
  else lines.push(...table(['Model', 'Name', 'Type', 'URI', 'Pseudonymised'], r.models.map((m) => [m.id, m.name, m.type, m.uri, m.pseudonymized ? 'yes' : 'no'])));
  lines.push('', `## Processing (${r.processing.length} contexts)`, '');
  if (r.processing.length === 0) lines.push('None recorded.');
  else lines.push(...table(['Context', 'Name', 'Type'], r.processing.map((c) => [c.id, c.name, c.type])));
  lines.push('', `## Processing steps (${r.executions.length} executions)`, '');
  if (r.executions.length === 0) lines.push('None.');
  else lines.push(...table(['Execution', 'Name', 'Type'], r.executions.map((x) => [x.id, x.name, x.type])));
  lines.push('');
  return lines.join('\n');
}
