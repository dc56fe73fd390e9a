/**
 * Many concurrent writers on one SQLite file: two server processes sharing the file and
 * twenty clients writing through them at once. SQLite lets one writer in at a time
 * across processes; the store waits for the lock and retries, so no caller ever sees
 * 'database is locked' (or any error), and every write is there afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acknowledged, post, recordStep, startMain, STEP_TYPES, type Answer } from './hardening-support.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'journey-writers-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const CLIENTS_PER_SERVER = 10;
const WRITES_PER_CLIENT = 20;

describe('concurrent writers on one SQLite file', () => {
  it('answers every write of two processes and twenty clients, with no error at all', async () => {
    const env = { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: path.join(dataDir, 'shared.sqlite'), JOURNEY_RATE_LIMIT: '0' };
    const servers = [await startMain(env), await startMain(env)];
    try {
      expect(acknowledged(await post(servers[0]!.url, STEP_TYPES))).toBe(true);
      const failures: Answer[] = [];
      const client = async (url: string, c: number): Promise<void> => {
        for (let i = 0; i < WRITES_PER_CLIENT; i++) {
          const answer = await recordStep(url, `p${c}-s${i}`);
          if (!acknowledged(answer)) failures.push(answer);
          // Reads interleave with the writes, as a pipeline's own checks would.
          const read = await post(url, '{ executions(first: 5) { totalCount nodes { id } } }');
          if (!acknowledged(read)) failures.push(read);
        }
      };
      await Promise.all(servers.flatMap((s, k) => Array.from({ length: CLIENTS_PER_SERVER }, (_, c) => client(s.url, k * 100 + c))));
      expect(failures.map((f) => f.text)).toEqual([]);
      const count = await post(servers[1]!.url, '{ executions { totalCount } artifacts { totalCount } }');
      const writes = 2 * CLIENTS_PER_SERVER * WRITES_PER_CLIENT;
      expect(count.data).toEqual({ executions: { totalCount: writes }, artifacts: { totalCount: 2 * writes } });
    } finally {
      for (const s of servers) s.child.kill('SIGTERM');
      await Promise.all(servers.map((s) => s.exited));
    }
  }, 120_000);
});
