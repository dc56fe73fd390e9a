/**
 * Key management over GraphQL (admin only): createApiKey shows the token once, apiKeys
 * lists keys without secrets, revokeApiKey takes effect on the next request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { bearer, makeKey, startSecureServer, type TestServer, useServiceWithKeys } from '../security/security-harness.js';
import { onlyError } from './harness.js';

describe.each(BACKENDS)('API keys over GraphQL ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('creates, lists and revokes keys; the new key works at once and stops at once', async () => {
    const admin = bearer(await makeKey(h.store, 'admin', 'bootstrap'));
    t = await startSecureServer(h.api);
    const created = await t.gql(`mutation New($input: CreateApiKeyInput!) {
      createApiKey(input: $input) { token key { id name role status expireTime revokeTime } }
    }`, { input: { name: 'nightly import', role: 'EDITOR', expiresAt: '2999-01-01T00:00:00.000Z' } }, admin);
    const { token, key } = created.data!.createApiKey;
    expect(key).toEqual({ id: key.id, name: 'nightly import', role: 'EDITOR', status: 'ACTIVE', expireTime: '2999-01-01T00:00:00.000Z', revokeTime: null });
    expect(token).toMatch(new RegExp(`^djk_${key.id}_`));

    const write = 'mutation { putContextType(input: { name: "Run" }) { name } }';
    expect((await t.gql(write, undefined, bearer(token))).data).toEqual({ putContextType: { name: 'Run' } });

    const listed = await t.gql('{ apiKeys { name role status } }', undefined, admin);
    expect(listed.data).toEqual({ apiKeys: [
      { name: 'bootstrap', role: 'ADMIN', status: 'ACTIVE' }, { name: 'nightly import', role: 'EDITOR', status: 'ACTIVE' },
    ] });
    expect(listed.text).not.toContain(token.slice(-43));

    const revoked = await t.gql('mutation R($id: ID!) { revokeApiKey(id: $id) { status revokeTime } }', { id: key.id }, admin);
    expect(revoked.data!.revokeApiKey.status).toBe('REVOKED');
    expect((await t.gql(write, undefined, bearer(token))).status).toBe(401);
  });

  it('reports bad input with its field, and refuses other roles', async () => {
    const admin = bearer(await makeKey(h.store, 'admin'));
    const editor = bearer(await makeKey(h.store, 'editor'));
    t = await startSecureServer(h.api);
    const past = onlyError(await t.gql('mutation { createApiKey(input: { name: "x", role: VIEWER, expiresAt: "2001-01-01T00:00:00Z" }) { token } }', undefined, admin));
    expect(past).toMatchObject({ message: 'expiresAt must be in the future, got 2001-01-01T00:00:00.000Z', extensions: { code: 'BAD_USER_INPUT', field: 'expiresAt' } });
    const missing = onlyError(await t.gql('mutation { revokeApiKey(id: "nope") { id } }', undefined, admin));
    expect(missing.extensions).toEqual({ code: 'NOT_FOUND', field: 'id' });
    const forbidden = onlyError(await t.gql('mutation { createApiKey(input: { name: "x", role: ADMIN }) { token } }', undefined, editor));
    expect(forbidden.extensions).toEqual({ code: 'FORBIDDEN' });
    expect((await t.gql('{ apiKeys { id } }', undefined, admin)).data!.apiKeys).toHaveLength(2);
  });
});
