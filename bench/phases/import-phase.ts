/**
 * `journey import mlmd` on one backend: the store ML Metadata's own package wrote for this
 * workload in its phase (the same graph, through its put_lineage_subgraph and put_execution)
 * imported by the command's own code (runImportCommand, as the CLI runs it) into an empty
 * store, then the verification the command ends with, timed apart (verifyImport, called
 * as the command calls it). Nodes per second are of the import alone; the target
 * is 1M nodes in under 5 minutes into SQLite.
 */
import { statSync } from 'node:fs';
import { runImportCommand } from '../../src/cli/import-command.js';
import type { GraphStore } from '../../src/graph/store.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { createServices } from '../../src/service/services.js';
import { openMlmdSqlite } from '../../src/service/import/mlmd-sqlite-source.js';
import { verifyImport } from '../../src/service/import/mlmd-verify.js';
import type { ImportResult } from '../report/results.js';

/** Imports `mlmdFile` into the (empty) store `open` gives; throws when the verification finds a difference. */
export async function runImportPhase(open: () => Promise<GraphStore>, mlmdFile: string, log: (line: string) => void): Promise<ImportResult> {
  let store: GraphStore | undefined;
  try {
    const cpuBefore = process.cpuUsage();
    const { report } = await runImportCommand(['mlmd', mlmdFile, '--no-verify'], async () => {
      store = await open();
      return { metadata: createServices(store).metadata, lineage: createLineageService(store) };
    }, () => undefined);
    const cpu = process.cpuUsage(cpuBefore);
    const started = performance.now();
    const source = openMlmdSqlite(mlmdFile);
    let checks;
    try {
      checks = await verifyImport(createServices(store!).metadata, createLineageService(store!), source,
        { source: report.source, bounds: report.bounds, counts: report.counts });
    } finally {
      await source.close();
    }
    const differ = checks.filter((c) => !c.equal);
    if (differ.length > 0) {
      throw new Error(`journey import mlmd: ${differ.length} of ${checks.length} checks differ, first ${differ[0]!.what}: source ${differ[0]!.source}, store ${differ[0]!.store}`);
    }
    const c = report.counts;
    const nodes = c.ARTIFACT + c.EXECUTION + c.CONTEXT;
    const result: ImportResult = {
      nodes, edges: c.events + c.attributions + c.associations + c.parentContexts,
      seconds: report.seconds, nodesPerSecond: nodes / report.seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6,
      verifySeconds: (performance.now() - started) / 1000, checks: checks.length, checksEqual: checks.length - differ.length,
      sourceBytes: statSync(mlmdFile).size,
    };
    log(`journey import mlmd: ${nodes} nodes in ${result.seconds.toFixed(1)} s, ${result.nodesPerSecond.toFixed(0)} nodes/s; `
      + `verified ${result.checksEqual} of ${result.checks} checks in ${result.verifySeconds.toFixed(1)} s`);
    return result;
  } finally {
    await store?.close();
  }
}
