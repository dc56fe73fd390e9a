/**
 * GET /metrics over real HTTP on both backends: a scrape after a known sequence of
 * requests (mutations, a query, a lineage query, a refused input, a rate-limit refusal)
 * holds exactly the counts they caused; who may scrape (admin only; viewer 403, no key
 * 401; public only on loopback, refused at start elsewhere); and hostile operation names
 * neither multiply series nor break the format.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { GraphStore } from '../../src/graph/store.js';
import { observeStore, type StoreCall } from '../../src/graph/observed-store.js';
import { readUnit, readUnitOf } from '../../src/graph/read-unit.js';
import { createLogger } from '../../src/server/logging.js';
import { startGrpcServer } from '../../src/server/grpc/grpc-server.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { mlmdClient } from '../grpc/grpc-client.js';
import { MAX_OPERATION_NAMES, OTHER_OPERATION, ServerMetrics } from '../../src/server/metrics.js';
import { observedStore } from '../../src/server/observability.js';
import { createServices } from '../../src/service/services.js';
import { BACKENDS } from '../support/backends.js';
import { bearer, makeKey, startSecureServer, type TestServer, useServiceWithKeys } from '../security/security-harness.js';
import { runEvent } from '../openlineage/ol-harness.js';
import { parseExposition, valueOf, type Sample } from './exposition.js';

/** GETs `path` of `t` with `headers`: status, content type and body. */
async function get(t: TestServer, path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${t.origin}${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** A scrape with `headers`, parsed; fails unless it answered 200. */
async function scrape(t: TestServer, headers: Record<string, string>): Promise<Sample[]> {
  const res = await get(t, '/metrics', headers);
  expect(res.status, res.text).toBe(200);
  return parseExposition(res.text);
}

describe.each(BACKENDS)('GET /metrics ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  /** A server over the store wrapped as src/main.ts wraps it, so store calls are timed; rate limit `burst` a day. */
  async function serve(burst: number, metricsPublic = false): Promise<{ metrics: ServerMetrics; server: TestServer }> {
    const metrics = new ServerMetrics();
    const store = observedStore(h.store, { metrics, tracing: null });
    const server = await startSecureServer(createServices(store, { clock: h.clock }).metadata, {
      metrics, metricsPublic, security: { rateLimit: { perSecond: 1 / 86_400, burst } },
    });
    return { metrics, server };
  }

  it('counts the operations, codes, refusals, store calls and lineage sizes it served, exactly', async () => {
    const editor = bearer(await makeKey(h.store, 'editor'));
    const admin = bearer(await makeKey(h.store, 'admin'));
    ({ server: t } = await serve(6));
    //   raw -> prep -> clean      (DataSet, Trainer, DataSet): lineage(clean) answers 3 nodes
    expect((await t.gql('mutation Types { a: putArtifactType(input: { name: "DataSet" }) { id } e: putExecutionType(input: { name: "Trainer" }) { id } }', undefined, editor)).errors).toBeUndefined();
    const run = await t.gql(`mutation Run { putLineageSubgraph(input: {
      artifacts: [{ type: "DataSet", name: "raw" }, { type: "DataSet", name: "clean" }]
      executions: [{ type: "Trainer", name: "prep" }]
      events: [{ artifactIndex: 0, executionIndex: 0, type: INPUT }, { artifactIndex: 1, executionIndex: 0, type: OUTPUT }]
    }) { artifacts { id } } }`, undefined, editor);
    const clean = (run.data as any).putLineageSubgraph.artifacts[1].id as string;
    const lineage = await t.gql('query Lineage($s: [ID!]!) { lineage(start: $s) { nodes { id } } }', { s: [clean] }, editor);
    expect((lineage.data as any).lineage.nodes).toHaveLength(3);
    const bad = await t.gql('mutation BadType { putContextType(input: { name: "" }) { name } }', undefined, editor);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.gql('query Types2 { artifactTypes { name } }', undefined, editor)).status).toBe(200);
    expect((await t.gql('{ artifactTypes { name } }', undefined, editor)).status).toBe(200);
    // The seventh request of a burst of six.
    expect((await t.gql('query Refused { artifactTypes { name } }', undefined, editor)).status).toBe(429);

    const samples = await scrape(t, admin);
    const ops = (labels: Record<string, string>): number | undefined => valueOf(samples, 'journey_graphql_operations_total', labels);
    expect(ops({ operation: 'Types', type: 'mutation', code: 'OK' })).toBe(1);
    expect(ops({ operation: 'Run', type: 'mutation', code: 'OK' })).toBe(1);
    expect(ops({ operation: 'Lineage', type: 'query', code: 'OK' })).toBe(1);
    expect(ops({ operation: 'BadType', type: 'mutation', code: 'BAD_USER_INPUT' })).toBe(1);
    expect(ops({ operation: 'Types2', type: 'query', code: 'OK' })).toBe(1);
    expect(ops({ operation: '(anonymous)', type: 'query', code: 'OK' })).toBe(1);
    // Refused before its body was read: no operation, no name.
    expect(ops({ operation: 'Refused' })).toBeUndefined();
    expect(ops({})).toBe(6);
    expect(valueOf(samples, 'journey_graphql_operation_duration_seconds_count', { operation: 'Lineage', type: 'query' })).toBe(1);
    expect(valueOf(samples, 'journey_rate_limit_refusals_total', { face: 'http' })).toBe(1);
    expect(valueOf(samples, 'journey_rate_limit_refusals_total', { face: 'grpc' })).toBe(0);
    expect(valueOf(samples, 'journey_http_requests_total', { route: 'graphql', method: 'POST', status: '200' })).toBe(6);
    expect(valueOf(samples, 'journey_http_requests_total', { route: 'graphql', method: 'POST', status: '429' })).toBe(1);
    // The scrape itself is the one request in flight.
    expect(valueOf(samples, 'journey_http_active_requests')).toBe(1);
    expect(valueOf(samples, 'journey_http_request_duration_seconds_count', { route: 'graphql' })).toBe(7);
    expect(valueOf(samples, 'journey_lineage_nodes_returned_count', { query: 'lineage' })).toBe(1);
    expect(valueOf(samples, 'journey_lineage_nodes_returned_sum', { query: 'lineage' })).toBe(3);
    // One transaction per mutation operation (src/server/mutation-transaction.ts): three mutations, the refused one rolled back.
    expect(valueOf(samples, 'journey_store_call_duration_seconds_count', { method: 'inOneTransaction', kind: 'transaction' })).toBe(3);
    expect(valueOf(samples, 'journey_store_call_duration_seconds_count', { method: 'inOneTransaction', outcome: 'error' })).toBe(1);
    expect(valueOf(samples, 'journey_store_call_duration_seconds_count', { method: 'insertTypes', kind: 'method' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'journey_store_call_duration_seconds_count', { kind: 'method' })).toBeGreaterThan(5);
    // Process metrics, from the same scrape.
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'nodejs_eventloop_lag_seconds')).toBeDefined();
    // Two scrapes: the second sees the first as an answered request of its route.
    const again = await scrape(t, admin);
    expect(valueOf(again, 'journey_http_requests_total', { route: 'metrics', method: 'GET', status: '200' })).toBe(1);
  });

  it('counts OpenLineage events accepted and refused, per endpoint', async () => {
    let metrics: ServerMetrics;
    ({ metrics, server: t } = await serve(100));
    const post = async (path: string, body: unknown): Promise<Response> => {
      const res = await fetch(`${t!.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.text();
      return res;
    };
    const T0 = '2024-05-01T10:00:00.000Z';
    expect((await post('/api/v1/lineage/batch', [runEvent('START', T0), runEvent('COMPLETE', T0)])).status).toBe(200);
    expect((await post('/api/v1/lineage', runEvent('RUNNING', T0))).status).toBe(201);
    const noRunId = runEvent('START', T0);
    delete (noRunId.run as Record<string, unknown>).runId;
    expect((await post('/api/v1/lineage/batch', [noRunId, runEvent('START', T0), runEvent('START', T0)])).status).toBe(400);
    const samples = parseExposition((await metrics.exposition()).text);
    expect(valueOf(samples, 'journey_openlineage_events_total', { endpoint: 'batch', outcome: 'accepted' })).toBe(2);
    expect(valueOf(samples, 'journey_openlineage_events_total', { endpoint: 'lineage', outcome: 'accepted' })).toBe(1);
    expect(valueOf(samples, 'journey_openlineage_events_total', { endpoint: 'batch', outcome: 'refused' })).toBe(3);
    expect(valueOf(samples, 'journey_http_requests_total', { route: 'openlineage_batch', status: '400' })).toBe(1);
  });

  it('serves the admin role only: a viewer or editor is refused with 403, no key with 401', async () => {
    const viewer = bearer(await makeKey(h.store, 'viewer'));
    const editor = bearer(await makeKey(h.store, 'editor'));
    const admin = bearer(await makeKey(h.store, 'admin'));
    ({ server: t } = await serve(100));
    const refused = await get(t, '/metrics', viewer);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toEqual({ errors: [{ message: 'GET /metrics needs the admin role; this request has viewer', extensions: { code: 'FORBIDDEN' } }] });
    expect((await get(t, '/metrics', editor)).status).toBe(403);
    const anonymous = await get(t, '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain('journey_');
    expect((await get(t, '/metrics', { authorization: 'Bearer not-a-key' })).status).toBe(401);
    const served = await get(t, '/metrics', admin);
    expect(served.status).toBe(200);
    expect(served.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(served.text).toContain('# TYPE journey_graphql_operations_total counter');
    const posted = await fetch(`${t.origin}/metrics`, { method: 'POST', headers: admin });
    expect(posted.status).toBe(405);
  });

  it('in open local mode (no key yet), an anonymous caller is an editor and is refused', async () => {
    ({ server: t } = await serve(100));
    expect(t.server.openLocalMode).toBe(true);
    const res = await get(t, '/metrics');
    expect(res.status).toBe(403);
    expect(res.text).toContain('GET /metrics needs the admin role; this request has editor');
  });

  it('with JOURNEY_METRICS_PUBLIC on loopback, serves without a key, but only to a loopback Host', async () => {
    await makeKey(h.store, 'admin');
    ({ server: t } = await serve(100, true));
    expect(t.server.openLocalMode).toBe(false);
    const res = await get(t, '/metrics');
    expect(res.status).toBe(200);
    expect(parseExposition(res.text).length).toBeGreaterThan(10);
    // GraphQL still needs a key.
    expect((await t.gql('{ artifactTypes { name } }')).status).toBe(401);
    // A page on another name pointed at 127.0.0.1 (DNS rebinding) reads nothing.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${t!.origin}/metrics`, { headers: { host: 'attacker.example:80' } }, (r) => { r.resume(); resolve(r.statusCode ?? 0); });
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(403);
  });

  it('refuses public metrics at start on a host other than loopback, naming the variable', async () => {
    const metrics = new ServerMetrics();
    await expect(startSecureServer(h.api, { host: '0.0.0.0', metrics, metricsPublic: true }))
      .rejects.toThrow('JOURNEY_METRICS_PUBLIC=true serves /metrics without a key, so the server must listen on loopback only');
  });
});

describe.each(BACKENDS)('gRPC calls in the metrics ($name)', (backend) => {
  const h = useServiceWithKeys(backend);

  it('counts each call by method and status, and the rate limit\'s refusals as grpc\'s', async () => {
    const metrics = new ServerMetrics();
    const api = createServices(observedStore(h.store, { metrics, tracing: null }), { clock: h.clock }).metadata;
    const server = await startGrpcServer({
      api, lineage: createLineageService(api.store), keys: createApiKeyService(api.store), logger: createLogger({ level: 'silent' }),
      host: '127.0.0.1', port: 0, openLocalMode: true, rateLimit: { perSecond: 1 / 86_400, burst: 3 },
      maxReceiveBytes: 1 << 20, maxSendBytes: 1 << 20, metrics,
    });
    const client = mlmdClient(`127.0.0.1:${server.port}`);
    try {
      expect((await client.call('PutArtifactType', { artifact_type: { name: 'DataSet' } })).ok).toBeDefined();
      expect((await client.call('GetArtifactTypes', {})).ok).toBeDefined();
      expect((await client.call('PutArtifactType', { artifact_type: { name: '' } })).code).toBe(3);
      expect((await client.call('GetArtifactTypes', {})).code).toBe(8);
    } finally {
      client.close();
      await server.close();
    }
    const samples = parseExposition((await metrics.exposition()).text);
    expect(valueOf(samples, 'journey_grpc_calls_total', { method: 'PutArtifactType', code: 'OK' })).toBe(1);
    expect(valueOf(samples, 'journey_grpc_calls_total', { method: 'PutArtifactType', code: 'INVALID_ARGUMENT' })).toBe(1);
    expect(valueOf(samples, 'journey_grpc_calls_total', { method: 'GetArtifactTypes', code: 'OK' })).toBe(1);
    expect(valueOf(samples, 'journey_grpc_calls_total', { method: 'GetArtifactTypes', code: 'RESOURCE_EXHAUSTED' })).toBe(1);
    expect(valueOf(samples, 'journey_grpc_call_duration_seconds_count', { method: 'PutArtifactType' })).toBe(2);
    expect(valueOf(samples, 'journey_rate_limit_refusals_total', { face: 'grpc' })).toBe(1);
    expect(valueOf(samples, 'journey_rate_limit_refusals_total', { face: 'http' })).toBe(0);
    expect(valueOf(samples, 'journey_store_call_duration_seconds_count', { method: 'inOneTransaction' })).toBe(2);
  });
});

describe('metrics configuration', () => {
  it('reads JOURNEY_METRICS_PUBLIC, refused with a non-loopback JOURNEY_HOST or a value not true/false', () => {
    expect(loadConfig({}).metricsPublic).toBe(false);
    expect(loadConfig({ JOURNEY_METRICS_PUBLIC: 'true' }).metricsPublic).toBe(true);
    expect(loadConfig({ JOURNEY_METRICS_PUBLIC: 'true', JOURNEY_HOST: '::1' }).metricsPublic).toBe(true);
    expect(() => loadConfig({ JOURNEY_METRICS_PUBLIC: 'true', JOURNEY_HOST: '0.0.0.0' }))
      .toThrow('JOURNEY_METRICS_PUBLIC=true needs a loopback JOURNEY_HOST (127.0.0.1, ::1 or localhost), got "0.0.0.0"');
    expect(() => loadConfig({ JOURNEY_METRICS_PUBLIC: 'yes' })).toThrow('JOURNEY_METRICS_PUBLIC must be true or false, got "yes"');
  });
});

describe('bounded labels', () => {
  it('keeps the first MAX_OPERATION_NAMES names and folds every later one into (other)', async () => {
    const metrics = new ServerMetrics();
    for (let i = 0; i < MAX_OPERATION_NAMES + 50; i++) metrics.operationDone(`Op${i}`, 'query', [], 0.001);
    metrics.operationDone('Op0', 'query', [], 0.001);
    const samples = parseExposition((await metrics.exposition()).text);
    const series = samples.filter((s) => s.name === 'journey_graphql_operations_total');
    expect(series).toHaveLength(MAX_OPERATION_NAMES + 1);
    expect(valueOf(samples, 'journey_graphql_operations_total', { operation: OTHER_OPERATION })).toBe(50);
    expect(valueOf(samples, 'journey_graphql_operations_total', { operation: 'Op0' })).toBe(2);
  });

  it.each(BACKENDS.slice(0, 1))('over HTTP, a hostile operationName cannot add lines to the exposition ($name)', async (backend) => {
    const store = await backend.open();
    const metrics = new ServerMetrics();
    const t = await startSecureServer(createServices(store).metadata, { metrics });
    try {
      const hostile = ['x"} 1\njourney_injected_total 1\n#', 'a\\"b', 'é'.repeat(10_000), 'Name\nWith\nLines'];
      for (const operationName of hostile) {
        await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ artifactTypes { name } }', operationName }) });
      }
      // A name in the document is a GraphQL name by the grammar; a long one is cut to 64 characters.
      await t.gql(`query ${'L'.repeat(5000)} { artifactTypes { name } }`);
      const res = await get(t, '/metrics');
      // Open local mode: the editor may not read it; read the registry as the endpoint would serve it.
      expect(res.status).toBe(403);
      const text = (await metrics.exposition()).text;
      expect(text).not.toContain('journey_injected_total');
      const samples = parseExposition(text);
      const names = [...new Set(samples.filter((s) => s.name === 'journey_graphql_operations_total').map((s) => s.labels.operation))].sort();
      expect(names).toEqual(['(invalid)', 'L'.repeat(64)].sort());
      expect(valueOf(samples, 'journey_graphql_operations_total', { operation: '(invalid)' })).toBe(4);
    } finally {
      await t.close();
      await store.close();
    }
  });
});

describe('the observed store', () => {
  it('passes a read unit through whole (SQLite reader threads still run it there), observed as one read', async () => {
    const seen: StoreCall[] = [];
    let given: unknown;
    const inner = { backend: 'sqlite', read: async (work: unknown) => { given = work; return 'answer'; } } as unknown as GraphStore;
    const store = observeStore(inner, [{ observe: (call, run) => { seen.push(call); return run(); } }]);
    const unit = readUnit('file:///unit.js', 'unitRead', async () => 'x', { a: 1 });
    expect(await store.read(unit)).toBe('answer');
    expect(readUnitOf(given as typeof unit)).toEqual({ module: 'file:///unit.js', name: 'unitRead', args: { a: 1 } });
    expect(seen).toEqual([{ kind: 'transaction', name: 'read' }]);
  });
});
