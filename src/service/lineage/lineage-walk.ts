/**
 * The lineage walk, written once for every backend: breadth-first over events, with a
 * visited set per direction so each node is met once, at its smallest distance. Its steps
 * come from one `lineageReach` query per direction (lineage-prefetch.ts), and from one
 * `lineageSteps` query per hop for the whole frontier where that did not reach. It never
 * enumerates paths: a ladder of diamonds with 2^30 distinct paths costs its ~100 nodes.
 */
import type { EventRecord, EventType } from '../../graph/model.js';
import type { LineageStep, StoreTx, WalkDirection } from '../../graph/store.js';
import type { Deadline } from '../shared/deadline.js';
import { PrefetchedSteps } from './lineage-prefetch.js';

export type LineageNodeKind = 'ARTIFACT' | 'EXECUTION';

/** A node as the walk knows it: enough to decide stops and filters without reading its record. */
export interface WalkNodeRef {
  id: string;
  kind: LineageNodeKind;
  typeId: string;
}

/** A node the walk reached, at its smallest distance (in hops) from the start set. */
export interface WalkedNode extends WalkNodeRef {
  distance: number;
}

export interface WalkPlan {
  /** The distance-0 nodes, known to exist; at most `maxNodes` of them. */
  start: readonly WalkNodeRef[];
  /** One walk per direction; BOTH is the union of an UPSTREAM and a DOWNSTREAM walk, never an undirected one. */
  directions: readonly WalkDirection[];
  maxHops: number;
  maxNodes: number;
  eventTypes: readonly EventType[];
  /** Milliseconds since the epoch; events after it are not walked. */
  asOf: number | null;
  /** Nodes that are returned but not expanded. Start nodes are expanded even when it holds for them. */
  isStop(node: WalkNodeRef): boolean;
  /** Checked before every store round trip; absent: no time budget. */
  deadline?: Deadline;
}

export interface WalkResult {
  /** By distance, then id. */
  nodes: WalkedNode[];
  /**
   * Each event the walk took from a node it expanded to another node of `nodes`, once.
   * This includes the look one hop past maxHops (made to learn whether anything was cut
   * off), so every walked-direction event among the returned nodes is here.
   */
  events: EventRecord[];
  /** Whether maxHops or maxNodes left out a node the walk would otherwise have reached. */
  truncated: boolean;
}

/** The walk in one direction: what it has seen (its own set: BOTH runs two) and what it expands next. */
interface DirectedWalk {
  direction: WalkDirection;
  visited: Set<string>;
  frontier: string[];
  /** Loaded on the walk's first step. */
  source?: PrefetchedSteps;
}

const eventKey = (e: EventRecord): string => `${e.artifactId}\u0000${e.executionId}\u0000${e.type}`;
const byDistanceThenId = (a: WalkedNode, b: WalkedNode): number =>
  a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Where a walk's steps come from, per directed walk; records every event taken in `taken`. */
type StepSource = (walk: DirectedWalk) => Promise<LineageStep[]>;

/**
 * The steps out of a walk's frontier: its direction's reach is loaded on its first step
 * (one lineageReach), the store asked only for what that did not expand.
 */
function stepSource(tx: StoreTx, plan: WalkPlan, startIds: readonly string[], taken: Map<string, EventRecord>): StepSource {
  return async (walk) => {
    if (walk.frontier.length === 0) return [];
    plan.deadline?.check();
    walk.source ??= await PrefetchedSteps.load(tx, {
      start: startIds, direction: walk.direction, eventTypes: plan.eventTypes, asOf: plan.asOf,
      radius: plan.maxHops, nodeCap: plan.maxNodes,
    });
    const steps = await walk.source.steps(walk.frontier);
    for (const step of steps) taken.set(eventKey(step.event), step.event);
    return steps;
  };
}

/**
 * One hop of every walk: the nodes first met at distance `hop`, sorted by id (so that,
 * when maxNodes cuts the hop, both backends keep the same nodes), and each walk's next
 * frontier before stop rules. Every walk takes the hop before any node is added, so a
 * node both walks reach at this hop is counted once and a node reached earlier keeps its
 * smaller distance.
 */
async function takeHop(
  walks: readonly DirectedWalk[], hop: number, reached: ReadonlyMap<string, WalkedNode>, stepsOf: StepSource,
): Promise<{ fresh: WalkedNode[]; next: string[][] }> {
  const found = new Map<string, WalkedNode>();
  const next: string[][] = [];
  for (const walk of walks) {
    const ids: string[] = [];
    for (const step of await stepsOf(walk)) {
      const id = step.neighborId;
      if (walk.visited.has(id)) continue;
      walk.visited.add(id);
      ids.push(id);
      if (!reached.has(id) && !found.has(id)) {
        found.set(id, { id, kind: step.neighborKind, typeId: step.neighborTypeId, distance: hop });
      }
    }
    next.push(ids);
  }
  return { fresh: [...found.values()].sort(byDistanceThenId), next };
}

/**
 * Walks the lineage from `plan.start` inside `tx`: one lineageReach call per direction,
 * then lineageSteps only for nodes the reach did not expand.
 */
export async function walkLineage(tx: StoreTx, plan: WalkPlan): Promise<WalkResult> {
  const reached = new Map<string, WalkedNode>();
  for (const s of plan.start) reached.set(s.id, { id: s.id, kind: s.kind, typeId: s.typeId, distance: 0 });
  const startIds = [...reached.keys()];
  const walks: DirectedWalk[] = plan.directions.map((direction) => ({ direction, visited: new Set(startIds), frontier: startIds }));
  const taken = new Map<string, EventRecord>();
  const stepsOf = stepSource(tx, plan, startIds, taken);
  const expandable = (id: string): boolean => {
    const node = reached.get(id);
    return node !== undefined && !plan.isStop(node);
  };

  let truncated = false;
  for (let hop = 1; walks.some((w) => w.frontier.length > 0); hop += 1) {
    if (hop > plan.maxHops) {
      truncated = await anythingBeyond(walks, reached, expandable, stepsOf);
      break;
    }
    const { fresh, next } = await takeHop(walks, hop, reached, stepsOf);
    const room = plan.maxNodes - reached.size;
    for (const node of fresh.slice(0, room)) reached.set(node.id, node);
    walks.forEach((walk, i) => { walk.frontier = next[i]!.filter(expandable); });
    if (fresh.length > room) {
      truncated = true;
      // The kept nodes of the cut hop are not expanded further, but their events to
      // nodes already returned belong in the picture: one more round, for edges only.
      for (const walk of walks) await stepsOf(walk);
      break;
    }
  }

  const events = [...taken.values()].filter((e) => reached.has(e.artifactId) && reached.has(e.executionId));
  return { nodes: [...reached.values()].sort(byDistanceThenId), events, truncated };
}

/**
 * After the last allowed hop: whether any walk would reach a node outside the result.
 * A single-direction walk answers in one round. Under BOTH a walk can step onto a node
 * the other walk already returned; nothing is cut off there unless the walk, carried
 * on through returned nodes only, leaves them, so it carries on until it does or stops.
 */
async function anythingBeyond(
  walks: DirectedWalk[],
  reached: ReadonlyMap<string, WalkedNode>,
  expandable: (id: string) => boolean,
  stepsOf: StepSource,
): Promise<boolean> {
  let beyond = false;
  while (!beyond && walks.some((w) => w.frontier.length > 0)) {
    // Every walk takes its round even once one has found something, so the events from
    // every boundary node are collected alike.
    for (const walk of walks) {
      const next: string[] = [];
      for (const step of await stepsOf(walk)) {
        const id = step.neighborId;
        if (walk.visited.has(id)) continue;
        if (!reached.has(id)) {
          beyond = true;
          continue;
        }
        walk.visited.add(id);
        if (expandable(id)) next.push(id);
      }
      walk.frontier = next;
    }
  }
  return beyond;
}
