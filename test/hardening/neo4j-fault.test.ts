/**
 * Neo4j stopped (SIGKILL) in the middle of a stream of recordExecution calls, on an
 * instance of this test's own: callers get UNAVAILABLE (never an internal error or a
 * driver's text), /readyz says 503, nothing is half-written, and once Neo4j is back on
 * the same port and data the same server process serves again, without a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNeo4jStore } from '../../src/graph/neo4j/index.js';
import type { GraphStore } from '../../src/graph/store.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { startSecureServer, type TestServer } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';
// @ts-expect-error a plain .mjs script with no type declarations
import { freePort, start } from '../../scripts/neo4j/neo4j.mjs';
import { acknowledged, INTERNALS, post, recordStep, stepState, STEP_TYPES, type Answer } from './hardening-support.js';

interface Neo4jInstance { uri: string; pid: number; stop(): Promise<void> }

const dataDir = mkdtempSync(path.join(tmpdir(), 'journey-neo4j-fault-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const CLIENTS = 6;
const ACKS_PER_PHASE = 30;

/** Resolves once `check` is true, looking every 100 ms; fails after `limitMs` (a bound, not a measurement). */
async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 120_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.runIf(BACKENDS.some((b) => b.name === 'neo4j'))('Neo4j going away under writes', () => {
  it('answers UNAVAILABLE while it is down, writes nothing by halves, and serves again when it is back', async () => {
    const port: number = await freePort();
    let neo: Neo4jInstance = await start({ port, dataDir, heap: '512m', pageCache: '64m' });
    let store: GraphStore | undefined;
    let t: TestServer | undefined;
    try {
      // Short driver retries, so a caller hears UNAVAILABLE in about two seconds.
      store = await createNeo4jStore({ uri: neo.uri, maxRetryTimeMs: 2_000 });
      await store.init();
      const api = createMetadataService(store);
      t = await startSecureServer(api, { security: { rateLimit: { perSecond: 0, burst: 1 } } });
      const url = t.url;
      expect(acknowledged(await post(url, STEP_TYPES))).toBe(true);

      const answers = new Map<string, Answer>();
      let acks = 0;
      let unavailable = 0;
      let running = true;
      const client = async (c: number): Promise<void> => {
        for (let i = 0; running; i++) {
          const name = `c${c}-s${i}`;
          const answer = await recordStep(url, name);
          answers.set(name, answer);
          if (acknowledged(answer)) acks++;
          else if (answer.errors?.[0]?.extensions?.code === 'UNAVAILABLE') unavailable++;
        }
      };
      const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));

      await until(() => acks >= ACKS_PER_PHASE, 'writes before the stop');
      process.kill(neo.pid, 'SIGKILL');
      await until(() => unavailable >= CLIENTS, 'UNAVAILABLE answers');
      const ready = await fetch(`${t.origin}/readyz`);
      expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 503, body: { status: 'unavailable' } });

      neo = await start({ port, dataDir, heap: '512m', pageCache: '64m' });
      await until(async () => (await fetch(`${t!.origin}/readyz`)).status === 200, 'readiness after the restart');
      const acksBefore = acks;
      await until(() => acks >= acksBefore + ACKS_PER_PHASE, 'writes after the restart');
      running = false;
      await Promise.all(clients);

      const outcomes = [...answers.values()];
      const refused = outcomes.filter((a) => !acknowledged(a));
      expect(refused.length).toBeGreaterThanOrEqual(CLIENTS);
      // 503 when the request's key look-up found the database gone, 200 with a field error when its write did.
      expect(new Set(refused.map((a) => a.errors?.map((e) => e.extensions?.code).join()))).toEqual(new Set(['UNAVAILABLE']));
      expect(refused.every((a) => a.status === 503 || a.status === 200)).toBe(true);
      expect(outcomes.filter((a) => INTERNALS.test(a.text)).map((a) => a.text)).toEqual([]);

      const partial: string[] = [];
      const lost: string[] = [];
      for (const [name, answer] of answers) {
        const state = await stepState(api, name);
        if (state === 'partial') partial.push(name);
        if (acknowledged(answer) && state !== 'complete') lost.push(name);
      }
      expect({ partial, lost }).toEqual({ partial: [], lost: [] });
    } finally {
      await t?.close();
      await store?.close();
      await neo.stop();
    }
  }, 300_000);
});
