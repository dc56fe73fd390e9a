/**
 * Where a walk gets its steps: one `lineageReach` query fetches the steps of every node
 * the walk can reach within its hop bound, so a walk of 20 hops costs one round trip to
 * the database instead of 20. Any node the reach did not expand (the backend capped it,
 * or a BOTH walk's boundary check wandered past it) is asked of `lineageSteps` as before,
 * so the prefetch can make a walk faster but never change its answer.
 */
import {
  MAX_REACH_RADIUS, stepSource, type LineageReach, type LineageReachQuery, type LineageStep, type StoreTx, type WalkDirection,
} from '../../graph/store.js';

/** What the prefetch is for: one direction of one walk, asked as the store's reach is. */
export type PrefetchPlan = LineageReachQuery & { direction: WalkDirection };

/**
 * The most nodes one prefetch expands. Past it, a walk that is cut short by maxNodes or
 * by stop rules would pay for a neighbourhood it never looks at; the rest of a larger
 * walk goes hop by hop.
 */
export const PREFETCH_NODE_CAP = 20_000;

/** The radius a reach for `plan` asks for. */
export const reachRadius = (plan: PrefetchPlan): number => Math.min(plan.radius, MAX_REACH_RADIUS);
/** The node cap a reach for `plan` asks for. */
export const reachNodeCap = (plan: PrefetchPlan): number => Math.min(plan.nodeCap, PREFETCH_NODE_CAP);

/** A step source for one directed walk: prefetched steps first, the store for the rest. */
export class PrefetchedSteps {
  private constructor(
    private readonly tx: StoreTx,
    private readonly plan: PrefetchPlan,
    private readonly known: Map<string, LineageStep[]>,
  ) {}

  /** Runs the reach query of `plan` (one round trip). */
  static async load(tx: StoreTx, plan: PrefetchPlan): Promise<PrefetchedSteps> {
    const reach = await tx.lineageReach(
      plan.start, plan.direction, plan.eventTypes, plan.asOf, reachRadius(plan), reachNodeCap(plan),
    );
    return PrefetchedSteps.of(tx, plan, reach);
  }

  /** Over a reach already run for `plan` (with reachRadius and reachNodeCap); the store answers for the rest. */
  static of(tx: StoreTx, plan: PrefetchPlan, reach: LineageReach): PrefetchedSteps {
    // A node expanded with no step has an empty list: known to lead nowhere, not unknown.
    const known = new Map<string, LineageStep[]>(reach.expanded.map((id) => [id, []]));
    for (const step of reach.steps) known.get(stepSource(step))?.push(step);
    return new PrefetchedSteps(tx, plan, known);
  }

  /** Every execution the prefetched steps touch, at either end. */
  knownExecutions(): string[] {
    const ids = new Set<string>();
    for (const steps of this.known.values()) {
      for (const step of steps) ids.add(step.event.executionId);
    }
    return [...ids];
  }

  /** Every step out of `frontier`, as lineageSteps would give them. */
  async steps(frontier: readonly string[]): Promise<LineageStep[]> {
    const missing = frontier.filter((id) => !this.known.has(id));
    const out: LineageStep[] = [];
    if (missing.length > 0) {
      const { direction, eventTypes, asOf } = this.plan;
      const fetched = await this.tx.lineageSteps(missing, direction, eventTypes, asOf);
      for (const id of missing) this.known.set(id, []);
      for (const step of fetched) this.known.get(stepSource(step))!.push(step);
    }
    for (const id of new Set(frontier)) for (const step of this.known.get(id)!) out.push(step);
    return out;
  }
}
