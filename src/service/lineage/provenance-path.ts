/**
 * One shortest provenance path between two nodes, along the data flow: a breadth-first
 * search from both ends at once (downstream from `from`, upstream from `to`), one
 * lineageSteps call per level, always growing the smaller frontier, with parent
 * pointers to rebuild the path where the two searches meet. Nothing enumerates paths.
 */
import { FailedPreconditionError } from '../../graph/errors.js';
import type { EventRecord, EventType } from '../../graph/model.js';
import type { LineageStep, StoreTx, WalkDirection } from '../../graph/store.js';
import type { Deadline } from '../shared/deadline.js';

/** The events a provenance path follows: the data actually read and written. */
const PATH_EVENT_TYPES: readonly EventType[] = ['INPUT', 'OUTPUT'];

interface Search {
  direction: WalkDirection;
  /** Each reached node and the event it was reached by (null for the search's own end). */
  via: Map<string, EventRecord | null>;
  frontier: string[];
}

const otherEnd = (e: EventRecord, id: string): string => (e.artifactId === id ? e.executionId : e.artifactId);
const stepOrder = (a: LineageStep, b: LineageStep): number => {
  const ka = `${a.neighborId}\u0000${a.event.artifactId}\u0000${a.event.executionId}\u0000${a.event.type}`;
  const kb = `${b.neighborId}\u0000${b.event.artifactId}\u0000${b.event.executionId}\u0000${b.event.type}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/**
 * The events of one shortest path from `from` to `to` in data-flow order; [] when they
 * are the same node; null when no path of at most `maxHops` events exists. Among
 * equally short paths the choice is deterministic (smallest ids first). Fails with
 * FAILED_PRECONDITION when the search would hold more than `maxNodes` nodes, and with
 * DEADLINE_EXCEEDED when `deadline` passes between levels.
 */
export async function shortestPath(
  tx: StoreTx, from: string, to: string, maxHops: number, maxNodes: number, deadline?: Deadline,
): Promise<EventRecord[] | null> {
  if (from === to) return [];
  const forward: Search = { direction: 'DOWNSTREAM', via: new Map([[from, null]]), frontier: [from] };
  const backward: Search = { direction: 'UPSTREAM', via: new Map([[to, null]]), frontier: [to] };
  // Growing whole levels keeps the first meeting point on a shortest path: before a
  // level that meets, no node lay within both searches' reach, so no shorter path exists.
  for (let hops = 0; hops < maxHops; hops += 1) {
    if (forward.frontier.length === 0 || backward.frontier.length === 0) return null;
    const side = forward.frontier.length <= backward.frontier.length ? forward : backward;
    const other = side === forward ? backward : forward;
    deadline?.check();
    // Sorted so that both backends pick the same parent and meeting node among equals.
    const steps = (await tx.lineageSteps(side.frontier, side.direction, PATH_EVENT_TYPES, null)).sort(stepOrder);
    const next: string[] = [];
    let meeting: string | null = null;
    for (const step of steps) {
      if (side.via.has(step.neighborId)) continue;
      side.via.set(step.neighborId, step.event);
      next.push(step.neighborId);
      if (meeting === null && other.via.has(step.neighborId)) meeting = step.neighborId;
    }
    if (meeting !== null) return [...chain(forward, meeting).reverse(), ...chain(backward, meeting)];
    if (forward.via.size + backward.via.size > maxNodes) {
      throw new FailedPreconditionError(`the path search reached more than ${maxNodes} nodes without joining the two ends; lower maxHops`, 'maxHops');
    }
    side.frontier = next;
  }
  return null;
}

/** The events from `node` back to the search's own end, nearest first. */
function chain(search: Search, node: string): EventRecord[] {
  const events: EventRecord[] = [];
  let at = node;
  for (let via = search.via.get(at); via; via = search.via.get(at)) {
    events.push(via);
    at = otherEnd(via, at);
  }
  return events;
}
