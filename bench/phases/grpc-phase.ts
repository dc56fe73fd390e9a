/**
 * ML Metadata's own Python client pointed at Data Journey's gRPC face, on one backend:
 * the server in a process of its own (bench/grpc/bench-grpc-server.ts) over a fresh
 * store, the client the same driver that runs ML Metadata in-process
 * (bench/mlmd/mlmd_driver.py), fed the same graph with the same calls:
 *
 *   1. the bulk load with put_lineage_subgraph (the in-process bulk path's call);
 *   2. the tail with put_execution one at a time: an untimed warm-up segment, one segment
 *      from 1 client, the remaining segments from 8 client threads;
 *   3. get_lineage_subgraph from the plan's starts at 5, 20 and 50 hops in each direction,
 *      each answer checked against the generated graph before it is timed;
 *   4. get_artifacts with filter_query (bench/query/filter-queries.ts), checked the same way.
 *
 * A call the server answers UNIMPLEMENTED is not measured and says so in `notes` (the bulk
 * load then goes through put_execution); any other failure fails the run.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiProcess } from '../http/http-bench.js';
import { recordedItems } from '../ingest/our-ingest.js';
import { MlmdDriverError, MlmdProcess, type MlmdIngestMode } from '../mlmd/mlmd-process.js';
import { planFilters, measureFilters } from '../query/filter-queries.js';
import { MlmdTarget } from '../query/lineage-targets.js';
import { measureQueries } from '../query/measure-queries.js';
import { peakRssKb } from '../report/process-stats.js';
import type { FilterCellResult, GrpcResult, IngestResult } from '../report/results.js';
import type { RecordRun } from '../http/http-bench.js';
import { summarize } from '../report/stats.js';
import type { WorkloadContext } from './workload-context.js';

const GRPC_SERVER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'grpc', 'bench-grpc-server.ts');
/** Client threads of the concurrent put_execution run (the GraphQL phase's middle count). */
export const GRPC_CLIENTS = 8;
/** ML Metadata's status code for a method the server does not implement. */
const UNIMPLEMENTED = 12;

function recordRun(ctx: WorkloadContext, clients: number, from: number, to: number, ms: number[], seconds: number): RecordRun {
  const items = recordedItems(ctx.g, from, to);
  return {
    clients, executions: to - from, items, seconds,
    executionsPerSecond: (to - from) / seconds, itemsPerSecond: items / seconds, latency: summarize(ms),
  };
}

/** Runs `measure`; a call the server does not implement becomes a note instead of figures. */
async function unlessUnimplemented<T>(what: string, notes: string[], fallback: T, measure: () => Promise<T>): Promise<T> {
  try {
    return await measure();
  } catch (error) {
    if (!(error instanceof MlmdDriverError) || error.code !== UNIMPLEMENTED) throw error;
    notes.push(`${what}: the server answers UNIMPLEMENTED`);
    return fallback;
  }
}

/** ML Metadata's client through our gRPC face over the store that `env` names (emptied by the caller). */
export async function runGrpcPhase(ctx: WorkloadContext, env: Record<string, string>, log: (line: string) => void): Promise<GrpcResult> {
  const started = performance.now();
  const before = os.loadavg();
  const server = await startApiProcess(env, [], GRPC_SERVER_SCRIPT);
  let client: MlmdProcess | undefined;
  try {
    client = await MlmdProcess.connect(server.url);
    const notes: string[] = [];
    const bulk: MlmdIngestMode = (await client.supports()).put_lineage_subgraph ? 'put_lineage_subgraph' : 'put_execution';
    if (bulk !== 'put_lineage_subgraph') notes.push('put_lineage_subgraph: the server answers UNIMPLEMENTED, so the bulk load went through put_execution');
    const loaded = await client.ingest(ctx.graphFile, bulk, ctx.bulkSteps);
    const { nodes, edges } = ctx.bulkCount;
    const ingest: IngestResult = { path: bulk, seconds: loaded.seconds, nodes, edges, itemsPerSecond: (nodes + edges) / loaded.seconds };
    log(`gRPC ingest ${bulk}: ${ingest.seconds.toFixed(1)} s, ${ingest.itemsPerSecond.toFixed(0)} items/s`);

    const segment = (n: number): number => ctx.bulkSteps + n * ctx.tailSegment;
    const end = ctx.g.steps.length;
    await client.record(ctx.graphFile, segment(0), segment(1));
    const one = await client.record(ctx.graphFile, segment(1), segment(2));
    const record = [recordRun(ctx, 1, segment(1), segment(2), one.ms, one.ms.reduce((s, v) => s + v, 0) / 1000)];
    const many = await client.recordConcurrently(ctx.graphFile, segment(2), end, GRPC_CLIENTS);
    record.push(recordRun(ctx, GRPC_CLIENTS, segment(2), end, many.ms, many.seconds));
    for (const run of record) log(`gRPC put_execution x${run.executions} at ${run.clients} clients: ${run.executionsPerSecond.toFixed(0)} executions/s`);

    const lineageCells = ctx.cells.filter((c) => c.kind === 'lineage');
    const label = `${env.BENCH_BACKEND} gRPC`;
    const queries = await unlessUnimplemented('get_lineage_subgraph', notes, [],
      () => measureQueries(new MlmdTarget(client!, label), lineageCells, ctx.expected, ctx.options.measure, ctx.log));
    const filters = await unlessFilterRefused(notes,
      () => measureFilters(client!, filterCellsOf(ctx), ctx.options.measure, label, ctx.log));
    for (const note of notes) log(`gRPC not measured: ${note}`);
    return {
      ingest, record, queries, filters, notes, serverPeakRssKb: peakRssKb(server.pid),
      loadAverage: { before, after: os.loadavg() }, wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await client?.close();
    await server.stop();
  }
}

/** The filter cells of a workload: from every start of the plan. */
export function filterCellsOf(ctx: WorkloadContext): ReturnType<typeof planFilters> {
  return planFilters(ctx.g, [...ctx.starts.UPSTREAM, ...ctx.starts.DOWNSTREAM].map((s) => s.artifact));
}

/**
 * Until the gRPC face takes filter_query, it refuses one with INVALID_ARGUMENT naming
 * `options.filter_query`; that refusal (or UNIMPLEMENTED) is a note, anything else fails.
 */
async function unlessFilterRefused(notes: string[], measure: () => Promise<FilterCellResult[]>): Promise<FilterCellResult[]> {
  try {
    return await measure();
  } catch (error) {
    const refused = error instanceof MlmdDriverError
      && (error.code === UNIMPLEMENTED || (error.code === 3 && error.message.includes('options.filter_query is not supported')));
    if (!refused) throw error;
    notes.push(`get_artifacts with filter_query: the server refuses it (${error.message})`);
    return [];
  }
}
