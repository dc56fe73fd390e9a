/**
 * The impact report as CSV rows: one row per affected model, artifact, execution and
 * context, with a section column, so the export holds exactly what the report listed.
 */
import { toCsv, type CsvValue } from './csv';

export interface ImpactNodeRow {
  id: string; kind: 'ARTIFACT' | 'EXECUTION'; distance: number;
  artifact: { name: string | null; uri: string | null; state: string; type: { name: string } } | null;
  execution: { name: string | null; lastKnownState: string; type: { name: string } } | null;
}
export interface ImpactContextRow { artifactCount: number; executionCount: number; context: { id: string; name: string; type: { name: string } } }
export interface ImpactListPage<T> { totalCount: number; nodes: T[] }
export interface ImpactReportData {
  start: ImpactNodeRow[];
  truncated: boolean;
  artifactCount: number; executionCount: number; modelCount: number;
  countsByType: { kind: string; typeName: string; typeVersion: string | null; baseType: string | null; count: number }[];
  countsByBaseType: { kind: string; baseType: string | null; count: number }[];
  models: ImpactListPage<ImpactNodeRow>;
  artifacts: ImpactListPage<ImpactNodeRow>;
  executions: ImpactListPage<ImpactNodeRow>;
  contexts: ImpactListPage<ImpactContextRow>;
}

export const IMPACT_CSV_HEADER = ['section', 'kind', 'id', 'type', 'name', 'uri', 'state', 'distance', 'artifactCount', 'executionCount'] as const;

function nodeRecord(section: string, n: ImpactNodeRow): CsvValue[] {
  const item = n.artifact ?? n.execution;
  return [section, n.kind, n.id, item?.type.name, item?.name, n.artifact?.uri, n.artifact?.state ?? n.execution?.lastKnownState, n.distance, null, null];
}

export function impactCsv(report: ImpactReportData): string {
  return toCsv([
    [...IMPACT_CSV_HEADER],
    ...report.models.nodes.map((n) => nodeRecord('model', n)),
    ...report.artifacts.nodes.map((n) => nodeRecord('artifact', n)),
    ...report.executions.nodes.map((n) => nodeRecord('execution', n)),
    ...report.contexts.nodes.map((c) => ['context', 'CONTEXT', c.context.id, c.context.type.name, c.context.name, null, null, null, c.artifactCount, c.executionCount]),
  ]);
}
