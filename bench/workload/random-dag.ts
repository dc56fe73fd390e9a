/**
 * A random lineage DAG with controllable fan-in and fan-out: each execution reads
 * about `fanIn` artifacts drawn from the last `window` artifacts made (or, with
 * probability `sourceRate`, a new source artifact) and makes about `fanOut` artifacts.
 * A small window makes deep, narrow graphs; a large one shallow, well-mixed graphs.
 */
import { GraphBuilder, type BenchGraph } from './bench-graph.js';
import { Prng } from './prng.js';

export interface DagParams {
  executions: number;
  fanIn: number;
  fanOut: number;
  window: number;
  sourceRate: number;
  /** Executions per `batch` context. */
  contextEvery: number;
}

const ARTIFACT_TYPES = ['Dataset', 'Features', 'Model', 'Report'];
const EXECUTION_TYPES = ['Ingest', 'Process', 'Train', 'Evaluate'];

/** Nodes one execution adds, on average: for sizing. */
export const dagNodesPerExecution = (p: Pick<DagParams, 'fanIn' | 'fanOut' | 'sourceRate' | 'contextEvery'>): number =>
  1 + p.fanOut + p.fanIn * p.sourceRate + 1 / p.contextEvery;

/** Generates the DAG from `seed`. */
export function generateRandomDag(p: DagParams, seed: number): BenchGraph {
  const rng = new Prng(seed);
  const b = new GraphBuilder('dag', seed, { ...p });
  const made: number[] = [];
  let ctx = -1;
  for (let x = 0; x < p.executions; x++) {
    if (x % p.contextEvery === 0) ctx = b.context('batch');
    const inputs: number[] = [];
    const wanted = rng.countAround(p.fanIn, 1);
    const pool = Math.min(p.window, made.length);
    for (let i = 0; i < wanted; i++) {
      if (pool === 0 || rng.float() < p.sourceRate) {
        inputs.push(b.source(ARTIFACT_TYPES[0]!));
      } else {
        inputs.push(made[made.length - 1 - rng.int(pool)]!);
      }
    }
    const outputTypes = Array.from({ length: rng.countAround(p.fanOut, 1) }, () => ARTIFACT_TYPES[rng.int(ARTIFACT_TYPES.length)]!);
    const outputs = b.step(EXECUTION_TYPES[rng.int(EXECUTION_TYPES.length)]!, inputs, outputTypes, [ctx]);
    made.push(...outputs);
  }
  return b.build();
}
