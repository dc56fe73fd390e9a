/**
 * The audit log of personal-data queries and erasure actions: who asked what about whom
 * (by the subject's keyed hash) and how much came back. Entries are only ever appended;
 * the store has no method to change or remove one and the API none to ask for it.
 */
import { InvalidArgumentError } from '../../graph/errors.js';
import type { AuditEntryRecord } from '../../graph/privacy-store.js';
import type { StoreTx } from '../../graph/store.js';
import { decodeAfter, pageOfRows, pageSize, type Page, type PageArgs } from '../shared/paging.js';
import { newId } from '../shared/ids.js';

/** The operations the log records, named as the API names them. */
export type AuditOperation =
  | 'personalDataStatus' | 'fieldPersonalData' | 'dataSubjectLineage' | 'personalDataInventory' | 'accessReport' | 'erasureRequest' | 'erasureRequests' | 'auditLog'
  | 'registerDataSubjects' | 'unregisterDataSubjects' | 'requestErasure' | 'updateErasureItem'
  // Changes of personal-data tracking, by the schema field changed (src/service/privacy/tracking-changes.ts).
  | 'Execution.privacy' | 'Context.privacy' | 'Artifact.personalDataDeclared' | 'ArtifactType.personalData' | 'deleteNodes';

/** What one entry says; the time and id are added when it is made. */
export interface AuditFacts {
  caller: string;
  operation: AuditOperation;
  subjectHash?: string | null;
  /** Only an id that exists: a looked-up string that names nothing may be anything a caller typed, a subject identifier too. */
  target?: string | null;
  resultCount: number;
  /** A change of personal-data tracking: the value before and after (JSON-serialisable, never a subject identifier). */
  change?: { before: unknown; after: unknown } | null;
}

/** A new entry at `now`. */
export const auditEntry = (now: number, facts: AuditFacts): AuditEntryRecord => ({
  id: newId(),
  time: now,
  caller: facts.caller,
  operation: facts.operation,
  subjectHash: facts.subjectHash ?? null,
  target: facts.target ?? null,
  resultCount: facts.resultCount,
  before: facts.change ? JSON.stringify(facts.change.before ?? null) : null,
  after: facts.change ? JSON.stringify(facts.change.after ?? null) : null,
});

/** A page of the log (no count: the store keeps none). */
export type AuditPage = Page<AuditEntryRecord>;

const LIST = 'auditLog';

/** One page of the log, oldest first (`first` 1 to 1,000, default 100; `after` an endCursor). */
export async function auditPageInTx(tx: StoreTx, input: PageArgs): Promise<AuditPage> {
  const first = pageSize(input.first);
  const after = decodeAfter(input.after, LIST);
  const afterId = after === null ? null : after[0];
  if (after !== null && (after.length !== 1 || typeof afterId !== 'string')) {
    throw new InvalidArgumentError('after is not a cursor this API made (use an endCursor of an earlier page)', 'after');
  }
  const found = await tx.listAuditEntries(afterId as string | null, first + 1);
  return pageOfRows(found, first, LIST, (e) => [e.id]);
}
