/**
 * Cuts a generated graph's steps into bulk-write batches of at most `MAX_ITEMS` per list
 * (the service's limit), in index form: each batch lists the nodes it touches and the
 * edges among them by position, which is what putLineageSubgraph takes. Nodes made by an
 * earlier batch appear again (the writer passes them by id); contexts are written before
 * any batch, so every batch refers to its contexts by id.
 */
import type { BenchGraph } from '../workload/bench-graph.js';

/** The service's per-list limit (src/service/validate.ts MAX_BATCH). */
export const MAX_ITEMS = 10_000;

export interface IndexBatch {
  /** Steps [from, to) of the graph. */
  from: number;
  to: number;
  /** Artifact indices, in list order; those in `fresh` are created by this batch. */
  artifacts: number[];
  fresh: Set<number>;
  contexts: number[];
  /** [artifact slot, execution slot (step - from), 1 for OUTPUT else 0]. */
  events: [number, number, number][];
  /** [context slot, artifact slot]: each (context, artifact) pair of the graph once over all batches. */
  attributions: [number, number][];
  /** [context slot, execution slot]. */
  associations: [number, number][];
}

/** Yields the batches for steps [from, to); `stored` says which artifacts exist already and is updated as batches are cut. */
export function* subgraphBatches(g: BenchGraph, from: number, to: number, stored: Uint8Array, attributed: Set<number>): Generator<IndexBatch> {
  const artifactCount = g.artifactType.length;
  let step = from;
  while (step < to) {
    const batch: IndexBatch = { from: step, to: step, artifacts: [], fresh: new Set(), contexts: [], events: [], attributions: [], associations: [] };
    const artifactSlot = new Map<number, number>();
    const contextSlot = new Map<number, number>();
    while (step < to) {
      const s = g.steps[step]!;
      const touched = [...s.inputs, ...s.outputs];
      const newArtifacts = touched.filter((a) => !artifactSlot.has(a)).length;
      const newContexts = s.contexts.filter((c) => !contextSlot.has(c)).length;
      const fits = batch.artifacts.length + newArtifacts <= MAX_ITEMS
        && batch.contexts.length + newContexts <= MAX_ITEMS
        && batch.to - batch.from + 1 <= MAX_ITEMS
        && batch.events.length + touched.length <= MAX_ITEMS
        && batch.attributions.length + touched.length * s.contexts.length <= MAX_ITEMS
        && batch.associations.length + s.contexts.length <= MAX_ITEMS;
      if (!fits) {
        if (batch.to === batch.from) throw new Error(`step ${step} alone is over the ${MAX_ITEMS}-item limit of one batch`);
        break;
      }
      const slotOf = (a: number): number => {
        let slot = artifactSlot.get(a);
        if (slot === undefined) {
          slot = batch.artifacts.push(a) - 1;
          artifactSlot.set(a, slot);
          if (!stored[a]) { batch.fresh.add(a); stored[a] = 1; }
        }
        return slot;
      };
      const x = step - batch.from;
      for (const a of s.inputs) batch.events.push([slotOf(a), x, 0]);
      for (const a of s.outputs) batch.events.push([slotOf(a), x, 1]);
      for (const c of s.contexts) {
        let cs = contextSlot.get(c);
        if (cs === undefined) { cs = batch.contexts.push(c) - 1; contextSlot.set(c, cs); }
        batch.associations.push([cs, x]);
        for (const a of touched) {
          const key = c * artifactCount + a;
          if (attributed.has(key)) continue;
          attributed.add(key);
          batch.attributions.push([cs, artifactSlot.get(a)!]);
        }
      }
      step += 1;
      batch.to = step;
    }
    yield batch;
  }
}
