/**
 * The lineage reach on SQLite, on integer keys: the start's UUIDs become keys once, each
 * hop is one statement over the events table that reads and returns only integers, and
 * the nodes met are mapped to their UUIDs (and their types') once, at the end, in one
 * statement. lineageSteps, lineageReach and the personal-data reach all run on it.
 */
import { isInputEvent, type EventRecord, type EventType, type PathStep } from '../model.js';
import type { LineageReach, LineageReachQuery, LineageStep, ReachDirection } from '../graph-tx.js';
import type { PreparedStatement } from './sqlite-executor.js';

/** The statements a reach runs (sqlite-statements.ts). */
export interface ReachStatements {
  nodeKeys: PreparedStatement;
  reachSteps: PreparedStatement;
  nodeRefs: PreparedStatement;
}

type WalkKind = 'ARTIFACT' | 'EXECUTION';

/** Picks, among the node keys a reach has just met, those it goes on from. */
export type ReachAdmit = (keys: number[], kindOf: (key: number) => WalkKind) => number[];

/** A reach in the seam's shape, and the UUID of any node key it met (for what `admit` kept aside). */
export interface KeyedReach {
  reach: LineageReach;
  uuidOf: (key: number) => string;
}

/** The question a reach answers (the seam's shape, so the service's prefetch and this backend ask alike). */
export type ReachQuery = LineageReachQuery;

interface StepRow {
  artifact_id: number;
  execution_id: number;
  type: EventType;
  time: number;
  path: string;
  neighbor: number;
  neighbor_kind: WalkKind;
}

interface NodeRef { uuid: string; typeUuid: string }

/**
 * The event types a step may take from each side of an event, as the step statement's
 * JSON parameters. Upstream, an artifact was made by its output events and an execution
 * fed by its input events; downstream is the mirror; both ways, every event from either end.
 */
function stepEventTypes(direction: ReachDirection, eventTypes: readonly EventType[]): { fromArtifactTypes: string; fromExecutionTypes: string } {
  if (direction === 'BOTH') return { fromArtifactTypes: JSON.stringify(eventTypes), fromExecutionTypes: JSON.stringify(eventTypes) };
  const inputs = JSON.stringify(eventTypes.filter(isInputEvent));
  const outputs = JSON.stringify(eventTypes.filter((type) => !isInputEvent(type)));
  return direction === 'UPSTREAM'
    ? { fromArtifactTypes: outputs, fromExecutionTypes: inputs }
    : { fromArtifactTypes: inputs, fromExecutionTypes: outputs };
}

/** The integer keys of the UUIDs that exist, by UUID. */
export function keysOf(nodeKeys: PreparedStatement, uuids: readonly string[]): Map<string, number> {
  const keys = new Map<string, number>();
  if (uuids.length === 0) return keys;
  for (const row of nodeKeys.all<{ uuid: string; key: number }>({ ids: JSON.stringify(uuids) })) keys.set(row.uuid, row.key);
  return keys;
}

/**
 * In process a hop costs no round trip, so a reach is the step statement in a loop,
 * without handing control back to the event loop between hops. `admit` picks which newly
 * met nodes the reach goes on from (the personal-data reach goes on only from those that
 * can hold personal data). A start UUID with no node is expanded at once: it has no steps.
 */
export function reachByKeys(sql: ReachStatements, query: ReachQuery, admit: ReachAdmit): KeyedReach {
  const fromTypes = stepEventTypes(query.direction, query.eventTypes);
  const startKeys = keysOf(sql.nodeKeys, [...new Set(query.start)]);
  const unknown = [...new Set(query.start)].filter((uuid) => !startKeys.has(uuid));
  const seen = new Set(startKeys.values());
  const expanded: number[] = [];
  const rows: StepRow[] = [];
  const cap = query.nodeCap - unknown.length;
  let frontier = [...seen];
  for (let hop = 0; hop <= query.radius && frontier.length > 0 && expanded.length < cap; hop += 1) {
    frontier = frontier.slice(0, cap - expanded.length);
    for (const key of frontier) expanded.push(key);
    const hopRows = sql.reachSteps.all<StepRow>({ frontier: JSON.stringify(frontier), ...fromTypes, asOf: query.asOf });
    const next: number[] = [];
    const kinds = new Map<number, WalkKind>();
    for (const row of hopRows) {
      rows.push(row);
      if (!seen.has(row.neighbor)) {
        seen.add(row.neighbor);
        next.push(row.neighbor);
        kinds.set(row.neighbor, row.neighbor_kind);
      }
    }
    frontier = next.length === 0 ? next : admit(next, (key) => kinds.get(key)!);
  }
  const refs = refsOf(sql.nodeRefs, seen);
  const uuidOf = (key: number): string => refs.get(key)!.uuid;
  return {
    reach: { expanded: [...unknown, ...expanded.map(uuidOf)], steps: rows.map((row) => stepOf(row, refs)) },
    uuidOf,
  };
}

/** The steps out of `frontier` (UUIDs), one hop, in the seam's shape. */
export function stepsFrom(sql: ReachStatements, frontier: readonly string[], direction: ReachDirection, eventTypes: readonly EventType[], asOf: number | null): LineageStep[] {
  const keys = [...keysOf(sql.nodeKeys, [...new Set(frontier)]).values()];
  if (keys.length === 0) return [];
  const rows = sql.reachSteps.all<StepRow>({ frontier: JSON.stringify(keys), ...stepEventTypes(direction, eventTypes), asOf });
  const refs = refsOf(sql.nodeRefs, new Set([...keys, ...rows.map((row) => row.neighbor)]));
  return rows.map((row) => stepOf(row, refs));
}

/** Every node of `keys` by key: its UUID and its type's UUID, in one statement. */
function refsOf(nodeRefs: PreparedStatement, keys: ReadonlySet<number>): Map<number, NodeRef> {
  const refs = new Map<number, NodeRef>();
  if (keys.size === 0) return refs;
  const rows = nodeRefs.all<{ key: number; uuid: string; type_uuid: string }>({ keys: JSON.stringify([...keys]) });
  for (const row of rows) refs.set(row.key, { uuid: row.uuid, typeUuid: row.type_uuid });
  return refs;
}

function stepOf(row: StepRow, refs: ReadonlyMap<number, NodeRef>): LineageStep {
  const neighbor = refs.get(row.neighbor)!;
  const event: EventRecord = {
    artifactId: refs.get(row.artifact_id)!.uuid,
    executionId: refs.get(row.execution_id)!.uuid,
    type: row.type,
    path: JSON.parse(row.path) as PathStep[],
    time: row.time,
  };
  return { event, neighborId: neighbor.uuid, neighborKind: row.neighbor_kind, neighborTypeId: neighbor.typeUuid };
}
