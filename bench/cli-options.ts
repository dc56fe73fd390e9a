/**
 * `npm run bench -- [options]`: the command line, with defaults that depend on the size.
 *
 *   --size tiny|10k|100k|1m           graph size per workload (default 10k)
 *   --workloads tfx,dag,diamond       (default all three)
 *   --systems mlmd,sqlite,neo4j       (default all three)
 *   --ingest service|store            our bulk path whose data is queried (default service)
 *   --mlmd-ingest put_lineage_subgraph|put_execution   (default put_lineage_subgraph)
 *   --compare-ingest / --no-compare-ingest             also time the other bulk paths
 *   --grpc / --no-grpc                ML Metadata's client over our gRPC face (default on with mlmd)
 *   --import sqlite,neo4j / --no-import   `journey import mlmd` of ML Metadata's store into those backends
 *                                     (default with mlmd: both up to 10k, SQLite alone above: Neo4j imported
 *                                     86 nodes/s at 10k on the shared machine, hours at 1m)
 *   --seed N                          (default 42)
 *   --starts N                        start nodes per direction (default 20; tiny 4)
 *   --http-seconds N                  per autocannon run (default 10; tiny 1)
 *   --cell-budget-ms N                timed repetitions of a query cell (default 4000)
 *   --reps N                          most repetitions per start (default 5)
 *   --neo4j-uri URI                   reuse a running Neo4j instead of starting one per workload
 *   --mlmd-dir DIR                    where ML Metadata's SQLite files go
 *   --out DIR                         results (default bench/results)
 *   --work-dir DIR                    databases and graph files (default bench/.work)
 *   --no-docs                         do not rewrite docs/benchmarks.md
 *   --only transfer                   only `journey export` / `journey import jsonl` of the SQLite store a
 *                                     previous run of this size left in the work folder, into its results file
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './bench-run.js';
import type { IngestPath } from './ingest/our-ingest.js';
import type { MlmdIngestMode } from './mlmd/mlmd-process.js';
import type { SystemName } from './query/lineage-targets.js';

type OurBackendName = Exclude<SystemName, 'mlmd'>;
import { WORKLOADS, type WorkloadName } from './workload/bench-graph.js';
import { parseSize } from './workload/sizes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface CliOptions extends Omit<BenchOptions, 'log' | 'command'> {
  writeDocs: boolean;
  /** One phase alone on the stores a previous run left (bench/phases/transfer-phase.ts: runTransferOnly); null runs everything. */
  only: 'transfer' | null;
}

function listOf<T extends string>(text: string, allowed: readonly T[], flag: string): T[] {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new Error(`${flag} takes ${allowed.join(', ')}; got ${JSON.stringify(item)}`);
  }
  return items as T[];
}

function intOf(text: string | undefined, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${flag} must be an integer of at least ${min}, got ${JSON.stringify(text)}`);
  return n;
}

/** `--only`'s phase; the stores it runs on are SQLite files a previous run left (a Neo4j of the bench is stopped after its run). */
function onlyOf(text: string | undefined, systems: readonly SystemName[]): 'transfer' | null {
  if (text === undefined) return null;
  if (text !== 'transfer') throw new Error(`--only takes transfer, got ${JSON.stringify(text)}`);
  if (!systems.includes('sqlite')) throw new Error('--only transfer runs on the SQLite store of a previous run: --systems must include sqlite');
  return text;
}

/** Parses the arguments after `--`. */
export function parseCli(argv: readonly string[]): CliOptions {
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (['no-docs', 'compare-ingest', 'no-compare-ingest', 'grpc', 'no-grpc', 'no-import'].includes(name)) { switches.add(name); continue; }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags.set(name, value);
  }
  const known = ['only', 'import', 'size', 'workloads', 'systems', 'ingest', 'mlmd-ingest', 'seed', 'starts', 'http-seconds', 'cell-budget-ms', 'reps', 'neo4j-uri', 'mlmd-dir', 'out', 'work-dir'];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown option --${name}`);

  const size = parseSize(flags.get('size') ?? '10k');
  const tiny = size === 'tiny';
  const ingestPath = (flags.get('ingest') ?? 'service') as IngestPath;
  if (!['service', 'store'].includes(ingestPath)) throw new Error(`--ingest takes service or store, got ${JSON.stringify(ingestPath)}`);
  const mlmdIngest = (flags.get('mlmd-ingest') ?? 'put_lineage_subgraph') as MlmdIngestMode;
  if (!['put_lineage_subgraph', 'put_execution'].includes(mlmdIngest)) {
    throw new Error(`--mlmd-ingest takes put_lineage_subgraph or put_execution, got ${JSON.stringify(mlmdIngest)}`);
  }
  // Timing the other bulk paths doubles the loads: by default only where that is cheap.
  // ML Metadata's put_execution runs at tens of executions per second, so only up to 10k.
  const compare = switches.has('compare-ingest') ? true : switches.has('no-compare-ingest') ? false : null;
  const systems = listOf<SystemName>(flags.get('systems') ?? 'mlmd,sqlite,neo4j', ['mlmd', 'sqlite', 'neo4j'], '--systems');
  // Both need ML Metadata's phase first: its virtualenv (the gRPC client) and its database (the import's source).
  const mlmdFirst = systems[0] === 'mlmd' && systems.length > 1;
  const needMlmd = (flag: string): void => {
    if (!mlmdFirst) throw new Error(`${flag} needs mlmd first in --systems and one of our backends after it`);
  };
  if (switches.has('grpc')) needMlmd('--grpc');
  const grpc = !switches.has('no-grpc') && mlmdFirst;
  let importInto: OurBackendName[] = [];
  if (flags.has('import')) {
    needMlmd('--import');
    importInto = listOf<OurBackendName>(flags.get('import')!, ['sqlite', 'neo4j'], '--import');
  } else if (!switches.has('no-import') && mlmdFirst) {
    importInto = size === 'tiny' || size === '10k' ? ['sqlite', 'neo4j'] : ['sqlite'];
  }
  importInto = importInto.filter((b) => systems.includes(b));
  return {
    size,
    workloads: listOf<WorkloadName>(flags.get('workloads') ?? WORKLOADS.join(','), WORKLOADS, '--workloads'),
    systems,
    grpc,
    importInto,
    ingestPath,
    mlmdIngest,
    compareIngest: compare ?? size !== '1m',
    compareMlmdIngest: compare ?? (size === 'tiny' || size === '10k'),
    seed: intOf(flags.get('seed') ?? '42', '--seed', 0),
    startsPerDirection: intOf(flags.get('starts') ?? (tiny ? '4' : '20'), '--starts', 1),
    httpSeconds: intOf(flags.get('http-seconds') ?? (tiny ? '1' : '10'), '--http-seconds', 1),
    measure: {
      cellBudgetMs: intOf(flags.get('cell-budget-ms') ?? (tiny ? '200' : '4000'), '--cell-budget-ms', 0),
      maxReps: intOf(flags.get('reps') ?? (tiny ? '2' : '5'), '--reps', 1),
    },
    ...(flags.has('neo4j-uri') ? { neo4jUri: flags.get('neo4j-uri')! } : {}),
    ...(flags.has('mlmd-dir') ? { mlmdDir: path.resolve(flags.get('mlmd-dir')!) } : {}),
    outDir: path.resolve(flags.get('out') ?? path.join(root, 'bench', 'results')),
    workDir: path.resolve(flags.get('work-dir') ?? path.join(root, 'bench', '.work')),
    writeDocs: !switches.has('no-docs'),
    only: onlyOf(flags.get('only'), systems),
  };
}
