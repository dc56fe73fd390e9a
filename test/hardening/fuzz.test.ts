/**
 * Property-based fuzzing of the API on every backend (fast-check): streams of random,
 * hostile and malformed requests (fuzz-operations.ts) against a real server. For every
 * stream:
 *   - every request is answered, never with a 5xx, an internal error or internals
 *     (stack frames, driver names, query text);
 *   - the server is still alive at the end;
 *   - a request that did not succeed wrote nothing: replaying only the successful writes,
 *     byte for byte, on an empty store builds the very same graph (ids and times aside).
 * CI runs FUZZ_RUNS (default 4) streams of FUZZ_LENGTH (default 250) requests per backend;
 * raise them for a longer hunt, e.g. FUZZ_RUNS=50 npx vitest run test/hardening/fuzz.test.ts.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { startSecureServer } from '../security/security-harness.js';
import { BACKENDS, type Backend } from '../support/backends.js';
import { HOSTILE_TEXT, PRELUDE, requestArb, send, type FuzzRequest } from './fuzz-operations.js';
import { dumpGraph, type GraphDump } from './graph-dump.js';
import { INTERNALS } from './hardening-support.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
const LENGTH = Number(process.env.FUZZ_LENGTH ?? 250);

/** The codes a refused request may carry: the client's mistakes, never the server's. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT', 'NOT_FOUND', 'ALREADY_EXISTS', 'FAILED_PRECONDITION', 'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE', 'REQUEST_ENTITY_TOO_LARGE', 'PERSISTED_QUERY_NOT_SUPPORTED',
  'FORBIDDEN', undefined,
]);

interface Outcome { request: FuzzRequest; status: number; text: string; wrote: boolean }

/** An empty store of `backend`: SQLite in memory afresh, the suite's Neo4j emptied. */
async function emptyStore(backend: Backend, previous: GraphStore | undefined): Promise<GraphStore> {
  if (backend.name === 'neo4j') {
    const store = previous ?? (await backend.open());
    const { clearNeo4jDatabase } = await import('../support/neo4j-database.js');
    await clearNeo4jDatabase(store);
    return store;
  }
  await previous?.close();
  return backend.open();
}

/** Whether a write succeeded: some mutation field came back with a value. */
function wrote(request: FuzzRequest, status: number, text: string): boolean {
  if (!request.mutation || status !== 200) return false;
  try {
    const data = (JSON.parse(text) as { data?: Record<string, unknown> | null }).data;
    return data != null && Object.values(data).some((v) => v !== null && v !== 0);
  } catch {
    return false;
  }
}

/** Sends every request in turn to a server over `store`; returns what each got and the graph after. */
async function play(store: GraphStore, requests: readonly FuzzRequest[]): Promise<{ outcomes: Outcome[]; graph: GraphDump; alive: boolean }> {
  const api = createMetadataService(store);
  const t = await startSecureServer(api, { security: { rateLimit: { perSecond: 0, burst: 1 }, maxBodyBytes: 256 * 1024 } });
  try {
    const outcomes: Outcome[] = [];
    for (const request of requests) {
      const res = await send(t.url, request);
      const text = await res.text();
      outcomes.push({ request, status: res.status, text, wrote: wrote(request, res.status, text) });
    }
    const alive = (await fetch(`${t.origin}/healthz`)).status === 200 && (await fetch(`${t.origin}/readyz`)).status === 200;
    return { outcomes, graph: await dumpGraph(api), alive };
  } finally {
    await t.close();
  }
}

/** The request's own hostile text, raw and as JSON.stringify quotes it in messages. */
const ECHOES = HOSTILE_TEXT.filter((h) => h.length >= 3).flatMap((h) => [JSON.stringify(h).slice(1, -1), h])
  .sort((a, b) => b.length - a.length);

/** `text` without the hostile input it may rightly echo ("no type \"MATCH (n)...\""), which would read as query text. */
function withoutEchoes(text: string): string {
  let out = text;
  for (const echo of ECHOES) out = out.split(echo).join('');
  return out;
}

/** What is wrong with one answer, if anything. */
function faultOf({ request, status, text }: Outcome): string | null {
  if (status >= 500) return `status ${status}`;
  let messages = text;
  try {
    const parsed = JSON.parse(text) as { errors?: { message?: string }[] };
    messages = (parsed.errors ?? []).map((e) => e.message ?? '').join('\n');
  } catch { /* not JSON: checked whole */ }
  if (INTERNALS.test(withoutEchoes(messages)) || text.includes('Unexpected error.') || text.includes('INTERNAL_SERVER_ERROR')) {
    return 'internals or an internal error';
  }
  let body: { errors?: { extensions?: { code?: string } }[] } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return request.method === 'GET' && status === 405 ? null : 'a body that is not JSON';
  }
  const bad = (body?.errors ?? []).map((e) => e.extensions?.code).filter((c) => !CLIENT_CODES.has(c));
  return bad.length > 0 ? `codes ${bad.join()}` : null;
}

/** Throws, listing `problems`, when there are any. */
function failIfAny(what: string, problems: string[]): void {
  if (problems.length > 0) throw new Error(`${problems.length} ${what}:\n  ${problems.slice(0, 10).join('\n  ')}`);
}

/** What one dump holds and the other lacks, part by part. */
function graphDifferences(fuzzed: GraphDump, replayed: GraphDump): string[] {
  const out: string[] = [];
  for (const part of ['types', 'nodes', 'events', 'links'] as const) {
    const a = new Set(fuzzed[part]);
    const b = new Set(replayed[part]);
    for (const x of a) if (!b.has(x)) out.push(`only after fuzzing, ${part}: ${x.slice(0, 300)}`);
    for (const x of b) if (!a.has(x)) out.push(`only after replay, ${part}: ${x.slice(0, 300)}`);
    if (fuzzed[part].length !== replayed[part].length) out.push(`${part}: ${fuzzed[part].length} after fuzzing, ${replayed[part].length} after replay`);
  }
  return out;
}

describe.each(BACKENDS)('fuzzing the API ($name)', (backend) => {
  it(`answers ${RUNS} streams of ${LENGTH} random and malformed requests without fault, and writes nothing by halves`, async () => {
    let store: GraphStore | undefined;
    try {
      const run = await fc.check(fc.asyncProperty(fc.array(requestArb, { minLength: LENGTH, maxLength: LENGTH }), async (requests) => {
        store = await emptyStore(backend, store);
        const fuzzed = await play(store, [...PRELUDE, ...requests]);
        if (!fuzzed.alive) throw new Error('the server stopped answering its health checks');
        failIfAny('faulty answers', fuzzed.outcomes.map((o) => [o, faultOf(o)] as const).filter(([, f]) => f !== null)
          .map(([o, f]) => `${o.request.label}: ${f}: ${o.text.slice(0, 300)}\n    request: ${o.request.body.slice(0, 300)}`));

        const writes = fuzzed.outcomes.filter((o) => o.wrote).map((o) => o.request);
        store = await emptyStore(backend, store);
        const replayed = await play(store, writes);
        failIfAny('writes that did not succeed again on replay', replayed.outcomes.filter((o) => !o.wrote)
          .map((o) => `${o.request.label}: ${o.text.slice(0, 300)}\n    request: ${o.request.body.slice(0, 300)}`));
        failIfAny('differences between the fuzzed graph and the replayed one', graphDifferences(fuzzed.graph, replayed.graph));
      }), { numRuns: RUNS, endOnFailure: true });
      // fast-check's own report prints every request of the stream, megabytes of them: say what failed, and how to replay it.
      if (run.failed) {
        const error = run.errorInstance as Error | undefined;
        throw new Error(`fuzz stream failed (replay with fc seed ${run.seed}, path ${run.counterexamplePath}):\n${error?.message ?? String(run.errorInstance)}`);
      }
    } finally {
      if (store && backend.name === 'neo4j') await emptyStore(backend, store);
      await store?.close();
    }
  }, 60_000 + RUNS * LENGTH * 400);
});
