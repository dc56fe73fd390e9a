/**
 * ML Metadata, driven from the harness: installs the `ml-metadata` wheel into the
 * git-ignored virtualenv bench/.venv on first use, starts bench/mlmd/mlmd_driver.py and
 * talks to it one JSON line per command.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The virtualenv; JOURNEY_BENCH_VENV moves it (the missing-tools test points it where none is). */
export const VENV_DIR = process.env.JOURNEY_BENCH_VENV ? path.resolve(process.env.JOURNEY_BENCH_VENV) : path.resolve(here, '..', '.venv');
/** The virtualenv's interpreter. */
export const PYTHON = path.join(VENV_DIR, 'bin', 'python');
const DRIVER = path.join(here, 'mlmd_driver.py');
/** ML Metadata 1.17 is the first release with wheels for CPython 3.11. */
const REQUIREMENT = 'ml-metadata>=1.17';

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit ${result.status}`);
}

/** Makes bench/.venv with ml-metadata in it unless it is there already; returns the installed version. */
export function ensureMlmd(log: (line: string) => void = console.log): string {
  const probe = (): string | null => {
    if (!existsSync(PYTHON)) return null;
    const r = spawnSync(PYTHON, ['-c', 'import ml_metadata; print(ml_metadata.__version__)'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : null;
  };
  const found = probe();
  if (found) return found;
  log(`mlmd: installing ${REQUIREMENT} into ${path.relative(process.cwd(), VENV_DIR)} ...`);
  if (!existsSync(PYTHON)) run('python3', ['-m', 'venv', VENV_DIR]);
  run(PYTHON, ['-m', 'pip', 'install', '--quiet', REQUIREMENT]);
  const installed = probe();
  if (!installed) throw new Error('mlmd: ml-metadata installed but cannot be imported');
  return installed;
}

export type MlmdIngestMode = 'put_execution' | 'put_lineage_subgraph';

export interface MlmdQuery { kind: 'ARTIFACT' | 'EXECUTION'; index: number; direction: 'UPSTREAM' | 'DOWNSTREAM'; hops: number }

export interface MlmdAnswer {
  ms: number[];
  artifactCount: number;
  executionCount: number;
  eventCount: number;
  /** Node indices (present when asked to collect). */
  artifacts?: number[];
  executions?: number[];
}

/** A command the driver answered with an error; `code` is ML Metadata's status code when the client raised one. */
export class MlmdDriverError extends Error {
  constructor(message: string, readonly code: number | null) {
    super(message);
  }
}

export interface MlmdFilterAnswer {
  ms: number[];
  count: number;
  /** Artifact indices (present when asked to collect). */
  artifacts?: number[];
}

/** One running driver process: ML Metadata's client over its own SQLite file, or pointed at a gRPC server. */
export class MlmdProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: ((line: string) => void)[] = [];
  private stderrTail = '';

  private constructor() {
    // GLOG/absl write info logs on every call; keep them out of the way.
    this.child = spawn(PYTHON, ['-u', DRIVER], { env: { ...process.env, GLOG_minloglevel: '2', TF_CPP_MIN_LOG_LEVEL: '2' } });
    this.child.stderr.on('data', (chunk: Buffer) => { this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000); });
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => this.pending.shift()?.(line));
  }

  /** Starts a driver over a fresh ML Metadata database at `dbPath`. */
  static async open(dbPath: string): Promise<MlmdProcess> {
    const p = new MlmdProcess();
    await p.call({ op: 'open', path: dbPath });
    return p;
  }

  /** Starts a driver whose client talks to the gRPC server at `address` (host:port). */
  static async connect(address: string): Promise<MlmdProcess> {
    const p = new MlmdProcess();
    await p.call({ op: 'open', grpc: address });
    return p;
  }

  get pid(): number { return this.child.pid ?? -1; }

  private call<T>(command: Record<string, unknown>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`mlmd driver exited (${code}): ${this.stderrTail}`));
      this.child.once('exit', onExit);
      this.pending.push((line) => {
        this.child.off('exit', onExit);
        const answer = JSON.parse(line) as T & { error?: string; code?: number };
        if (answer.error) reject(new MlmdDriverError(`mlmd driver: ${answer.error}`, answer.code ?? null));
        else resolve(answer);
      });
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  /** Loads the graph file; `limit` stops after that many steps. Returns the driver's own wall time. */
  ingest(graphFile: string, mode: MlmdIngestMode, limit?: number): Promise<{ seconds: number; steps: number }> {
    return this.call({ op: 'ingest', graph: graphFile, mode, ...(limit === undefined ? {} : { limit }) });
  }

  /** put_execution of the steps from `from` on (up to `to`, default all), one at a time; returns each call's milliseconds. */
  record(graphFile: string, from: number, to?: number): Promise<{ ms: number[] }> {
    return this.call({ op: 'record', graph: graphFile, from, ...(to === undefined ? {} : { to }) });
  }

  /** put_execution of steps [from, to) from `clients` client threads (gRPC only); each call's milliseconds and the wall time. */
  recordConcurrently(graphFile: string, from: number, to: number, clients: number): Promise<{ ms: number[]; seconds: number }> {
    return this.call({ op: 'record_concurrently', graph: graphFile, from, to, clients });
  }

  /** Whether the store answers put_lineage_subgraph (a gRPC server may answer UNIMPLEMENTED). */
  supports(): Promise<{ put_lineage_subgraph: boolean }> {
    return this.call({ op: 'supports' });
  }

  /** get_artifacts with each filter_query, `reps` times. */
  filter(queries: readonly string[], reps: number, collect: boolean): Promise<{ answers: MlmdFilterAnswer[] }> {
    return this.call({ op: 'filter', queries, reps, collect });
  }

  /** `mask` picks what is read besides the walk: `lineage` (nodes, events) or `impact` (nodes, contexts, types). */
  lineage(queries: MlmdQuery[], reps: number, collect: boolean, mask: 'lineage' | 'impact' = 'lineage'): Promise<{ answers: MlmdAnswer[] }> {
    return this.call({ op: 'lineage', queries, reps, collect, mask });
  }

  stats(): Promise<{ maxRssKb: number; dbBytes: number }> {
    return this.call({ op: 'stats' });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await this.call({ op: 'quit' });
    this.lines.close();
  }
}
