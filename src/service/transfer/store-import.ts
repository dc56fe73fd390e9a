/**
 * `journey import jsonl`'s writing side: the records of an export (export-format.ts), each
 * line checked (record-checks.ts), written into an EMPTY store in batches of IMPORT_BATCH
 * records of one rank (one kind, or edges of any kinds), one write transaction each,
 * with every id and ML Metadata id as exported. References are checked against the store
 * as each batch is written: a node's type, an edge's ends must be there already (the
 * export writes them first).
 *
 * All or nothing, at this size: one transaction for a million nodes is more than a Neo4j
 * transaction (or its memory) takes, so a failure part-way leaves the records of the
 * batches before it. The store was empty, so the remedy is to empty it again; the CLI
 * says so, and imports a new SQLite file under a temporary name, renamed only when done
 * (src/cli/transfer-commands.ts): there a refusal part-way deletes the file. Into any
 * other store the CLI runs `checkExportFile` first, which reads the file through, so a
 * damaged, cut-short or foreign file is refused before anything is written.
 */
import { MLMD_ID_SPACE_OF, MLMD_ID_SPACES, type MlmdIdSpace, type NodeKind, type NodeRecord } from '../../graph/model.js';
import { NotFoundError } from '../../graph/errors.js';
import type { GraphStore, StoreTx } from '../../graph/store.js';
import { RECORD_RANK, type ExportRecord, type HeaderValue, type NodeValue, type RecordCounts, type RecordKind } from './export-format.js';
import type { NumberedLine } from './export-lines.js';
import { ExportFileError, parseRecord, RecordSequence } from './record-checks.js';

/** Records per write transaction: thousands, so a million nodes is a few hundred commits. */
export const IMPORT_BATCH = 5_000;

/** What an import or a check read. */
export interface ImportSummary {
  header: HeaderValue;
  /** Records of each kind (the end record's counts). */
  counts: RecordCounts;
}

/** Reads every line of a file and checks it as an import would, writing nothing. */
export async function checkExportFile(lines: AsyncIterable<NumberedLine>): Promise<ImportSummary> {
  const sequence = new RecordSequence();
  let header: HeaderValue | null = null;
  let counts: RecordCounts = {};
  let last = 0;
  for await (const { text, number } of lines) {
    const r = parseRecord(text, number, sequence);
    if (r.record === 'header') header = r.value;
    if (r.record === 'end') counts = r.value.counts;
    last = number;
  }
  sequence.finish(last);
  return { header: header!, counts };
}

/** What the store holds already, by kind; empty when it holds nothing an import would write. */
export async function storeContents(store: GraphStore): Promise<string[]> {
  return store.read(async (tx) => {
    const [artifacts, executions, contexts] = await Promise.all((['ARTIFACT', 'EXECUTION', 'CONTEXT'] as const).map((kind) => tx.countNodes({ kind })));
    const types = (await Promise.all((['ARTIFACT_TYPE', 'EXECUTION_TYPE', 'CONTEXT_TYPE'] as const).map((k) => tx.listTypes(k)))).flat().length;
    const keys = await tx.countApiKeys();
    const audit = (await tx.listAuditEntries(null, 1)).length;
    const erasures = (await tx.listErasureRequestIds(null, 1)).length;
    const held: [number, string][] = [
      [types, 'types'], [artifacts!, 'artifacts'], [executions!, 'executions'], [contexts!, 'contexts'],
      [keys, 'API keys'], [audit, 'audit entries (at least)'], [erasures, 'erasure requests (at least)'],
    ];
    return held.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  });
}

/**
 * One batch: records of one rank (RECORD_RANK) with their line numbers, so of one kind but
 * for the edges, whose four kinds share a rank. The export interleaves the edge kinds
 * (each page's events, then its attributions, ...): a batch per run of one kind made
 * runs of a few edges each, over a million transactions at 1m tfx.
 */
interface Batch { rank: number; records: { r: ExportRecord; line: number }[] }

/** Options of importRecords. */
export interface ImportOptions {
  /** Told of each batch of nodes and edges written: a progress bar's ticks. */
  onProgress?: (records: number) => void;
  batchSize?: number;
}

/** The first of `ids` (with the line that named it) that `found` lacks, as a refusal. */
function requireFound(found: readonly (unknown | null)[], named: readonly { id: string; line: number; field: string }[], what: string): void {
  const missing = found.findIndex((f) => f === null);
  if (missing === -1) return;
  const { id, line, field } = named[missing]!;
  throw new ExportFileError(`${field} ${JSON.stringify(id)} names no ${what} written before it`, line);
}

/** Writes a batch of nodes: the oldest record of each, then each later record as an update, so the history reads back as exported. */
async function writeNodes(tx: StoreTx, batch: { value: NodeValue; line: number }[], maxIds: Record<MlmdIdSpace, number>): Promise<void> {
  const typeIds = [...new Set(batch.map((b) => b.value.node.typeId))];
  const types = await tx.getTypes(typeIds);
  const firstLine = new Map<string, number>();
  for (const b of batch) if (!firstLine.has(b.value.node.typeId)) firstLine.set(b.value.node.typeId, b.line);
  requireFound(types, typeIds.map((id) => ({ id, line: firstLine.get(id)!, field: 'node.node.typeId' })), 'type');
  const sequences: NodeRecord[][] = batch.map(({ value }) => [...value.history.map((h) => h.record), value.node]);
  await tx.insertNodes(sequences.map((s) => s[0]!));
  const depth = Math.max(...sequences.map((s) => s.length));
  for (let level = 1; level < depth; level += 1) {
    const records = sequences.filter((s) => s.length > level).map((s) => s[level]!);
    await tx.updateNodes(records);
  }
  const origins = new Map<string, { source: string; kind: NodeKind; origins: { sourceId: number; nodeId: string }[] }>();
  for (const { value } of batch) {
    const { node } = value;
    maxIds[MLMD_ID_SPACE_OF[node.kind]] = Math.max(maxIds[MLMD_ID_SPACE_OF[node.kind]], node.mlmdId);
    for (const o of value.importOrigins) {
      const key = JSON.stringify([o.source, node.kind]);
      const group = origins.get(key) ?? { source: o.source, kind: node.kind, origins: [] };
      group.origins.push({ sourceId: o.sourceId, nodeId: node.id });
      origins.set(key, group);
    }
    if (value.subjectHashes.length > 0) await tx.insertSubjectRegistrations(node.id, value.subjectHashes);
  }
  for (const g of origins.values()) await tx.recordImportOrigins(g.source, g.kind, g.origins);
  const statuses = batch.filter((b) => b.value.derivedStatus !== null).map((b) => ({ artifactId: b.value.node.id, status: b.value.derivedStatus }));
  if (statuses.length > 0) await tx.putDerivedStatuses(statuses);
}

/** Checks that every node an edge batch names is in the store (in the batch's transaction). */
async function requireEnds(tx: StoreTx, named: { id: string; line: number; field: string }[]): Promise<void> {
  const unique = new Map(named.map((n) => [n.id, n]));
  const found = await tx.getNodes([...unique.keys()]);
  requireFound(found, [...unique.values()], 'node');
}

/**
 * Writes a batch of edges whose ends must be in the store. SQLite's edge inserts refuse a
 * missing end themselves (NOT_FOUND, before writing any of the batch), so there the ends
 * are looked up only after such a refusal, to name the line; Neo4j's would skip such an
 * edge silently, so there they are looked up first. (Looking every end up cost a SQLite
 * import about a seventh of its time: whole node rows read to learn that they exist.)
 */
async function writeEdges(tx: StoreTx, storeRefusesMissingEnds: boolean, named: () => { id: string; line: number; field: string }[], insert: () => Promise<unknown>): Promise<void> {
  if (!storeRefusesMissingEnds) {
    await requireEnds(tx, named());
    await insert();
    return;
  }
  try {
    await insert();
  } catch (error) {
    if (error instanceof NotFoundError) await requireEnds(tx, named());
    throw error;
  }
}

/** Writes one batch in one transaction: each kind's records of it in turn (edges by kind, in the order the kinds first came). */
async function writeBatch(store: GraphStore, batch: Batch, maxIds: Record<MlmdIdSpace, number>): Promise<void> {
  const byKind = new Map<RecordKind, { r: ExportRecord; line: number }[]>();
  for (const record of batch.records) {
    const same = byKind.get(record.r.record);
    if (same) same.push(record);
    else byKind.set(record.r.record, [record]);
  }
  const storeRefusesMissingEnds = store.backend === 'sqlite';
  await store.write(async (tx) => {
    for (const [kind, records] of byKind) await writeKind(tx, kind, records, maxIds, storeRefusesMissingEnds);
  });
}

/** Writes records of one kind in the transaction `tx`. */
async function writeKind(
  tx: StoreTx, kind: RecordKind, records: { r: ExportRecord; line: number }[], maxIds: Record<MlmdIdSpace, number>, storeRefusesMissingEnds: boolean,
): Promise<void> {
  const values = records.map(({ r }) => r.value);
  const ends = (fields: string[]) => () => records.flatMap(({ r, line }) =>
    fields.map((f) => ({ id: (r.value as unknown as Record<string, string>)[f]!, line, field: `${r.record}.${f}` })));
  switch (kind) {
    case 'type':
      await tx.insertTypes(values as never);
      for (const t of values as { mlmdId: number }[]) maxIds.type = Math.max(maxIds.type, t.mlmdId);
      return;
    case 'node':
      return writeNodes(tx, records.map(({ r, line }) => ({ value: r.value as NodeValue, line })), maxIds);
    case 'event':
      return writeEdges(tx, storeRefusesMissingEnds, ends(['artifactId', 'executionId']), () => tx.insertEvents(values as never));
    case 'attribution':
      return writeEdges(tx, storeRefusesMissingEnds, ends(['contextId', 'artifactId']), () => tx.insertAttributions(values as never));
    case 'association':
      return writeEdges(tx, storeRefusesMissingEnds, ends(['contextId', 'executionId']), () => tx.insertAssociations(values as never));
    case 'parentContext':
      return writeEdges(tx, storeRefusesMissingEnds, ends(['childId', 'parentId']), () => tx.insertParentContexts(values as never));
    case 'erasureRequest':
      return tx.insertErasureRequests(values as never);
    case 'auditEntry':
      return tx.appendAuditEntries(values as never);
    case 'apiKey':
      return tx.insertApiKeys(values as never);
    case 'derivation':
      return tx.setDerivationMinK((values[0] as { minK: number }).minK);
    case 'mlmdIdCounters':
      // The counters move past every id imported, and past ids the source handed out but holds no more: never given again.
      for (const space of MLMD_ID_SPACES) {
        await tx.claimMlmdIdsUpTo(space, Math.max(maxIds[space], (values[0] as Record<MlmdIdSpace, number>)[space]));
      }
      return;
    default:
      throw new Error(`no writer for ${kind} records`);
  }
}

/**
 * Imports the lines of an export into `store`, which must be empty (refused otherwise,
 * naming what it holds). Returns the header and the counts of the records written.
 */
export async function importRecords(store: GraphStore, lines: AsyncIterable<NumberedLine>, options: ImportOptions = {}): Promise<ImportSummary> {
  const held = await storeContents(store);
  if (held.length > 0) {
    throw new ExportFileError(`the target ${store.backend} store is not empty (it holds ${held.join(', ')}): an import writes only into an empty store, `
      + 'so that every id stays as exported');
  }
  const size = options.batchSize ?? IMPORT_BATCH;
  const sequence = new RecordSequence();
  const maxIds = Object.fromEntries(MLMD_ID_SPACES.map((s) => [s, 0])) as Record<MlmdIdSpace, number>;
  let header: HeaderValue | null = null;
  let counts: RecordCounts = {};
  let batch: Batch | null = null;
  let last = 0;
  const flush = async (): Promise<void> => {
    if (batch === null || batch.records.length === 0) return;
    const written = batch;
    batch = null;
    await writeBatch(store, written, maxIds);
    options.onProgress?.(written.records.length);
  };
  for await (const { text, number } of lines) {
    const r = parseRecord(text, number, sequence);
    last = number;
    if (r.record === 'header') {
      header = r.value;
      continue;
    }
    if (r.record === 'end') {
      counts = r.value.counts;
      continue;
    }
    const rank = RECORD_RANK[r.record];
    if (batch !== null && (batch.rank !== rank || batch.records.length >= size)) await flush();
    batch ??= { rank, records: [] };
    batch.records.push({ r, line: number });
  }
  // The last batch is written only once the end record has vouched for the whole file.
  sequence.finish(last);
  await flush();
  if (!counts.mlmdIdCounters) {
    // A file without the counters (the format allows it) still leaves no imported id to be handed out again.
    await writeBatch(store, { rank: RECORD_RANK.mlmdIdCounters, records: [{ r: { record: 'mlmdIdCounters', value: { artifact: 0, execution: 0, context: 0, type: 0 } }, line: last }] }, maxIds);
  }
  return { header: header!, counts };
}
