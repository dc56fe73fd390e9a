/**
 * JOURNEY_BOOTSTRAP_ADMIN_KEY_FILE on every backend: with no key at all, one admin key is
 * made and its token written to the file, readable by its owner only; with any key in
 * place (revoked ones too) nothing happens; and a file that cannot be written makes no
 * key, so open mode is never ended by a key that nobody holds.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKeyService, type ApiKeyApi } from '../../src/service/keys/api-keys.js';
import { bootstrapAdminKey } from '../../src/service/keys/bootstrap-key.js';
import { BACKENDS } from '../support/backends.js';
import { useServiceWithKeys } from './security-harness.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'journey-bootstrap-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(BACKENDS)('the bootstrap admin key ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  const keys = (): ApiKeyApi => createApiKeyService(h.store, { clock: h.clock });
  const folder = (): string => mkdtempSync(path.join(scratch, `${backend.name}-`));

  it('makes one admin key when none exists and writes its token to the file, mode 0600', async () => {
    const file = path.join(folder(), 'admin-key');
    // A file left from an emptied store is replaced, not trusted.
    writeFileSync(file, 'djk_stale\n', { mode: 0o644 });
    const key = await bootstrapAdminKey(keys(), file);
    expect(key).toMatchObject({ name: 'bootstrap admin', role: 'admin', revokeTime: null, expireTime: null });
    const token = readFileSync(file, 'utf8').trim();
    expect(await keys().authenticate(token)).toEqual({ ok: true, caller: { keyId: key!.id, role: 'admin' } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(file))).toEqual(['admin-key']);
    expect(await keys().list()).toEqual([key]);
  });

  it('does nothing when any key exists, even a revoked one', async () => {
    const { key } = await keys().create({ name: 'ops', role: 'viewer' });
    await keys().revoke(key.id);
    const dir = folder();
    expect(await bootstrapAdminKey(keys(), path.join(dir, 'admin-key'))).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
    expect((await keys().list()).map((k) => k.id)).toEqual([key.id]);
  });

  it('makes no key when the file cannot be written, and says which variable to fix', async () => {
    const file = path.join(folder(), 'missing-folder', 'admin-key');
    await expect(bootstrapAdminKey(keys(), file)).rejects.toThrow(`JOURNEY_BOOTSTRAP_ADMIN_KEY_FILE: cannot write ${file}`);
    expect(await keys().anyExist()).toBe(false);
  });
});
