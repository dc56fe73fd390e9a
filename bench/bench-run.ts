/**
 * One benchmark run: for each workload, generate the graph, then put ML Metadata, SQLite
 * and Neo4j through the same loads and queries, one system at a time, and write one
 * results file per workload. The CLI (bench/run.ts) and the smoke test call this.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureMlmd, PYTHON } from './mlmd/mlmd-process.js';
import { runMlmd } from './phases/mlmd-phase.js';
import { runOurBackend } from './phases/our-phase.js';
import {
  bulkCountOf, makeStarts, planCells, TAIL_SEGMENTS, tailSegmentFor, type RunOptions, type WorkloadContext,
} from './phases/workload-context.js';
import { ExpectedAnswers } from './query/measure-queries.js';
import { ReferenceLineage } from './query/reference-walk.js';
import { machineInfo, versions } from './report/machine.js';
import type { SystemResult, WorkloadResult } from './report/results.js';
import { countsOf, edgesOf, type WorkloadName } from './workload/bench-graph.js';
import { writeGraphFile } from './workload/graph-file.js';
import { generateWorkload, type SizeName } from './workload/sizes.js';

export interface BenchOptions extends RunOptions {
  size: SizeName;
  workloads: WorkloadName[];
  seed: number;
  startsPerDirection: number;
  /** Where results JSON goes (one file per workload). */
  outDir: string;
  /** Scratch space for databases and graph files (git-ignored). */
  workDir: string;
  /** The command line, recorded with the results. */
  command: string;
  log(line: string): void;
}

/** Runs the benchmark; returns (and writes) one result per workload. */
export async function runBench(o: BenchOptions): Promise<WorkloadResult[]> {
  const mlmdVersion = o.systems.includes('mlmd') ? ensureMlmd(o.log) : 'not run';
  const machine = machineInfo();
  const versionInfo = await versions(mlmdVersion, o.systems.includes('mlmd') ? PYTHON : null);
  mkdirSync(o.outDir, { recursive: true });
  const results: WorkloadResult[] = [];
  for (const workload of o.workloads) {
    const t0 = performance.now();
    const g = generateWorkload(workload, o.size, o.seed);
    const counts = countsOf(g, edgesOf(g));
    const ref = new ReferenceLineage(g);
    const starts = makeStarts(g, ref, o.startsPerDirection, o.seed);
    const tailSegment = tailSegmentFor(g.steps.length);
    const bulkSteps = g.steps.length - TAIL_SEGMENTS * tailSegment;
    const workDir = path.join(o.workDir, o.size);
    mkdirSync(workDir, { recursive: true });
    const graphFile = path.join(workDir, `${workload}.jsonl`);
    await writeGraphFile(g, graphFile);
    o.log(`${workload} @ ${o.size}: ${counts.nodes} nodes, ${counts.edges} edges (${counts.events} events); `
      + `${bulkSteps} steps bulk, ${TAIL_SEGMENTS} x ${tailSegment} recorded; generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const ctx: WorkloadContext = {
      g, ref, expected: new ExpectedAnswers(ref), starts, cells: planCells(starts), bulkSteps, tailSegment,
      bulkCount: bulkCountOf(g, bulkSteps), graphFile, workDir, options: o, log: o.log,
    };
    const systems: SystemResult[] = [];
    for (const system of o.systems) {
      o.log(`${workload}: ${system}`);
      systems.push(system === 'mlmd' ? await runMlmd(ctx) : await runOurBackend(system, ctx));
    }
    const result: WorkloadResult = {
      schema: 1, command: o.command, date: new Date().toISOString(), size: o.size, seed: o.seed, machine, versions: versionInfo,
      workload, params: g.params, counts, bulkSteps, tailSegment, starts, systems,
    };
    writeFileSync(path.join(o.outDir, `${o.size}-${workload}.json`), `${JSON.stringify(result, null, 2)}\n`);
    results.push(result);
  }
  return results;
}
