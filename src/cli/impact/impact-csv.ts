/**
 * The impact report as CSV: the explorer's export (web/src/views/impact-csv.ts) row for
 * row, so a file from the command line and one from the Impact view read the same: one
 * row per listed model, artifact, execution and context, with a section column.
 */
import type { MarkdownImpact, MarkdownNode } from './impact-markdown.js';

export const IMPACT_CSV_HEADER = ['section', 'kind', 'id', 'type', 'name', 'uri', 'state', 'distance', 'artifactCount', 'executionCount'] as const;

export type CsvCell = string | number | null;

/** A listed node with its uri (artifacts). */
export type CsvNode = MarkdownNode & { artifact?: (NonNullable<MarkdownNode['artifact']> & { uri?: string | null }) | null };
export type CsvImpact = Omit<MarkdownImpact, 'models' | 'artifacts' | 'executions'> & {
  models: { totalCount: number; nodes: readonly CsvNode[] };
  artifacts: { totalCount: number; nodes: readonly CsvNode[] };
  executions: { totalCount: number; nodes: readonly CsvNode[] };
};

function nodeRecord(section: string, n: CsvNode): CsvCell[] {
  const item = n.artifact ?? n.execution;
  return [section, n.kind, n.id, item?.type.name ?? null, item?.name ?? null, n.artifact?.uri ?? null,
    n.artifact?.state ?? n.execution?.lastKnownState ?? null, n.distance, null, null];
}

/** The header, then the records (see the module comment). */
export function impactCsvRecords(report: CsvImpact): CsvCell[][] {
  return [
    [...IMPACT_CSV_HEADER],
    ...report.models.nodes.map((n) => nodeRecord('model', n)),
    ...report.artifacts.nodes.map((n) => nodeRecord('artifact', n)),
    ...report.executions.nodes.map((n) => nodeRecord('execution', n)),
    ...report.contexts.nodes.map((c): CsvCell[] => ['context', 'CONTEXT', c.context.id, c.context.type.name, c.context.name, null, null, null, c.artifactCount, c.executionCount]),
  ];
}
