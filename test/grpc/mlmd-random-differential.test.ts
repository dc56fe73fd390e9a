/**
 * The random differential: test/grpc/python/mlmd_random_differential.py draws, per seed, a
 * sequence of ML Metadata client calls and runs it against MLMD's own in-process store and
 * against this server (a store emptied, id counters from 1, per seed); every step's answer
 * (ids mapped per id space) or error class must be equal. The fixed differential
 * (mlmd-differential.test.ts) proves the cases we thought of; this one finds the rest.
 *
 * Seeds 1..20 of 80 steps run in `npm test` on SQLite, 1..8 on Neo4j. More outside it:
 *   JOURNEY_DIFF_SEEDS=500 npx vitest run test/grpc/mlmd-random-differential.test.ts
 *   JOURNEY_DIFF_SEED=17 npx vitest run test/grpc/mlmd-random-differential.test.ts   (one seed)
 *   JOURNEY_DIFF_STEPS=200 ...                                                          (longer sequences)
 *   JOURNEY_DIFF_TRACE=1 ...                                           (a failure shows every step before it)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import { createServices } from '../../src/service/services.js';
import { BACKENDS, emptyStore, useService, type Backend } from '../support/backends.js';
import { withNeo4jCountersFromOne } from '../support/neo4j-database.js';
import { pythonWithMlmd } from '../support/python.js';
import { startGrpcUnderTest } from './grpc-harness.js';

const python = pythonWithMlmd('the random differential tests of the gRPC face against ML Metadata');
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'python', 'mlmd_random_differential.py');

/** The families of calls the sequences draw from (the generator's names), every one served. */
const FAMILIES = ['types', 'nodes', 'edges', 'put_execution', 'reads', 'listing', 'filters', 'lineage'];
/** The families before filter_query and lineage subgraphs were served: the first regression seeds were found with these. */
const FIRST_FAMILIES = ['types', 'nodes', 'edges', 'put_execution', 'reads', 'listing'];

/**
 * Seeds that found a difference on main, each fixed since (most of seeds 1..20 found one:
 * 1 of them agreed before the fixes of this file's commit): run on every backend whatever
 * its seed range, with the step count and families that found it. They hold as long as the
 * generator draws the same sequences; a change to the drawing renews this list.
 */
const REGRESSION_SEEDS: { seed: number; steps: number; families: readonly string[]; found: string }[] = [
  { seed: 11, steps: 80, families: FIRST_FAMILIES, found: 'a context its own parent is refused before a repeated link' },
  { seed: 14, steps: 80, families: FIRST_FAMILIES, found: 'put_contexts renames a context by id, refused when the name is taken' },
  { seed: 16, steps: 80, families: FIRST_FAMILIES, found: 'a context renamed by id frees its name for a new context of the same call' },
  { seed: 3, steps: 80, families: FAMILIES, found: 'get_contexts_by_external_ids answers by id, not in the order asked' },
  { seed: 11, steps: 80, families: FAMILIES, found: 'put_lineage_subgraph reuses an artifact by external id before its name is checked' },
  { seed: 19, steps: 80, families: FAMILIES, found: 'put_execution puts the artifacts before the execution, so an artifact\'s fault is named first' },
  { seed: 52, steps: 80, families: FAMILIES, found: 'a filter\'s property join finds a STRUCT value too, so the other side of an OR decides' },
  { seed: 160, steps: 80, families: FAMILIES, found: 'types by external ids answer each type once when an id is asked twice' },
];

const env = process.env;
const positive = (name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return n;
};
const STEPS = positive('JOURNEY_DIFF_STEPS', 80);
const ONE_SEED = env.JOURNEY_DIFF_SEED ? positive('JOURNEY_DIFF_SEED', 0) : undefined;
/**
 * Seeds per backend in `npm test`: Neo4j answers each call several times slower than
 * SQLite (a round trip per statement), so it runs the first eight to stay near a minute.
 * JOURNEY_DIFF_SEEDS sets both.
 */
const DEFAULT_SEEDS: Record<Backend['name'], number> = { sqlite: 20, neo4j: 8 };
const seedsFor = (backend: Backend): number[] => (ONE_SEED !== undefined ? [ONE_SEED]
  : Array.from({ length: positive('JOURNEY_DIFF_SEEDS', DEFAULT_SEEDS[backend.name]) }, (_, i) => i + 1));
/** Seeds per Python process: one start-up (about a second) serves them all. */
const BATCH = 10;

interface Answer { ok?: unknown; error?: string; message?: string }
interface SeedRun { seed: number; calls: string[]; faulted: boolean[]; ours: Answer[]; theirs: Answer[] }

/** Runs `seeds` in one Python process, giving each seed a server over an empty store from `fresh`. */
async function runSeeds(
  seeds: readonly number[], steps: number, families: readonly string[], fresh: <T>(work: (store: GraphStore) => Promise<T>) => Promise<T>,
): Promise<SeedRun[]> {
  const child = spawn(python!, [script, '127.0.0.1', families.join(','), String(steps), ...seeds.map(String)], {
    stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GRPC_VERBOSITY: 'ERROR', TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done) throw new Error(`${path.basename(script)} stopped early (exit ${await exited}):\n${stderr}`);
    return JSON.parse(line.value as string) as Record<string, unknown>;
  };
  const runs: SeedRun[] = [];
  try {
    for (const seed of seeds) {
      const wanted = await next();
      if (wanted.want_server !== seed) throw new Error(`expected a request for seed ${seed}'s server, got ${JSON.stringify(wanted)}`);
      runs.push(await fresh(async (store) => {
        // The system clock, not a fake one: MLMD's update times move with every change.
        const grpc = await startGrpcUnderTest(createServices(store).metadata);
        try {
          child.stdin.write(`${grpc.server.port}\n`);
          return (await next()) as unknown as SeedRun;
        } finally {
          await grpc.server.close();
        }
      }));
    }
  } finally {
    child.stdin.end();
    if (child.exitCode === null) child.kill();
  }
  return runs;
}

/**
 * Whether a step's answers agree. Messages are each side's own words: only the error class
 * counts. One allowance, a pinned difference: a call the generator put a fault in (a
 * missing node, a wrong kind) may also meet a clash the sequence made (a taken name), and
 * which of the two each side checks first is no part of the interface; so there, one
 * side's ALREADY_EXISTS against the other's refusal of the fault agrees.
 */
function agrees(run: SeedRun, i: number): boolean {
  const [ours, theirs] = [run.ours[i], run.theirs[i]];
  if (isDeepStrictEqual({ ok: ours?.ok, error: ours?.error }, { ok: theirs?.ok, error: theirs?.error })) return true;
  return run.faulted[i] === true && ours?.error !== undefined && theirs?.error !== undefined
    && (ours.error === 'AlreadyExistsError' || theirs.error === 'AlreadyExistsError');
}

/** The first step where the answers differ, or -1. */
function firstDifference(run: SeedRun): number {
  const n = Math.max(run.ours.length, run.theirs.length);
  for (let i = 0; i < n; i++) if (!agrees(run, i)) return i;
  return -1;
}

/** JOURNEY_DIFF_TRACE=1: a failure shows every step before the one that differs, with both answers. */
const TRACE = env.JOURNEY_DIFF_TRACE === '1';

function report(backend: Backend, run: SeedRun, step: number): string {
  const trace = TRACE ? run.calls.slice(0, step).map((call, i) => `  ${i + 1}. ${call}\n     MLMD: ${JSON.stringify(run.theirs[i])}\n     ours: ${JSON.stringify(run.ours[i])}`) : [];
  return [
    ...trace,
    `seed ${run.seed} (${backend.name}): step ${step + 1} of ${run.theirs.length} differs`,
    `  call:   ${run.calls[step]}`,
    `  MLMD:   ${JSON.stringify(run.theirs[step])}`,
    `  ours:   ${JSON.stringify(run.ours[step])}`,
    `  replay: JOURNEY_DIFF_SEED=${run.seed} JOURNEY_DIFF_STEPS=${run.theirs.length} npx vitest run test/grpc/mlmd-random-differential.test.ts`,
  ].join('\n');
}

/** The seeds of `backend` in batches of BATCH, one Python process each; then the regression seeds. */
function batchesFor(backend: Backend): { name: string; seeds: number[]; steps: number; families: readonly string[] }[] {
  const seeds = seedsFor(backend);
  const batches: { name: string; seeds: number[]; steps: number; families: readonly string[] }[] = [];
  for (let i = 0; i < seeds.length; i += BATCH) {
    const some = seeds.slice(i, i + BATCH);
    batches.push({ name: `seeds ${some.join(', ')} of ${STEPS} steps`, seeds: some, steps: STEPS, families: FAMILIES });
  }
  for (const { seed, steps, families, found } of REGRESSION_SEEDS) {
    const drawnAbove = seeds.includes(seed) && steps === STEPS && families === FAMILIES;
    if (!drawnAbove) batches.push({ name: `regression seed ${seed}: ${found}`, seeds: [seed], steps, families });
  }
  return batches;
}

describe.skipIf(python === null).each(BACKENDS)('random sequences of ML Metadata calls answer as MLMD in-process ($name)', (backend) => {
  const t = useService(backend);

  /** `work` on an empty store whose id counters start from 1, as MLMD's in-process store's do. */
  async function fresh<T>(work: (store: GraphStore) => Promise<T>): Promise<T> {
    await emptyStore(backend, t.store);
    // Neo4j's counters outlive the emptying: a second store runs on counters started again.
    return backend.name === 'sqlite' ? work(t.store) : withNeo4jCountersFromOne(t.store, () => backend.open(), work);
  }

  it.each(batchesFor(backend))('$name: every step of every seed answers as MLMD does', async ({ seeds, steps, families }) => {
    const runs = await runSeeds(seeds, steps, families, fresh);
    expect(runs.map((r) => r.seed)).toEqual(seeds);
    const differences = runs.map((run) => ({ run, step: firstDifference(run) })).filter((d) => d.step >= 0);
    const checked = runs.reduce((sum, r) => sum + r.theirs.length, 0);
    const refused = runs.reduce((sum, r) => sum + r.theirs.filter((a) => a.error !== undefined).length, 0);
    console.log(`random differential (${backend.name}): ${runs.length} seeds, ${checked} steps (${refused} refusals), ${runs.length - differences.length} seeds agree at every step`);
    expect(differences.map((d) => report(backend, d.run, d.step))).toEqual([]);
  }, 600_000);
});
