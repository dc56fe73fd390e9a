/**
 * Impact analysis: the downstream blast radius of a set of nodes. One downstream walk,
 * then a fixed number of batch reads (types, the records of affected models, the
 * contexts of affected nodes) assembled in memory into sorted, pageable lists.
 */
import type { ContextRecord, TypeRecord } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import { recordsById, typesById } from '../shared/batch-reads.js';
import type { LineageNode } from './lineage-graph.js';
import type { LineageNodeKind } from './lineage-walk.js';
import { walkLineage } from './lineage-walk.js';
import type { ResolvedLineageQuery } from './lineage-args.js';
import { compareText } from '../shared/compare-text.js';
import { compareKeys, pageOfSorted, type CountedPage, type PageArgs, type SortKey } from '../shared/paging.js';

/** A context (pipeline, run...) holding affected nodes, with how many of each kind. */
export interface ImpactedContext {
  context: ContextRecord;
  artifactCount: number;
  executionCount: number;
}

export interface ImpactTypeCount {
  kind: LineageNodeKind;
  type: TypeRecord;
  count: number;
}

export interface ImpactBaseTypeCount {
  kind: LineageNodeKind;
  /** null for types without a base type. */
  baseType: string | null;
  count: number;
}

/**
 * Everything downstream of the start nodes. The start nodes themselves are listed in
 * `start` only; every other list and count is about the affected nodes (distance 1 or more).
 */
export interface ImpactReport {
  /** The time the report was read as of (ms; the models' records are as they stood then), or null: now. */
  asOf: number | null;
  /** The start nodes that existed (at asOf), by id. */
  start: LineageNode[];
  /** Affected artifacts whose type's base type is MODEL: LIVE ones first, then by distance, then id. */
  models: LineageNode[];
  /** Affected artifacts by distance, then id. */
  artifacts: LineageNode[];
  /** Affected executions by distance, then id. */
  executions: LineageNode[];
  /** Contexts of affected nodes, by id. */
  contexts: ImpactedContext[];
  /** Artifact types first, then execution types; most affected first, then by type name and version. */
  countsByType: ImpactTypeCount[];
  /** Artifacts first, then executions; most affected first, then by base type (none last). */
  countsByBaseType: ImpactBaseTypeCount[];
  truncated: boolean;
}

const KIND_ORDER: Record<LineageNodeKind, number> = { ARTIFACT: 0, EXECUTION: 1 };

/** The sort key of each pageable list, used both to sort it and to page it. */
export const IMPACT_LIST_KEYS = {
  models: (n: LineageNode): SortKey => [n.record?.kind === 'ARTIFACT' && n.record.state === 'LIVE' ? 0 : 1, n.distance, n.id],
  artifacts: (n: LineageNode): SortKey => [n.distance, n.id],
  executions: (n: LineageNode): SortKey => [n.distance, n.id],
  contexts: (c: ImpactedContext): SortKey => [c.context.id],
} as const;

export type ImpactListName = keyof typeof IMPACT_LIST_KEYS;

/** One page of one of the report's lists (`first` 1..1,000, default 100). */
export function pageImpactList<L extends ImpactListName>(
  report: ImpactReport, list: L, input: PageArgs,
): CountedPage<ImpactReport[L][number]> {
  const keyOf = IMPACT_LIST_KEYS[list] as (item: ImpactReport[L][number]) => SortKey;
  return pageOfSorted(report[list] as ImpactReport[L][number][], keyOf, list, input);
}

/** Walks downstream from the resolved query's start nodes and assembles the report, inside `tx`. */
export async function impactInTx(tx: StoreTx, resolved: ResolvedLineageQuery): Promise<ImpactReport> {
  const walked = await walkLineage(tx, resolved.plan);
  const asNode = (n: (typeof walked.nodes)[number]): LineageNode => ({ ...n, record: null });
  const start = walked.nodes.filter((n) => n.distance === 0).map(asNode);
  const affected = walked.nodes.filter((n) => n.distance > 0).map(asNode);
  const types = await typesById(tx, walked.nodes.map((n) => n.typeId));
  const modelIds = affected.filter((n) => n.kind === 'ARTIFACT' && types.get(n.typeId)?.baseType === 'MODEL').map((n) => n.id);
  const modelRecords = await recordsById(tx, modelIds, resolved.plan.asOf);
  const models = affected
    .filter((n) => modelRecords.has(n.id))
    .map((n) => ({ ...n, record: modelRecords.get(n.id)! }))
    .sort((a, b) => compareKeys(IMPACT_LIST_KEYS.models(a), IMPACT_LIST_KEYS.models(b)));
  return {
    start,
    models,
    artifacts: affected.filter((n) => n.kind === 'ARTIFACT').map((n) => withRecord(n, modelRecords)),
    executions: affected.filter((n) => n.kind === 'EXECUTION'),
    contexts: await contextsOf(tx, affected),
    countsByType: countByType(affected, types),
    countsByBaseType: countByBaseType(affected, types),
    truncated: walked.truncated,
    asOf: resolved.plan.asOf,
  };
}

/** The node with its record when impact read it anyway (models), so the API need not read it again. */
function withRecord(n: LineageNode, records: ReadonlyMap<string, LineageNode['record']>): LineageNode {
  const record = records.get(n.id);
  return record ? { ...n, record } : n;
}

async function contextsOf(tx: StoreTx, affected: readonly LineageNode[]): Promise<ImpactedContext[]> {
  if (affected.length === 0) return [];
  const lists = await tx.contextsOfNodes(affected.map((n) => n.id));
  const byId = new Map<string, ImpactedContext>();
  affected.forEach((node, i) => {
    for (const context of lists[i] ?? []) {
      let entry = byId.get(context.id);
      if (!entry) {
        entry = { context, artifactCount: 0, executionCount: 0 };
        byId.set(context.id, entry);
      }
      if (node.kind === 'ARTIFACT') entry.artifactCount += 1;
      else entry.executionCount += 1;
    }
  });
  return [...byId.values()].sort((a, b) => compareText(a.context.id, b.context.id));
}

function countByType(affected: readonly LineageNode[], types: ReadonlyMap<string, TypeRecord>): ImpactTypeCount[] {
  const counts = new Map<string, ImpactTypeCount>();
  for (const n of affected) {
    const type = types.get(n.typeId);
    if (!type) continue;
    const entry = counts.get(type.id) ?? { kind: n.kind, type, count: 0 };
    entry.count += 1;
    counts.set(type.id, entry);
  }
  return [...counts.values()].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.count - a.count
    || compareText(a.type.name, b.type.name) || compareText(a.type.version ?? '', b.type.version ?? ''));
}

function countByBaseType(affected: readonly LineageNode[], types: ReadonlyMap<string, TypeRecord>): ImpactBaseTypeCount[] {
  const counts = new Map<string, ImpactBaseTypeCount>();
  for (const n of affected) {
    const baseType = types.get(n.typeId)?.baseType ?? null;
    const key = `${n.kind} ${baseType ?? ''}`;
    const entry = counts.get(key) ?? { kind: n.kind, baseType, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.count - a.count
    || (a.baseType === null ? 1 : 0) - (b.baseType === null ? 1 : 0) || compareText(a.baseType ?? '', b.baseType ?? ''));
}
