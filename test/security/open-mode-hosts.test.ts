/**
 * DNS rebinding against open local mode: a web page on a host name that resolves to
 * 127.0.0.1 becomes same-origin with a loopback server. While the server runs open (no
 * key exists), it answers only requests whose Host names a loopback address, and refuses
 * a POST whose Origin is another origin (or "null"). Sent with node:http, which lets a
 * test forge Host as a browser on a rebound name would send it. Keyed mode is unaffected.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopbackHostHeader } from '../../src/server/auth.js';
import { BACKENDS } from '../support/backends.js';
import { bearer, makeKey, startSecureServer, type TestServer, useServiceWithKeys } from './security-harness.js';

const WRITE = JSON.stringify({ query: 'mutation { putContextType(input: { name: "Pwned" }) { name } }' });
const READ_PATH = `/graphql?query=${encodeURIComponent('{ contextTypes { name } }')}`;

interface Reply { status: number; body: string }

/** One raw HTTP request to the server's port with exactly the headers given (Host included). */
function send(port: number, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = { 'content-type': 'application/json', accept: 'application/json' };

describe.each(BACKENDS)('open local mode against DNS rebinding ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  const forbidden = (reply: Reply): void => {
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body).errors[0].extensions).toEqual({ code: 'FORBIDDEN' });
  };

  it('serves loopback Host names with any port: localhost, *.localhost, 127.0.0.0/8, [::1]', async () => {
    t = await startSecureServer(h.api);
    const port = t.server.port;
    for (const host of [`localhost:${port}`, 'LOCALHOST', `app.localhost:${port}`, `127.0.0.1:${port}`, '127.1.2.3:80', `[::1]:${port}`, '[::1]']) {
      const reply = await send(port, 'POST', '/graphql', { ...json, host }, WRITE);
      expect({ host, status: reply.status }).toEqual({ host, status: 200 });
    }
  });

  it('refuses any other Host, on POST and GET, before anything runs', async () => {
    t = await startSecureServer(h.api);
    const port = t.server.port;
    const hostile = [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, `localhost.evil.example:${port}`,
      `10.0.0.7:${port}`, '0.0.0.0', '[::ffff:a00:7]', `[::2]:${port}`, '', 'localhost:4000@evil.example'];
    for (const host of hostile) {
      const post = await send(port, 'POST', '/graphql', { ...json, host }, WRITE);
      expect({ host, status: post.status }).toEqual({ host, status: 403 });
      forbidden(post);
      forbidden(await send(port, 'GET', READ_PATH, { accept: 'application/json', host }));
    }
    // Nothing was written by any of them.
    expect(await t.data('{ contextTypes { name } }')).toEqual({ contextTypes: [] });
    expect(t.logs.lines().filter((l) => l.msg === 'request refused: not a loopback request in open local mode')).toHaveLength(hostile.length * 2);
  });

  it('refuses a POST from another origin, or from an opaque ("null") one; accepts its own origin', async () => {
    t = await startSecureServer(h.api);
    const port = t.server.port;
    const host = `127.0.0.1:${port}`;
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', `http://localhost:${port}`,
      `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, 'not a url']) {
      const reply = await send(port, 'POST', '/graphql', { ...json, host, origin }, WRITE);
      expect({ origin, status: reply.status }).toEqual({ origin, status: 403 });
      forbidden(reply);
    }
    expect((await send(port, 'POST', '/graphql', { ...json, host, origin: `http://127.0.0.1:${port}` }, WRITE)).status).toBe(200);
    expect((await send(port, 'POST', '/graphql', { ...json, host: `localhost:${port}`, origin: `http://LOCALHOST:${port}` }, WRITE)).status).toBe(200);
  });

  it('with keys, leaves Host and Origin to the key (a server behind a proxy keeps working)', async () => {
    const token = await makeKey(h.store, 'editor');
    t = await startSecureServer(h.api);
    const reply = await send(t.server.port, 'POST', '/graphql', { ...json, ...bearer(token), host: 'journey.example.org', origin: 'https://ui.example.org' }, WRITE);
    expect(reply.status).toBe(200);
  });
});

describe('isLoopbackHostHeader', () => {
  it('takes loopback names and addresses with an optional port, and nothing else', () => {
    expect(['localhost', 'localhost:1', 'a.b.localhost:4000', '127.0.0.1', '127.255.0.9:65535', '[::1]', '[::1]:4000'].map(isLoopbackHostHeader))
      .toEqual([true, true, true, true, true, true, true]);
    expect(['', 'localhost:', 'localhost:99999', 'localhost:4000:1', 'evil', '128.0.0.1', '::1', '[::1', 'localhost.', 'user@localhost', '127.0.0.1/x']
      .map(isLoopbackHostHeader)).toEqual(Array(11).fill(false));
  });
});
