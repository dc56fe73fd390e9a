/**
 * Diamond ladders: each rung splits an artifact into two branches and joins them again,
 *
 *        a_i ──> L_i ──> l_i ──┐
 *         └───> R_i ──> r_i ──> J_i ──> a_{i+1}
 *
 * so a ladder of n rungs has 2^n paths from bottom to top but only 6n nodes. A walk that
 * enumerates paths instead of collecting a set of nodes blows up here; a set walk does not.
 */
import { GraphBuilder, type BenchGraph } from './bench-graph.js';

export interface DiamondParams {
  ladders: number;
  rungs: number;
}

/** Nodes one rung adds: for sizing. */
export const DIAMOND_NODES_PER_RUNG = 6;

/** Generates the ladders; deterministic, with one `ladder` context each. */
export function generateDiamondLadders(p: DiamondParams, seed: number): BenchGraph {
  const b = new GraphBuilder('diamond', seed, { ...p });
  for (let l = 0; l < p.ladders; l++) {
    const ctx = [b.context('ladder')];
    let top = b.source('Rung');
    for (let r = 0; r < p.rungs; r++) {
      const [left] = b.step('SplitLeft', [top], ['Half'], ctx) as [number];
      const [right] = b.step('SplitRight', [top], ['Half'], ctx) as [number];
      [top] = b.step('Join', [left, right], ['Rung'], ctx) as [number];
    }
  }
  return b.build();
}
