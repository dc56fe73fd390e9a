/**
 * The explorer's files at / and /assets/: only what the build wrote (listed at start),
 * under a strict Content-Security-Policy, to GET and HEAD, with no key; nothing else of the
 * file system is reachable, whatever the path. Over a stand-in build in a temporary folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXPLORER_CSP } from '../../src/server/explorer.js';
import { backendNamed, useService } from '../support/backends.js';
import { bearer, makeKey } from '../security/security-harness.js';
import { startTestServer, type TestServer } from './harness.js';

describe('the explorer route', () => {
  const h = useService(backendNamed('sqlite')!);
  const dir = mkdtempSync(path.join(tmpdir(), 'journey-web-'));
  let t: TestServer | undefined;
  beforeAll(() => {
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'assets', 'index-abc.css'), 'body{}');
    writeFileSync(path.join(dir, 'assets', 'notes.txt'), 'not a served type');
    writeFileSync(path.join(dir, 'secret.json'), '{"secret":1}');
  });
  afterEach(async () => { await t?.close(); t = undefined; });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the page and its assets with the CSP and no-sniff, with no key even when keys exist', async () => {
    await makeKey(h.store, 'viewer');
    t = await startTestServer(h.api, { explorerDir: dir });
    for (const [p, type] of [['/', 'text/html; charset=utf-8'], ['/index.html', 'text/html; charset=utf-8'],
      ['/assets/index-abc.js', 'text/javascript; charset=utf-8'], ['/assets/index-abc.css', 'text/css; charset=utf-8']] as const) {
      const res = await fetch(`${t.origin}${p}`);
      expect({ p, status: res.status, type: res.headers.get('content-type') }).toEqual({ p, status: 200, type });
      expect(res.headers.get('content-security-policy')).toBe(EXPLORER_CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    expect(await (await fetch(`${t.origin}/`)).text()).toContain('<div id="root">');
    expect((await fetch(`${t.origin}/assets/index-abc.js`)).headers.get('cache-control')).toContain('immutable');
    const head = await fetch(`${t.origin}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    // The API itself still wants the key.
    expect((await t.gql('{ me { role } }')).status).toBe(401);
    const token = await makeKey(h.store, 'viewer', 'second');
    expect((await t.gql('{ me { role } }', {}, bearer(token))).data).toEqual({ me: { role: 'VIEWER' } });
  });

  it('answers 404 for any other path under /assets/, traversal and encodings included', async () => {
    t = await startTestServer(h.api, { explorerDir: dir });
    for (const p of ['/assets/missing.js', '/assets/notes.txt', '/assets/../secret.json', '/assets/%2e%2e/secret.json',
      '/assets/..%2fsecret.json', '/assets/%2e%2e%2f%2e%2e%2fpackage.json', '/assets/', '/assets/index-abc.js%00.png']) {
      const res = await fetch(`${t.origin}${p}`);
      const body = await res.text();
      expect({ p, status: res.status, leaked: body.includes('secret') }).toEqual({ p, status: 404, leaked: false });
    }
    expect((await fetch(`${t.origin}/secret.json`)).status).toBe(404);
  });

  it('serves no explorer when off or unbuilt: / then points to the API', async () => {
    t = await startTestServer(h.api, { explorerDir: path.join(dir, 'no-such-build'), security: { graphiql: false } });
    const res = await fetch(`${t.origin}/`);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toContain('the GraphQL API is at /graphql');
  });
});
