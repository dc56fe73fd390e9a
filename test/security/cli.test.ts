/**
 * `npx journey keys ...` (bin/journey.js) end to end, as its own process on the same
 * environment variables as the server: create prints the key as its last line, and the
 * key works against a server at once; list shows no secret; revoke stops the key at once;
 * usage mistakes exit with 2 and say what is wrong.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/graph/open-store.js';
import type { GraphStore } from '../../src/graph/store.js';
import { createMetadataService } from '../../src/service/metadata-service.js';
import { BACKENDS } from '../support/backends.js';
import { bearer, startSecureServer, useServiceWithKeys, type TestServer } from './security-harness.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'journey-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Run { code: number | null; stdout: string; stderr: string; lines: string[] }

/** Runs bin/journey.js with `args` and the backend's environment. */
function journey(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['bin/journey.js', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr, lines: stdout.trimEnd().split('\n') })));
}

describe.each(BACKENDS)('journey keys ($name)', (backend) => {
  // On Neo4j the CLI writes to the suite's database: the handle clears it before each test and after the last.
  const h = useServiceWithKeys(backend);
  const sqlitePath = path.join(dataDir, `${backend.name}.sqlite`);
  const env: Record<string, string> = backend.name === 'neo4j'
    ? { JOURNEY_BACKEND: 'neo4j', NEO4J_URI: process.env.NEO4J_URI! }
    : { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: sqlitePath };
  let store: GraphStore | undefined;
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    if (store !== h.store) await store?.close();
    t = undefined;
    store = undefined;
    rmSync(sqlitePath, { force: true });
  });

  /** The store the CLI writes to: the suite's Neo4j, or the CLI's SQLite file. */
  const sameStore = async (): Promise<GraphStore> => (backend.name === 'neo4j' ? h.store : openStore({ backend: 'sqlite', sqlitePath }));

  it('creates a key, printed last, that works at once; lists without secrets; revokes at once', async () => {
    const created = await journey(['keys', 'create', '--role', 'editor', '--name', 'nightly import', '--expires-in', '30d'], env);
    expect(created.code, created.stderr).toBe(0);
    const token = created.lines.at(-1)!;
    expect(token).toMatch(/^djk_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    const id = token.slice(4, 40);
    expect(created.lines[0]).toMatch(new RegExp(`^created API key ${id}: role editor, name "nightly import", expires \\d{4}-`));

    store = await sameStore();
    t = await startSecureServer(createMetadataService(store));
    const write = 'mutation { putContextType(input: { name: "Run" }) { name } }';
    expect((await t.gql(write, undefined, bearer(token))).data).toEqual({ putContextType: { name: 'Run' } });
    expect((await t.gql(write)).status).toBe(401);

    const listed = await journey(['keys', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.lines[0]).toMatch(/^ID +ROLE +STATUS +CREATED +EXPIRES +REVOKED +NAME$/);
    expect(listed.lines[1]).toMatch(new RegExp(`^${id}  editor  ACTIVE  \\S+  \\S+  -        "nightly import"$`));
    expect(listed.stdout).not.toContain(token.slice(41));

    const revoked = await journey(['keys', 'revoke', id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.lines[0]).toMatch(new RegExp(`^revoked API key ${id} \\(editor, "nightly import"\\) at \\S+; it stops working at once$`));
    expect((await t.gql(write, undefined, bearer(token))).status).toBe(401);
    expect((await journey(['keys', 'list'], env)).lines[1]).toContain('REVOKED');
  }, 120_000);

  it('says what is wrong with a command, with exit code 2 (usage) or 1 (refused)', async () => {
    const usage: [string[], number, string][] = [
      [['keys', 'create', '--name', 'x'], 2, 'journey: --role must be one of viewer, editor, privacy, admin'],
      [['keys', 'create', '--role', 'admin'], 2, 'journey: --name is required: say what the key is for'],
      [['keys', 'create', '--role', 'admin', '--name', 'x', '--expires-in', 'soon'], 2, 'journey: --expires-in must be a positive number of d, h or m (e.g. 30d), got "soon"'],
      [['keys', 'create', '--role', 'admin', '--name', 'x', '--bogus'], 2, "journey: Unknown option '--bogus'"],
      [['keys', 'revoke'], 2, 'journey: revoke takes one key id (see journey keys list)'],
      [['keys', 'rotate'], 2, 'journey: unknown keys command "rotate"'],
      [['users'], 2, 'journey: unknown command "users"'],
    ];
    const refused: [string[], number, string][] = [
      [['keys', 'create', '--role', 'admin', '--name', 'x', '--expires-at', '2001-01-01T00:00:00Z'], 1, 'journey: expiresAt must be in the future, got 2001-01-01T00:00:00.000Z'],
      [['keys', 'revoke', 'nope'], 1, 'journey: id: no API key "nope"'],
    ];
    // Usage is checked before the store is opened, so it is the same on every backend: checked once.
    for (const [args, code, message] of backend.name === 'sqlite' ? [...usage, ...refused] : refused) {
      const run = await journey(args, env);
      expect({ code: run.code, first: run.stderr.split('\n')[0] }, args.join(' ')).toEqual({ code, first: message });
    }
    expect((await journey(['keys', 'list'], env)).lines).toEqual(['no API keys: the server runs open for local development (loopback only)']);
  }, 120_000);
});
