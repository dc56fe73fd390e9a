/**
 * Who may call, over real HTTP on every backend: open local mode while no key exists
 * (anonymous callers read and write, nothing more), closed the moment a key exists;
 * `Authorization: Bearer` keys checked on every request, with revocation and expiry
 * effective at once; probes need no key; and no server binds beyond loopback without keys.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/graph/errors.js';
import { isLoopbackHost, openLocalModeFor } from '../../src/server/auth.js';
import { startServer } from '../../src/server/create-server.js';
import { createLogger } from '../../src/server/logging.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { failingStore, onlyError } from '../api/harness.js';
import { BACKENDS, CLOCK_START } from '../support/backends.js';
import { bearer, makeKey, startSecureServer, type TestServer, useServiceWithKeys } from './security-harness.js';

const READ = '{ contextTypes { name } }';
const WRITE = 'mutation { putContextType(input: { name: "Run" }) { name } }';

describe.each(BACKENDS)('authentication ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('runs open for local development while no key exists: read and write, but not key management', async () => {
    t = await startSecureServer(h.api);
    expect(t.server.openLocalMode).toBe(true);
    expect(await t.data(WRITE)).toEqual({ putContextType: { name: 'Run' } });
    expect(await t.data(READ)).toEqual({ contextTypes: [{ name: 'Run' }] });
    expect(t.logs.operations().at(-1)).toMatchObject({ keyId: null, role: 'editor' });
    const refused = onlyError(await t.gql('{ apiKeys { id } }'));
    expect(refused).toMatchObject({ message: 'Query.apiKeys needs the admin role; this request has editor', extensions: { code: 'FORBIDDEN' } });
  });

  it('closes open mode the moment a key is created, without a restart', async () => {
    t = await startSecureServer(h.api);
    expect((await t.gql(READ)).status).toBe(200);
    const token = await makeKey(h.store, 'viewer');
    const anonymous = await t.gql(READ);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="data-journey"');
    expect(onlyError(anonymous)).toEqual({
      message: 'an API key is required: send it as Authorization: Bearer <key>', extensions: { code: 'UNAUTHENTICATED' },
    });
    expect((await t.gql(READ, undefined, bearer(token))).data).toEqual({ contextTypes: [] });
    expect(t.logs.lines().map((l) => l.msg)).toContain('an API key now exists: open local mode is over, every request needs a key');
  });

  it('with keys, refuses anonymous, malformed, unknown, revoked and expired keys alike, and accepts a good one', async () => {
    const keys = createApiKeyService(h.store, { clock: h.clock });
    const good = (await keys.create({ name: 'good', role: 'editor' })).token;
    const revoked = await keys.create({ name: 'revoked', role: 'admin' });
    const expiring = (await keys.create({ name: 'expiring', role: 'admin', expiresAt: CLOCK_START + 10 })).token;
    t = await startSecureServer(h.api, { keys });
    expect(t.server.openLocalMode).toBe(false);

    expect((await t.gql(WRITE, undefined, bearer(good))).data).toEqual({ putContextType: { name: 'Run' } });
    expect((await t.gql(READ, undefined, bearer(revoked.token))).status).toBe(200);
    expect((await t.gql(READ, undefined, bearer(expiring))).status).toBe(200);

    await keys.revoke(revoked.key.id);
    h.clock.advance(10);
    const invalid = 'the API key is not valid: it is unknown, expired or revoked';
    const cases: [Record<string, string>, number, string][] = [
      [{}, 401, 'an API key is required: send it as Authorization: Bearer <key>'],
      [{ authorization: good }, 401, 'the Authorization header must be Bearer <key>'],
      [{ authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }, 401, 'the Authorization header must be Bearer <key>'],
      [bearer(`${good.slice(0, -2)}xx`), 401, invalid],
      [bearer('djk_nonsense'), 401, invalid],
      [bearer(revoked.token), 401, invalid],
      [bearer(expiring), 401, invalid],
    ];
    for (const [headers, status, message] of cases) {
      const res = await t.gql(WRITE, undefined, headers);
      expect({ status: res.status, error: onlyError(res) }, JSON.stringify(headers)).toEqual({
        status, error: { message, extensions: { code: 'UNAUTHENTICATED' } },
      });
    }
    // Refused requests reached no resolver: the one write is the good key's.
    expect((await t.gql(READ, undefined, { authorization: `bearer   ${good}` })).data).toEqual({ contextTypes: [{ name: 'Run' }] });
    const reasons = t.logs.lines().filter((l) => l.msg === 'request refused: not authenticated').map((l) => l.reason);
    expect(reasons).toEqual(['missing', 'not bearer', 'not bearer', 'unknown', 'malformed', 'revoked', 'expired']);
    expect(t.logs.text()).not.toContain(good);
    const goodId = (await keys.list()).find((k) => k.name === 'good')!.id;
    expect(t.logs.operations().at(-1)).toMatchObject({ keyId: goodId, role: 'editor' });
  });

  it('answers the probes and GraphiQL without a key', async () => {
    await makeKey(h.store, 'admin');
    t = await startSecureServer(h.api);
    expect((await fetch(`${t.origin}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.origin}/readyz`)).status).toBe(200);
    const graphiql = await fetch(t.url, { headers: { accept: 'text/html' } });
    expect(graphiql.status).toBe(200);
    expect((await fetch(`${t.url}?query=${encodeURIComponent(READ)}`, { headers: { accept: 'application/json' } })).status).toBe(401);
  });

  it('answers 503 UNAVAILABLE, naming no internals, when the key store cannot be read', async () => {
    const token = await makeKey(h.store, 'viewer');
    const down = failingStore(h.store, { getApiKeys: () => new UnavailableError('the graph database is unavailable; try again later') });
    t = await startSecureServer(createMetadataService(down));
    const res = await t.gql(READ, undefined, bearer(token));
    expect({ status: res.status, error: onlyError(res) }).toEqual({
      status: 503, error: { message: 'the graph database is unavailable; try again later', extensions: { code: 'UNAVAILABLE' } },
    });
  });
});

describe('binding', () => {
  const h = useServiceWithKeys(BACKENDS[0]!);

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.7', '192.168.1.2', 'example.com', '::ffff:10.0.0.1', '128.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('refuses to serve beyond loopback without keys, before binding; allows it once a key exists', async () => {
    const keys = createApiKeyService(h.store);
    const message = 'refusing to serve on 0.0.0.0 without API keys: create one first (npx journey keys create --role admin --name NAME), '
      + 'or serve on 127.0.0.1 only';
    await expect(openLocalModeFor('0.0.0.0', keys)).rejects.toThrow(message);
    await expect(startServer({ api: h.api, logger: createLogger({ level: 'silent' }), host: '0.0.0.0', port: 0 })).rejects.toThrow(message);
    expect(await openLocalModeFor('127.0.0.1', keys)).toBe(true);
    await makeKey(h.store, 'admin');
    expect(await openLocalModeFor('0.0.0.0', keys)).toBe(false);
    expect(await openLocalModeFor('127.0.0.1', keys)).toBe(false);
  });
});
