/**
 * The API-key part of StoreTx on every backend: keys stored and found faithfully (hostile
 * names included, verbatim), listed oldest first, updated in their changeable fields only,
 * counted; a duplicate id refused; and the SQLite statements pinned.
 */
import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../src/graph/key-store.js';
import { API_KEY_SQL, API_KEYS_CLIENT_CERT_DDL, API_KEYS_DDL } from '../../src/graph/sqlite/sqlite-keys.js';
import { expectStoreError } from '../conformance/fixtures.js';
import { BACKENDS } from '../support/backends.js';
import { useServiceWithKeys } from './security-harness.js';

const HOSTILE_NAME = `x'); DROP TABLE api_keys;-- }) DETACH DELETE k // $id \u0000 ünï 🚀`;

const key = (id: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id, name: `key ${id}`, role: 'viewer', secretHash: `hash-${id}`, createTime: 1_000, expireTime: null, revokeTime: null, ...overrides,
});

describe.each(BACKENDS)('API keys in the store ($name)', (backend) => {
  const h = useServiceWithKeys(backend);

  it('stores keys and finds them by id, aligned with the ids asked, a miss being null', async () => {
    const a = key('a', { name: HOSTILE_NAME, role: 'admin', expireTime: 5_000 });
    const b = key('b', { role: 'privacy', createTime: 999, revokeTime: 1_500 });
    await h.store.write((tx) => tx.insertApiKeys([a, b]));
    expect(await h.store.read((tx) => tx.getApiKeys(['b', 'missing', 'a', 'b']))).toEqual([b, null, a, b]);
    expect(await h.store.read((tx) => tx.getApiKeys([]))).toEqual([]);
  });

  it('lists every key oldest first, ties by id, and counts them', async () => {
    expect(await h.store.read((tx) => tx.listApiKeys())).toEqual([]);
    expect(await h.store.read((tx) => tx.countApiKeys())).toBe(0);
    const keys = [key('c', { createTime: 2 }), key('a', { createTime: 2 }), key('b', { createTime: 1 })];
    await h.store.write((tx) => tx.insertApiKeys(keys));
    expect((await h.store.read((tx) => tx.listApiKeys())).map((k) => k.id)).toEqual(['b', 'a', 'c']);
    expect(await h.store.read((tx) => tx.countApiKeys())).toBe(3);
  });

  it('updates name, role, expiry and revocation, never the id, hash or creation time', async () => {
    await h.store.write((tx) => tx.insertApiKeys([key('a', { expireTime: 9 })]));
    const changed = { ...key('a'), name: 'renamed', role: 'editor' as const, expireTime: null, revokeTime: 77, secretHash: 'other', createTime: 5 };
    await h.store.write((tx) => tx.updateApiKeys([changed]));
    const [stored] = await h.store.read((tx) => tx.getApiKeys(['a']));
    expect(stored).toEqual({ ...key('a'), name: 'renamed', role: 'editor', expireTime: null, revokeTime: 77 });
  });

  it('refuses a second key with the same id and keeps nothing of that transaction', async () => {
    await h.store.write((tx) => tx.insertApiKeys([key('a')]));
    await expectStoreError(() => h.store.write((tx) => tx.insertApiKeys([key('b'), key('a', { name: 'again' })])), 'ALREADY_EXISTS', undefined);
    expect((await h.store.read((tx) => tx.listApiKeys())).map((k) => [k.id, k.name])).toEqual([['a', 'key a']]);
  });

  it('keeps a key\'s client certificate fingerprint and finds its keys by it, oldest first, revoked ones included', async () => {
    const print = 'ab'.repeat(32);
    const other = 'cd'.repeat(32);
    const old = key('old', { createTime: 1, revokeTime: 2, clientCertSha256: print });
    const now = key('now', { createTime: 3, clientCertSha256: print });
    const elsewhere = key('elsewhere', { clientCertSha256: other });
    const plain = key('plain');
    await h.store.write((tx) => tx.insertApiKeys([now, plain, elsewhere, old]));
    expect(await h.store.read((tx) => tx.getApiKeysByClientCert([print]))).toEqual([old, now]);
    expect((await h.store.read((tx) => tx.getApiKeysByClientCert([other, print, 'ef'.repeat(32)]))).map((k) => k.id)).toEqual(['old', 'now', 'elsewhere']);
    expect(await h.store.read((tx) => tx.getApiKeysByClientCert([]))).toEqual([]);
    // A key without a certificate has no fingerprint at all, and an update never changes it.
    const [stored] = await h.store.read((tx) => tx.getApiKeys(['plain']));
    expect(stored).not.toHaveProperty('clientCertSha256');
    await h.store.write((tx) => tx.updateApiKeys([{ ...now, revokeTime: 9, clientCertSha256: other }]));
    expect(await h.store.read((tx) => tx.getApiKeys(['now']))).toEqual([{ ...now, revokeTime: 9 }]);
  });

  it('keeps keys out of the graph: no node listing or lookup sees them', async () => {
    await h.store.write((tx) => tx.insertApiKeys([key('a')]));
    expect(await h.store.read((tx) => tx.getNodes(['a']))).toEqual([null]);
    expect(await h.store.read((tx) => tx.countNodes({ kind: 'ARTIFACT' }))).toBe(0);
  });
});

describe('the SQLite key statements', () => {
  it('are pinned, with every value a parameter', () => {
    expect({ ddl: API_KEYS_DDL + API_KEYS_CLIENT_CERT_DDL, statements: API_KEY_SQL }).toMatchSnapshot();
  });
});
