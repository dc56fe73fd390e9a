/**
 * API keys standing for TLS client certificates, in the key service on every backend: the
 * fingerprint is the SHA-256 of the DER that openssl prints, and nothing but it is kept; a
 * certificate maps to at most one live key, and passes to a new one once its key is revoked
 * or expired; a presented certificate finds its live key, else says why (unknown, revoked,
 * expired); such a key is still a bearer key. Certificates made by openssl in the test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyService, type ApiKeyApi } from '../../src/service/keys/api-keys.js';
import { clientCertificateFingerprint } from '../../src/service/keys/client-certificates.js';
import { expectStoreError } from '../conformance/fixtures.js';
import { BACKENDS, CLOCK_START } from '../support/backends.js';
import { makeCa, makeSigned, opensslAvailable, opensslFingerprint } from '../grpc/test-certificates.js';
import { useServiceWithKeys } from './security-harness.js';

const openssl = opensslAvailable('the client certificate key tests');
const dir = mkdtempSync(path.join(tmpdir(), 'journey-client-certs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let alice = '';
let bob = '';
let aliceSha = '';
beforeAll(() => {
  if (!openssl) return;
  const ca = makeCa(dir, 'ca');
  const a = makeSigned(dir, ca, 'alice', 'client');
  alice = readFileSync(a.cert, 'utf8');
  aliceSha = opensslFingerprint(a.cert);
  bob = readFileSync(makeSigned(dir, ca, 'bob', 'client').cert, 'utf8');
});

describe.skipIf(!openssl)('client certificate fingerprints', () => {
  it('are the SHA-256 of the DER as openssl prints it, lowercase without colons', () => {
    expect(clientCertificateFingerprint(alice)).toBe(aliceSha);
    expect(aliceSha).toMatch(/^[0-9a-f]{64}$/);
  });

  it('are refused, naming the field, for text without exactly one readable certificate', () => {
    expect(() => clientCertificateFingerprint('hello')).toThrow('clientCertificate must hold one PEM certificate (-----BEGIN CERTIFICATE-----), found 0');
    expect(() => clientCertificateFingerprint(alice + bob, '--client-cert chain.pem')).toThrow('--client-cert chain.pem must hold one PEM certificate (-----BEGIN CERTIFICATE-----), found 2');
    const broken = alice.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    expect(() => clientCertificateFingerprint(broken)).toThrow(/^clientCertificate is not a readable X\.509 certificate: /);
  });
});

describe.skipIf(!openssl).each(BACKENDS)('keys standing for client certificates ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  const keys = (): ApiKeyApi => createApiKeyService(h.store, { clock: h.clock });

  it('keeps the fingerprint only, finds the live key of a presented certificate, and the key stays a bearer key', async () => {
    expect(await keys().authenticateCertificate(aliceSha)).toEqual({ ok: false, reason: 'unknown', keyId: null });
    const created = await keys().create({ name: 'alice', role: 'viewer', clientCertificate: alice });
    expect(created.key).toEqual({
      id: created.key.id, name: 'alice', role: 'viewer', createTime: CLOCK_START, expireTime: null, revokeTime: null, clientCertSha256: aliceSha,
    });
    const [stored] = await h.store.read((tx) => tx.getApiKeys([created.key.id]));
    expect(JSON.stringify(stored)).not.toContain('CERTIFICATE');
    expect(await keys().list()).toEqual([created.key]);
    expect(await keys().authenticateCertificate(aliceSha)).toEqual({ ok: true, caller: { keyId: created.key.id, role: 'viewer' } });
    expect(await keys().authenticate(created.token)).toEqual({ ok: true, caller: { keyId: created.key.id, role: 'viewer' } });
    expect(await keys().authenticateCertificate(clientCertificateFingerprint(bob))).toEqual({ ok: false, reason: 'unknown', keyId: null });
  });

  it('maps a certificate to one live key at a time: refused naming that key, then taken once it is revoked or expired', async () => {
    const first = await keys().create({ name: 'first', role: 'viewer', clientCertificate: alice });
    const taken = await expectStoreError(() => keys().create({ name: 'second', role: 'admin', clientCertificate: alice }), 'ALREADY_EXISTS', 'clientCertificate');
    expect(taken.message).toBe(`clientCertificate: the certificate (SHA-256 ${aliceSha}) is already mapped to API key ${first.key.id} (viewer, "first"); revoke that key first`);
    await keys().revoke(first.key.id);
    expect(await keys().authenticateCertificate(aliceSha)).toEqual({ ok: false, reason: 'revoked', keyId: first.key.id });

    h.clock.advance(10);
    const second = await keys().create({ name: 'second', role: 'editor', clientCertificate: alice, expiresAt: CLOCK_START + 1_000 });
    expect(await keys().authenticateCertificate(aliceSha)).toEqual({ ok: true, caller: { keyId: second.key.id, role: 'editor' } });
    h.clock.set(CLOCK_START + 1_000);
    expect(await keys().authenticateCertificate(aliceSha)).toEqual({ ok: false, reason: 'expired', keyId: second.key.id });
    h.clock.advance(10);
    const third = await keys().create({ name: 'third', role: 'admin', clientCertificate: alice });
    expect(await keys().authenticateCertificate(aliceSha)).toEqual({ ok: true, caller: { keyId: third.key.id, role: 'admin' } });
  });

  it('refuses a clientCertificate that is not one certificate, naming the field, and keeps no key', async () => {
    const refused = await expectStoreError(() => keys().create({ name: 'x', role: 'viewer', clientCertificate: 'not a certificate' }), 'INVALID_ARGUMENT', 'clientCertificate');
    expect(refused.message).toBe('clientCertificate must hold one PEM certificate (-----BEGIN CERTIFICATE-----), found 0');
    expect(await keys().list()).toEqual([]);
  });
});
