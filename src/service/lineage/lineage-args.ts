/**
 * The lineage queries' arguments: validation against the configured ceilings, and the
 * resolution (inside the read transaction) of start ids and type names into a WalkPlan.
 */
import { InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import { argumentRanges, intArgument } from '../shared/argument-ranges.js';
import type { EventType, TypeKind, TypeRecord } from '../../graph/model.js';
import { EVENT_TYPES } from '../../graph/model.js';
import type { StoreTx, WalkDirection } from '../../graph/store.js';
import type { WalkNodeRef, WalkPlan } from './lineage-walk.js';
import { describe, isPresent, requireBatch, requireEnum, requireIdList, requireInt, requireName, requireTime } from '../shared/validate.js';

export type LineageDirection = WalkDirection | 'BOTH';
export const LINEAGE_DIRECTIONS: readonly LineageDirection[] = ['UPSTREAM', 'DOWNSTREAM', 'BOTH'];

/** Nodes the walk returns but does not expand: by id, or by the name of their type (every version). */
export interface LineageStopInput {
  artifactTypes?: readonly string[] | null;
  executionTypes?: readonly string[] | null;
  ids?: readonly string[] | null;
}

/** A lineage query as the API takes it; absent values take the documented defaults. */
export interface LineageQuery {
  start: readonly string[];
  /** Default UPSTREAM. */
  direction?: LineageDirection | null;
  /** Default 20 (or the ceiling, if lower). */
  maxHops?: number | null;
  /** Default 10,000 (or the ceiling, if lower). */
  maxNodes?: number | null;
  /** Default INPUT and OUTPUT. */
  eventTypes?: readonly EventType[] | null;
  stopAt?: LineageStopInput | null;
  /** Return only artifacts of these type names (absent: every artifact; empty: none). */
  artifactTypes?: readonly string[] | null;
  /** Return only executions of these type names (absent: every execution; empty: none). */
  executionTypes?: readonly string[] | null;
  /** Milliseconds since the epoch: answer as the graph stood then. */
  asOf?: number | null;
}

/** The service's bounds on every query; a value beyond them is INVALID_ARGUMENT, never clamped silently. */
export interface LineageLimits {
  /** Largest maxHops accepted. Default 100. */
  maxHopsCeiling: number;
  /** Largest maxNodes accepted. Default 100,000. */
  maxNodesCeiling: number;
  /** Time budget of one query in milliseconds, checked between hops (DEADLINE_EXCEEDED past it). Default 30,000. */
  queryTimeoutMs: number;
}

export const DEFAULT_LIMITS: LineageLimits = { maxHopsCeiling: 100, maxNodesCeiling: 100_000, queryTimeoutMs: 30_000 };
export const DEFAULT_EVENT_TYPES: readonly EventType[] = ['INPUT', 'OUTPUT'];

/** Validates configured limits; a bad configuration is a programming error, not a user's. */
export function checkLimits(options: Partial<LineageLimits>): LineageLimits {
  const limits = { ...DEFAULT_LIMITS, ...options };
  if (!Number.isSafeInteger(limits.maxHopsCeiling) || limits.maxHopsCeiling < 0) {
    throw new Error(`maxHopsCeiling must be an integer of 0 or more, got ${describe(limits.maxHopsCeiling)}`);
  }
  if (!Number.isSafeInteger(limits.maxNodesCeiling) || limits.maxNodesCeiling < 1) {
    throw new Error(`maxNodesCeiling must be an integer of 1 or more, got ${describe(limits.maxNodesCeiling)}`);
  }
  if (!Number.isSafeInteger(limits.queryTimeoutMs) || limits.queryTimeoutMs < 1) {
    throw new Error(`queryTimeoutMs must be an integer of 1 or more, got ${describe(limits.queryTimeoutMs)}`);
  }
  return limits;
}

/** maxHops: 0..ceiling; absent means `fallback`, lowered to the ceiling. */
export function hopsArg(value: unknown, limits: LineageLimits, fallback: number, field = 'maxHops'): number {
  return intArgument(value, field, argumentRanges(limits).maxHops, fallback);
}

/** maxNodes: 1..ceiling; absent means `fallback`, lowered to the ceiling. */
function nodesArg(value: unknown, limits: LineageLimits, fallback: number, field = 'maxNodes'): number {
  return intArgument(value, field, argumentRanges(limits).maxNodes, fallback);
}

/** An optional list of type names; null when absent (which filters nothing). */
function typeNames(value: unknown, field: string): string[] | null {
  if (!isPresent(value)) return null;
  return requireBatch<unknown>(value, field).map((name, i) => requireName(name, `${field}[${i}]`));
}

/** The start ids: 1..MAX_BATCH, duplicates dropped (first occurrence kept, for error positions). */
function startArg(value: unknown, field = 'start'): string[] {
  const ids = requireIdList(value, field);
  if (ids.length === 0) throw new InvalidArgumentError(`${field} must list at least one artifact or execution id`, field);
  return ids;
}

export interface ValidLineageQuery {
  start: string[];
  directions: WalkDirection[];
  maxHops: number;
  maxNodes: number;
  eventTypes: EventType[];
  stopIds: Set<string>;
  stopArtifactTypes: string[] | null;
  stopExecutionTypes: string[] | null;
  returnArtifactTypes: string[] | null;
  returnExecutionTypes: string[] | null;
  asOf: number | null;
}

export interface QueryDefaults { maxHops: number; maxNodes: number }

/** Checks every argument of a lineage query before any store call. */
export function validateLineageQuery(query: LineageQuery, limits: LineageLimits, defaults: QueryDefaults): ValidLineageQuery {
  const start = startArg(query?.start);
  const direction = isPresent(query.direction) ? requireEnum(query.direction, LINEAGE_DIRECTIONS, 'direction') : 'UPSTREAM';
  const maxHops = hopsArg(query.maxHops, limits, defaults.maxHops);
  const maxNodes = nodesArg(query.maxNodes, limits, defaults.maxNodes);
  const distinctStart = new Set(start).size;
  if (maxNodes < distinctStart) {
    throw new InvalidArgumentError(`maxNodes must be at least the number of start nodes (${distinctStart}), got ${maxNodes}`, 'maxNodes');
  }
  let eventTypes = [...DEFAULT_EVENT_TYPES];
  if (isPresent(query.eventTypes)) {
    eventTypes = requireBatch<unknown>(query.eventTypes, 'eventTypes').map((t, i) => requireEnum(t, EVENT_TYPES, `eventTypes[${i}]`));
    if (eventTypes.length === 0) throw new InvalidArgumentError('eventTypes must list at least one event type', 'eventTypes');
  }
  const stopAt = query.stopAt ?? {};
  const stopIds = isPresent(stopAt.ids) ? requireIdList(stopAt.ids, 'stopAt.ids') : [];
  return {
    start,
    directions: direction === 'BOTH' ? ['UPSTREAM', 'DOWNSTREAM'] : [direction],
    maxHops,
    maxNodes,
    eventTypes: [...new Set(eventTypes)],
    stopIds: new Set(stopIds),
    stopArtifactTypes: typeNames(stopAt.artifactTypes, 'stopAt.artifactTypes'),
    stopExecutionTypes: typeNames(stopAt.executionTypes, 'stopAt.executionTypes'),
    returnArtifactTypes: typeNames(query.artifactTypes, 'artifactTypes'),
    returnExecutionTypes: typeNames(query.executionTypes, 'executionTypes'),
    asOf: isPresent(query.asOf) ? requireTime(query.asOf, 'asOf') : null,
  };
}

/** A lineage node with its creation time, for asOf. */
export interface DatedNodeRef extends WalkNodeRef { createTime: number }

/**
 * The artifacts and executions behind `ids`, in order; NOT_FOUND names the first id
 * (as `field[i]`) that is neither. Contexts are not lineage nodes and count as missing.
 */
export async function requireLineageNodes(tx: StoreTx, ids: readonly string[], field: string | ((i: number) => string)): Promise<DatedNodeRef[]> {
  const unique = [...new Set(ids)];
  const records = await tx.getNodes(unique);
  const byId = new Map<string, DatedNodeRef>();
  for (const r of records) {
    if (r && r.kind !== 'CONTEXT') byId.set(r.id, { id: r.id, kind: r.kind, typeId: r.typeId, createTime: r.createTime });
  }
  return ids.map((id, i) => {
    const node = byId.get(id);
    if (!node) {
      const at = typeof field === 'string' ? field : field(i);
      throw new NotFoundError(`${at}: no artifact or execution ${describe(id)}`, at);
    }
    return node;
  });
}

/** Ids of every version of each named type; NOT_FOUND names the first name that matches no type. */
async function typeIdsOf(tx: StoreTx, kind: TypeKind, names: readonly string[], field: string, cache: Map<TypeKind, TypeRecord[]>): Promise<Set<string>> {
  let types = cache.get(kind);
  if (!types) {
    types = await tx.listTypes(kind);
    cache.set(kind, types);
  }
  const ids = new Set<string>();
  names.forEach((name, i) => {
    const matching = types!.filter((t) => t.name === name);
    if (matching.length === 0) {
      const word = kind === 'ARTIFACT_TYPE' ? 'artifact' : 'execution';
      throw new NotFoundError(`${field}[${i}]: no ${word} type ${describe(name)}`, `${field}[${i}]`);
    }
    for (const t of matching) ids.add(t.id);
  });
  return ids;
}

export interface ResolvedLineageQuery {
  plan: WalkPlan;
  /** Whether a walked node is returned (the type filters); the walk passes through the rest. */
  returns(node: WalkNodeRef): boolean;
}

/**
 * Resolves a validated query inside `tx`: the start nodes (NOT_FOUND on `start[i]`;
 * with asOf, nodes created after it are dropped) and every type name (NOT_FOUND on
 * the name that matches no type).
 */
export async function resolveLineageQuery(tx: StoreTx, q: ValidLineageQuery): Promise<ResolvedLineageQuery> {
  const start = await requireLineageNodes(tx, q.start, (i) => `start[${i}]`);
  const types = new Map<TypeKind, TypeRecord[]>();
  const resolve = async (names: string[] | null, kind: TypeKind, field: string): Promise<Set<string> | null> =>
    names === null ? null : typeIdsOf(tx, kind, names, field, types);
  const stopArtifactTypes = await resolve(q.stopArtifactTypes, 'ARTIFACT_TYPE', 'stopAt.artifactTypes');
  const stopExecutionTypes = await resolve(q.stopExecutionTypes, 'EXECUTION_TYPE', 'stopAt.executionTypes');
  const artifactTypes = await resolve(q.returnArtifactTypes, 'ARTIFACT_TYPE', 'artifactTypes');
  const executionTypes = await resolve(q.returnExecutionTypes, 'EXECUTION_TYPE', 'executionTypes');
  const seen = new Set<string>();
  const existing = start.filter((s) => {
    if (seen.has(s.id)) return false;
    seen.add(s.id);
    return q.asOf === null || s.createTime <= q.asOf;
  }).map(({ id, kind, typeId }) => ({ id, kind, typeId }));
  const stopTypes = { ARTIFACT: stopArtifactTypes, EXECUTION: stopExecutionTypes };
  const returnTypes = { ARTIFACT: artifactTypes, EXECUTION: executionTypes };
  return {
    plan: {
      start: existing,
      directions: q.directions,
      maxHops: q.maxHops,
      maxNodes: q.maxNodes,
      eventTypes: q.eventTypes,
      asOf: q.asOf,
      isStop: (n) => q.stopIds.has(n.id) || (stopTypes[n.kind]?.has(n.typeId) ?? false),
    },
    returns: (n) => returnTypes[n.kind]?.has(n.typeId) ?? true,
  };
}
