/**
 * GraphQL over HTTP, on loopback only: the API in a process of its own
 * (bench/http/bench-server.ts), recordExecution from concurrent clients, and a typical
 * lineage query under autocannon at a given number of connections for a bounded time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchGraph } from '../workload/bench-graph.js';
import { noteRecorded, recordedItems, recordInputOf, type NodeIds } from '../ingest/our-ingest.js';
import { summarize, type LatencySummary } from '../report/stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

export interface ApiProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The GraphQL server; bench/grpc/bench-grpc-server.ts is the gRPC one (its `url` is host:port). */
export const GRAPHQL_SERVER_SCRIPT = path.join(here, 'bench-server.ts');

/**
 * Starts the API over the given store (env BENCH_*); resolves when it listens. `nodeArgs`
 * go to its node, e.g. `--cpu-prof` to see where a request's time goes; `script` is the
 * server to run, one that prints `BENCH SERVER READY <address>`.
 */
export function startApiProcess(env: Record<string, string>, nodeArgs: readonly string[] = [], script: string = GRAPHQL_SERVER_SCRIPT): Promise<ApiProcess> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    // NODE_ENV=production as the image runs it (Dockerfile): graphql-js then skips its
    // development checks, which cost about 7% of a lineage request's time.
    cwd: root, env: { ...process.env, NODE_ENV: 'production', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-4000); });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`bench API process exited (${code}) before it was ready: ${stderr}`));
    child.once('exit', onExit);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^BENCH SERVER READY (\S+)/.exec(line);
      if (!match) return;
      child.off('exit', onExit);
      resolve({
        url: match[1]!,
        pid: child.pid!,
        stop: () => new Promise<void>((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        }),
      });
    });
  });
}

interface GraphqlResponse<T> { data?: T; errors?: { message: string; extensions?: { code?: string } }[] }

/** One GraphQL request; throws on transport errors and on GraphQL errors. */
export async function graphql<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as GraphqlResponse<T>;
  if (body.errors?.length || !body.data) {
    const first = body.errors?.[0];
    throw new Error(`GraphQL error (HTTP ${res.status}): ${first?.extensions?.code ?? ''} ${first?.message ?? 'no data'}`);
  }
  return body.data;
}

const RECORD_EXECUTION = `mutation Record($input: RecordExecutionInput!) {
  recordExecution(input: $input) { execution { id } inputs { id } outputs { id } }
}`;

export interface RecordRun {
  clients: number;
  executions: number;
  /** Executions, output artifacts and events written (context links not counted). */
  items: number;
  seconds: number;
  executionsPerSecond: number;
  itemsPerSecond: number;
  latency: LatencySummary;
}

/**
 * Records steps [from, to) with `clients` concurrent clients, one recordExecution per
 * step. A client takes the next step and first waits for the steps that made its inputs
 * (as an orchestrator would), so causality holds at any concurrency.
 */
export async function recordConcurrently(
  record: (x: number) => Promise<void>, g: BenchGraph, from: number, to: number, clients: number,
): Promise<RecordRun> {
  const done = new Map<number, Promise<void>>();
  const latencies: number[] = [];
  let next = from;
  const started = performance.now();
  const client = async (): Promise<void> => {
    while (next < to) {
      const x = next++;
      let finish!: () => void;
      let fail!: (e: unknown) => void;
      done.set(x, new Promise<void>((res, rej) => { finish = res; fail = rej; }));
      const producers = g.steps[x]!.inputs.map((a) => g.artifactProducer[a]!).filter((p) => p >= from && p < x);
      await Promise.all(producers.map((p) => done.get(p)));
      const t0 = performance.now();
      try {
        await record(x);
      } catch (error) {
        fail(error);
        throw error;
      }
      latencies.push(performance.now() - t0);
      finish();
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - started) / 1000;
  const items = recordedItems(g, from, to);
  return {
    clients, executions: to - from, items, seconds,
    executionsPerSecond: (to - from) / seconds, itemsPerSecond: items / seconds, latency: summarize(latencies),
  };
}

/** recordExecution of step `x` through GraphQL. */
export function recordThroughGraphql(url: string, g: BenchGraph, ids: NodeIds): (x: number) => Promise<void> {
  return async (x) => {
    const data = await graphql<{ recordExecution: { execution: { id: string }; inputs: { id: string }[]; outputs: { id: string }[] } }>(
      url, RECORD_EXECUTION, { input: recordInputOf(g, x, ids) });
    noteRecorded(g, x, ids, data.recordExecution);
  };
}

export interface LoadRun {
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  /** autocannon's latency percentiles, in milliseconds (it reports p97.5, not p95). */
  latency: { p50: number; p97_5: number; p99: number; max: number };
  errors: number;
  non2xx: number;
}

/** Sends `query` with each of `variables` in turn over `connections` keep-alive connections for `seconds`. */
export async function loadTest(url: string, query: string, variables: Record<string, unknown>[], connections: number, seconds: number): Promise<LoadRun> {
  return loadRunOf(await autocannonRun(url, query, variables, connections, seconds), connections, seconds);
}

function autocannonRun(url: string, query: string, variables: Record<string, unknown>[], connections: number, seconds: number): Promise<autocannon.Result> {
  let turn = 0;
  const bodies = variables.map((v) => JSON.stringify({ query, variables: v }));
  return autocannon({
    url,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[turn++ % bodies.length]! }) }],
  });
}

function loadRunOf(result: autocannon.Result, connections: number, seconds: number): LoadRun {
  return {
    connections,
    seconds,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latency: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export interface ProbeRun {
  /** The small query timed, one at a time from one client. */
  query: string;
  /** Its latency in milliseconds, measured by the harness around each request. */
  latency: LatencySummary;
  /** Probes answered with an error or a status other than 200 (not timed). */
  failures: number;
  /** The load it ran beside. */
  load: LoadRun;
}

/**
 * A small query timed, one request after another from one client, while `connections`
 * other clients run `loadQuery` under autocannon for `seconds`: how long other callers
 * wait while long queries run. The probe waits a little between requests so that it
 * samples the load rather than adding to it.
 */
export async function probeUnderLoad(
  url: string, probe: { query: string; variables: Record<string, unknown>[] },
  loadQuery: string, loadVariables: Record<string, unknown>[], connections: number, seconds: number,
): Promise<ProbeRun> {
  const bodies = probe.variables.map((v) => JSON.stringify({ query: probe.query, variables: v }));
  const latencies: number[] = [];
  let failures = 0;
  let running = true;
  // autocannon answers with a thenable, not a Promise: wrapped for finally.
  const load = Promise.resolve(autocannonRun(url, loadQuery, loadVariables, connections, seconds)).finally(() => { running = false; });
  // Let every load connection have its first request in flight before the first probe.
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (let turn = 0; running; turn += 1) {
    const t0 = performance.now();
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[turn % bodies.length]! });
      const body = (await res.json()) as GraphqlResponse<unknown>;
      if (res.status !== 200 || body.errors?.length || !body.data) failures += 1;
      else if (running) latencies.push(performance.now() - t0);
    } catch {
      failures += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_PAUSE_MS));
  }
  return { query: probe.query, latency: summarize(latencies), failures, load: loadRunOf(await load, connections, seconds) };
}

/** The pause between two probes: about 50 samples a second, without competing with the load for the CPU. */
const PROBE_PAUSE_MS = 20;
