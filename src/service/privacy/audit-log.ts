/**
 * The audit log of personal-data queries and erasure actions: who asked what about whom
 * (by the subject's keyed hash) and how much came back. Entries are only ever appended;
 * the store has no method to change or remove one and the API none to ask for it.
 */
import { InvalidArgumentError } from '../../graph/errors.js';
import type { AuditEntryRecord } from '../../graph/privacy-store.js';
import type { StoreTx } from '../../graph/store.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../node-listing.js';
import { isPresent, MAX_TEXT_LENGTH, requireInt, requireName } from '../validate.js';
import { newId } from '../write-context.js';

/** The operations the log records, named as the API names them. */
export type AuditOperation =
  | 'personalDataStatus' | 'dataSubjectLineage' | 'personalDataInventory' | 'accessReport' | 'erasureRequest' | 'auditLog'
  | 'registerDataSubjects' | 'unregisterDataSubjects' | 'requestErasure' | 'updateErasureItem'
  // Changes of personal-data tracking, by the schema field changed (src/service/privacy/tracking-changes.ts).
  | 'Execution.privacy' | 'Artifact.personalDataDeclared' | 'ArtifactType.personalData' | 'deleteNodes';

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

export interface AuditPage {
  entries: AuditEntryRecord[];
  cursors: string[];
  hasNextPage: boolean;
  endCursor: string | null;
}

const CURSOR_LIST = 'auditLog';
const encode = (id: string): string => Buffer.from(JSON.stringify([CURSOR_LIST, id]), 'utf8').toString('base64url');

function decode(cursor: string): string {
  let body: unknown = null;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    body = null;
  }
  if (!Array.isArray(body) || body[0] !== CURSOR_LIST || typeof body[1] !== 'string') {
    throw new InvalidArgumentError('after is not a cursor of the audit log (use an endCursor of an earlier page)', 'after');
  }
  return body[1];
}

/** One page of the log, oldest first (`first` 1 to 1,000, default 100; `after` an endCursor). */
export async function auditPageInTx(tx: StoreTx, input: { first?: number | null; after?: string | null }): Promise<AuditPage> {
  const first = isPresent(input.first) ? requireInt(input.first, 'first', 1, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const after = isPresent(input.after) ? decode(requireName(input.after, 'after', MAX_TEXT_LENGTH)) : null;
  // One more than the page, to learn whether another follows without a count.
  const found = await tx.listAuditEntries(after, first + 1);
  const entries = found.slice(0, first);
  const cursors = entries.map((e) => encode(e.id));
  return { entries, cursors, hasNextPage: found.length > first, endCursor: cursors.at(-1) ?? null };
}
