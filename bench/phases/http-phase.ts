/**
 * The GraphQL-over-HTTP part of a backend's turn: the API in its own process, the tail
 * recorded by 1, 8 and 32 concurrent clients, then a typical lineage query (upstream, 20
 * hops, from the plan's upstream starts) checked against the expected answers and put
 * under autocannon at each client count, and last a small artifact lookup timed while
 * 8 clients run that lineage query (does a long query hold up other callers?).
 * Loopback only; every load run is time-bounded.
 */
import {
  graphql, loadTest, probeUnderLoad, recordConcurrently, recordThroughGraphql, startApiProcess, type LoadRun, type ProbeRun, type RecordRun,
} from '../http/http-bench.js';
import type { NodeIds } from '../ingest/our-ingest.js';
import { peakRssKb } from '../report/process-stats.js';
import { artifactName } from '../workload/bench-graph.js';
import { HTTP_CLIENTS, PROBE_LOAD_CLIENTS, type WorkloadContext } from './workload-context.js';

/** The typical lineage query: what made this model, 20 hops back, with the edges to draw it. */
export const LINEAGE_QUERY = `query Lineage($id: ID!) {
  lineage(start: [$id], direction: UPSTREAM, maxHops: 20) {
    nodes { id kind distance artifact { name type { name } } execution { name type { name } } }
    edges { source target type }
    truncated
  }
}`;

interface LineageAnswer { lineage: { nodes: { id: string }[]; truncated: boolean } }

/** The other caller's query: one artifact by id with its type's name, a single small read. */
export const PROBE_QUERY = `query Probe($id: ID!) {
  artifact(id: $id) { id name type { name } }
}`;

interface ProbeAnswer { artifact: { id: string; name: string; type: { name: string } } | null }

export interface HttpOutcome {
  record: RecordRun[];
  lineage: LoadRun[];
  /** The small lookup under lineage load (absent when lineage was not measured). */
  probe?: ProbeRun;
  note?: string;
  apiPeakRssKb: number | null;
}

async function queryFieldNames(url: string): Promise<Set<string>> {
  const data = await graphql<{ __schema: { queryType: { fields: { name: string }[] } } }>(url, '{ __schema { queryType { fields { name } } } }', {});
  return new Set(data.__schema.queryType.fields.map((f) => f.name));
}

/** Runs the HTTP phase; its tail segments (an untimed warm-up, then one per client count) start at step `from`. */
export async function runHttpPhase(
  ctx: WorkloadContext, env: Record<string, string>, ids: NodeIds, from: number, log: (line: string) => void,
): Promise<HttpOutcome> {
  const api = await startApiProcess(env);
  try {
    const record: RecordRun[] = [];
    // The API process is new: its first requests compile code paths, so one segment warms
    // it up untimed, and a burst of concurrent lookups starts every SQLite reader thread
    // it will use (they start as reads need them; each start loads its modules).
    await warmReaders(api.url, ids);
    await recordConcurrently(recordThroughGraphql(api.url, ctx.g, ids), ctx.g, from, from + ctx.tailSegment, 1);
    for (const [i, clients] of HTTP_CLIENTS.entries()) {
      const start = from + (i + 1) * ctx.tailSegment;
      const run = await recordConcurrently(recordThroughGraphql(api.url, ctx.g, ids), ctx.g, start, start + ctx.tailSegment, clients);
      log(`recordExecution GraphQL x${run.executions} at ${clients} clients: ${run.executionsPerSecond.toFixed(0)} executions/s`);
      record.push(run);
    }

    const lineage: LoadRun[] = [];
    let note: string | undefined;
    let probe: ProbeRun | undefined;
    if (!(await queryFieldNames(api.url)).has('lineage')) {
      note = 'the GraphQL schema has no lineage query';
    } else {
      const starts = ctx.starts.UPSTREAM.map((s) => s.artifact);
      // A fast wrong answer is not a result: every start's answer is checked first.
      for (const a of starts) {
        const got = await graphql<LineageAnswer>(api.url, LINEAGE_QUERY, { id: ids.artifacts[a] });
        const want = ctx.expected.of('lineage', { artifact: a, direction: 'UPSTREAM', hops: 20 });
        const wantIds = new Set([...want.artifacts.map((x) => ids.artifacts[x]), ...want.executions.map((x) => ids.executions[x])]);
        const gotIds = got.lineage.nodes.map((n) => n.id);
        if (gotIds.length !== wantIds.size || !gotIds.every((id) => wantIds.has(id))) {
          throw new Error(`GraphQL lineage from a${a}: ${gotIds.length} nodes, expected ${wantIds.size}`);
        }
      }
      for (const clients of HTTP_CLIENTS) {
        const run = await loadTest(api.url, LINEAGE_QUERY, starts.map((a) => ({ id: ids.artifacts[a] })), clients, ctx.options.httpSeconds);
        log(`GraphQL lineage at ${clients} clients: ${run.requestsPerSecond.toFixed(0)} req/s, p50 ${run.latency.p50} ms, p99 ${run.latency.p99} ms`
          + (run.errors + run.non2xx ? ` (${run.errors} errors, ${run.non2xx} non-2xx)` : ''));
        lineage.push(run);
      }
      probe = await runProbe(ctx, api.url, ids, starts.map((a) => ({ id: ids.artifacts[a] })), log);
    }
    return { record, lineage, ...(probe ? { probe } : {}), ...(note ? { note } : {}), apiPeakRssKb: peakRssKb(api.pid) };
  } finally {
    await api.stop();
  }
}

/** As many concurrent artifact lookups (of bulk-loaded artifacts) as the most clients any phase runs. */
async function warmReaders(url: string, ids: NodeIds): Promise<void> {
  const loaded = ids.artifacts.filter((id) => id !== '');
  const most = Math.max(...HTTP_CLIENTS);
  await Promise.all(Array.from({ length: most }, (_, i) => graphql(url, PROBE_QUERY, { id: loaded[i % loaded.length] })));
}

/**
 * The small lookup, from the downstream starts (early artifacts: raw data and examples),
 * each answer checked first, then timed while PROBE_LOAD_CLIENTS clients run the lineage
 * query from `lineageVariables`.
 */
async function runProbe(
  ctx: WorkloadContext, url: string, ids: NodeIds, lineageVariables: Record<string, unknown>[], log: (line: string) => void,
): Promise<ProbeRun> {
  const probed = ctx.starts.DOWNSTREAM.map((s) => s.artifact);
  for (const a of probed) {
    const got = await graphql<ProbeAnswer>(url, PROBE_QUERY, { id: ids.artifacts[a] });
    const want = { id: ids.artifacts[a], name: artifactName(a), type: { name: ctx.g.artifactTypes[ctx.g.artifactType[a]!]! } };
    if (JSON.stringify(got.artifact) !== JSON.stringify(want)) throw new Error(`GraphQL artifact a${a}: ${JSON.stringify(got.artifact)}, expected ${JSON.stringify(want)}`);
  }
  const run = await probeUnderLoad(url, { query: PROBE_QUERY, variables: probed.map((a) => ({ id: ids.artifacts[a] })) },
    LINEAGE_QUERY, lineageVariables, PROBE_LOAD_CLIENTS, ctx.options.httpSeconds);
  log(`GraphQL artifact lookup beside ${PROBE_LOAD_CLIENTS} lineage clients: p50 ${run.latency.p50} ms, p99 ${run.latency.p99} ms, `
    + `max ${run.latency.max} ms (${run.latency.samples} samples${run.failures ? `, ${run.failures} failed` : ''}); lineage ${run.load.requestsPerSecond.toFixed(0)} req/s`);
  return run;
}
