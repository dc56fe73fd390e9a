/**
 * `npx journey keys ...` (bin/journey.js) end to end, as its own process on the same
 * environment variables as the server: create prints the key as its last line, and the
 * key works against a server at once; list shows no secret; revoke stops the key at once;
 * usage mistakes exit with 2 and say what is wrong.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/graph/open-store.js';
import type { GraphStore } from '../../src/graph/store.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS } from '../support/backends.js';
import { bearer, startSecureServer, useServiceWithKeys, type TestServer } from './security-harness.js';
import { closedPort } from '../support/closed-port.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'journey-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Run { code: number | null; stdout: string; stderr: string; lines: string[] }

/** Runs bin/journey.js with `args` and the backend's environment, in `cwd` (default the project's folder). */
function journey(args: string[], env: Record<string, string | undefined>, cwd = ROOT): Promise<Run> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/journey.js'), ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr, lines: stdout.trimEnd().split('\n') })));
}

/** stderr's lines after the one naming the store the CLI opened. */
const withoutStoreLine = (stderr: string): string[] => stderr.split('\n').filter((l) => !/^journey: (using the|creating a new) /.test(l));

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
      expect({ code: run.code, first: withoutStoreLine(run.stderr)[0] }, args.join(' ')).toEqual({ code, first: message });
    }
    expect((await journey(['keys', 'list'], env)).lines).toEqual(['no API keys: the server runs open for local development (loopback only)']);
  }, 120_000);
});

describe.each(BACKENDS)('journey keys for a new user ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  const sqlitePath = path.join(dataDir, `new-user-${backend.name}.sqlite`);
  const env: Record<string, string> = backend.name === 'neo4j'
    ? { JOURNEY_BACKEND: 'neo4j', NEO4J_URI: process.env.NEO4J_URI! }
    : { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: sqlitePath };
  afterEach(() => rmSync(sqlitePath, { force: true }));

  it('says on stderr which store it opened', async () => {
    await journey(['keys', 'create', '--role', 'viewer', '--name', 'first'], env);
    const listed = await journey(['keys', 'list'], env);
    expect(listed.code).toBe(0);
    const where = backend.name === 'neo4j' ? `the Neo4j store at ${process.env.NEO4J_URI}` : `the SQLite store at ${sqlitePath}`;
    expect(listed.stderr).toBe(`journey: using ${where}\n`);
    expect(listed.stdout).not.toContain('journey: using');
  }, 60_000);

  it('revokes by a unique prefix of the id, and refuses a prefix several keys share, saying how many', async () => {
    const ids = [];
    for (const name of ['one', 'two']) {
      const created = await journey(['keys', 'create', '--role', 'viewer', '--name', name], env);
      ids.push(created.lines.at(-1)!.slice(4, 40));
    }
    const [a, b] = ids as [string, string];
    let common = 0;
    while (a[common] === b[common]) common += 1;
    const shared = a.slice(0, common);
    const ambiguous = await journey(['keys', 'revoke', shared], env);
    expect({ code: ambiguous.code, error: withoutStoreLine(ambiguous.stderr)[0] }).toEqual({
      code: 1, error: `journey: 2 API keys have ids starting with ${JSON.stringify(shared)}: give more of the id (see journey keys list)`,
    });
    const revoked = await journey(['keys', 'revoke', a.slice(0, common + 1)], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.lines[0]).toMatch(new RegExp(`^revoked API key ${a} \\(viewer, "one"\\)`));
    const listed = await journey(['keys', 'list'], env);
    expect(listed.lines.filter((l) => l.includes('REVOKED') && !l.startsWith('ID'))).toEqual([expect.stringContaining(a)]);
  }, 60_000);
});

describe('journey from the command line', () => {
  it('shows its usage with --help, for the command and for keys, with exit code 0', async () => {
    for (const args of [['--help'], ['keys', '--help'], ['keys', '-h'], ['keys', 'help']]) {
      const run = await journey(args, {});
      expect({ args, code: run.code }).toEqual({ args, code: 0 });
      expect(run.stdout).toContain('journey keys revoke KEY-ID');
      expect(run.stdout).toContain('JOURNEY_SQLITE_PATH');
    }
  }, 60_000);

  it('run from another folder, refuses to list or revoke from a store that does not exist, and creates none', async () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'journey-elsewhere-'));
    try {
      const env = { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: undefined };
      const expected = path.join(elsewhere, 'data', 'journey.sqlite');
      for (const args of [['keys', 'list'], ['keys', 'revoke', '0']]) {
        const run = await journey(args, env, elsewhere);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(`journey: no SQLite store at ${expected}: JOURNEY_SQLITE_PATH is relative to the current folder`);
        expect(run.stdout).toBe('');
      }
      expect(existsSync(path.join(elsewhere, 'data'))).toBe(false);
      // create makes the store, and says so.
      const created = await journey(['keys', 'create', '--role', 'admin', '--name', 'first'], env, elsewhere);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stderr).toBe(`journey: creating a new SQLite store at ${expected}\n`);
      expect(existsSync(expected)).toBe(true);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  }, 60_000);

  it('names the Neo4j it could not reach and how to start one', async () => {
    const port = await closedPort();
    // A short retry window: the message is what is tested, not the driver's 30 s of retries.
    const run = await journey(['keys', 'list'], { JOURNEY_BACKEND: 'neo4j', NEO4J_URI: `bolt://127.0.0.1:${port}`, JOURNEY_NEO4J_RETRY_MS: '1000' });
    expect(run.code).toBe(1);
    expect(withoutStoreLine(run.stderr)[0]).toBe(`journey: cannot reach Neo4j at bolt://127.0.0.1:${port} (NEO4J_URI). Start a local one with \`npm run neo4j:start\` `
      + '(it listens on bolt://127.0.0.1:7687, or on the port in NEO4J_PORT; set NEO4J_URI to match), or use the embedded store: JOURNEY_BACKEND=sqlite');
  }, 60_000);
});
