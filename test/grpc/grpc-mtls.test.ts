/**
 * Mutual TLS on the gRPC face, through ML Metadata's own Python client with ssl_config,
 * as a user would: keys made by `journey keys create --client-cert`, the server given
 * JOURNEY_GRPC_TLS_CERT/_KEY/_CLIENT_CA's files. A viewer-mapped certificate reads and is
 * PERMISSION_DENIED on a write; an editor-mapped one writes; an unmapped certificate, one
 * signed by another CA, a revoked key's certificate, and no certificate once a key exists
 * are UNAUTHENTICATED; a key with a certificate still works as a bearer key; open local
 * mode is unchanged over TLS. On both backends; certificates made by openssl in the test.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type GrpcTlsFiles } from '../../src/config.js';
import { openStore } from '../../src/graph/open-store.js';
import type { GraphStore } from '../../src/graph/store.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS } from '../support/backends.js';
import { startMain } from '../hardening/hardening-support.js';
import { pythonWithMlmd } from '../support/python.js';
import { useServiceWithKeys } from '../security/security-harness.js';
import { runPython, startGrpcUnderTest, type GrpcUnderTest } from './grpc-harness.js';
import { makeCa, makeSigned, opensslAvailable, opensslFingerprint, type CertificatePair } from './test-certificates.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'journey-mtls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openssl = opensslAvailable('the gRPC mutual TLS tests');
const python = openssl ? pythonWithMlmd('the gRPC mutual TLS tests') : null;

interface Certificates {
  ca: CertificatePair;
  server: CertificatePair;
  viewer: CertificatePair;
  editor: CertificatePair;
  revoked: CertificatePair;
  unmapped: CertificatePair;
  stranger: CertificatePair;
}
let certs: Certificates;
let tls: GrpcTlsFiles;

beforeAll(() => {
  if (!openssl) return;
  const ca = makeCa(dir, 'client-and-server-ca');
  const otherCa = makeCa(dir, 'other-ca');
  certs = {
    ca,
    server: makeSigned(dir, ca, 'server', 'server'),
    viewer: makeSigned(dir, ca, 'viewer', 'client'),
    editor: makeSigned(dir, ca, 'editor', 'client'),
    revoked: makeSigned(dir, ca, 'revoked', 'client'),
    unmapped: makeSigned(dir, ca, 'unmapped', 'client'),
    stranger: makeSigned(dir, otherCa, 'stranger', 'client'),
  };
  // One CA signs the server's certificate and the clients': the client's custom_ca is that CA too.
  tls = { certificate: readFileSync(certs.server.cert), privateKey: readFileSync(certs.server.key), clientCa: readFileSync(ca.cert) };
});

interface Run { code: number | null; stdout: string; stderr: string; lines: string[] }

/** Runs bin/journey.js with `args` and `env`, as a user runs `npx journey`. */
function journey(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/journey.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr, lines: stdout.trimEnd().split('\n') })));
}

interface Scenario { name: string; cert?: CertificatePair; bearer?: string; action: 'read' | 'write' }

/** Runs the scenarios through ML Metadata's client in one Python process: {name: "OK" or a status name}. */
async function overTls(port: number, scenarios: readonly Scenario[]): Promise<Record<string, string>> {
  const spec = path.join(dir, `scenarios-${port}.json`);
  writeFileSync(spec, JSON.stringify(scenarios.map((s) => ({
    name: s.name, action: s.action, ca: certs.ca.cert, cert: s.cert?.cert ?? null, key: s.cert?.key ?? null, bearer: s.bearer ?? null,
  }))));
  return runPython<Record<string, string>>(python!, 'mlmd_mtls.py', ['127.0.0.1', String(port), spec]);
}

describe.skipIf(python === null).each(BACKENDS)('mutual TLS on the gRPC face ($name)', (backend) => {
  // On Neo4j the CLI writes to the suite's database: the handle clears it before each test and after the last.
  const h = useServiceWithKeys(backend);
  const sqlitePath = path.join(dir, `${backend.name}.sqlite`);
  const env: Record<string, string> = backend.name === 'neo4j'
    ? { JOURNEY_BACKEND: 'neo4j', NEO4J_URI: process.env.NEO4J_URI! }
    : { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: sqlitePath };
  let store: GraphStore | undefined;
  let grpc: GrpcUnderTest | undefined;
  afterEach(async () => {
    await grpc?.server.close();
    if (store !== h.store) await store?.close();
    grpc = undefined;
    store = undefined;
    rmSync(sqlitePath, { force: true });
  });

  /** The store the CLI wrote to: the suite's Neo4j, or the CLI's SQLite file. */
  const cliStore = async (): Promise<GraphStore> => (backend.name === 'neo4j' ? h.store : openStore({ backend: 'sqlite', sqlitePath }));

  const create = async (role: string, name: string, cert?: CertificatePair): Promise<Run> =>
    journey(['keys', 'create', '--role', role, '--name', name, ...(cert ? ['--client-cert', cert.cert] : [])], env);

  it('maps certificates to keys by the CLI and decides each call by the key: role, revocation, unmapped, other CA, none', async () => {
    const viewer = await create('viewer', 'dashboards', certs.viewer);
    expect(viewer.code, viewer.stderr).toBe(0);
    expect(viewer.lines[1]).toBe(`It stands for the client certificate with SHA-256 ${opensslFingerprint(certs.viewer.cert)} on the gRPC port (mutual TLS); revoking the key ends that too.`);
    const editor = await create('editor', 'pipeline', certs.editor);
    expect(editor.code, editor.stderr).toBe(0);
    const revoked = await create('editor', 'retired', certs.revoked);
    const revokedId = revoked.lines.at(-1)!.slice(4, 40);
    expect((await journey(['keys', 'revoke', revokedId], env)).code).toBe(0);
    const plain = await create('viewer', 'no certificate');
    expect(plain.code, plain.stderr).toBe(0);

    // The list shows each key's fingerprint, the one openssl computes, and no certificate.
    const listed = await journey(['keys', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.lines[0]).toMatch(/^ID +ROLE +STATUS +CREATED +EXPIRES +REVOKED +CLIENT-CERT-SHA256 +NAME$/);
    const rowOf = (name: string): string => listed.lines.find((l) => l.endsWith(`"${name}"`))!;
    expect(rowOf('dashboards')).toMatch(new RegExp(`viewer +ACTIVE .* ${opensslFingerprint(certs.viewer.cert)} +"dashboards"$`));
    expect(rowOf('retired')).toMatch(new RegExp(`editor +REVOKED .* ${opensslFingerprint(certs.revoked.cert)} +"retired"$`));
    expect(rowOf('no certificate')).toMatch(/viewer +ACTIVE .* - +"no certificate"$/);
    expect(listed.stdout).not.toContain('BEGIN CERTIFICATE');

    store = await cliStore();
    grpc = await startGrpcUnderTest(createMetadataService(store), { tls });
    expect(grpc.server.transport).toBe('tls');
    const outcomes = await overTls(grpc.server.port, [
      { name: 'viewer reads', cert: certs.viewer, action: 'read' },
      { name: 'viewer writes', cert: certs.viewer, action: 'write' },
      { name: 'editor writes', cert: certs.editor, action: 'write' },
      { name: 'editor reads', cert: certs.editor, action: 'read' },
      { name: 'revoked key\'s certificate', cert: certs.revoked, action: 'read' },
      { name: 'unmapped certificate', cert: certs.unmapped, action: 'read' },
      { name: 'another CA\'s certificate', cert: certs.stranger, action: 'read' },
      { name: 'no certificate', action: 'read' },
      { name: 'bearer of the editor key over TLS', bearer: editor.lines.at(-1)!, action: 'write' },
      { name: 'bearer of the viewer key over TLS', bearer: viewer.lines.at(-1)!, action: 'write' },
    ]);
    expect(outcomes).toEqual({
      'viewer reads': 'OK',
      'viewer writes': 'PERMISSION_DENIED',
      'editor writes': 'OK',
      'editor reads': 'OK',
      'revoked key\'s certificate': 'UNAUTHENTICATED',
      'unmapped certificate': 'UNAUTHENTICATED',
      'another CA\'s certificate': 'UNAUTHENTICATED',
      'no certificate': 'UNAUTHENTICATED',
      'bearer of the editor key over TLS': 'OK',
      'bearer of the viewer key over TLS': 'PERMISSION_DENIED',
    });
    // The editor's write went through: the type is in the store.
    expect((await createMetadataService(store).listTypes('ARTIFACT_TYPE')).map((t) => t.name).sort()).toEqual(['bearer of the editor key over TLS', 'editor writes']);

    // Each call's line names the key, never the certificate or its fingerprint.
    const calls = grpc.lines.filter((l) => l.msg === 'grpc call');
    const viewerId = viewer.lines.at(-1)!.slice(4, 40);
    expect(calls.filter((l) => l.keyId === viewerId).map((l) => l.status)).toEqual(['OK', 'PERMISSION_DENIED', 'PERMISSION_DENIED']);
    expect(grpc.lines.find((l) => l.msg === 'grpc call refused: not authenticated' && l.keyId === revokedId)).toMatchObject({ reason: 'revoked', credential: 'client certificate' });
    const logged = JSON.stringify(grpc.lines);
    for (const cert of [certs.viewer, certs.editor, certs.revoked, certs.unmapped]) expect(logged).not.toContain(opensslFingerprint(cert.cert));
    expect(logged).not.toContain('CERTIFICATE');
  }, 120_000);

  it('refuses a second live key for a certificate naming the first, takes it once that key is revoked; refuses a missing file or not a certificate', async () => {
    const first = await create('viewer', 'first', certs.viewer);
    expect(first.code, first.stderr).toBe(0);
    const firstId = first.lines.at(-1)!.slice(4, 40);
    const again = await create('editor', 'second', certs.viewer);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`journey: clientCertificate: the certificate (SHA-256 ${opensslFingerprint(certs.viewer.cert)}) is already mapped to API key ${firstId} (viewer, "first"); revoke that key first`);
    expect((await journey(['keys', 'revoke', firstId], env)).code).toBe(0);
    const second = await create('editor', 'second', certs.viewer);
    expect(second.code, second.stderr).toBe(0);

    // The certificate now stands for the editor key: it writes.
    store = await cliStore();
    grpc = await startGrpcUnderTest(createMetadataService(store), { tls });
    expect(await overTls(grpc.server.port, [{ name: 'moved certificate', cert: certs.viewer, action: 'write' }])).toEqual({ 'moved certificate': 'OK' });

    const missing = path.join(dir, 'missing.pem');
    const noFile = await create('viewer', 'x', { cert: missing, key: '' });
    expect([noFile.code, noFile.stderr.trim().split('\n').at(-1)]).toEqual([1, `journey: --client-cert ${missing}: cannot read the file (ENOENT)`]);
    const notCertificate = await create('viewer', 'x', { cert: certs.viewer.key, key: '' });
    expect([notCertificate.code, notCertificate.stderr.trim().split('\n').at(-1)])
      .toEqual([1, `journey: --client-cert ${certs.viewer.key} must hold one PEM certificate (-----BEGIN CERTIFICATE-----), found 0`]);
  }, 120_000);

  it('keeps open local mode over TLS while no key exists: a caller on loopback without a certificate reads and writes', async () => {
    grpc = await startGrpcUnderTest(h.api, { tls });
    expect(await overTls(grpc.server.port, [
      { name: 'open read', action: 'read' },
      { name: 'open write', action: 'write' },
    ])).toEqual({ 'open read': 'OK', 'open write': 'OK' });
  }, 60_000);
});

describe.skipIf(!openssl)('the gRPC TLS settings', () => {
  const variables = (): Record<string, string> => ({
    JOURNEY_GRPC_TLS_CERT: certs.server.cert, JOURNEY_GRPC_TLS_KEY: certs.server.key, JOURNEY_GRPC_TLS_CLIENT_CA: certs.ca.cert,
  });

  it('reads all three files, none for plaintext, and names the variable that is missing or unreadable', () => {
    expect(loadConfig({}).grpcTls).toBeNull();
    expect(loadConfig(variables()).grpcTls).toEqual(tls);
    expect(() => loadConfig({ ...variables(), JOURNEY_GRPC_TLS_CLIENT_CA: '' })).toThrow(
      'JOURNEY_GRPC_TLS_CLIENT_CA must be set too: the gRPC port\'s TLS needs JOURNEY_GRPC_TLS_CERT, JOURNEY_GRPC_TLS_KEY, JOURNEY_GRPC_TLS_CLIENT_CA together (got only JOURNEY_GRPC_TLS_CERT, JOURNEY_GRPC_TLS_KEY)',
    );
    expect(() => loadConfig({ JOURNEY_GRPC_TLS_KEY: certs.server.key })).toThrow(/^JOURNEY_GRPC_TLS_CERT and JOURNEY_GRPC_TLS_CLIENT_CA must be set too/);
    const missing = path.join(dir, 'nope.pem');
    expect(() => loadConfig({ ...variables(), JOURNEY_GRPC_TLS_KEY: missing })).toThrow(`JOURNEY_GRPC_TLS_KEY names a file that cannot be read: ${missing} (ENOENT)`);
  });

  it('refuses at start files that hold no certificate, no key, or a key that is not the certificate\'s', async () => {
    const { grpcServerCredentials } = await import('../../src/server/grpc/grpc-tls.js');
    expect(() => grpcServerCredentials({ ...tls, certificate: tls.privateKey })).toThrow(/^JOURNEY_GRPC_TLS_CERT must hold a PEM certificate: /);
    expect(() => grpcServerCredentials({ ...tls, privateKey: tls.certificate })).toThrow(/^JOURNEY_GRPC_TLS_KEY must hold a PEM private key: /);
    expect(() => grpcServerCredentials({ ...tls, clientCa: Buffer.from('nothing') })).toThrow(/^JOURNEY_GRPC_TLS_CLIENT_CA must hold a PEM CA certificate: /);
    expect(() => grpcServerCredentials({ ...tls, privateKey: readFileSync(certs.viewer.key) }))
      .toThrow(/^JOURNEY_GRPC_TLS_KEY must hold the private key of JOURNEY_GRPC_TLS_CERT's certificate: /);
  });
});

describe.skipIf(python === null)('npm start with the gRPC TLS variables', () => {
  it('serves TLS on the gRPC port and says so at start; half the variables stop the start naming the missing one', async () => {
    const main = await startMain({
      JOURNEY_SQLITE_PATH: ':memory:', JOURNEY_GRPC_PORT: '0',
      JOURNEY_GRPC_TLS_CERT: certs.server.cert, JOURNEY_GRPC_TLS_KEY: certs.server.key, JOURNEY_GRPC_TLS_CLIENT_CA: certs.ca.cert,
    });
    try {
      const deadline = Date.now() + 30_000;
      while (!main.lines.some((l) => l.grpcTransport) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const serving = main.lines.find((l) => l.grpcTransport)!;
      expect(serving.grpcTransport).toBe('tls');
      expect(serving.msg).toMatch(/ over TLS, asking for client certificates signed by JOURNEY_GRPC_TLS_CLIENT_CA$/);
      const port = Number(String(serving.grpc).split(':').at(-1));
      // No key exists: open local mode, over TLS, through ML Metadata's client.
      expect(await overTls(port, [{ name: 'open read', action: 'read' }])).toEqual({ 'open read': 'OK' });
    } finally {
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
    }
    await expect(startMain({ JOURNEY_SQLITE_PATH: ':memory:', JOURNEY_GRPC_PORT: '0', JOURNEY_GRPC_TLS_CERT: certs.server.cert }))
      .rejects.toThrow('JOURNEY_GRPC_TLS_KEY and JOURNEY_GRPC_TLS_CLIENT_CA must be set too');
  }, 90_000);
});
