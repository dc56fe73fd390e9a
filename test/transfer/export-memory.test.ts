/**
 * `journey export` reads the store a page at a time and writes through a stream that
 * waits for its reader: memory stays flat whatever the store's size. A generated chain of
 * 5k and of 50k nodes (artifact → execution → artifact …, an event each way) is exported
 * into a slow sink while the process's RSS is sampled; the figures are printed (the
 * report in docs/export-format.md quotes them), and the growth at 50k must stay far below
 * ten times the growth at 5k, which holding the export in memory would cost.
 * SQLite only: the paging is the service's, the same on both backends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import type { GraphStore } from '../../src/graph/store.js';
import { exportText } from '../../src/service/transfer/store-export.js';
import { writeChain } from '../support/chain-store.js';

const folder = mkdtempSync(path.join(tmpdir(), 'journey-export-memory-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A store holding a chain of `n` nodes (half artifacts, half executions) with an event between each neighbour. */
async function chainStore(n: number): Promise<GraphStore> {
  // Reads in this thread (no reader threads), so the RSS sampled is the export's own.
  const store = await createSqliteStore({ path: path.join(folder, `chain-${n}.sqlite`), readers: 0 });
  await store.init();
  await writeChain(store, n, 200);
  return store;
}

/** Exports `store` into a sink that takes 64 KiB a millisecond (slower than the export), sampling RSS; the peak growth in MB and the bytes. */
async function exportSampled(store: GraphStore): Promise<{ growthMb: number; bytes: number; nodes: number }> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
  let bytes = 0;
  let nodes = 0;
  const slowSink = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      setTimeout(done, 1);
    },
  });
  try {
    await pipeline(Readable.from(exportText(store, { onNodes: (k) => { nodes += k; } })), createGzip(), slowSink);
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { growthMb: (peak - baseline) / 2 ** 20, bytes, nodes: nodes / 2 };
}

describe('export memory', () => {
  it('stays flat from 5k to 50k nodes', async () => {
    const small = await chainStore(5_000);
    const large = await chainStore(50_000);
    try {
      const a = await exportSampled(small);
      const b = await exportSampled(large);
      console.log(`export RSS growth: 5k nodes ${a.growthMb.toFixed(1)} MB (${(a.bytes / 2 ** 20).toFixed(1)} MiB gzip), `
        + `50k nodes ${b.growthMb.toFixed(1)} MB (${(b.bytes / 2 ** 20).toFixed(1)} MiB gzip)`);
      expect(a.nodes).toBe(5_000);
      expect(b.nodes).toBe(50_000);
      expect(b.growthMb).toBeLessThan(4 * Math.max(a.growthMb, 8) + 32);
    } finally {
      await small.close();
      await large.close();
    }
  }, 600_000);
});
