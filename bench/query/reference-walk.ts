/**
 * The expected answer of every lineage query, computed from the generated graph in
 * memory: a breadth-first walk with ML Metadata's semantics (a hop is one node to the
 * next through an event; UPSTREAM follows OUTPUT events back to the producer and INPUT
 * events back to the inputs; DOWNSTREAM the mirror; the result is every node within
 * `hops`, the start included). The systems under test must agree with it and with each
 * other before any of them is timed.
 */
import type { BenchGraph } from '../workload/bench-graph.js';
import type { Direction } from './query-plan.js';

/** Compressed adjacency: for node i, targets[offsets[i]..offsets[i+1]). */
interface Adjacency { offsets: Int32Array; targets: Int32Array }

function compress(count: number, pairs: (emit: (from: number, to: number) => void) => void): Adjacency {
  const degree = new Int32Array(count + 1);
  pairs((from) => { degree[from + 1]!++; });
  for (let i = 0; i < count; i++) degree[i + 1]! += degree[i]!;
  const offsets = degree.slice();
  const cursor = degree.slice(0, count);
  const targets = new Int32Array(offsets[count]!);
  pairs((from, to) => { targets[cursor[from]!++] = to; });
  return { offsets, targets };
}

/** A node of the walk: artifacts and executions, told apart by kind. */
export interface WalkNode { kind: 'ARTIFACT' | 'EXECUTION'; index: number }

/** Lineage over a generated graph, for expected answers and for picking start nodes. */
export class ReferenceLineage {
  /** Per artifact, the executions that read it. */
  private readonly readers: Adjacency;
  /** Per artifact, depth: the longest path from a source, in hops. */
  readonly artifactDepth: Int32Array;
  readonly executionDepth: Int32Array;

  constructor(readonly graph: BenchGraph) {
    const artifacts = graph.artifactType.length;
    this.readers = compress(artifacts, (emit) => graph.steps.forEach((s, x) => s.inputs.forEach((a) => emit(a, x))));
    this.artifactDepth = new Int32Array(artifacts);
    this.executionDepth = new Int32Array(graph.steps.length);
    graph.steps.forEach((s, x) => {
      let d = 0;
      for (const a of s.inputs) d = Math.max(d, this.artifactDepth[a]! + 1);
      this.executionDepth[x] = d;
      for (const a of s.outputs) this.artifactDepth[a] = d + 1;
    });
  }

  /** Every node within `hops` of `start` in `direction`, the start included. */
  walk(start: WalkNode, direction: Direction, hops: number): { artifacts: Set<number>; executions: Set<number> } {
    const artifacts = new Set<number>();
    const executions = new Set<number>();
    (start.kind === 'ARTIFACT' ? artifacts : executions).add(start.index);
    let frontier = [start.index];
    let frontierKind = start.kind;
    for (let hop = 0; hop < hops && frontier.length > 0; hop++) {
      const next: number[] = [];
      if (frontierKind === 'ARTIFACT') {
        for (const a of frontier) {
          for (const x of this.neighboursOfArtifact(a, direction)) if (!executions.has(x)) { executions.add(x); next.push(x); }
        }
        frontierKind = 'EXECUTION';
      } else {
        for (const x of frontier) {
          const step = this.graph.steps[x]!;
          for (const a of direction === 'UPSTREAM' ? step.inputs : step.outputs) if (!artifacts.has(a)) { artifacts.add(a); next.push(a); }
        }
        frontierKind = 'ARTIFACT';
      }
      frontier = next;
    }
    return { artifacts, executions };
  }

  private neighboursOfArtifact(a: number, direction: Direction): number[] {
    if (direction === 'UPSTREAM') {
      const producer = this.graph.artifactProducer[a]!;
      return producer >= 0 ? [producer] : [];
    }
    return Array.from(this.readers.targets.subarray(this.readers.offsets[a]!, this.readers.offsets[a + 1]!));
  }
}
