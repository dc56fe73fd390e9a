/**
 * Tools outside Node that some tests need (Java for Neo4j, Python for ML Metadata,
 * Chromium for the browser test). Outside CI a missing one skips the tests that need it,
 * with one loud line; with CI=true it fails them instead, since CI must run everything.
 */
import { spawnSync } from 'node:child_process';

/** Set by the global setup once it has said loudly that the run has no Neo4j, so test files need not say it again. */
export const NEO4J_ABSENT_ANNOUNCED = 'JOURNEY_TEST_NEO4J_ABSENT_ANNOUNCED';

const inCi = (): boolean => process.env.CI === 'true';

/**
 * True when `present`; otherwise throws under CI=true, or prints one loud line saying what
 * is skipped and returns false. `missing` reads "python3 is not on PATH".
 */
export function toolAvailable(present: boolean, missing: string, skipped: string): boolean {
  if (present) return true;
  if (inCi()) throw new Error(`CI=true but ${missing}: ${skipped} cannot be skipped in CI`);
  console.warn(`\n*** ${missing}: SKIPPED ${skipped}. ***\n`);
  return false;
}

/** Whether `command args` runs and exits 0 (a probe such as `python3 --version`). */
export function commandRuns(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/**
 * The suite's Neo4j (set by test/support/neo4j-global-setup.ts), or undefined when it has
 * none. The global setup has already said so loudly, once for the run, and has already
 * failed the run under CI=true; a Neo4j-only file then skips itself without a line of its own.
 */
export function suiteNeo4jUri(): string | undefined {
  const uri = process.env.NEO4J_URI;
  if (!uri && inCi()) throw new Error('CI=true but NEO4J_URI is unset: the Neo4j tests cannot be skipped in CI');
  return uri || undefined;
}
