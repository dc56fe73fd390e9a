/**
 * The generated graph every system under test is fed, in one neutral shape.
 *
 * A graph is a sequence of steps, each one execution with the artifacts it read, the
 * artifacts it made and the contexts it ran in: exactly what ML Metadata's
 * put_execution and our recordExecution take, so the per-execution ingest of both is the
 * same call. The bulk forms (putLineageSubgraph, put_lineage_subgraph) are derived from
 * the same steps. Nodes are numbered in order of creation; names come from those numbers
 * (`a17`, `x4`, `c2`), which is how answers from different systems are matched.
 */

export type WorkloadName = 'tfx' | 'dag' | 'diamond';
export const WORKLOADS: readonly WorkloadName[] = ['tfx', 'dag', 'diamond'];

export interface BenchStep {
  /** Index into `executionTypes`. */
  type: number;
  /** Artifacts read (INPUT events), by index. A source artifact is created at its first use. */
  inputs: number[];
  /** Artifacts this execution creates (OUTPUT events), by index. */
  outputs: number[];
  /** Contexts the execution and every artifact it touches belong to, by index. */
  contexts: number[];
}

export interface BenchGraph {
  workload: WorkloadName;
  seed: number;
  /** The generator's knobs, recorded in the results so a run can be reproduced. */
  params: Record<string, number>;
  artifactTypes: string[];
  executionTypes: string[];
  contextTypes: string[];
  /** Per artifact: index into `artifactTypes`. */
  artifactType: Uint16Array;
  /** Per artifact: the step that made it, or -1 for a source (an input no execution made). */
  artifactProducer: Int32Array;
  /** Per context: index into `contextTypes`. */
  contextType: Uint16Array;
  /** Per context: its parent context, or -1. */
  contextParent: Int32Array;
  /** Execution i is steps[i]; steps are in ingest order (every input exists before its reader). */
  steps: BenchStep[];
}

export const artifactName = (i: number): string => `a${i}`;
export const executionName = (i: number): string => `x${i}`;
export const contextName = (i: number): string => `c${i}`;
export const artifactUri = (i: number): string => `bench://artifacts/${i}`;

/** Grows the typed arrays of a graph under construction. */
class GrowableInts {
  private data: Int32Array;
  length = 0;
  constructor(initial = 1024) { this.data = new Int32Array(initial); }
  push(v: number): number {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length] = v;
    return this.length++;
  }
  toInt32(): Int32Array { return this.data.slice(0, this.length); }
  toUint16(): Uint16Array { return Uint16Array.from(this.data.subarray(0, this.length)); }
}

/** Builds a BenchGraph step by step; type names are registered on first use. */
export class GraphBuilder {
  private readonly artifactTypes: string[] = [];
  private readonly executionTypes: string[] = [];
  private readonly contextTypes: string[] = [];
  private readonly artifactType = new GrowableInts();
  private readonly artifactProducer = new GrowableInts();
  private readonly contextType = new GrowableInts();
  private readonly contextParent = new GrowableInts();
  private readonly steps: BenchStep[] = [];

  constructor(private readonly workload: WorkloadName, private readonly seed: number, private readonly params: Record<string, number>) {}

  private static typeIndex(list: string[], name: string): number {
    const at = list.indexOf(name);
    return at >= 0 ? at : list.push(name) - 1;
  }

  get artifactCount(): number { return this.artifactType.length; }
  get executionCount(): number { return this.steps.length; }
  get nodeCount(): number { return this.artifactType.length + this.steps.length + this.contextType.length; }

  /** A source artifact: read by executions, made by none (a raw dataset, say). */
  source(typeName: string): number {
    this.artifactProducer.push(-1);
    return this.artifactType.push(GraphBuilder.typeIndex(this.artifactTypes, typeName));
  }

  context(typeName: string, parent = -1): number {
    this.contextParent.push(parent);
    return this.contextType.push(GraphBuilder.typeIndex(this.contextTypes, typeName));
  }

  /** Adds one execution; returns the indices of the artifacts it made, in `outputTypes` order. */
  step(typeName: string, inputs: readonly number[], outputTypes: readonly string[], contexts: readonly number[] = []): number[] {
    const stepIndex = this.steps.length;
    const outputs = outputTypes.map((t) => {
      this.artifactProducer.push(stepIndex);
      return this.artifactType.push(GraphBuilder.typeIndex(this.artifactTypes, t));
    });
    this.steps.push({ type: GraphBuilder.typeIndex(this.executionTypes, typeName), inputs: [...new Set(inputs)], outputs, contexts: [...contexts] });
    return outputs;
  }

  build(): BenchGraph {
    return {
      workload: this.workload,
      seed: this.seed,
      params: this.params,
      artifactTypes: this.artifactTypes,
      executionTypes: this.executionTypes,
      contextTypes: this.contextTypes,
      artifactType: this.artifactType.toUint16(),
      artifactProducer: this.artifactProducer.toInt32(),
      contextType: this.contextType.toUint16(),
      contextParent: this.contextParent.toInt32(),
      steps: this.steps,
    };
  }
}

/** The edges of a graph as the bulk writers see them, each list in first-occurrence order. */
export interface GraphEdges {
  /** [artifact, execution, isOutput] triples, flattened. */
  events: Int32Array;
  /** [context, artifact] pairs, flattened; each pair once. */
  attributions: Int32Array;
  /** [context, execution] pairs, flattened. */
  associations: Int32Array;
  /** [child, parent] pairs, flattened. */
  parents: Int32Array;
}

/** Derives the edge lists: put_execution semantics, so every artifact a step touches is attributed to its contexts. */
export function edgesOf(g: BenchGraph): GraphEdges {
  const events = new GrowableInts();
  const attributions = new GrowableInts();
  const associations = new GrowableInts();
  const parents = new GrowableInts();
  const artifacts = g.artifactType.length;
  const seenAttribution = new Set<number>();
  g.steps.forEach((s, x) => {
    for (const a of s.inputs) { events.push(a); events.push(x); events.push(0); }
    for (const a of s.outputs) { events.push(a); events.push(x); events.push(1); }
    for (const c of s.contexts) {
      associations.push(c); associations.push(x);
      for (const a of [...s.inputs, ...s.outputs]) {
        const key = c * artifacts + a;
        if (seenAttribution.has(key)) continue;
        seenAttribution.add(key);
        attributions.push(c); attributions.push(a);
      }
    }
  });
  g.contextParent.forEach((p, c) => { if (p >= 0) { parents.push(c); parents.push(p); } });
  return { events: events.toInt32(), attributions: attributions.toInt32(), associations: associations.toInt32(), parents: parents.toInt32() };
}

export interface GraphCounts {
  artifacts: number;
  executions: number;
  contexts: number;
  nodes: number;
  events: number;
  attributions: number;
  associations: number;
  parentContexts: number;
  edges: number;
}

export function countsOf(g: BenchGraph, e: GraphEdges): GraphCounts {
  const artifacts = g.artifactType.length;
  const executions = g.steps.length;
  const contexts = g.contextType.length;
  const counts = {
    artifacts, executions, contexts, nodes: artifacts + executions + contexts,
    events: e.events.length / 3, attributions: e.attributions.length / 2,
    associations: e.associations.length / 2, parentContexts: e.parents.length / 2,
  };
  return { ...counts, edges: counts.events + counts.attributions + counts.associations + counts.parentContexts };
}
