/**
 * OpenTelemetry tracing, both backends: a small OTLP/HTTP receiver in the test gets, once
 * the server closes, one span per GraphQL operation (its name, type, result code and
 * request id) with a span for each store call it made beneath it; with tracing off
 * (OTEL_EXPORTER_OTLP_ENDPOINT unset) nothing is sent and no exporter exists.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { observedStore, startObservability } from '../../src/server/observability.js';
import { createServices } from '../../src/service/services.js';
import { startTestServer, type TestServer } from '../api/harness.js';
import { BACKENDS, useService } from '../support/backends.js';

interface OtlpSpan {
  traceId: string; spanId: string; parentSpanId?: string; name: string;
  attributes: { key: string; value: { stringValue?: string } }[];
  status?: { code?: number };
}

/** An OTLP/HTTP receiver: keeps every POSTed body (JSON) and its path. */
class Receiver {
  readonly bodies: { path: string; type: string | undefined; json: any }[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.bodies.push({ path: req.url ?? '', type: req.headers['content-type'], json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  spans(): OtlpSpan[] {
    return this.bodies.flatMap((b) => (b.json.resourceSpans ?? []).flatMap((r: any) => (r.scopeSpans ?? []).flatMap((s: any) => s.spans ?? [])));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const attribute = (span: OtlpSpan, key: string): string | undefined => span.attributes.find((a) => a.key === key)?.value.stringValue;

describe.each(BACKENDS)('tracing ($name)', (backend) => {
  const h = useService(backend);
  const receiver = new Receiver();
  let t: TestServer | undefined;
  beforeEach(async () => { await receiver.start(); receiver.bodies.length = 0; });
  afterEach(async () => { await t?.close(); t = undefined; await receiver.stop(); });

  it('sends one span per operation, named and coded, with its store calls beneath it', async () => {
    const observability = await startObservability({ tracesUrl: `${receiver.url}/v1/traces` });
    expect(observability.tracing).not.toBeNull();
    const api = createServices(observedStore(h.store, observability), { clock: h.clock }).metadata;
    t = await startTestServer(api, { metrics: observability.metrics, tracing: observability.tracing });
    expect((await t.gql('mutation AddType { putContextType(input: { name: "Pipeline" }) { name } }', undefined, { 'x-request-id': 'req-write-1' })).errors).toBeUndefined();
    expect((await t.gql('query ListTypes { contextTypes { name } }', undefined, { 'x-request-id': 'req-read-1' })).data).toEqual({ contextTypes: [{ name: 'Pipeline' }] });
    const bad = await t.gql('mutation Bad { putContextType(input: { name: "" }) { name } }', undefined, { 'x-request-id': 'req-bad-1' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Nothing is sent before the batch delay (5 s); closing the server flushes and stops the exporter.
    await t.close();
    t = undefined;

    expect(receiver.bodies.every((b) => b.path === '/v1/traces' && b.type === 'application/json')).toBe(true);
    const spans = receiver.spans();
    const operations = spans.filter((s) => !s.name.startsWith('store.'));
    expect(operations.map((s) => s.name).sort()).toEqual(['mutation AddType', 'mutation Bad', 'query ListTypes']);
    const byName = (name: string): OtlpSpan => operations.find((s) => s.name === name)!;
    const write = byName('mutation AddType');
    expect(write.parentSpanId ?? '').toBe('');
    expect([attribute(write, 'graphql.operation.name'), attribute(write, 'graphql.operation.type'), attribute(write, 'journey.request_id'), attribute(write, 'journey.result_code')])
      .toEqual(['AddType', 'mutation', 'req-write-1', 'OK']);
    expect(attribute(byName('mutation Bad'), 'journey.result_code')).toBe('BAD_USER_INPUT');
    expect(byName('mutation Bad').status?.code).toBe(2);
    expect(attribute(byName('query ListTypes'), 'journey.request_id')).toBe('req-read-1');

    // Each store span's chain of parents ends at its operation's span, in the same trace.
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const operationOf = (span: OtlpSpan): OtlpSpan | undefined => {
      let at: OtlpSpan | undefined = span;
      while (at && at.name.startsWith('store.')) at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined;
      return at;
    };
    const storeSpans = spans.filter((s) => s.name.startsWith('store.'));
    expect(storeSpans.length).toBeGreaterThan(0);
    for (const span of storeSpans) {
      const operation = operationOf(span);
      expect(operation, span.name).toBeDefined();
      expect(span.traceId).toBe(operation!.traceId);
    }
    const under = (name: string): string[] => storeSpans.filter((s) => operationOf(s) === byName(name)).map((s) => s.name);
    // A mutation is one transaction, its calls beneath it; the read lists types.
    expect(under('mutation AddType')).toContain('store.inOneTransaction');
    expect(under('mutation AddType')).toContain('store.insertTypes');
    const transaction = storeSpans.find((s) => s.name === 'store.inOneTransaction' && operationOf(s) === write)!;
    expect(transaction.parentSpanId).toBe(write.spanId);
    expect(storeSpans.find((s) => s.name === 'store.insertTypes' && operationOf(s) === write)!.parentSpanId).not.toBe(write.spanId);
    expect(under('query ListTypes')).toContain('store.read');
    expect(under('query ListTypes').filter((n) => n !== 'store.read').length).toBeGreaterThan(0);
  });

  it('is off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: no tracing, nothing sent', async () => {
    const config = loadConfig({});
    expect(config.tracesUrl).toBeNull();
    const observability = await startObservability({ tracesUrl: config.tracesUrl });
    expect(observability.tracing).toBeNull();
    const api = createServices(observedStore(h.store, observability), { clock: h.clock }).metadata;
    t = await startTestServer(api, { metrics: observability.metrics, tracing: observability.tracing });
    expect((await t.gql('query ListTypes { contextTypes { name } }')).status).toBe(200);
    await t.close();
    t = undefined;
    expect(receiver.bodies).toEqual([]);
  });
});

describe('tracing configuration', () => {
  it('reads OpenTelemetry\'s own variables, refusing what is not an http(s) URL', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracesUrl).toBe('http://collector:4318/v1/traces');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector/otlp/' }).tracesUrl).toBe('https://collector/otlp/v1/traces');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:9999/traces' }).tracesUrl).toBe('http://b:9999/traces');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow('OTEL_EXPORTER_OTLP_ENDPOINT must be an http or https URL, got "collector:4318"');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow('OTEL_EXPORTER_OTLP_ENDPOINT must be an http or https URL');
  });
});
