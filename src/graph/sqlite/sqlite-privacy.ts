/**
 * The personal-data concern of a SQLite StoreTx (PersonalDataTx, src/graph/privacy-store.ts):
 * the schema texts as migrations/ holds them (re-exported whole), the prepared statements
 * the part runs, and the column forms of the declarations that sqlite-graph.ts reads and
 * writes with the rest of each record.
 */
import type { LineageReach } from '../graph-tx.js';
import {
  EVENT_TYPES, INPUT_EVENT_TYPES, type ArtifactRecord, type NodeKind, type PersonalDataDeclaration, type PrivacyDeclaration,
} from '../model.js';
import {
  type AuditEntryRecord, type DerivedStatusRecord, type ErasureItemRecord, type ErasureItemUpdate, type ErasureRequestRecord,
  type ErasureStatus, type NodeDeclarations, type PersonalDataTx,
} from '../privacy-store.js';
import { DECLARATION_COLUMNS, DECLARATION_INDEX, SUBJECT_TABLES } from './migrations/002-personal-data-and-keys.js';
import { DERIVED_STATUS_TABLES } from './migrations/003-derived-statuses.js';
import { ERASURE_PRINT_AND_AUDIT_CHANGE_COLUMNS } from './migrations/004-erasure-print-and-audit-change.js';
import { NotFoundError } from '../errors.js';
import type { PreparedStatement, SqliteExecutor } from './sqlite-executor.js';
import type { KeyedReach, ReachAdmit, ReachQuery } from './sqlite-reach.js';
import type { TxLife } from './sqlite-tx-life.js';

/** Version 2's declaration columns (migrations/002-personal-data-and-keys.ts). */
export const PERSONAL_DATA_COLUMNS = DECLARATION_COLUMNS;

/** Version 4's columns (migrations/004-erasure-print-and-audit-change.ts). */
export const PRIVACY_AUDIT_COLUMNS = ERASURE_PRINT_AND_AUDIT_CHANGE_COLUMNS;

/** The personal-data tables and index as versions 2 and 3 made them, in one script. */
export const PERSONAL_DATA_DDL = DECLARATION_INDEX + DERIVED_STATUS_TABLES + SUBJECT_TABLES;

/** The event types that carry data into an execution, as carrying's JSON parameter. */
const INPUT_TYPES = JSON.stringify([...INPUT_EVENT_TYPES]);

const AUDIT_COLUMNS = 'a.id, a.time, a.caller, a.operation, a.subject_hash, a.target, a.result_count, a.change_before, a.change_after';

/**
 * The fixed statements. Key lists travel as one JSON parameter read with json_each, as in
 * sqlite-statements.ts; a missing keyset position is sent as '' (below every id), so the
 * condition stays a plain range the index serves. The tables refer to nodes and types by
 * their integer keys (migration 5); the statements take and give the UUIDs.
 */
export const PERSONAL_DATA_SQL = {
  declarations: `SELECT k.key AS idx, n.kind, t.uuid AS type_id, n.personal_data, n.privacy
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value CROSS JOIN types AS t ON t.mlmd_id = n.type_id`,
  artifactsDeclaring: `SELECT id FROM (
      SELECT n.uuid AS id FROM nodes AS n WHERE n.kind = 'ARTIFACT' AND n.personal_data IS NOT NULL
      UNION
      SELECT n.uuid FROM json_each(:typeIds) AS j CROSS JOIN types AS t ON t.uuid = j.value
        CROSS JOIN nodes AS n ON n.kind = 'ARTIFACT' AND n.type_id = t.mlmd_id
    )
    WHERE id > :afterId ORDER BY id LIMIT :limit`,

  derivedStatuses: `SELECT k.key AS idx, d.status
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value CROSS JOIN derived_personal_data AS d ON d.artifact_id = n.node_key`,
  putDerivedStatuses: `INSERT INTO derived_personal_data (artifact_id, status)
    SELECT n.node_key, r.value ->> 'status' FROM json_each(:rows) AS r CROSS JOIN nodes AS n ON n.uuid = r.value ->> 'artifactId' WHERE true
    ON CONFLICT (artifact_id) DO UPDATE SET status = excluded.status`,
  /** By integer key: the personal-data reach walks on keys (sqlite-reach.ts). */
  holding: `SELECT k.value AS key FROM json_each(:keys) AS k CROSS JOIN derived_personal_data AS d ON d.artifact_id = k.value`,
  deleteDerivedStatuses: `DELETE FROM derived_personal_data
    WHERE artifact_id IN (SELECT n.node_key FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value)`,
  clearDerivedStatuses: 'DELETE FROM derived_personal_data',
  // The first term reads no row of the loop, so SQLite decides it once, before the loop:
  // where nothing holds personal data, no id is looked up at all.
  carrying: `SELECT k.value AS id FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value
    WHERE EXISTS (SELECT 1 FROM derived_personal_data)
      AND ((n.kind = 'ARTIFACT' AND EXISTS (SELECT 1 FROM derived_personal_data AS d WHERE d.artifact_id = n.node_key))
        OR (n.kind = 'EXECUTION' AND EXISTS (
          SELECT 1 FROM events AS e CROSS JOIN derived_personal_data AS d ON d.artifact_id = e.artifact_id
          WHERE e.execution_id = n.node_key AND e.type IN (SELECT value FROM json_each(:inputTypes)))))`,
  derivationMinK: 'SELECT min_k FROM personal_data_derivation WHERE id = 1',
  setDerivationMinK: `INSERT INTO personal_data_derivation (id, min_k) VALUES (1, :minK)
    ON CONFLICT (id) DO UPDATE SET min_k = excluded.min_k`,

  artifactKey: 'SELECT node_key AS key FROM nodes WHERE uuid = :artifactId',
  // One statement for a whole batch (100,000 subjects register in one call).
  insertRegistrations: `INSERT INTO subject_registrations (subject_hash, artifact_id)
    SELECT h.value, :artifactKey FROM json_each(:hashes) AS h WHERE true
    ON CONFLICT DO NOTHING`,
  deleteRegistrations: `DELETE FROM subject_registrations
    WHERE artifact_id = (SELECT node_key FROM nodes WHERE uuid = :artifactId) AND subject_hash IN (SELECT value FROM json_each(:hashes))`,
  deleteSubjects: `DELETE FROM subject_registrations WHERE subject_hash IN (SELECT value FROM json_each(:hashes))`,
  registrationCounts: `SELECT k.key AS idx, count(*) AS registrations
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value
    CROSS JOIN subject_registrations AS r ON r.artifact_id = n.node_key
    GROUP BY k.key`,
  artifactsOfSubjects: `SELECT h.key AS idx, n.uuid AS artifact_id
    FROM json_each(:hashes) AS h CROSS JOIN subject_registrations AS r ON r.subject_hash = h.value
    CROSS JOIN nodes AS n ON n.node_key = r.artifact_id
    ORDER BY h.key, n.uuid`,

  insertErasureRequest: `INSERT INTO erasure_requests (id, subject_hash, create_time, reason, subject_text_hash, subject_text_length)
    VALUES (:id, :subjectHash, :createTime, :reason, :subjectTextHash, :subjectTextLength)`,
  insertErasureItems: `INSERT INTO erasure_items (request_id, artifact_id, position, artifact, status, note, update_time)
    SELECT :requestId, i.value ->> 'artifactId', i.key, i.value ->> 'artifact', i.value ->> 'status',
      i.value ->> 'note', i.value ->> 'updateTime'
    FROM json_each(:items) AS i`,
  getErasureRequests: `SELECT k.key AS idx, r.id, r.subject_hash, r.create_time, r.reason, r.subject_text_hash, r.subject_text_length
    FROM json_each(:ids) AS k CROSS JOIN erasure_requests AS r ON r.id = k.value`,
  erasureItemsOf: `SELECT k.key AS idx, i.artifact_id, i.artifact, i.status, i.note, i.update_time
    FROM json_each(:ids) AS k CROSS JOIN erasure_items AS i ON i.request_id = k.value
    ORDER BY k.key, i.position`,
  // A first page has no position: '\uffff' sorts above every id (UUIDs are ASCII), so the condition stays one range of the primary key.
  listErasureRequestIds: `SELECT r.id FROM erasure_requests AS r WHERE r.id < :beforeId ORDER BY r.id DESC LIMIT :limit`,
  updateErasureItem: `UPDATE erasure_items SET status = :status, note = :note, update_time = :updateTime
    WHERE request_id = :requestId AND artifact_id = :artifactId`,

  appendAuditEntry: `INSERT INTO audit_log (id, time, caller, operation, subject_hash, target, result_count, change_before, change_after)
    VALUES (:id, :time, :caller, :operation, :subjectHash, :target, :resultCount, :before, :after)`,
  listAuditEntries: `SELECT ${AUDIT_COLUMNS} FROM audit_log AS a WHERE a.id > :afterId ORDER BY a.id LIMIT :limit`,
} as const;

type PersonalDataStatementName = keyof typeof PERSONAL_DATA_SQL;

const UNIQUENESS: Partial<Record<PersonalDataStatementName, string>> = {
  insertErasureRequest: 'an erasure request with the same id already exists',
  insertErasureItems: 'an erasure request lists the same artifact twice',
  appendAuditEntry: 'an audit entry with the same id already exists',
};

// ---- the declaration columns ----

/** A declaration as its column stores it: JSON text, or NULL for none. */
export const declarationColumn = (declaration: PersonalDataDeclaration | PrivacyDeclaration | undefined): string | null =>
  declaration === undefined ? null : JSON.stringify(declaration);

/** `{ personalData }` when the column holds one, else nothing: an absent field is the record's "none". */
export const personalDataField = (column: string | null): { personalData?: PersonalDataDeclaration } =>
  column === null ? {} : { personalData: JSON.parse(column) as PersonalDataDeclaration };

/** `{ privacy }` when the column holds one, else nothing. */
export const privacyField = (column: string | null): { privacy?: PrivacyDeclaration } =>
  column === null ? {} : { privacy: JSON.parse(column) as PrivacyDeclaration };

// ---- rows ----

interface DeclarationRow { idx: number; kind: NodeKind; type_id: string; personal_data: string | null; privacy: string | null }
interface RequestRow {
  idx: number; id: string; subject_hash: string; create_time: number; reason: string | null;
  subject_text_hash: string | null; subject_text_length: number | null;
}
interface ItemRow { idx: number; artifact_id: string; artifact: string; status: ErasureStatus; note: string | null; update_time: number }
interface AuditRow {
  id: string; time: number; caller: string; operation: string; subject_hash: string | null; target: string | null; result_count: number;
  change_before: string | null; change_after: string | null;
}

const itemFromRow = (row: ItemRow): ErasureItemRecord => ({
  artifactId: row.artifact_id,
  artifact: JSON.parse(row.artifact) as ArtifactRecord,
  status: row.status,
  note: row.note,
  updateTime: row.update_time,
});

const auditFromRow = (row: AuditRow): AuditEntryRecord => ({
  id: row.id,
  time: row.time,
  caller: row.caller,
  operation: row.operation,
  subjectHash: row.subject_hash,
  target: row.target,
  resultCount: row.result_count,
  before: row.change_before,
  after: row.change_after,
});

export type PersonalDataStatements = Record<PersonalDataStatementName, PreparedStatement>;

/** Prepares the personal-data statements on `executor`'s connection, once the schema is applied. */
export function preparePersonalData(executor: SqliteExecutor): PersonalDataStatements {
  const prepared = {} as PersonalDataStatements;
  for (const name of Object.keys(PERSONAL_DATA_SQL) as PersonalDataStatementName[]) {
    prepared[name] = executor.prepare(PERSONAL_DATA_SQL[name], UNIQUENESS[name]);
  }
  return prepared;
}

/**
 * The graph part's reach (SqliteGraph.reach in sqlite-graph.ts), which the personal-data
 * reach runs with its own choice of the nodes to go on from.
 */
export type GraphReach = (query: ReachQuery, admit: ReachAdmit) => KeyedReach;

/** The personal-data part of one transaction's view; unusable once the transaction has ended. */
export class SqlitePersonalData implements PersonalDataTx {
  constructor(
    private readonly statements: PersonalDataStatements,
    private readonly life: TxLife,
    private readonly graphReach: GraphReach,
  ) {}

  private get sql(): PersonalDataStatements {
    this.life.check();
    return this.statements;
  }

  async personalDataDeclarations(ids: readonly string[]): Promise<(NodeDeclarations | null)[]> {
    const out = new Array<NodeDeclarations | null>(ids.length).fill(null);
    const rows = this.sql.declarations.all<DeclarationRow>({ ids: JSON.stringify(ids) });
    for (const row of rows) {
      out[row.idx] = {
        kind: row.kind,
        typeId: row.type_id,
        personalData: personalDataField(row.personal_data).personalData ?? null,
        privacy: privacyField(row.privacy).privacy ?? null,
      };
    }
    return out;
  }

  async artifactsDeclaringPersonalData(typeIds: readonly string[], afterId: string | null, limit: number): Promise<string[]> {
    return this.sql.artifactsDeclaring.all<{ id: string }>({ typeIds: JSON.stringify(typeIds), afterId: afterId ?? '', limit })
      .map((row) => row.id);
  }

  async derivedStatuses(ids: readonly string[]): Promise<(DerivedStatusRecord | null)[]> {
    const out = new Array<DerivedStatusRecord | null>(ids.length).fill(null);
    for (const row of this.sql.derivedStatuses.all<{ idx: number; status: string }>({ ids: JSON.stringify(ids) })) {
      out[row.idx] = JSON.parse(row.status) as DerivedStatusRecord;
    }
    return out;
  }

  async putDerivedStatuses(entries: readonly { artifactId: string; status: DerivedStatusRecord | null }[]): Promise<void> {
    const sql = this.sql;
    const rows = entries.flatMap((e) => (e.status === null ? [] : [{ artifactId: e.artifactId, status: JSON.stringify(e.status) }]));
    const gone = entries.flatMap((e) => (e.status === null ? [e.artifactId] : []));
    if (rows.length > 0) sql.putDerivedStatuses.run({ rows: JSON.stringify(rows) });
    if (gone.length > 0) sql.deleteDerivedStatuses.run({ ids: JSON.stringify(gone) });
  }

  async personalDataReach(start: readonly string[], radius: number, nodeCap: number): Promise<LineageReach & { holding: string[] }> {
    const sql = this.sql;
    const holding: number[] = [];
    const query = { start, direction: 'DOWNSTREAM' as const, eventTypes: EVENT_TYPES, asOf: null, radius, nodeCap };
    const { reach, uuidOf } = this.graphReach(query, (keys, kindOf) => {
      // Only an artifact that holds a kept status can pass personal data on.
      const artifacts = keys.filter((key) => kindOf(key) === 'ARTIFACT');
      const held = new Set(sql.holding.all<{ key: number }>({ keys: JSON.stringify(artifacts) }).map((row) => row.key));
      for (const key of held) holding.push(key);
      return keys.filter((key) => kindOf(key) === 'EXECUTION' || held.has(key));
    });
    return { ...reach, holding: holding.map(uuidOf) };
  }

  async clearDerivedStatuses(): Promise<void> {
    this.sql.clearDerivedStatuses.run({});
  }

  /**
   * Nothing to lock: SQLite writes one transaction at a time (BEGIN IMMEDIATE, in every
   * process), so no other write can link these nodes before this one ends.
   */
  async lockForDerivation(_ids: readonly string[]): Promise<boolean> {
    return false;
  }

  async carryingPersonalData(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    return this.sql.carrying.all<{ id: string }>({ ids: JSON.stringify(ids), inputTypes: INPUT_TYPES })
      .map((row) => row.id);
  }

  async derivationMinK(): Promise<number | null> {
    return this.sql.derivationMinK.get<{ min_k: number }>({})?.min_k ?? null;
  }

  // SQLite runs one write transaction at a time: the lock is the database's own.
  async lockDerivation(): Promise<number | null> {
    return this.derivationMinK();
  }

  async setDerivationMinK(minK: number): Promise<void> {
    this.sql.setDerivationMinK.run({ minK });
  }

  async insertSubjectRegistrations(artifactId: string, hashes: readonly string[]): Promise<number> {
    const sql = this.sql;
    if (hashes.length === 0) return 0;
    const artifact = sql.artifactKey.get<{ key: number }>({ artifactId });
    // As the foreign key refused it before integer keys.
    if (artifact === undefined) throw new NotFoundError('a record refers to a node or type that does not exist');
    return sql.insertRegistrations.run({ artifactKey: artifact.key, hashes: JSON.stringify(hashes) });
  }

  async deleteSubjectRegistrations(artifactId: string, hashes: readonly string[]): Promise<number> {
    return this.sql.deleteRegistrations.run({ artifactId, hashes: JSON.stringify(hashes) });
  }

  async deleteDataSubjects(hashes: readonly string[]): Promise<number> {
    return this.sql.deleteSubjects.run({ hashes: JSON.stringify(hashes) });
  }

  async artifactsOfSubjects(hashes: readonly string[]): Promise<string[][]> {
    const out = hashes.map(() => [] as string[]);
    for (const row of this.sql.artifactsOfSubjects.all<{ idx: number; artifact_id: string }>({ hashes: JSON.stringify(hashes) })) {
      out[row.idx]!.push(row.artifact_id);
    }
    return out;
  }

  async registrationCounts(ids: readonly string[]): Promise<number[]> {
    const out = new Array<number>(ids.length).fill(0);
    for (const row of this.sql.registrationCounts.all<{ idx: number; registrations: number }>({ ids: JSON.stringify(ids) })) {
      out[row.idx] = row.registrations;
    }
    return out;
  }

  async insertErasureRequests(requests: readonly ErasureRequestRecord[]): Promise<void> {
    const sql = this.sql;
    for (const r of requests) {
      sql.insertErasureRequest.run({
        id: r.id, subjectHash: r.subjectHash, createTime: r.createTime, reason: r.reason,
        subjectTextHash: r.subjectText?.hash ?? null, subjectTextLength: r.subjectText?.length ?? null,
      });
      const items = r.items.map((i) => ({
        artifactId: i.artifactId, artifact: JSON.stringify(i.artifact), status: i.status, note: i.note, updateTime: i.updateTime,
      }));
      sql.insertErasureItems.run({ requestId: r.id, items: JSON.stringify(items) });
    }
  }

  async getErasureRequests(ids: readonly string[]): Promise<(ErasureRequestRecord | null)[]> {
    const sql = this.sql;
    const json = JSON.stringify(ids);
    const out = new Array<ErasureRequestRecord | null>(ids.length).fill(null);
    for (const row of sql.getErasureRequests.all<RequestRow>({ ids: json })) {
      const subjectText = row.subject_text_hash === null || row.subject_text_length === null
        ? null : { hash: row.subject_text_hash, length: row.subject_text_length };
      out[row.idx] = { id: row.id, subjectHash: row.subject_hash, createTime: row.create_time, reason: row.reason, items: [], subjectText };
    }
    for (const row of sql.erasureItemsOf.all<ItemRow>({ ids: json })) out[row.idx]?.items.push(itemFromRow(row));
    return out;
  }

  async listErasureRequestIds(beforeId: string | null, limit: number): Promise<string[]> {
    return this.sql.listErasureRequestIds.all<{ id: string }>({ beforeId: beforeId ?? '\uffff', limit }).map((r) => r.id);
  }

  async updateErasureItems(updates: readonly ErasureItemUpdate[]): Promise<void> {
    const sql = this.sql;
    for (const u of updates) {
      sql.updateErasureItem.run({
        requestId: u.requestId, artifactId: u.artifactId, status: u.status, note: u.note, updateTime: u.updateTime,
      });
    }
  }

  async appendAuditEntries(entries: readonly AuditEntryRecord[]): Promise<void> {
    const sql = this.sql;
    for (const e of entries) {
      sql.appendAuditEntry.run({
        id: e.id, time: e.time, caller: e.caller, operation: e.operation, subjectHash: e.subjectHash, target: e.target,
        resultCount: e.resultCount, before: e.before, after: e.after,
      });
    }
  }

  async listAuditEntries(afterId: string | null, limit: number): Promise<AuditEntryRecord[]> {
    return this.sql.listAuditEntries.all<AuditRow>({ afterId: afterId ?? '', limit }).map(auditFromRow);
  }
}
