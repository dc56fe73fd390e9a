/**
 * The HTTP server around the schema: /healthz, /readyz, GraphiQL, request ids, the
 * JSON-only POST rule, the depth limit, CORS, and a close that lets in-flight requests
 * finish.
 */
import { connect } from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/graph/errors.js';
import type { GraphStore } from '../../src/graph/store.js';
import { MAX_QUERY_DEPTH } from '../../src/server/limits.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS, useService } from '../support/backends.js';
import { failingStore, onlyError, startTestServer, type TestServer } from './harness.js';

/** A store whose listTypes waits until the test opens the gate, announcing that it has been reached. */
function gatedStore(inner: GraphStore): { store: GraphStore; reached: Promise<void>; open(): void } {
  let open!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => { open = resolve; });
  const reachedPromise = new Promise<void>((resolve) => { reached = resolve; });
  const store: GraphStore = {
    ...failingStore(inner, {}),
    read: (work) => inner.read((tx) => work(new Proxy(tx, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'listTypes') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        return async (...args: unknown[]) => {
          reached();
          await gate;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }))),
  };
  return { store, reached: reachedPromise, open };
}

/** Resolves with the error code of a plain TCP connection attempt, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve('connected'); });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

describe.each(BACKENDS)('the HTTP server ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => { t = await startTestServer(h.api); });
  afterEach(async () => { await t?.close(); });

  it('GET /healthz answers 200 while the process serves', async () => {
    const res = await fetch(`${t.origin}/healthz`);
    expect(res.status).toBe(200);
  });

  it('GET /readyz answers 200 when the store answers a ping, 503 without error text when it does not', async () => {
    const ready = await fetch(`${t.origin}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ready' } });

    const down = await startTestServer(createMetadataService(failingStore(h.store, { ping: () => new UnavailableError('database at 10.0.0.7 refused') })));
    try {
      const res = await fetch(`${down.origin}/readyz`);
      const text = await res.text();
      expect({ status: res.status, body: JSON.parse(text) }).toEqual({ status: 503, body: { status: 'unavailable' } });
      expect(text).not.toContain('10.0.0.7');
      expect(down.logs.lines().filter((l) => l.level === 40).map((l) => l.msg)).toEqual(['readiness check failed: the store did not answer']);
    } finally {
      await down.close();
    }
  });

  it('serves GraphiQL to a browser at /graphql', async () => {
    const res = await fetch(t.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<title>Data Journey</title>');
    expect(html.toLowerCase()).toContain('graphiql');
  });

  it('answers queries sent with GET, and refuses mutations sent with GET', async () => {
    const query = await fetch(`${t.url}?query=${encodeURIComponent('{ artifactTypes { id } }')}`, { headers: { accept: 'application/json' } });
    expect(await query.json()).toEqual({ data: { artifactTypes: [] } });
    const mutation = await fetch(`${t.url}?query=${encodeURIComponent('mutation { deleteNodes(ids: ["x"]) }')}`, { headers: { accept: 'application/json' } });
    expect(mutation.status).toBe(405);
  });

  it('refuses a POST body that is not JSON, so a web page cannot submit a form to the server', async () => {
    const form = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: 'mutation { putContextType(input: { name: "Pwned" }) { id } }' }).toString(),
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toEqual({ errors: [{ message: 'POST bodies must be application/json', extensions: { code: 'BAD_REQUEST' } }] });
    const text = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"mutation { putContextType(input: { name: \\"Pwned\\" }) { id } }"}' });
    expect(text.status).toBe(415);
    expect(await t.data('{ contextTypes { name } }')).toEqual({ contextTypes: [] });
  });

  it('grants no cross-origin access', async () => {
    const preflight = await fetch(t.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('echoes a plain x-request-id and logs it; replaces one that is not a plain token', async () => {
    const given = await t.gql('query Ping { artifactTypes { id } }', undefined, { 'x-request-id': 'req-42.a_b' });
    expect(given.headers.get('x-request-id')).toBe('req-42.a_b');
    expect(t.logs.operations().at(-1)).toMatchObject({ requestId: 'req-42.a_b', operationName: 'Ping' });
    const odd = await t.gql('{ artifactTypes { id } }', undefined, { 'x-request-id': 'bad id\twith "quotes"' });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it(`refuses a query nested deeper than ${MAX_QUERY_DEPTH} fields before running it; introspection passes`, async () => {
    // artifacts > nodes > producedBy > (inputs > artifact > producedBy) x n > id
    const nest = (hops: number): string => {
      let inner = 'id';
      for (let i = 0; i < hops; i++) inner = `inputs { artifact { producedBy { ${inner} } } }`;
      // One item a page: the cost estimate prices the default page of 100 at every level below it.
      return `{ artifacts(first: 1) { nodes { producedBy { ${inner} } } } }`;
    };
    // 3 + 3 * 7 + 1 = 25 levels: the deepest allowed.
    const allowed = await t.gql(nest(7));
    expect(allowed.errors).toBeUndefined();
    const refused = onlyError(await t.gql(nest(8)));
    expect(refused).toMatchObject({ message: `Query depth limit of ${MAX_QUERY_DEPTH} exceeded, found 28.`, extensions: { code: 'BAD_USER_INPUT' } });
    const introspection = await t.gql(getIntrospectionQuery({ descriptions: true }));
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data?.__schema.queryType.name).toBe('Query');
  });

  it('documents every type and field of the schema', async () => {
    const { data } = await t.gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: false }));
    const undocumented: string[] = [];
    for (const type of data!.__schema.types as any[]) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description && !['Query', 'Mutation'].includes(type.name)) undocumented.push(type.name);
      for (const member of [...(type.fields ?? []), ...(type.inputFields ?? []), ...(type.enumValues ?? [])]) {
        if (!member.description) undocumented.push(`${type.name}.${member.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('close() stops accepting connections at once and resolves only after the request in flight is answered', async () => {
    const gated = gatedStore(h.store);
    const server = await startTestServer(createMetadataService(gated.store));
    const inFlight = server.gql('query Slow { artifactTypes { name } }');
    await gated.reached;

    let closed = false;
    const closing = server.close().then(() => { closed = true; });
    expect(await tryConnect(server.server.port)).toBe('ECONNREFUSED');
    expect(closed).toBe(false);

    gated.open();
    const res = await inFlight;
    expect({ status: res.status, data: res.data, errors: res.errors }).toEqual({ status: 200, data: { artifactTypes: [] }, errors: undefined });
    await closing;
    expect(closed).toBe(true);
  });
});
