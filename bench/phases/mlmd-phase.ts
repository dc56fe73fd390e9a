/**
 * ML Metadata's turn on a workload: the bulk load (put_lineage_subgraph per group of
 * steps that share contexts, or put_execution per step), the tail recorded with
 * put_execution one at a time, then the same lineage and impact queries, checked and
 * timed, and get_artifacts with filter_query when the gRPC phase will ask the same. Its
 * database stays for the import phase (bench/phases/import-phase.ts).
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordedItems } from '../ingest/our-ingest.js';
import { MlmdProcess, type MlmdIngestMode } from '../mlmd/mlmd-process.js';
import { MlmdTarget } from '../query/lineage-targets.js';
import { measureFilters } from '../query/filter-queries.js';
import { measureQueries } from '../query/measure-queries.js';
import type { FilterCellResult, IngestResult, SystemResult } from '../report/results.js';
import { summarize } from '../report/stats.js';
import { filterCellsOf } from './grpc-phase.js';
import type { WorkloadContext } from './workload-context.js';

const OTHER_MODE: Record<MlmdIngestMode, MlmdIngestMode> = { put_execution: 'put_lineage_subgraph', put_lineage_subgraph: 'put_execution' };

async function ingestInto(ctx: WorkloadContext, file: string, mode: MlmdIngestMode): Promise<{ mlmd: MlmdProcess; result: IngestResult }> {
  const mlmd = await MlmdProcess.open(file);
  const run = await mlmd.ingest(ctx.graphFile, mode, ctx.bulkSteps);
  const { nodes, edges } = ctx.bulkCount;
  return { mlmd, result: { path: mode, seconds: run.seconds, nodes, edges, itemsPerSecond: (nodes + edges) / run.seconds } };
}

/** ML Metadata's database of the workload, as its phase leaves it. */
export function mlmdStoreFile(ctx: WorkloadContext): string {
  return path.join(ctx.options.mlmdDir ?? ctx.workDir, `mlmd-${ctx.g.workload}.sqlite`);
}

/** Runs ML Metadata through the workload. */
export async function runMlmd(ctx: WorkloadContext): Promise<SystemResult> {
  const started = performance.now();
  const before = os.loadavg();
  const dir = ctx.options.mlmdDir ?? ctx.workDir;
  const file = mlmdStoreFile(ctx);
  const log = (line: string): void => ctx.log(`  mlmd ${line}`);

  let ingestAlternative: IngestResult | undefined;
  if (ctx.options.compareMlmdIngest) {
    const scratch = path.join(dir, `mlmd-${ctx.g.workload}-scratch.sqlite`);
    const alt = await ingestInto(ctx, scratch, OTHER_MODE[ctx.options.mlmdIngest]);
    await alt.mlmd.close();
    rmSync(scratch, { force: true });
    ingestAlternative = alt.result;
    log(`ingest ${alt.result.path}: ${alt.result.seconds.toFixed(1)} s, ${alt.result.itemsPerSecond.toFixed(0)} items/s (scratch)`);
  }

  const { mlmd, result: ingest } = await ingestInto(ctx, file, ctx.options.mlmdIngest);
  log(`ingest ${ingest.path}: ${ingest.seconds.toFixed(1)} s, ${ingest.itemsPerSecond.toFixed(0)} items/s`);
  try {
    // Every tail segment through put_execution, one client; the first is the warm-up and is not counted.
    const recorded = await mlmd.record(ctx.graphFile, ctx.bulkSteps);
    const timed = recorded.ms.slice(ctx.tailSegment);
    const seconds = timed.reduce((s, v) => s + v, 0) / 1000;
    const items = recordedItems(ctx.g, ctx.bulkSteps + ctx.tailSegment, ctx.bulkSteps + recorded.ms.length);
    const recordInProcess = {
      clients: 1, executions: timed.length, items, seconds,
      executionsPerSecond: timed.length / seconds, itemsPerSecond: items / seconds, latency: summarize(timed),
    };
    log(`put_execution x${timed.length}: ${recordInProcess.executionsPerSecond.toFixed(0)} executions/s`);

    const queries = await measureQueries(new MlmdTarget(mlmd), ctx.cells, ctx.expected, ctx.options.measure, ctx.log);
    let filters: FilterCellResult[] | undefined;
    if (ctx.options.grpc) filters = await measureFilters(mlmd, filterCellsOf(ctx), ctx.options.measure, 'mlmd', ctx.log);
    const stats = await mlmd.stats();
    return {
      system: 'mlmd', ingest, ...(ingestAlternative ? { ingestAlternative } : {}), recordInProcess, recordGraphql: [], queries,
      ...(filters ? { filters } : {}),
      httpLineage: [], httpNote: "ML Metadata's Python package has no HTTP or GraphQL API (its gRPC server is a separate binary, not in the wheel)",
      // The database runs inside the driver process, so its peak is both.
      memory: { apiPeakRssKb: stats.maxRssKb, databasePeakRssKb: stats.maxRssKb },
      diskBytes: stats.dbBytes,
      pingMs: null,
      loadAverage: { before, after: os.loadavg() },
      wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await mlmd.close();
  }
}
