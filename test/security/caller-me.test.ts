/**
 * Query.me: every caller may ask who it is, and hears its role and what that role allows
 * (the explorer hides what the key may not do); the answer never holds the key's secret.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { bearer, makeKey, startSecureServer, useServiceWithKeys } from './security-harness.js';

const ME = 'query Me { me { role permissions anonymous keyId } }';

describe.each(BACKENDS)('Query.me ($name)', (backend) => {
  const h = useServiceWithKeys(backend);

  it('answers an anonymous caller in open local mode as an editor', async () => {
    const t = await startSecureServer(h.api);
    try {
      const res = await t.gql(ME);
      expect(res.errors).toBeUndefined();
      expect(res.data?.me).toEqual({ role: 'EDITOR', permissions: ['READ', 'WRITE'], anonymous: true, keyId: null });
    } finally {
      await t.close();
    }
  });

  it('answers each role with its permissions and key id, never the secret', async () => {
    const tokens = {
      viewer: await makeKey(h.store, 'viewer'), editor: await makeKey(h.store, 'editor'),
      privacy: await makeKey(h.store, 'privacy'), admin: await makeKey(h.store, 'admin'),
    };
    const t = await startSecureServer(h.api);
    try {
      const answers: Record<string, unknown> = {};
      for (const [role, token] of Object.entries(tokens)) {
        const res = await t.gql(ME, {}, bearer(token));
        expect(res.errors).toBeUndefined();
        expect(res.text).not.toContain(token.split('_')[2]!);
        const me = res.data?.me as { keyId: string };
        expect(token).toContain(`_${me.keyId}_`);
        answers[role] = { ...me, keyId: 'k' };
      }
      expect(answers).toEqual({
        viewer: { role: 'VIEWER', permissions: ['READ'], anonymous: false, keyId: 'k' },
        editor: { role: 'EDITOR', permissions: ['READ', 'WRITE'], anonymous: false, keyId: 'k' },
        privacy: { role: 'PRIVACY', permissions: ['READ', 'PRIVACY'], anonymous: false, keyId: 'k' },
        admin: { role: 'ADMIN', permissions: ['READ', 'WRITE', 'PRIVACY', 'KEYS'], anonymous: false, keyId: 'k' },
      });
      expect((await t.gql(ME)).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});
