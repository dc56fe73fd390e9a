/**
 * The walk that collects the subgraph personal data can flow through: breadth-first over
 * events, its steps from one `lineageReach` query for the whole walk (lineage-prefetch.ts)
 * and `lineageSteps` per hop for whatever that did not expand, plus the transforms of the
 * executions met, read in one `personalDataDeclarations` query after the reach (and per
 * hop for executions it did not cover), so a step that lets nothing through is known
 * before the walk would go past it.
 *
 * It collects nodes and the data-flow edges among them; what flows along them is decided
 * afterwards by propagation.ts. The walk over-approximates (it goes on past a DROP that
 * removed everything, say), which costs time but never an answer.
 */
import type { EventType, PrivacyDeclaration } from '../../graph/model.js';
import { EVENT_TYPES, isInputEvent } from '../../graph/model.js';
import type { LineageStep, StoreTx, WalkDirection } from '../../graph/store.js';
import type { Deadline } from '../shared/deadline.js';
import { PrefetchedSteps, reachNodeCap, reachRadius } from '../lineage/lineage-prefetch.js';
import { effectiveTransforms } from './inherited-transforms.js';

/**
 * Every kind of event moves data: a declared or pending output may already hold it, and
 * for erasure finding too much is the safe side.
 */
export const DATA_FLOW_EVENT_TYPES: readonly EventType[] = EVENT_TYPES;

export interface FlowNode {
  id: string;
  kind: 'ARTIFACT' | 'EXECUTION';
  typeId: string;
  /** Events from the start set, at the hop the walk first met the node. */
  distance: number;
}

export interface FlowWalkPlan {
  /** Artifacts known to exist, at distance 0. */
  start: readonly { id: string; typeId: string }[];
  direction: WalkDirection;
  /** Events from the start set; beyond it the walk stops and reports `truncated`. */
  maxHops: number;
  maxNodes: number;
  /** True for a transform that lets nothing through. */
  blocks(privacy: PrivacyDeclaration | null): boolean;
  /**
   * Downstream only: the statuses the writes keep are current for this walk's minimum k,
   * so it need not enter an artifact that holds none (personalDataReach): none can
   * receive personal data.
   */
  overKeptStatuses?: boolean;
  deadline?: Deadline;
}

export interface FlowGraph {
  nodes: Map<string, FlowNode>;
  /** Each execution's input artifacts, among `nodes`. */
  inputsOf: Map<string, Set<string>>;
  /** Each execution's output artifacts, among `nodes`. */
  outputsOf: Map<string, Set<string>>;
  /** The privacy declaration of every execution of `nodes` (null: NONE). */
  privacyOf: Map<string, PrivacyDeclaration | null>;
  /**
   * Downstream walks only: the outputs of blocking executions, which the walk does not
   * enter through them (they may be in `nodes` when reached another way).
   */
  blockedOutputsOf: Map<string, Set<string>>;
  /** Whether maxHops or maxNodes left out a node the walk would otherwise have reached. */
  truncated: boolean;
}

const byId = (a: FlowNode, b: FlowNode): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/** Walks from `plan.start` inside `tx` and returns the subgraph it met. */
export async function walkDataFlow(tx: StoreTx, plan: FlowWalkPlan): Promise<FlowGraph> {
  return new DataFlowWalk(tx, plan).run();
}

/** One walk's state: the nodes met, the data-flow edges among them, and the transforms read. */
class DataFlowWalk {
  private readonly nodes = new Map<string, FlowNode>();
  private readonly inputsOf = new Map<string, Set<string>>();
  private readonly outputsOf = new Map<string, Set<string>>();
  private readonly blockedOutputsOf = new Map<string, Set<string>>();
  private readonly privacyOf = new Map<string, PrivacyDeclaration | null>();
  private readonly downstream: boolean;
  /** Where the steps come from, once the first hop has run the reach. */
  private source: PrefetchedSteps | undefined;
  /** Artifacts the reach met and knows to hold nothing (a walk over the kept statuses leaves them out). */
  private readonly holdsNone = new Set<string>();
  /**
   * Downstream, a blocking step stays in the frontier and only its outputs are held back,
   * so its transform is first needed when the next hop's steps come back: the two reads
   * go out together, one round trip per hop instead of two. Upstream, the frontier itself
   * leaves blocking steps out, so their transforms are read before the next hop.
   */
  private unread: string[] = [];

  constructor(private readonly tx: StoreTx, private readonly plan: FlowWalkPlan) {
    for (const s of plan.start) this.nodes.set(s.id, { id: s.id, kind: 'ARTIFACT', typeId: s.typeId, distance: 0 });
    this.downstream = plan.direction === 'DOWNSTREAM';
  }

  async run(): Promise<FlowGraph> {
    let truncated = false;
    // Set when maxNodes cut the last hop: the walk then goes no further, but looks once more.
    let cut = false;
    let frontier = this.plan.start.map((s) => s.id);
    for (let hop = 1; frontier.length > 0; hop += 1) {
      const [steps] = await Promise.all([this.stepsFrom(frontier), this.readTransforms(this.unread)]);
      this.unread = [];
      if (cut || hop > this.plan.maxHops) {
        // The look past the last hop (past maxHops, or past a hop maxNodes cut): its edges
        // among met nodes still matter (a later route into a node met earlier), and past
        // maxHops any new neighbour means the bound cut something off. Every step is taken
        // before asking: `some` over take would stop recording edges at the first new
        // neighbour, and what a node at the bound holds would hang on the order of the steps.
        const entered = steps.map((step) => this.take(step));
        truncated ||= entered.some((id) => id !== null && !this.nodes.has(id));
        break;
      }
      const met = this.meet(steps, hop);
      cut = met.cut;
      if (cut) truncated = true;
      const executions = met.kept.filter((n) => n.kind === 'EXECUTION').map((n) => n.id);
      if (this.downstream) this.unread = executions;
      else await this.readTransforms(executions);
      // Upstream, nothing behind a blocking step reaches the start; downstream, its outputs are still wanted (see take).
      frontier = met.kept.filter((n) => this.downstream || !this.blocking(n.id)).map((n) => n.id);
    }
    // The walk can stop with transforms still unread (a last hop of executions, nothing past it).
    await this.readTransforms(this.unread);
    return this.graph(truncated);
  }

  private blocking(id: string): boolean {
    return this.nodes.get(id)?.kind === 'EXECUTION' && this.plan.blocks(this.privacyOf.get(id) ?? null);
  }

  /** Records the step's edge; returns the neighbour when the walk may enter it from this step. */
  private take(step: LineageStep): string | null {
    const { artifactId, executionId } = step.event;
    if (isInputEvent(step.event.type)) {
      addTo(this.inputsOf, executionId, artifactId);
      return step.neighborId;
    }
    addTo(this.outputsOf, executionId, artifactId);
    if (this.downstream && this.blocking(executionId)) {
      addTo(this.blockedOutputsOf, executionId, artifactId);
      return null;
    }
    return this.holdsNone.has(artifactId) ? null : step.neighborId;
  }

  /** Adds the nodes one hop's steps enter, up to maxNodes; `cut` when maxNodes left some out. */
  private meet(steps: readonly LineageStep[], hop: number): { kept: FlowNode[]; cut: boolean } {
    const found = new Map<string, FlowNode>();
    for (const step of steps) {
      const id = this.take(step);
      if (id === null || this.nodes.has(id) || found.has(id)) continue;
      found.set(id, { id, kind: step.neighborKind, typeId: step.neighborTypeId, distance: hop });
    }
    // Sorted so that, when maxNodes cuts this hop, both backends keep the same nodes.
    const fresh = [...found.values()].sort(byId);
    const kept = fresh.slice(0, Math.max(0, this.plan.maxNodes - this.nodes.size));
    for (const node of kept) this.nodes.set(node.id, node);
    return { kept, cut: fresh.length > kept.length };
  }

  /** Every step out of `frontier`; the first call runs the reach for the whole walk. */
  private async stepsFrom(frontier: readonly string[]): Promise<LineageStep[]> {
    this.plan.deadline?.check();
    this.source ??= await this.openSource();
    return this.source.steps(frontier);
  }

  /**
   * One reach for the whole walk (lineage-prefetch.ts); it does not know which steps
   * block, so it may fetch past them, which costs time but never an answer. The
   * transforms of every execution it met are read in one more round trip.
   */
  private async openSource(): Promise<PrefetchedSteps> {
    const { tx, plan } = this;
    const prefetch = {
      start: plan.start.map((s) => s.id), direction: plan.direction, eventTypes: DATA_FLOW_EVENT_TYPES, asOf: null,
      radius: plan.maxHops, nodeCap: plan.maxNodes,
    };
    let source: PrefetchedSteps;
    if (plan.overKeptStatuses && this.downstream) {
      const reach = await tx.personalDataReach(prefetch.start, reachRadius(prefetch), reachNodeCap(prefetch));
      source = PrefetchedSteps.of(tx, prefetch, reach);
      // Only the artifacts the reach met and knows to hold nothing; one it never met
      // (past its cap) is entered, which costs time but never an answer.
      const holding = new Set(reach.holding);
      for (const step of reach.steps) {
        if (step.neighborKind === 'ARTIFACT' && !holding.has(step.neighborId)) this.holdsNone.add(step.neighborId);
      }
    } else {
      source = await PrefetchedSteps.load(tx, prefetch);
    }
    await this.readTransforms(source.knownExecutions());
    return source;
  }

  /** Reads the transforms of `ids` not read yet into privacyOf: their own, else their contexts'. */
  private async readTransforms(ids: readonly string[]): Promise<void> {
    const executions = ids.filter((id) => !this.privacyOf.has(id));
    if (executions.length === 0) return;
    this.plan.deadline?.check();
    const transforms = await effectiveTransforms(this.tx, executions);
    executions.forEach((id, i) => this.privacyOf.set(id, transforms[i] ?? null));
  }

  /** What the walk met: the edges kept only between nodes it met. */
  private graph(truncated: boolean): FlowGraph {
    const { nodes } = this;
    const inGraph = (map: Map<string, Set<string>>): Map<string, Set<string>> => new Map(
      [...map].filter(([x]) => nodes.has(x)).map(([x, set]) => [x, new Set([...set].filter((a) => nodes.has(a)))]),
    );
    return {
      nodes, inputsOf: inGraph(this.inputsOf), outputsOf: inGraph(this.outputsOf), privacyOf: this.privacyOf,
      blockedOutputsOf: this.blockedOutputsOf, truncated,
    };
  }
}
