/**
 * The OpenLineage intake beside recordExecution: the API in its own process over an empty
 * store, runs posted as an OpenLineage client posts them (`POST /api/v1/lineage`, one event
 * a request, JSON), each run a START then a COMPLETE with 2 input datasets and 1 output,
 * from 1 and 8 concurrent clients after an untimed warm-up. A client's two events of a run
 * go in order; runs are independent (their inputs are source datasets), so any number of
 * clients may post at once. Every answer must be a 2xx: a refused event fails the run.
 */
import { randomUUID } from 'node:crypto';
import { startApiProcess } from '../http/http-bench.js';
import type { OpenLineageRun } from '../report/results.js';
import { summarize } from '../report/stats.js';
import type { WorkloadContext } from './workload-context.js';

/** Concurrent clients of the intake runs: recordExecution's first two counts. */
export const OPENLINEAGE_CLIENTS: readonly number[] = [1, 8];
/** Source datasets the runs read from, two each. */
const SOURCES = 20;
const PRODUCER = 'https://github.com/data-journey/bench';
const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

/** Runs per client count: five tail segments' worth, between 10 and 500. */
export const openLineageRunsFor = (tailSegment: number): number => Math.max(10, Math.min(500, tailSegment * 5));

/** The START and COMPLETE events of run `i` of segment `segment`. */
export function runEvents(segment: string, i: number, baseMs: number): [Record<string, unknown>, Record<string, unknown>] {
  const runId = randomUUID();
  const job = { namespace: 'bench', name: `job-${i % 50}` };
  const dataset = (name: string) => ({ namespace: 'bench', name });
  const inputs = [dataset(`source-${i % SOURCES}`), dataset(`source-${(i + 7) % SOURCES}`)];
  const outputs = [{ ...dataset(`${segment}/out-${i}`), facets: { schema: { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet', fields: [{ name: 'id', type: 'BIGINT' }, { name: 'value', type: 'DOUBLE' }] } } }];
  const event = (eventType: string, ms: number) => ({
    eventType, eventTime: new Date(ms).toISOString(), run: { runId }, job, inputs, outputs, producer: PRODUCER, schemaURL: SCHEMA_URL,
  });
  return [event('START', baseMs + i * 1000), event('COMPLETE', baseMs + i * 1000 + 500)];
}

/** Posts one event; throws unless the answer is a 2xx. */
async function post(url: string, event: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
  await res.arrayBuffer();
  if (res.status < 200 || res.status > 299) throw new Error(`OpenLineage intake answered HTTP ${res.status} to a ${String(event.eventType)} event`);
}

/** Posts `runs` runs (START then COMPLETE each) from `clients` concurrent clients; latency per event. */
export async function postRunsConcurrently(url: string, segment: string, runs: number, clients: number): Promise<OpenLineageRun> {
  const latencies: number[] = [];
  let next = 0;
  const base = Date.UTC(2026, 0, 1);
  const started = performance.now();
  const client = async (): Promise<void> => {
    while (next < runs) {
      const [start, complete] = runEvents(segment, next++, base);
      for (const event of [start, complete]) {
        const t0 = performance.now();
        await post(url, event);
        latencies.push(performance.now() - t0);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - started) / 1000;
  return { clients, runs, events: 2 * runs, seconds, eventsPerSecond: (2 * runs) / seconds, runsPerSecond: runs / seconds, latency: summarize(latencies) };
}

/** The intake's URL on the API process whose GraphQL endpoint is `graphqlUrl`. */
export const intakeUrlOf = (graphqlUrl: string): string => new URL('/api/v1/lineage', graphqlUrl).toString();

/** Runs the phase over the store `env` names (emptied by the caller after it). */
export async function runOpenLineagePhase(ctx: WorkloadContext, env: Record<string, string>, log: (line: string) => void): Promise<OpenLineageRun[]> {
  const api = await startApiProcess(env);
  try {
    const url = intakeUrlOf(api.url);
    const runs = openLineageRunsFor(ctx.tailSegment);
    await postRunsConcurrently(url, 'warm-up', runs, 1);
    const out: OpenLineageRun[] = [];
    for (const clients of OPENLINEAGE_CLIENTS) {
      const run = await postRunsConcurrently(url, `clients-${clients}`, runs, clients);
      log(`OpenLineage START+COMPLETE x${runs} runs at ${clients} clients: ${run.eventsPerSecond.toFixed(0)} events/s`);
      out.push(run);
    }
    return out;
  } finally {
    await api.stop();
  }
}
