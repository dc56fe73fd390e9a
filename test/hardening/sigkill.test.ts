/**
 * A server on the SQLite file backend killed with SIGKILL in the middle of a stream of
 * writes loses nothing it acknowledged: every write answered with data is in the file
 * afterwards, whole, and every write in flight is either whole or absent. The server
 * then starts again on the same file and serves it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/graph/open-store.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { acknowledged, post, recordStep, startMain, stepState, STEP_TYPES } from './hardening-support.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'journey-sigkill-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const CLIENTS = 8;
/** Acknowledged writes to wait for before the kill: enough that many more are in flight. */
const ACKS_BEFORE_KILL = 120;

describe('SIGKILL during writes (SQLite file)', () => {
  it('keeps every acknowledged write, whole, and starts again on the same file', async () => {
    const env = { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: path.join(dataDir, 'journey.sqlite'), JOURNEY_RATE_LIMIT: '0' };
    const server = await startMain(env);
    expect(acknowledged(await post(server.url, STEP_TYPES))).toBe(true);

    const acked: string[] = [];
    const attempted: string[] = [];
    let killed = false;
    let kill!: () => void;
    const killedNow = new Promise<void>((resolve) => { kill = resolve; });
    const client = async (c: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        const name = `c${c}-s${i}`;
        attempted.push(name);
        const answer = await recordStep(server.url, name);
        if (acknowledged(answer)) acked.push(name);
        else if (!killed) throw new Error(`a write failed before the kill: ${answer.text}`);
        if (acked.length >= ACKS_BEFORE_KILL) kill();
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
    await killedNow;
    server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(clients);
    expect(await server.exited).toBeNull();

    const store = await openStore({ backend: 'sqlite', sqlitePath: env.JOURNEY_SQLITE_PATH });
    try {
      const api = createMetadataService(store);
      const states = new Map<string, string>();
      for (const name of attempted) states.set(name, await stepState(api, name));
      expect(acked.filter((name) => states.get(name) !== 'complete')).toEqual([]);
      expect(attempted.filter((name) => states.get(name) === 'partial')).toEqual([]);
      expect(acked.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    } finally {
      await store.close();
    }

    const again = await startMain(env);
    try {
      const count = await post(again.url, '{ executions { totalCount } }');
      expect(count.data.executions.totalCount).toBeGreaterThanOrEqual(acked.length);
      expect(acknowledged(await recordStep(again.url, 'after-restart'))).toBe(true);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  }, 120_000);
});
