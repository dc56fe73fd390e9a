/**
 * `npm start` end to end: src/main.ts as its own process, configured by the environment,
 * serving over HTTP, and on SIGTERM or SIGINT finishing cleanly with exit code 0. Runs
 * once per backend under test.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend } from '../support/backends.js';
import { ROOT, startMain as startServing, type MainProcess } from '../hardening/hardening-support.js';

/**
 * src/main.ts on a free port, as vitest runs it (NODE_ENV=test is not development, so
 * the personal-data features need a secret to start).
 */
function startMain(env: Record<string, string>): Promise<MainProcess> {
  return startServing({
    NODE_ENV: process.env.NODE_ENV ?? 'test',
    JOURNEY_SUBJECT_SECRET: 'main-test-subject-secret-0123456789abcdef',
    ...env,
  });
}

async function gql(url: string, query: string): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return res.json();
}

const ENV_OF: Record<string, () => Record<string, string>> = {
  sqlite: () => ({ JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: path.join(dataDir, 'nested', 'journey.sqlite') }),
  neo4j: () => ({ JOURNEY_BACKEND: 'neo4j', NEO4J_URI: process.env.NEO4J_URI! }),
};

const dataDir = mkdtempSync(path.join(tmpdir(), 'journey-main-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * Neo4j's shared database emptied and at the current schema (backend.open does both)
 * before `npm start` opens it: an earlier file leaves nodes but no schema version (the
 * emptying deletes it), and every migration step would then run again over them, the
 * old single-space id uniqueness failing on ids that are unique per kind only.
 */
async function readyDatabase(backend: Backend): Promise<void> {
  if (backend.name === 'neo4j') await (await backend.open()).close();
}

describe.each(BACKENDS)('npm start ($name)', (backend) => {
  it('serves, shuts down on SIGTERM with exit code 0, and keeps its data for the next start', async () => {
    await readyDatabase(backend);
    const typeName = `MainTest${Date.now()}`;
    const first = await startMain(ENV_OF[backend.name]!());
    expect(first.lines[0]).toMatchObject({ backend: backend.name, msg: `serving GraphQL at ${first.url}` });
    expect(await gql(first.url, `mutation { putContextType(input: { name: "${typeName}" }) { name } }`))
      .toEqual({ data: { putContextType: { name: typeName } } });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.lines.map((l) => l.msg).slice(-2)).toEqual(['shutting down: finishing requests in flight', 'stopped']);

    const second = await startMain(ENV_OF[backend.name]!());
    expect(await gql(second.url, `{ contextType(name: "${typeName}") { name } }`)).toEqual({ data: { contextType: { name: typeName } } });
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('refuses a bad configuration with a message naming the variable and exit code 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT, env: { ...process.env, ...ENV_OF[backend.name]!(), JOURNEY_PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('JOURNEY_PORT must be an integer from 0 to 65535, got "eighty"');
  });
});

describe('npm start with a Neo4j that does not answer', () => {
  it('stops with exit code 1, naming the URI it tried and how to start a Neo4j', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      // A short retry window: the message is what is tested, not the driver's 30 s of retries.
      env: { ...process.env, NODE_ENV: 'development', JOURNEY_PORT: '0', JOURNEY_BACKEND: 'neo4j', NEO4J_URI: `bolt://127.0.0.1:${port}`, JOURNEY_NEO4J_RETRY_MS: '1000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toBe(`data-journey failed to start: cannot reach Neo4j at bolt://127.0.0.1:${port} (NEO4J_URI). `
      + 'Start a local one with `npm run neo4j:start` (it listens on bolt://127.0.0.1:7687, or on the port in NEO4J_PORT; '
      + 'set NEO4J_URI to match), or use the embedded store: JOURNEY_BACKEND=sqlite\n');
  }, 60_000);
});
