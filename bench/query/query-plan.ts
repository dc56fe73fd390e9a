/**
 * Which lineage queries are asked: start artifacts spread over the depth of the graph
 * (shallow, middle, deep), in each direction, at 5, 20 and 50 hops. For the pipelines
 * workload the starts are what people ask about: models and pushed models upstream
 * ("what made this?"), raw data, examples and schemas downstream ("what did this feed?").
 */
import type { BenchGraph } from '../workload/bench-graph.js';
import { Prng } from '../workload/prng.js';
import type { ReferenceLineage } from './reference-walk.js';

export type Direction = 'UPSTREAM' | 'DOWNSTREAM';
export const DIRECTIONS: readonly Direction[] = ['UPSTREAM', 'DOWNSTREAM'];
export const HOPS: readonly number[] = [5, 20, 50];

/** One start node of the plan, with its depth (longest path from a source, in hops). */
export interface StartNode {
  artifact: number;
  depth: number;
}

const START_TYPES: Record<string, Record<Direction, string[]>> = {
  tfx: { UPSTREAM: ['Model', 'PushedModel'], DOWNSTREAM: ['RawDataSpan', 'Examples', 'Schema'] },
};

/** `count` start artifacts for `direction`, one from each of `count` equal bands of depth, drawn with `seed`. */
export function pickStarts(g: BenchGraph, ref: ReferenceLineage, direction: Direction, count: number, seed: number): StartNode[] {
  const wanted = START_TYPES[g.workload]?.[direction];
  const typeIds = wanted ? new Set(wanted.map((t) => g.artifactTypes.indexOf(t))) : null;
  const candidates: number[] = [];
  g.artifactType.forEach((t, a) => { if (!typeIds || typeIds.has(t)) candidates.push(a); });
  candidates.sort((a, b) => ref.artifactDepth[a]! - ref.artifactDepth[b]! || a - b);
  const rng = new Prng(seed ^ (direction === 'UPSTREAM' ? 0x5eed : 0xd0e5));
  const picked = new Set<number>();
  const n = candidates.length;
  for (let band = 0; band < count && picked.size < n; band++) {
    const lo = Math.floor((band * n) / count);
    const hi = Math.max(lo + 1, Math.floor(((band + 1) * n) / count));
    let a = candidates[lo + rng.int(hi - lo)]!;
    for (let tries = 0; picked.has(a) && tries < 10; tries++) a = candidates[lo + rng.int(hi - lo)]!;
    picked.add(a);
  }
  return [...picked].map((artifact) => ({ artifact, depth: ref.artifactDepth[artifact]! }));
}
