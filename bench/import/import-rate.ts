/**
 * Measures `journey import mlmd` into a SQLite file store: makes an ML Metadata store of
 * about NODES nodes (make_large_mlmd.py, with the project's virtualenv), imports it
 * through the service in batches of 10,000 as the CLI does, verifies, and prints the rate
 * per phase and overall, with the extrapolation to a million nodes.
 *
 * With `--source mysql` the source is a MariaDB (scripts/mariadb, started for the run and
 * stopped after it): ML Metadata's client makes its schema there, and the SQLite store's
 * rows are copied into it table by table, so both sources hold the same rows.
 *
 *   npx tsx bench/import/import-rate.ts [NODES=50000] [--source sqlite|mysql]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/graph/open-store.js';
import { importMlmd, type PhaseProgress } from '../../src/service/import/mlmd-import.js';
import { openMlmdMysql } from '../../src/service/import/mlmd-mysql-source.js';
import type { MlmdSource } from '../../src/service/import/mlmd-source.js';
import { openMlmdSqlite } from '../../src/service/import/mlmd-sqlite-source.js';
import { verifyImport } from '../../src/service/import/mlmd-verify.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { createServices } from '../../src/service/services.js';

const args = process.argv.slice(2);
const sourceKind = args.includes('--source') ? args[args.indexOf('--source') + 1] : 'sqlite';
if (sourceKind !== 'sqlite' && sourceKind !== 'mysql') throw new Error(`--source must be sqlite or mysql, got ${sourceKind}`);
const nodes = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--source') ?? 50_000);
const root = path.resolve(import.meta.dirname, '../..');
const venv = spawnSync(process.execPath, [path.join(root, 'scripts/python/python-env.mjs'), 'path'], { encoding: 'utf8' }).stdout.trim();
const dir = mkdtempSync(path.join(tmpdir(), 'journey-import-bench-'));
try {
  const source = path.join(dir, 'mlmd.sqlite');
  let started = performance.now();
  const made = spawnSync(venv, [path.join(import.meta.dirname, 'make_large_mlmd.py'), source, String(nodes)], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
  console.log(`made ${made.stdout.trim()} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  let mariadb: { stop(): Promise<void> } | undefined;
  let mlmd: MlmdSource;
  if (sourceKind === 'mysql') {
    started = performance.now();
    const { url, server } = await copyIntoMariadb(source, venv);
    mariadb = server;
    console.log(`copied into MariaDB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    mlmd = await openMlmdMysql(url);
  } else {
    mlmd = openMlmdSqlite(source);
  }
  const store = await openStore({ backend: 'sqlite', sqlitePath: path.join(dir, 'journey.sqlite'), sqliteReaders: null });
  const { metadata } = createServices(store);
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
  console.log(`source ${sourceKind}: imported ${imported} nodes, ${report.counts.events} events, ${report.counts.attributions + report.counts.associations + report.counts.parentContexts} links in ${seconds.toFixed(1)} s: ${Math.round(imported / seconds)} nodes/s; 1M nodes ~ ${(1e6 / (imported / seconds) / 60).toFixed(1)} min`);
  console.log(`  CPU ${cpuSeconds.toFixed(1)} s: ${Math.round(imported / cpuSeconds)} nodes per CPU-second; 1M nodes ~ ${(1e6 / (imported / cpuSeconds) / 60).toFixed(1)} CPU-min`);
  started = performance.now();
  const checks = await verifyImport(metadata, createLineageService(store), mlmd, { source, bounds: report.bounds, counts: report.counts });
  console.log(`verified ${checks.filter((c) => c.equal).length} of ${checks.length} checks equal in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await mlmd.close();
  await store.close();
  await mariadb?.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A MariaDB holding the SQLite store's rows: ML Metadata's client makes its schema (and
 * its own simple types, which the copy replaces), then every table is copied in bulk.
 */
async function copyIntoMariadb(sqliteFile: string, python: string): Promise<{ url: string; server: { stop(): Promise<void> } }> {
  // @ts-expect-error a plain .mjs script with no type declarations
  const { start } = await import('../../scripts/mariadb/mariadb.mjs');
  const server = await start() as { host: string; port: number; stop(): Promise<void> };
  const url = `mysql://root@${server.host}:${server.port}/mlmd_bench`;
  const made = spawnSync(python, ['-c', [
    'from ml_metadata import metadata_store', 'from ml_metadata.proto import metadata_store_pb2 as pb',
    'c = pb.ConnectionConfig()', `c.mysql.host = '${server.host}'`, `c.mysql.port = ${server.port}`,
    "c.mysql.database = 'mlmd_bench'", "c.mysql.user = 'root'", 'metadata_store.MetadataStore(c)',
  ].join('\n')], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
  const { default: Database } = await import('better-sqlite3');
  const { default: mysql } = await import('mysql2/promise');
  const from = new Database(sqliteFile, { readonly: true });
  const to = await mysql.createConnection({ host: server.host, port: server.port, user: 'root', database: 'mlmd_bench' });
  const tables = ['Type', 'TypeProperty', 'ParentType', 'Context', 'ParentContext', 'Artifact', 'ArtifactProperty', 'Execution',
    'ExecutionProperty', 'ContextProperty', 'Event', 'EventPath', 'Attribution', 'Association'];
  for (const table of tables) {
    await to.query(`DELETE FROM ${table}`);
    let rows: unknown[][] = [];
    let columns: string[] | null = null;
    const flush = async (): Promise<void> => {
      if (rows.length > 0) await to.query(`INSERT INTO ${table} (${columns!.join(', ')}) VALUES ?`, [rows]);
      rows = [];
    };
    const select = from.prepare(`SELECT * FROM ${table}`).raw(true);
    columns = select.columns().map((c) => c.name);
    for (const row of select.iterate() as Iterable<unknown[]>) {
      rows.push(row);
      if (rows.length === 5000) await flush();
    }
    await flush();
  }
  from.close();
  await to.end();
  return { url, server };
}
