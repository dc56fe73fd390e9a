/**
 * `npm test` on a machine without Java or Python: outside CI the parts that need them are
 * skipped with one loud line per missing tool and the run passes; with CI=true the same
 * run fails, because CI must run everything. Each case runs vitest as a child process
 * with a PATH that holds node and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SUITES = ['test/neo4j/injection.test.ts', 'test/neo4j/neo4j-store.test.ts', 'test/bench/bench-smoke.test.ts'];

const bin = mkdtempSync(path.join(os.tmpdir(), 'journey-node-only-'));
symlinkSync(process.execPath, path.join(bin, 'node'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** vitest on `suites` with only node on PATH, no NEO4J_URI unless in `extra`, and `extra` in the environment. */
function vitestWithoutTools(extra: Record<string, string>, suites = SUITES) {
  // A fresh environment: the outer run's NEO4J_URI, CI and VITEST_* must not leak in.
  // The checkout's bench/.venv (made by an earlier benchmark run) holds a working Python
  // of its own: a machine without Python has none, so the child looks for it elsewhere.
  const env = { PATH: bin, HOME: os.homedir(), TMPDIR: os.tmpdir(), JOURNEY_BENCH_VENV: path.join(bin, 'no-venv'), ...extra };
  const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...suites], {
    cwd: ROOT, env, encoding: 'utf8', timeout: 180_000,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

const loudLines = (output: string, tool: RegExp) => output.split('\n').filter((line) => line.includes('***') && tool.test(line));

describe('npm test without Java and Python', () => {
  it('passes outside CI, saying once per tool what it skipped', () => {
    const { status, output } = vitestWithoutTools({});
    expect(loudLines(output, /java/i), output).toHaveLength(1);
    expect(loudLines(output, /python/i), output).toHaveLength(1);
    expect(output).toMatch(/skipped/i);
    expect(status, output).toBe(0);
  }, 200_000);

  it('fails with CI=true instead of skipping the Neo4j half', () => {
    const { status, output } = vitestWithoutTools({ CI: 'true' });
    expect(status, output).not.toBe(0);
    expect(output).toMatch(/CI=true but java is not on PATH/);
  }, 200_000);

  it('fails with CI=true instead of skipping the benchmark smoke test when only Python is missing', () => {
    // A Neo4j given by NEO4J_URI takes Java out of the question; the file must fail before it would connect.
    const { status, output } = vitestWithoutTools({ CI: 'true', NEO4J_URI: 'bolt://127.0.0.1:9' }, ['test/bench/bench-smoke.test.ts']);
    expect(status, output).not.toBe(0);
    expect(output).toMatch(/CI=true but python3 is not on PATH/);
  }, 200_000);
});
