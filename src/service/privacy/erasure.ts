/**
 * Erasure requests (GDPR Art. 17). A request snapshots every artifact the subject's data
 * reached, each item PENDING; operators then mark each ERASED, RETRAINED (a model trained
 * anew without the data) or EXEMPT (kept under an exemption, which must be noted). The
 * request is complete when no item is PENDING, and on completion the subject's
 * registrations on the listed artifacts are removed. Only those: a registration made after
 * the snapshot (the same subject in another source) is data the request never covered, so
 * it stays, and the request shows it as not covered. Marking an item ERASED also forgets
 * the artifact's history of replaced records.
 */
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import type { ArtifactRecord } from '../../graph/model.js';
import type { ErasureItemRecord, ErasureRequestRecord, ErasureStatus, SubjectTextPrint } from '../../graph/privacy-store.js';
import type { StoreTx } from '../../graph/store.js';
import { describe, isPresent, MAX_TEXT_LENGTH, requireEnum, requireName } from '../shared/validate.js';
import { newId } from '../shared/ids.js';
import { decodeAfter, pageOfRows, pageSize, type Page, type PageArgs } from '../shared/paging.js';
import type { SubjectLineage } from './subject-lineage.js';

/** The statuses an operator may set; PENDING is where every item starts, never where one returns. */
export const SETTABLE_ERASURE_STATUSES = ['ERASED', 'RETRAINED', 'EXEMPT'] as const satisfies readonly ErasureStatus[];

/** A request as the API shows it. */
export interface ErasureRequest {
  id: string;
  createTime: number;
  reason: string | null;
  items: ErasureItemRecord[];
  /** No item is PENDING. */
  complete: boolean;
  /** Artifacts where the subject is registered now that the request does not list, by id. */
  notCovered: string[];
}

export interface ErasureItemInput {
  requestId: string;
  artifactId: string;
  status: ErasureStatus;
  /** Required for EXEMPT: which exemption applies. */
  note?: string | null;
}

export interface ValidErasureItemInput {
  requestId: string;
  artifactId: string;
  status: ErasureStatus;
  note: string | null;
}

const isComplete = (items: readonly ErasureItemRecord[]): boolean => items.every((i) => i.status !== 'PENDING');

/** The artifacts where the request's subject is registered now that it does not list. */
async function notCoveredInTx(tx: StoreTx, r: ErasureRequestRecord): Promise<string[]> {
  const [registered = []] = await tx.artifactsOfSubjects([r.subjectHash]);
  const listed = new Set(r.items.map((i) => i.artifactId));
  return registered.filter((id) => !listed.has(id));
}

/** The API's view of a stored request, read inside `tx`. */
export const erasureRequestInTx = async (tx: StoreTx, r: ErasureRequestRecord): Promise<ErasureRequest> => ({
  id: r.id, createTime: r.createTime, reason: r.reason, items: r.items, complete: isComplete(r.items), notCovered: await notCoveredInTx(tx, r),
});

/**
 * The API's view of several stored requests, read inside `tx` with one store call for all
 * their subjects' registrations (a page of the list costs the same whatever its length).
 */
export async function erasureRequestsInTx(tx: StoreTx, records: readonly ErasureRequestRecord[]): Promise<ErasureRequest[]> {
  const hashes = [...new Set(records.map((r) => r.subjectHash))];
  const registered = hashes.length === 0 ? [] : await tx.artifactsOfSubjects(hashes);
  const bySubject = new Map(hashes.map((h, i) => [h, registered[i] ?? []]));
  return records.map((r) => {
    const listed = new Set(r.items.map((i) => i.artifactId));
    const notCovered = (bySubject.get(r.subjectHash) ?? []).filter((id) => !listed.has(id));
    return { id: r.id, createTime: r.createTime, reason: r.reason, items: r.items, complete: isComplete(r.items), notCovered };
  });
}

/** An erasure request's items counted by status: its progress. */
export type ErasureProgress = Record<'total' | 'pending' | 'erased' | 'retrained' | 'exempt', number>;

export function erasureProgress(items: readonly ErasureItemRecord[]): ErasureProgress {
  const progress: ErasureProgress = { total: items.length, pending: 0, erased: 0, retrained: 0, exempt: 0 };
  for (const item of items) progress[item.status.toLowerCase() as Lowercase<ErasureStatus>] += 1;
  return progress;
}

const LIST = 'erasureRequests';

/** One page of the stored requests, newest first (`first` 1 to 1,000, default 100; `after` an endCursor): three store calls. */
export async function erasureRequestPageInTx(tx: StoreTx, input: PageArgs): Promise<Page<ErasureRequest>> {
  const first = pageSize(input.first);
  const after = decodeAfter(input.after, LIST);
  const beforeId = after === null ? null : after[0];
  if (after !== null && (after.length !== 1 || typeof beforeId !== 'string')) {
    throw new InvalidArgumentError('after is not a cursor this API made (use an endCursor of an earlier page)', 'after');
  }
  const ids = await tx.listErasureRequestIds(beforeId as string | null, first + 1);
  const page = pageOfRows(ids, first, LIST, (id) => [id]);
  const records = page.nodes.length === 0 ? [] : await tx.getErasureRequests(page.nodes);
  // A request is never deleted, so every id listed is found; the filter only satisfies the types.
  const views = await erasureRequestsInTx(tx, records.filter((r): r is ErasureRequestRecord => r !== null));
  return { ...page, nodes: views };
}

/** Checks an item update before any store call. */
export function validateItemInput(input: ErasureItemInput): ValidErasureItemInput {
  const status = requireEnum(input?.status, SETTABLE_ERASURE_STATUSES, 'status');
  const note = isPresent(input.note) ? requireName(input.note, 'note', MAX_TEXT_LENGTH) : null;
  if (status === 'EXEMPT' && note === null) {
    throw new InvalidArgumentError('note is required for EXEMPT: say which exemption lets the data be kept', 'note');
  }
  return {
    requestId: requireName(input.requestId, 'requestId', MAX_TEXT_LENGTH),
    artifactId: requireName(input.artifactId, 'artifactId', MAX_TEXT_LENGTH),
    status,
    note,
  };
}

/** Stores a new request listing every affected artifact of `lineage`, PENDING, as it is at `now`. */
export async function createErasureRequestInTx(
  tx: StoreTx, now: number, subject: { hash: string; print: SubjectTextPrint | null }, reason: string | null, lineage: SubjectLineage,
): Promise<ErasureRequestRecord> {
  if (lineage.truncated) {
    // A request that leaves copies out would be worse than none: it would be marked complete.
    throw new FailedPreconditionError("the subject's data reaches further than the server's hop or node ceiling; an erasure request must list every copy");
  }
  const ids = lineage.affected.map((a) => a.artifactId);
  const records = ids.length === 0 ? [] : await tx.getNodes(ids);
  const items = ids.flatMap((artifactId, i): ErasureItemRecord[] => {
    const artifact = records[i];
    if (!artifact || artifact.kind !== 'ARTIFACT') return [];
    return [{ artifactId, artifact: artifact as ArtifactRecord, status: 'PENDING', note: null, updateTime: now }];
  });
  const request: ErasureRequestRecord = { id: newId(), subjectHash: subject.hash, createTime: now, reason, items, subjectText: subject.print };
  await tx.insertErasureRequests([request]);
  return request;
}

/**
 * Sets one item's status (`checkNote` refuses a note that carries the request's subject);
 * when that completes the request, removes the subject's registrations on the artifacts it
 * lists. Returns the request after the change.
 */
export async function updateErasureItemInTx(
  tx: StoreTx, now: number, input: ValidErasureItemInput, checkNote: (note: string, request: ErasureRequestRecord) => void,
): Promise<ErasureRequestRecord> {
  const [request] = await tx.getErasureRequests([input.requestId]);
  if (!request) throw new NotFoundError(`requestId: no erasure request ${describe(input.requestId)}`, 'requestId');
  if (input.note !== null) checkNote(input.note, request);
  const item = request.items.find((i) => i.artifactId === input.artifactId);
  if (!item) {
    throw new NotFoundError(`artifactId: erasure request ${describe(input.requestId)} lists no artifact ${describe(input.artifactId)}`, 'artifactId');
  }
  const wasComplete = isComplete(request.items);
  await tx.updateErasureItems([{ ...input, updateTime: now }]);
  if (input.status === 'ERASED') {
    // The artifact's earlier records (uris, properties) described the data as it was while
    // it held the subject's records: once that data is erased they go too, so the history
    // (src/graph/history-store.ts) keeps no trace of it. The current record stays, as the
    // erasure item does. RETRAINED and EXEMPT keep the history: the data was not erased.
    await tx.deleteNodeHistories([input.artifactId]);
  }
  const items = request.items.map((i) => (i === item ? { ...i, status: input.status, note: input.note, updateTime: now } : i));
  if (!wasComplete && isComplete(items)) {
    // The subject's registrations on the listed artifacts, one store call per registered
    // source (a subject has few); a registration made after the snapshot is left.
    const listed = new Set(items.map((i) => i.artifactId));
    const [registered = []] = await tx.artifactsOfSubjects([request.subjectHash]);
    for (const artifactId of registered.filter((id) => listed.has(id))) {
      await tx.deleteSubjectRegistrations(artifactId, [request.subjectHash]);
    }
  }
  return { ...request, items };
}
