/**
 * Events, attributions, associations and parent-context links: existence and kind
 * checks for every end in one read, idempotent re-puts, and the parent-cycle rule.
 */
import { AlreadyExistsError, FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import type { AssociationLink, EventRecord, EventType, NodeKind, NodeRecord, PathStep } from '../../graph/model.js';
import { EVENT_TYPES } from '../../graph/model.js';
import type { EdgeOptions, PathStepInput } from './inputs.js';
import { NODE_WORD } from './node-writes.js';
import { describe, isPresent, requireEnum, requireInt, requireName, requirePath, MAX_TEXT_LENGTH } from '../shared/validate.js';
import { sameJson } from '../shared/canonical-json.js';
import type { WriteContext } from './write-context.js';

/** One end of an edge to check: the id, the kind it must be, and the input field that named it. */
interface EndRef { id: string; kind: NodeKind; field: string }

/**
 * Loads every referenced node in one call; NOT_FOUND (INVALID_ARGUMENT under ML Metadata's
 * semantics) names the first field whose id is not a node of its kind.
 */
export async function requireNodes(
  ctx: WriteContext, ends: readonly EndRef[], known: ReadonlyMap<string, NodeRecord> = new Map(), options: EdgeOptions = {},
): Promise<Map<string, NodeRecord>> {
  const found = new Map(known);
  const missing = [...new Set(ends.map((e) => e.id).filter((id) => !found.has(id)))];
  const records = await ctx.tx.getNodes(missing);
  records.forEach((r) => { if (r) found.set(r.id, r); });
  for (const end of ends) {
    if (found.get(end.id)?.kind !== end.kind) {
      const Missing = options.mlmdSemantics ? InvalidArgumentError : NotFoundError;
      throw new Missing(`${end.field}: no ${NODE_WORD[end.kind]} ${describe(end.id)}`, end.field);
    }
  }
  return found;
}

export interface ValidEvent {
  artifactId: string; executionId: string; type: EventType; path: PathStep[]; field: string;
  /** Milliseconds since the epoch; null: the time of the write. */
  time?: number | null;
}

export function validateEvent(
  input: { artifactId: unknown; executionId: unknown; type: unknown; path?: PathStepInput[] | null; time?: unknown }, field: string,
): ValidEvent {
  return {
    artifactId: requireName(input.artifactId, `${field}.artifactId`, MAX_TEXT_LENGTH),
    executionId: requireName(input.executionId, `${field}.executionId`, MAX_TEXT_LENGTH),
    type: requireEnum(input.type, EVENT_TYPES, `${field}.type`),
    path: requirePath(input.path, `${field}.path`),
    time: isPresent(input.time) ? requireInt(input.time, `${field}.time`, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) : null,
    field,
  };
}

const eventKey = (e: { artifactId: string; executionId: string; type: EventType }): string =>
  JSON.stringify([e.artifactId, e.executionId, e.type]);

/**
 * Inserts events whose ends exist. Events are insert-only: re-putting an identical one
 * returns the stored event; the same (artifact, execution, type) with another path is
 * ALREADY_EXISTS (under ML Metadata's semantics, so is an identical one).
 */
export async function putEventsInTx(
  ctx: WriteContext, events: readonly ValidEvent[], known?: ReadonlyMap<string, NodeRecord>, options: EdgeOptions = {},
): Promise<EventRecord[]> {
  if (events.length === 0) return [];
  const ends = await requireNodes(ctx, events.flatMap((e) => [
    { id: e.artifactId, kind: 'ARTIFACT' as const, field: `${e.field}.artifactId` },
    { id: e.executionId, kind: 'EXECUTION' as const, field: `${e.field}.executionId` },
  ]), known, options);
  const stored = await ctx.tx.getEvents(events);
  const byKey = new Map<string, EventRecord>();
  stored.forEach((s) => { if (s) byKey.set(eventKey(s), s); });
  const fresh: EventRecord[] = [];
  const results = events.map((e) => {
    const existing = byKey.get(eventKey(e));
    if (existing) {
      if (options.mlmdSemantics || !sameJson(existing.path, e.path)) {
        throw new AlreadyExistsError(`${e.field}: an event ${e.type} between artifact ${describe(e.artifactId)} and execution ${describe(e.executionId)} exists with another path; events are insert-only`, e.field);
      }
      return existing;
    }
    const record: EventRecord = { artifactId: e.artifactId, executionId: e.executionId, type: e.type, path: e.path, time: e.time ?? ctx.now };
    byKey.set(eventKey(record), record);
    fresh.push(record);
    return record;
  });
  if (fresh.length > 0) {
    await ctx.tx.insertEvents(fresh);
    await ctx.hooks.eventsWritten(fresh, ends);
  }
  return results;
}

/**
 * The stored parent links above `start`: each node reached going upward mapped to its
 * stored parents, every node of a level asked in one store call.
 */
async function storedAncestry(ctx: WriteContext, start: readonly string[]): Promise<Map<string, string[]>> {
  const parentsOf = new Map<string, string[]>();
  let frontier = [...new Set(start)];
  while (frontier.length > 0) {
    const parents = await ctx.tx.parentContexts(frontier);
    const next = new Set<string>();
    frontier.forEach((id, i) => {
      const ids = parents[i]!.map((p) => p.id);
      parentsOf.set(id, ids);
      for (const p of ids) next.add(p);
    });
    frontier = [...next].filter((id) => !parentsOf.has(id));
  }
  return parentsOf;
}

/** Whether `target` is `from` or one of its ancestors in `parentsOf`. */
function reaches(parentsOf: ReadonlyMap<string, readonly string[]>, from: string, target: string): boolean {
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === target) return true;
    for (const p of parentsOf.get(id) ?? []) if (!seen.has(p)) { seen.add(p); stack.push(p); }
  }
  return false;
}

/**
 * ML Metadata's rule: a parent link stored already, or given twice, is ALREADY_EXISTS.
 * Returns the check of one link, to run in the batch's order beside the cycle check:
 * MLMD takes the links one at a time, so the first bad link names the refusal.
 */
async function repeatedLinkCheck(
  ctx: WriteContext, links: readonly { childId: string; parentId: string; field: string }[],
): Promise<(link: { childId: string; parentId: string; field: string }) => void> {
  const children = [...new Set(links.map((l) => l.childId))];
  const stored = await ctx.tx.parentContexts(children);
  const seen = new Set(children.flatMap((child, i) => stored[i]!.map((p) => JSON.stringify([child, p.id]))));
  return (link) => {
    const key = JSON.stringify([link.childId, link.parentId]);
    if (seen.has(key)) {
      throw new AlreadyExistsError(`${link.field}: ${describe(link.parentId)} is already a parent of ${describe(link.childId)}`, link.field);
    }
    seen.add(key);
  };
}

/**
 * Adds parent links as if one by one, so a later link in the batch sees the earlier ones
 * when checking for cycles. The stored ancestry of every parent is read once, level by
 * level, and the batch's links are checked against it in memory: walking up from a
 * parent only ever meets stored ancestors of the batch's parents or, over a link of the
 * batch, another of its parents, so that ancestry is all a check can need.
 */
/**
 * Associates executions with contexts (existing links are kept as they are), the layers
 * told first: a context's setting may apply to its executions (a job's privacy transform),
 * which they may refuse. `fieldOf` names a link's input field. Returns how many links were new.
 */
export async function putAssociationsInTx(
  ctx: WriteContext, links: readonly AssociationLink[], fieldOf: (index: number) => string = (i) => `associations[${i}]`,
): Promise<number> {
  if (links.length === 0) return 0;
  await ctx.hooks.associationsWriting(links, fieldOf);
  return ctx.tx.insertAssociations(links);
}

export async function putParentContextsInTx(
  ctx: WriteContext, links: readonly { childId: string; parentId: string; field: string }[], options: EdgeOptions = {},
): Promise<number> {
  await requireNodes(ctx, links.flatMap((l) => [
    { id: l.childId, kind: 'CONTEXT' as const, field: `${l.field}.childId` },
    { id: l.parentId, kind: 'CONTEXT' as const, field: `${l.field}.parentId` },
  ]), undefined, options);
  // Before anything is read: the check must see every parent link committed before it (several processes).
  await ctx.tx.lockParentContextWrites();
  const refuseRepeated = options.mlmdSemantics ? await repeatedLinkCheck(ctx, links) : undefined;
  const parentsOf = await storedAncestry(ctx, links.map((l) => l.parentId));
  const Cycle = options.mlmdSemantics ? InvalidArgumentError : FailedPreconditionError;
  for (const link of links) {
    // A context its own parent is refused first, as MLMD's per-link check does.
    if (link.parentId !== link.childId) refuseRepeated?.(link);
    if (reaches(parentsOf, link.parentId, link.childId)) {
      throw new Cycle(`${link.field}: making ${describe(link.parentId)} a parent of ${describe(link.childId)} would close a cycle of parent contexts`, link.field);
    }
    parentsOf.set(link.childId, [...(parentsOf.get(link.childId) ?? []), link.parentId]);
  }
  return ctx.tx.insertParentContexts(links.map((l) => ({ childId: l.childId, parentId: l.parentId })));
}
