/**
 * The export format (docs/export-format.md): JSON Lines, one record a line, each
 * `{"record": <kind>, "value": <object>}` with keys in code-point order, so two stores
 * holding the same data export the same bytes (after the header's time). Version 1.
 *
 * The version rule: a reader takes exactly the versions it knows (EXPORT_VERSION); a
 * change a version-1 reader would misread (a field renamed, a meaning changed, a record
 * kind added that must not be skipped) takes the next version.
 */
import type { MlmdIdSpace, NodeRecord, TypeRecord, EventRecord } from '../../graph/model.js';
import type { ApiKeyRecord } from '../../graph/key-store.js';
import type { AuditEntryRecord, DerivedStatusRecord, ErasureRequestRecord } from '../../graph/privacy-store.js';
import type { NodeImportOrigin } from '../../graph/export-reads.js';

export const EXPORT_FORMAT = 'data-journey-export';
export const EXPORT_VERSION = 1;

/** How many records of each kind a store holds (the header's nodes; the end record's all). */
export type RecordCounts = Record<string, number>;

export interface HeaderValue {
  format: typeof EXPORT_FORMAT;
  version: number;
  /** The backend exported from. */
  backend: string;
  /** When the export started (ISO 8601): the only field that differs between two exports of one store. */
  exportedAt: string;
  /** Nodes of each kind when the export started (a store written meanwhile may differ). */
  nodes: { artifacts: number; executions: number; contexts: number };
}

/** A node, its replaced records and what the store keeps about it beside the graph. */
export interface NodeValue {
  node: NodeRecord;
  /** Records updates replaced, oldest first, each with the time the next one replaced it. */
  history: { record: NodeRecord; validTo: number }[];
  /** Where the importer brought it from (journey import mlmd), by source then source id. */
  importOrigins: NodeImportOrigin[];
  /** Artifacts: keyed hashes of the subjects it holds records of, sorted (never identifiers). */
  subjectHashes: string[];
  /** Artifacts: the kept derived personal-data status; null where none is kept. */
  derivedStatus: DerivedStatusRecord | null;
}

export type ExportRecord =
  | { record: 'header'; value: HeaderValue }
  | { record: 'type'; value: TypeRecord }
  | { record: 'node'; value: NodeValue }
  | { record: 'event'; value: EventRecord }
  | { record: 'attribution'; value: { contextId: string; artifactId: string } }
  | { record: 'association'; value: { contextId: string; executionId: string } }
  | { record: 'parentContext'; value: { childId: string; parentId: string } }
  | { record: 'erasureRequest'; value: ErasureRequestRecord }
  | { record: 'auditEntry'; value: AuditEntryRecord }
  | { record: 'apiKey'; value: ApiKeyRecord }
  | { record: 'derivation'; value: { minK: number } }
  | { record: 'mlmdIdCounters'; value: Record<MlmdIdSpace, number> }
  | { record: 'end'; value: { counts: RecordCounts } };

export type RecordKind = ExportRecord['record'];

/** Every kind, in the order an export writes them: each after every kind it refers to. */
export const RECORD_ORDER: readonly RecordKind[] = [
  'header', 'type', 'node', 'event', 'attribution', 'association', 'parentContext',
  'erasureRequest', 'auditEntry', 'apiKey', 'derivation', 'mlmdIdCounters', 'end',
];

/**
 * Each kind's place: a kind never follows one of a higher rank. The four edge kinds share
 * one: they refer only to nodes, and an export writes them page by page of nodes (an
 * artifact page's events, then its attributions), so they interleave.
 */
export const RECORD_RANK: Readonly<Record<RecordKind, number>> = {
  header: 0, type: 1, node: 2, event: 3, attribution: 3, association: 3, parentContext: 3,
  erasureRequest: 4, auditEntry: 5, apiKey: 6, derivation: 7, mlmdIdCounters: 8, end: 9,
};

/** JSON with every object's keys in code-point order and no undefined: one text for one content. */
export function canonicalLine(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  });
}
