/**
 * `journey export` and `journey import jsonl` on the loaded store (src/service/transfer/):
 * the store of the workload, after every other phase has written it, exported to a gzip
 * file by the command's own streams, then that file imported into a new SQLite file (the
 * issue's target: each under 3 minutes for the 1m graph on SQLite). A Neo4j store's export
 * is imported into SQLite too: the Neo4j database is still in use by the phase.
 */
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { GraphStore } from '../../src/graph/store.js';
import { numberedLines } from '../../src/service/transfer/export-lines.js';
import { exportText } from '../../src/service/transfer/store-export.js';
import { importRecords } from '../../src/service/transfer/store-import.js';
import type { TransferResult } from '../report/results.js';

/** Exports `store` to a file in `workDir` and imports it into a new SQLite file there; both timed. */
export async function runTransferPhase(store: GraphStore, workDir: string, log: (line: string) => void): Promise<TransferResult> {
  const file = path.join(workDir, `export-${store.backend}.jsonl.gz`);
  const target = path.join(workDir, `imported-${store.backend}.sqlite`);
  const wipe = (): void => { for (const x of ['', '-wal', '-shm', '-journal']) rmSync(target + x, { force: true }); };
  let nodes = 0;
  const t0 = performance.now();
  await pipeline(Readable.from(exportText(store, { onHeader: (h) => { nodes = h.nodes.artifacts + h.nodes.executions + h.nodes.contexts; } })),
    createGzip(), createWriteStream(file));
  const exportSeconds = (performance.now() - t0) / 1000;
  wipe();
  const { createSqliteStore } = await import('../../src/graph/sqlite/index.js');
  const into = await createSqliteStore({ path: target, readers: 0 });
  let records = 0;
  let importSeconds: number;
  try {
    await into.init();
    const t1 = performance.now();
    const { counts } = await importRecords(into, numberedLines(createReadStream(file).pipe(createGunzip())));
    importSeconds = (performance.now() - t1) / 1000;
    records = Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await into.close();
    wipe();
  }
  const fileBytes = statSync(file).size;
  rmSync(file, { force: true });
  log(`export: ${nodes} nodes in ${exportSeconds.toFixed(1)} s (${(fileBytes / 2 ** 20).toFixed(1)} MiB gzip); `
    + `import jsonl into SQLite: ${records} records in ${importSeconds.toFixed(1)} s`);
  return { nodes, records, exportSeconds, importSeconds, fileBytes };
}
