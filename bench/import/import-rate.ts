/**
 * Measures `journey import mlmd` into a SQLite file store: makes an ML Metadata store of
 * about NODES nodes (make_large_mlmd.py, with the project's virtualenv), imports it
 * through the service in batches of 10,000 as the CLI does, verifies, and prints the rate
 * per phase and overall, with the extrapolation to a million nodes.
 *
 *   npx tsx bench/import/import-rate.ts [NODES=50000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/graph/open-store.js';
import { importMlmd, type PhaseProgress } from '../../src/service/import/mlmd-import.js';
import { openMlmdSqlite } from '../../src/service/import/mlmd-sqlite-source.js';
import { verifyImport } from '../../src/service/import/mlmd-verify.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { createServices } from '../../src/service/services.js';

const nodes = Number(process.argv[2] ?? 50_000);
const root = path.resolve(import.meta.dirname, '../..');
const venv = spawnSync(process.execPath, [path.join(root, 'scripts/python/python-env.mjs'), 'path'], { encoding: 'utf8' }).stdout.trim();
const dir = mkdtempSync(path.join(tmpdir(), 'journey-import-bench-'));
try {
  const source = path.join(dir, 'mlmd.sqlite');
  let started = performance.now();
  const made = spawnSync(venv, [path.join(import.meta.dirname, 'make_large_mlmd.py'), source, String(nodes)], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
  console.log(`made ${made.stdout.trim()} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const store = await openStore({ backend: 'sqlite', sqlitePath: path.join(dir, 'journey.sqlite'), sqliteReaders: null });
  const { metadata } = createServices(store);
  const mlmd = openMlmdSqlite(source);
  const phases = new Map<string, { first: number; last: number; done: number }>();
  const onProgress = (p: PhaseProgress): void => {
    const now = performance.now();
    const phase = phases.get(p.phase) ?? { first: now, last: now, done: 0 };
    phases.set(p.phase, { ...phase, last: now, done: p.done });
  };
  started = performance.now();
  // CPU time of the whole process (its reader threads included): on a machine shared with
  // other work the wall time waits for a core, so the rate per CPU-second is reported too.
  const cpuBefore = process.cpuUsage();
  const report = await importMlmd(metadata, mlmd, { source, onProgress });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const imported = report.counts.ARTIFACT + report.counts.EXECUTION + report.counts.CONTEXT;
  for (const [name, p] of phases) console.log(`  ${name.padEnd(10)} ${p.done} in ${((p.last - p.first) / 1000).toFixed(1)} s`);
  console.log(`imported ${imported} nodes, ${report.counts.events} events, ${report.counts.attributions + report.counts.associations + report.counts.parentContexts} links in ${seconds.toFixed(1)} s: ${Math.round(imported / seconds)} nodes/s; 1M nodes ~ ${(1e6 / (imported / seconds) / 60).toFixed(1)} min`);
  console.log(`  CPU ${cpuSeconds.toFixed(1)} s: ${Math.round(imported / cpuSeconds)} nodes per CPU-second; 1M nodes ~ ${(1e6 / (imported / cpuSeconds) / 60).toFixed(1)} CPU-min`);
  started = performance.now();
  const checks = await verifyImport(metadata, createLineageService(store), mlmd, { source, bounds: report.bounds, counts: report.counts });
  console.log(`verified ${checks.filter((c) => c.equal).length} of ${checks.length} checks equal in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await mlmd.close();
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
