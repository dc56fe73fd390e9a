/**
 * The key service on every backend: a key is shown once and only its hash is kept; a
 * presented key is accepted only whole, unexpired and unrevoked, and revocation takes
 * effect on the very next check; the messages users see are pinned.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApiKeyService, keyStatus, type ApiKeyApi } from '../../src/service/keys/api-keys.js';
import { expectStoreError } from '../conformance/fixtures.js';
import { BACKENDS, CLOCK_START } from '../support/backends.js';
import { useServiceWithKeys } from './security-harness.js';

describe.each(BACKENDS)('the API key service ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  const keys = (): ApiKeyApi => createApiKeyService(h.store, { clock: h.clock });

  it('creates a key whose token is shown once and whose hash alone is stored', async () => {
    const created = await keys().create({ name: 'ci pipeline', role: 'editor' });
    expect(created.token).toMatch(/^djk_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    expect(created.token).toContain(created.key.id);
    expect(created.key).toEqual({
      id: created.key.id, name: 'ci pipeline', role: 'editor', createTime: CLOCK_START, expireTime: null, revokeTime: null,
    });
    const [stored] = await h.store.read((tx) => tx.getApiKeys([created.key.id]));
    expect(stored!.secretHash).toBe(createHash('sha256').update(created.token).digest('hex'));
    const secret = created.token.split('_').slice(2).join('_');
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(await keys().list()).toEqual([created.key]);
    expect(JSON.stringify(await keys().list())).not.toContain('hash');
  });

  it('authenticates the whole token only, and says why others are refused', async () => {
    const { key, token } = await keys().create({ name: 'k', role: 'privacy' });
    expect(await keys().authenticate(token)).toEqual({ ok: true, caller: { keyId: key.id, role: 'privacy' } });
    const lastChar = token.at(-1) === 'A' ? 'B' : 'A';
    expect(await keys().authenticate(token.slice(0, -1) + lastChar)).toEqual({ ok: false, reason: 'unknown', keyId: key.id });
    const otherId = '01a22222-2222-7222-8222-222222222222';
    expect(await keys().authenticate(token.replace(key.id, otherId))).toEqual({ ok: false, reason: 'unknown', keyId: otherId });
    for (const bad of ['', 'djk_', token.slice(0, -1), `${token}x`, token.toUpperCase(), `Bearer ${token}`, `djk_x'); DROP TABLE api_keys;--_${'a'.repeat(43)}`]) {
      expect(await keys().authenticate(bad), bad).toEqual({ ok: false, reason: 'malformed', keyId: null });
    }
  });

  it('stops accepting a key at its expiry time', async () => {
    const { key, token } = await keys().create({ name: 'short', role: 'viewer', expiresAt: CLOCK_START + 1000 });
    h.clock.advance(999);
    expect((await keys().authenticate(token)).ok).toBe(true);
    h.clock.advance(1);
    expect(await keys().authenticate(token)).toEqual({ ok: false, reason: 'expired', keyId: key.id });
    expect(keyStatus((await keys().list())[0]!, h.clock.now())).toBe('EXPIRED');
  });

  it('revokes a key with immediate effect, once, and leaves it listed', async () => {
    const { key, token } = await keys().create({ name: 'leaked', role: 'admin' });
    const other = await keys().create({ name: 'kept', role: 'admin' });
    h.clock.advance(5);
    const revoked = await keys().revoke(key.id);
    expect(revoked).toEqual({ ...key, revokeTime: CLOCK_START + 5 });
    expect(await keys().authenticate(token)).toEqual({ ok: false, reason: 'revoked', keyId: key.id });
    expect((await keys().authenticate(other.token)).ok).toBe(true);
    h.clock.advance(5);
    expect(await keys().revoke(key.id)).toEqual(revoked);
    expect((await keys().list()).map((k) => keyStatus(k, h.clock.now()))).toEqual(['REVOKED', 'ACTIVE']);
  });

  it('counts keys ever made, revoked ones included', async () => {
    expect(await keys().anyExist()).toBe(false);
    const { key } = await keys().create({ name: 'k', role: 'viewer' });
    await keys().revoke(key.id);
    expect(await keys().anyExist()).toBe(true);
  });

  it('pins the messages of refused input', async () => {
    const e1 = await expectStoreError(() => keys().create({ name: '', role: 'viewer' }), 'INVALID_ARGUMENT', 'name');
    expect(e1.message).toBe('name must be a non-empty string of at most 200 characters, got ""');
    const e2 = await expectStoreError(() => keys().create({ name: 'k', role: 'root' }), 'INVALID_ARGUMENT', 'role');
    expect(e2.message).toBe('role must be one of viewer, editor, privacy, admin, got "root"');
    const e3 = await expectStoreError(() => keys().create({ name: 'k', role: 'viewer', expiresAt: CLOCK_START }), 'INVALID_ARGUMENT', 'expiresAt');
    expect(e3.message).toBe('expiresAt must be in the future, got 2023-11-14T22:13:20.000Z');
    const e4 = await expectStoreError(() => keys().revoke('nope'), 'NOT_FOUND', 'id');
    expect(e4.message).toBe('id: no API key "nope"');
    expect(await keys().anyExist()).toBe(false);
  });
});
