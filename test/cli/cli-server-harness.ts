/**
 * What the CLI's tests against a running server share: a REAL server (src/server, as the
 * API tests start it) over an empty store of one backend (test/support/backends.ts),
 * seeded with the TFX-shaped pipeline of test/explorer/tfx-seed.ts, with an admin key and
 * a viewer key (so it serves with keys, not in open local mode); `journey(...)` runs
 * `node bin/journey.js` as a child process with the given arguments and environment and
 * returns what it printed and its exit code; `gql(...)` runs the same query over GraphQL,
 * for comparing the CLI's output with the answer it is built from.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { createServices } from '../../src/service/services.js';
import { startTestServer, type GqlResponse, type TestServer } from '../api/harness.js';
import { seedTfxPipeline, type TfxSeed } from '../explorer/tfx-seed.js';
import type { Backend } from '../support/backends.js';
import { testSubjectKey } from '../privacy/fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** What one `journey` run printed, and how it ended. */
export interface JourneyRun { code: number | null; stdout: string; stderr: string }

/**
 * Runs `node bin/journey.js ...args` with `env` over a clean environment (no JOURNEY_URL
 * or JOURNEY_API_KEY inherited from the shell running the tests); stdout is a pipe, so
 * the CLI sees no terminal. `input` is written to its stdin.
 */
export function runJourney(args: readonly string[], env: Record<string, string | undefined> = {}, cwd = ROOT): Promise<JourneyRun> {
  const base = { ...process.env };
  delete base.JOURNEY_URL;
  delete base.JOURNEY_API_KEY;
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/journey.js'), ...args], { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface CliServer {
  readonly t: TestServer;
  readonly store: GraphStore;
  readonly seed: TfxSeed;
  /** An admin key's token, and a viewer key's. */
  readonly adminKey: string;
  readonly viewerKey: string;
  /** Runs `journey` against this server: --url is set through JOURNEY_URL, the admin key through JOURNEY_API_KEY unless `env` says otherwise. */
  journey(args: readonly string[], env?: Record<string, string | undefined>): Promise<JourneyRun>;
  /** Runs `query` over GraphQL with the admin key; fails on any error. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Runs `query` over GraphQL with `key` (null: none), returning the whole response. */
  gqlAs<T = Record<string, unknown>>(key: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResponse<T>>;
}

/**
 * Opens an empty store of `backend`, starts a server over it, seeds the TFX pipeline in
 * open local mode, then makes the two keys (from then on every request needs one); all
 * closed after the file (Neo4j emptied for the next file).
 */
export function useCliServer(backend: Backend): CliServer {
  let t: TestServer | undefined;
  let store: GraphStore | undefined;
  let seed: TfxSeed | undefined;
  let adminKey = '';
  let viewerKey = '';
  beforeAll(async () => {
    store = await backend.open();
    // With a subject key, so the privacy commands (subject, erasure) have the server's personal-data service.
    const services = createServices(store, { subjectKey: testSubjectKey() });
    const keys = createApiKeyService(store);
    // Seeded before any key exists: the server is then in open local mode (loopback), as a developer's.
    t = await startTestServer(services.metadata, { keys, privacy: services.personalData });
    seed = await seedTfxPipeline(t);
    adminKey = (await keys.create({ name: 'cli tests admin', role: 'admin' })).token;
    viewerKey = (await keys.create({ name: 'cli tests viewer', role: 'viewer' })).token;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    if (store && backend.name === 'neo4j') {
      const { clearNeo4jDatabase } = await import('../support/neo4j-database.js');
      await clearNeo4jDatabase(store);
    }
    await store?.close();
  });
  const started = (): TestServer => { if (!t) throw new Error('server not started'); return t; };
  const gqlAs = <T>(key: string | null, query: string, variables: Record<string, unknown> = {}): Promise<GqlResponse<T>> =>
    started().gql<T>(query, variables, key === null ? {} : { authorization: `Bearer ${key}` });
  return {
    get t() { return started(); },
    get store() { if (!store) throw new Error('store not open'); return store; },
    get seed() { if (!seed) throw new Error('not seeded'); return seed; },
    get adminKey() { return adminKey; },
    get viewerKey() { return viewerKey; },
    journey: (args, env = {}) => runJourney(args, { JOURNEY_URL: started().url, JOURNEY_API_KEY: adminKey, ...env }),
    async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const res = await gqlAs<T>(adminKey, query, variables);
      if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
      return res.data;
    },
    gqlAs,
  };
}
