/**
 * Size presets: about this many nodes (artifacts, executions and contexts) per workload.
 * `tiny` exists for the smoke test; the others are the published sizes.
 */
import type { BenchGraph, WorkloadName } from './bench-graph.js';
import { DIAMOND_NODES_PER_RUNG, generateDiamondLadders } from './diamond-ladder.js';
import { dagNodesPerExecution, generateRandomDag, type DagParams } from './random-dag.js';
import { generateTfxPipelines, TFX_NODES_PER_RUN } from './tfx-pipelines.js';

export type SizeName = 'tiny' | '10k' | '100k' | '1m';
export const SIZES: readonly SizeName[] = ['tiny', '10k', '100k', '1m'];

export const TARGET_NODES: Record<SizeName, number> = { tiny: 600, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };

const PIPELINES: Record<SizeName, number> = { tiny: 2, '10k': 5, '100k': 20, '1m': 50 };
const RUNGS: Record<SizeName, number> = { tiny: 12, '10k': 100, '100k': 100, '1m': 100 };

const DAG_SHAPE: Omit<DagParams, 'executions'> = { fanIn: 3, fanOut: 1.5, window: 400, sourceRate: 0.02, contextEvery: 1000 };

export function parseSize(text: string): SizeName {
  const size = text.toLowerCase() as SizeName;
  if (!SIZES.includes(size)) throw new Error(`--size must be one of ${SIZES.join(', ')}, got ${JSON.stringify(text)}`);
  return size;
}

/** Generates `workload` at about `size` nodes from `seed`. */
export function generateWorkload(workload: WorkloadName, size: SizeName, seed: number): BenchGraph {
  const nodes = TARGET_NODES[size];
  switch (workload) {
    case 'tfx': {
      const pipelines = PIPELINES[size];
      const runsPerPipeline = Math.max(2, Math.round(nodes / TFX_NODES_PER_RUN / pipelines));
      return generateTfxPipelines({ pipelines, runsPerPipeline, familySize: 12, spanEvery: 3, schemaEvery: 10, window: 5, teachers: 5 }, seed);
    }
    case 'dag':
      return generateRandomDag({ ...DAG_SHAPE, executions: Math.round(nodes / dagNodesPerExecution(DAG_SHAPE)) }, seed);
    case 'diamond': {
      const rungs = RUNGS[size];
      return generateDiamondLadders({ rungs, ladders: Math.max(1, Math.round(nodes / (rungs * DIAMOND_NODES_PER_RUNG))) }, seed);
    }
  }
}
