/**
 * `journey export` and `journey import jsonl` on the loaded store (src/service/transfer/),
 * run as a user runs them: `node bin/journey.js`, each in a process of its own, timed
 * with its peak resident memory. The store of the workload, after every other phase has
 * written it, is exported to a gzip file, then that file is imported into a new SQLite
 * file (the target: each under 3 minutes for the 1m graph on SQLite). A Neo4j
 * store's export is imported into SQLite too. `npm run bench -- --only transfer` runs this
 * phase alone on the SQLite store a previous run left in the work folder (runTransferOnly).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssKb } from '../report/process-stats.js';
import type { TransferResult, WorkloadResult } from '../report/results.js';

const JOURNEY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'journey.js');

/** How the `journey` command reaches a store: the variables the server reads (JOURNEY_BACKEND, JOURNEY_SQLITE_PATH, NEO4J_URI ...). */
export type StoreEnv = Record<string, string>;

/** One command's run: wall seconds, peak RSS (KiB; sampled every 50 ms, so a peak in the last 50 ms may be missed) and its stdout. */
async function timedJourney(args: string[], env: StoreEnv): Promise<{ seconds: number; peakRssKb: number | null; stdout: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [JOURNEY, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  let peak: number | null = null;
  const sample = setInterval(() => { peak = peakRssKb(child.pid!) ?? peak; }, 50);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  }).finally(() => clearInterval(sample));
  if (code !== 0) throw new Error(`journey ${args.join(' ')} exited with ${code}:\n${stderr}`);
  return { seconds: (performance.now() - t0) / 1000, peakRssKb: peak, stdout: stdout + stderr };
}

/** Exports the store `source` reaches to a file in `workDir` and imports it into a new SQLite file there; both timed. */
export async function runTransferPhase(source: StoreEnv, name: string, workDir: string, log: (line: string) => void): Promise<TransferResult> {
  const file = path.join(workDir, `export-${name}.jsonl.gz`);
  const target = path.join(workDir, `imported-${name}.sqlite`);
  const wipe = (): void => { for (const x of ['', '-wal', '-shm', '-journal', '.importing']) rmSync(target + x, { force: true }); };
  const loadBefore = os.loadavg()[0]!;
  try {
    rmSync(file, { force: true });
    const exported = await timedJourney(['export', '--out', file], source);
    const nodes = Number(/exported (\d+) nodes/.exec(exported.stdout)?.[1] ?? Number.NaN);
    wipe();
    const imported = await timedJourney(['import', 'jsonl', file], { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: target });
    const counts = /imported (.*) from /.exec(imported.stdout)?.[1] ?? '';
    const records = [...counts.matchAll(/(\d+) \w+/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const fileBytes = statSync(file).size;
    const loadAverage = [loadBefore, os.loadavg()[0]!];
    log(`export: ${nodes} nodes in ${exported.seconds.toFixed(1)} s (${(fileBytes / 2 ** 20).toFixed(1)} MiB gzip, peak RSS ${mib(exported.peakRssKb)}); `
      + `import jsonl into SQLite: ${records} records in ${imported.seconds.toFixed(1)} s (peak RSS ${mib(imported.peakRssKb)}); load ${loadAverage.map((l) => l.toFixed(1)).join(' -> ')}`);
    return {
      nodes, records, exportSeconds: exported.seconds, importSeconds: imported.seconds, fileBytes,
      exportPeakRssKb: exported.peakRssKb, importPeakRssKb: imported.peakRssKb, loadAverage,
    };
  } finally {
    wipe();
    rmSync(file, { force: true });
  }
}

const mib = (kb: number | null): string => (kb === null ? '?' : `${(kb / 1024).toFixed(0)} MiB`);

/**
 * `--only transfer`: the transfer phase alone on the SQLite store of each workload that a
 * previous run left in `workDir` (journey-WORKLOAD.sqlite, as our-phase.ts names it), its
 * figures put into that run's results file, which must exist: the tables are drawn from it.
 */
export async function runTransferOnly(
  o: { size: string; workloads: readonly string[]; workDir: string; outDir: string; log(line: string): void },
): Promise<WorkloadResult[]> {
  const results: WorkloadResult[] = [];
  for (const workload of o.workloads) {
    const workDir = path.join(o.workDir, o.size);
    const store = path.join(workDir, `journey-${workload}.sqlite`);
    const resultsFile = path.join(o.outDir, `${o.size}-${workload}.json`);
    if (!existsSync(store)) throw new Error(`--only transfer needs the SQLite store of a previous run at ${store}: run npm run bench -- --size ${o.size} --workloads ${workload} first`);
    if (!existsSync(resultsFile)) throw new Error(`--only transfer puts its figures into the results of a previous run, and ${resultsFile} is missing`);
    const result = JSON.parse(readFileSync(resultsFile, 'utf8')) as WorkloadResult;
    const sqlite = result.systems.find((s) => s.system === 'sqlite');
    if (!sqlite) throw new Error(`${resultsFile} holds no sqlite results to add the transfer figures to`);
    o.log(`${workload} @ ${o.size}: transfer of ${store}`);
    sqlite.transfer = await runTransferPhase({ JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: store }, 'sqlite', workDir, (line) => o.log(`  sqlite ${line}`));
    writeFileSync(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
    results.push(result);
  }
  return results;
}
