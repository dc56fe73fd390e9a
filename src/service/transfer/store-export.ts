/**
 * `journey export`'s reading side: the whole store as ExportRecords (export-format.ts),
 * read a page at a time (EXPORT_PAGE nodes, one read transaction each, a fixed number of
 * queries per page), so memory stays flat whatever the store's size. Nodes are paged by
 * id twice: once for the nodes themselves, once for the edges, which go after every node
 * so an import meets each edge after both its ends.
 *
 * Not a snapshot: each page is its own read transaction (a Neo4j transaction may not run
 * for minutes), so a store written meanwhile exports a mix. Export a quiet store, or a
 * SQLite backup of a live one.
 */
import type { GraphStore, StoreTx } from '../../graph/store.js';
import type { NodeKind, NodeRecord, TypeKind } from '../../graph/model.js';
import type { AuditEntryRecord } from '../../graph/privacy-store.js';
import { compareText } from '../shared/compare-text.js';
import {
  EXPORT_FORMAT, EXPORT_VERSION, canonicalLine, type ExportRecord, type HeaderValue, type NodeValue, type RecordCounts,
} from './export-format.js';

/** Nodes per read transaction. */
export const EXPORT_PAGE = 2_000;
/** Erasure requests and audit entries per read transaction. */
const LOG_PAGE = 1_000;

const NODE_KINDS: readonly NodeKind[] = ['ARTIFACT', 'EXECUTION', 'CONTEXT'];
const TYPE_KINDS: readonly TypeKind[] = ['ARTIFACT_TYPE', 'EXECUTION_TYPE', 'CONTEXT_TYPE'];

export interface ExportOptions {
  /** The header's time (tests pass a fixed one). */
  now?: () => Date;
  /** Told of each page of nodes written (both passes): a progress bar's ticks. */
  onNodes?: (count: number) => void;
  /** Told the header's counts before any node is read. */
  onHeader?: (header: HeaderValue) => void;
}

/** Pages of one kind's nodes by id, each read with `read` in one transaction of its own. */
async function* nodePages<T>(
  store: GraphStore, kind: NodeKind, read: (tx: StoreTx, nodes: NodeRecord[]) => Promise<T>,
): AsyncGenerator<T> {
  let after: string | null = null;
  for (;;) {
    const from: string | null = after;
    const page = await store.read(async (tx) => {
      const nodes = await tx.listNodes({
        kind, orderBy: 'id', ascending: true, limit: EXPORT_PAGE, ...(from === null ? {} : { after: { value: from, id: from } }),
      });
      return { nodes, value: await read(tx, nodes) };
    });
    if (page.nodes.length > 0) yield page.value;
    if (page.nodes.length < EXPORT_PAGE) return;
    after = page.nodes[page.nodes.length - 1]!.id;
  }
}

/** A node page's NodeValues: the nodes with their history, origins, registrations and statuses. */
async function nodeValues(tx: StoreTx, nodes: NodeRecord[]): Promise<NodeValue[]> {
  const ids = nodes.map((n) => n.id);
  const artifactIds = nodes.filter((n) => n.kind === 'ARTIFACT').map((n) => n.id);
  const none = Promise.resolve([]);
  const [histories, origins, subjects, statuses] = await Promise.all([
    tx.nodeHistories(ids), tx.importOriginsOfNodes(ids),
    artifactIds.length > 0 ? tx.subjectsOfArtifacts(artifactIds) : none,
    artifactIds.length > 0 ? tx.derivedStatuses(artifactIds) : none,
  ]);
  const subjectsOf = new Map(artifactIds.map((id, i) => [id, subjects[i]!]));
  const statusOf = new Map(artifactIds.map((id, i) => [id, statuses[i] ?? null]));
  return nodes.map((node, i) => ({
    node,
    // The current record is the node itself; only the records updates replaced are history.
    history: histories[i]!.filter((e) => e.validTo !== null).map((e) => ({ record: e.record, validTo: e.validTo! })),
    // Sorted here, so both backends write one order whatever their collation.
    importOrigins: [...origins[i]!].sort((a, b) => compareText(a.source, b.source) || a.sourceId - b.sourceId),
    subjectHashes: [...(subjectsOf.get(node.id) ?? [])].sort(compareText),
    derivedStatus: statusOf.get(node.id) ?? null,
  }));
}

/** A node page's edges: an artifact's events and attributions, an execution's associations, a context's parents. */
async function edgeRecords(tx: StoreTx, kind: NodeKind, nodes: NodeRecord[]): Promise<ExportRecord[]> {
  const ids = nodes.map((n) => n.id);
  const out: ExportRecord[] = [];
  if (kind === 'ARTIFACT') {
    const [events, contexts] = await Promise.all([tx.eventsByArtifacts(ids), tx.contextsOfNodes(ids)]);
    ids.forEach((id, i) => {
      for (const event of events[i]!) out.push({ record: 'event', value: event });
      for (const c of contexts[i]!) out.push({ record: 'attribution', value: { contextId: c.id, artifactId: id } });
    });
  } else if (kind === 'EXECUTION') {
    const contexts = await tx.contextsOfNodes(ids);
    ids.forEach((id, i) => {
      for (const c of contexts[i]!) out.push({ record: 'association', value: { contextId: c.id, executionId: id } });
    });
  } else {
    const parents = await tx.parentContexts(ids);
    ids.forEach((id, i) => {
      for (const p of parents[i]!) out.push({ record: 'parentContext', value: { childId: id, parentId: p.id } });
    });
  }
  return out;
}

/** Every record of the store, in RECORD_ORDER, ending with the counts of what was written. */
export async function* exportRecords(store: GraphStore, options: ExportOptions = {}): AsyncGenerator<ExportRecord> {
  const counts: RecordCounts = {};
  const count = (r: ExportRecord): ExportRecord => {
    counts[r.record] = (counts[r.record] ?? 0) + 1;
    return r;
  };
  const [artifacts, executions, contexts] = await store.read((tx) => Promise.all(NODE_KINDS.map((kind) => tx.countNodes({ kind }))));
  const header: HeaderValue = {
    format: EXPORT_FORMAT, version: EXPORT_VERSION, backend: store.backend,
    exportedAt: (options.now?.() ?? new Date()).toISOString(),
    nodes: { artifacts: artifacts!, executions: executions!, contexts: contexts! },
  };
  options.onHeader?.(header);
  yield { record: 'header', value: header };

  // Types are few (a schema's worth): read at once, in the type id space's order.
  const types = (await store.read((tx) => Promise.all(TYPE_KINDS.map((k) => tx.listTypes(k))))).flat().sort((a, b) => a.mlmdId - b.mlmdId);
  for (const value of types) yield count({ record: 'type', value });

  for (const kind of NODE_KINDS) {
    for await (const values of nodePages(store, kind, nodeValues)) {
      for (const value of values) yield count({ record: 'node', value });
      options.onNodes?.(values.length);
    }
  }
  for (const kind of NODE_KINDS) {
    let seen = 0;
    for await (const page of nodePages(store, kind, async (tx, nodes) => {
      seen = nodes.length;
      return edgeRecords(tx, kind, nodes);
    })) {
      for (const r of page) yield count(r);
      options.onNodes?.(seen);
    }
  }

  let before: string | null = null;
  for (;;) {
    const from: string | null = before;
    const requests = await store.read(async (tx) => {
      const ids = await tx.listErasureRequestIds(from, LOG_PAGE);
      return (await tx.getErasureRequests(ids)).filter((r) => r !== null);
    });
    for (const value of requests) yield count({ record: 'erasureRequest', value });
    if (requests.length < LOG_PAGE) break;
    before = requests[requests.length - 1]!.id;
  }

  let after: string | null = null;
  for (;;) {
    const from: string | null = after;
    const entries: AuditEntryRecord[] = await store.read((tx) => tx.listAuditEntries(from, LOG_PAGE));
    for (const value of entries) yield count({ record: 'auditEntry', value });
    if (entries.length < LOG_PAGE) break;
    after = entries[entries.length - 1]!.id;
  }

  const { keys, minK, counters } = await store.read(async (tx) => ({
    keys: await tx.listApiKeys(), minK: await tx.derivationMinK(), counters: await tx.mlmdIdsHandedOut(),
  }));
  for (const value of keys) yield count({ record: 'apiKey', value });
  if (minK !== null) yield count({ record: 'derivation', value: { minK } });
  yield count({ record: 'mlmdIdCounters', value: counters });
  yield { record: 'end', value: { counts } };
}

/** Text handed on at once: lines are gathered to about this size, so a stream moves chunks, not lines. */
const CHUNK_CHARS = 64 * 1024;

/** exportRecords as text, whole lines each ending in a newline, in chunks of about CHUNK_CHARS. */
export async function* exportText(store: GraphStore, options: ExportOptions = {}): AsyncGenerator<string> {
  let chunk = '';
  for await (const r of exportRecords(store, options)) {
    chunk += `${canonicalLine(r)}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
