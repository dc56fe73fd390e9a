/**
 * What the store keeps for the personal-data features, and the StoreTx methods that keep
 * it: the nodes' declarations (read alone, without the rest of each record, because the
 * propagation walk reads them for every node it meets), the derived statuses the writes
 * keep, subject registrations, erasure requests and the audit log.
 *
 * A data subject's identifier is personal data itself, so it never reaches the store:
 * the services pass only its keyed hash (HMAC-SHA-256, see
 * src/service/privacy/subject-key.ts). Rules (what propagates, who may erase what) live
 * in src/service/privacy/; the backends only store and find.
 */
import type { ArtifactRecord, NodeKind, PersonalDataDeclaration, PrivacyDeclaration } from './model.js';
import type { LineageReach } from './graph-tx.js';

/** A node's declarations: personalData on artifacts, privacy on executions; null where none is stored. */
export interface NodeDeclarations {
  kind: NodeKind;
  typeId: string;
  personalData: PersonalDataDeclaration | null;
  privacy: PrivacyDeclaration | null;
}

export const ERASURE_STATUSES = ['PENDING', 'ERASED', 'RETRAINED', 'EXEMPT'] as const;
export type ErasureStatus = (typeof ERASURE_STATUSES)[number];

/** One artifact of an erasure request and what the operators did about it. */
export interface ErasureItemRecord {
  artifactId: string;
  /** The artifact as it was when the request was made: the item outlives the artifact's erasure. */
  artifact: ArtifactRecord;
  status: ErasureStatus;
  note: string | null;
  /** Milliseconds since the epoch. */
  updateTime: number;
}

export interface ErasureRequestRecord {
  /** Server-made (UUIDv7). */
  id: string;
  /** The keyed hash of the subject whose data is to be erased. */
  subjectHash: string;
  /** Milliseconds since the epoch. */
  createTime: number;
  reason: string | null;
  /** In the request's order (by distance from the subject's sources, then id). */
  items: ErasureItemRecord[];
  /**
   * The subject identifier folded (src/service/privacy/subject-text.ts) as a keyed hash with
   * its folded length, so free text given later (an item's note) can be checked for the
   * identifier, which is stored nowhere. null for a request stored before schema version 4
   * or an identifier that folds to nothing.
   */
  subjectText: SubjectTextPrint | null;
}

/** A keyed hash of a folded subject identifier and the folded identifier's length. */
export interface SubjectTextPrint {
  hash: string;
  length: number;
}

/** A change to one item of a stored request. */
export interface ErasureItemUpdate {
  requestId: string;
  artifactId: string;
  status: ErasureStatus;
  note: string | null;
  updateTime: number;
}

/** One line of the append-only audit log of personal-data queries and erasure actions. */
export interface AuditEntryRecord {
  /** Server-made (UUIDv7): the log's order. */
  id: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** Who asked: an API key id, or 'local'. */
  caller: string;
  /** The operation, e.g. dataSubjectLineage. */
  operation: string;
  /** The keyed hash of the subject asked about; null when the operation names none. */
  subjectHash: string | null;
  /** What the operation was about besides the subject (an artifact or erasure request id); null when nothing. */
  target: string | null;
  /** How many items the operation returned or changed. */
  resultCount: number;
  /** For a change of personal-data tracking (a declaration, a transform, a deleted registered source): the value before, as JSON text; else null. */
  before: string | null;
  /** The value after, as JSON text (`null` when removed); null when the entry records no change. */
  after: string | null;
}

/**
 * An artifact's derived personal-data status as stored at write time
 * (src/service/privacy/derived-status.ts): both facts of every key it holds, each with its
 * route from a declaring artifact. Stored only for an artifact that holds something.
 */
export interface DerivedStatusRecord {
  /** It declares personal data itself or through its type. */
  declared: boolean;
  /** The distinct routes of its facts (keys mostly share one), each artifact and execution ids from a declaring artifact to it. */
  routes: string[][];
  /** By key (`c:<category>` or `s:<SPECIAL_CATEGORY>`): the index in `routes` of each fact's route; null where that fact is not held. */
  keys: { key: string; clear: number | null; pseudonymised: number | null }[];
}

/** The personal-data part of StoreTx (src/graph/store.ts), implemented by both backends. */
export interface PersonalDataTx {
  /** Each node's declarations, aligned with `ids`; null for a missing node. */
  personalDataDeclarations(ids: readonly string[]): Promise<(NodeDeclarations | null)[]>;
  /**
   * Ids of the artifacts that store a personalData declaration of their own or are of one
   * of `typeIds`, in id order, strictly after `afterId` (null: from the start), at most `limit`.
   */
  artifactsDeclaringPersonalData(typeIds: readonly string[], afterId: string | null, limit: number): Promise<string[]>;

  /** Each artifact's stored derived status, aligned with `artifactIds`; null where none is stored. */
  derivedStatuses(artifactIds: readonly string[]): Promise<(DerivedStatusRecord | null)[]>;
  /** Stores each artifact's derived status, or removes it where `status` is null. */
  putDerivedStatuses(entries: readonly { artifactId: string; status: DerivedStatusRecord | null }[]): Promise<void>;
  /**
   * lineageReach downstream over every kind of event and without asOf, for personal data:
   * it passes through executions and through artifacts that hold a kept derived status
   * (no other can receive personal data), the start always. `holding`: the artifacts met
   * that hold one, so a walk knows which of the others not to enter.
   */
  personalDataReach(start: readonly string[], radius: number, nodeCap: number): Promise<LineageReach & { holding: string[] }>;
  /** Removes every stored derived status, before they are all derived again. */
  clearDerivedStatuses(): Promise<void>;
  /**
   * The nodes among `ids` that personal data can flow out of, as the write transaction
   * sees them now: artifacts that hold a kept derived status, and executions with an input
   * that does. Asked after the write's own inserts, so on a backend whose writers run at
   * once (Neo4j, read committed) it reads under the locks those inserts took on the nodes:
   * a derivation that committed after the write first read them is seen.
   */
  carryingPersonalData(ids: readonly string[]): Promise<string[]>;
  /**
   * Holds the nodes a derivation is about to derive statuses over until the transaction
   * ends, so that a write linking one of them meanwhile waits and then sees the new
   * statuses. True when the backend's writers run at once (Neo4j): a write may have linked
   * them between the derivation's walk and this lock, so the walk is to be made again.
   * False, with no statement, where writers run one at a time (SQLite).
   */
  lockForDerivation(ids: readonly string[]): Promise<boolean>;
  /** The AGGREGATE minimum k the stored statuses were derived with; null before the first derivation. */
  derivationMinK(): Promise<number | null>;
  /**
   * derivationMinK for a write that is about to derive every status again (another minimum
   * k), holding one lock for the whole store until its transaction ends, so two such
   * writes run one after the other.
   */
  lockDerivation(): Promise<number | null>;
  setDerivationMinK(minK: number): Promise<void>;

  /** Records that the artifact holds records of these subjects (a set: existing pairs are skipped); returns how many are new. */
  insertSubjectRegistrations(artifactId: string, subjectHashes: readonly string[]): Promise<number>;
  /** Removes these subjects' registrations on the artifact; returns how many existed. */
  deleteSubjectRegistrations(artifactId: string, subjectHashes: readonly string[]): Promise<number>;
  /** Removes every registration of these subjects, on any artifact; returns how many existed. */
  deleteDataSubjects(subjectHashes: readonly string[]): Promise<number>;
  /** Each subject's registered artifacts, by id, aligned with `subjectHashes`. */
  artifactsOfSubjects(subjectHashes: readonly string[]): Promise<string[][]>;
  /** How many subjects each artifact holds records of, aligned with `artifactIds` (0 for a missing one). */
  registrationCounts(artifactIds: readonly string[]): Promise<number[]>;

  insertErasureRequests(requests: readonly ErasureRequestRecord[]): Promise<void>;
  /** Aligned with `ids`; null for an unknown id. Items in the request's order. */
  getErasureRequests(ids: readonly string[]): Promise<(ErasureRequestRecord | null)[]>;
  /**
   * Ids of stored requests, newest first (by id, descending: ids are UUIDv7, made in
   * creation order), strictly before `beforeId` (null: from the newest), at most `limit`.
   */
  listErasureRequestIds(beforeId: string | null, limit: number): Promise<string[]>;
  /** Sets each item's status, note and updateTime; the caller has checked that the items exist. */
  updateErasureItems(updates: readonly ErasureItemUpdate[]): Promise<void>;

  /** Appends to the audit log. There is deliberately no method that changes or removes an entry. */
  appendAuditEntries(entries: readonly AuditEntryRecord[]): Promise<void>;
  /** Entries in log order (by id), strictly after `afterId` (null: from the start), at most `limit`. */
  listAuditEntries(afterId: string | null, limit: number): Promise<AuditEntryRecord[]>;
}
