/**
 * The explorer's bench cell end to end at a tiny size (a 19-node fan graph, one load cold
 * and one warm): the harness seeds through the API, opens the lineage in Chromium, reads
 * both times from the page, counts every view's GraphQL requests, and writes its results
 * file and doc section. It asserts what the harness produced, never a time.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExplorerBench } from '../../bench/explorer/explorer-bench.js';
import { writeExplorerDoc, writeExplorerResult } from '../../bench/explorer/explorer-report.js';
import { HAS_CHROMIUM } from '../explorer/explorer-harness.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'journey-explorer-bench-smoke-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!HAS_CHROMIUM)('the explorer bench cell (tiny)', () => {
  it('times the lineage load cold and warm, counts each view\'s requests, and writes its results and doc section', async () => {
    const lines: string[] = [];
    const r = await runExplorerBench({ shards: 10, scorers: 5, iterations: 1, command: 'smoke', log: (l) => lines.push(l) });
    expect(r.answer).toMatchObject({ nodes: 19, truncated: false });
    // The 10 shards fold into one group; the 5 readers stay drawn (below the threshold).
    expect(r.answer).toMatchObject({ drawnNodes: 4 + 1 + 5, groups: 1 });
    for (const load of [r.cold, r.warm]) {
      expect(load.samples).toHaveLength(1);
      const [s] = load.samples;
      expect(s!.drawnMs).toBeGreaterThan(0);
      expect(s!.interactiveMs).toBeGreaterThanOrEqual(s!.drawnMs);
      expect(load.interactive.samples).toBe(1);
    }
    expect(r.views.map((v) => v.view)).toEqual(['find', 'browse', 'node', 'lineage', 'path', 'impact', 'compare', 'privacy', 'privacy-inventory', 'privacy-erasure', 'privacy-audit', 'access']);
    expect(r.views.find((v) => v.view === 'lineage')!.operations).toEqual(['Lineage']);
    expect(r.views.find((v) => v.view === 'path')!.operations).toEqual(['Path']);
    expect(r.frameOperations).toEqual(['Me']);

    const file = writeExplorerResult(scratch, r);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ schema: 'explorer-1', iterations: 1 });
    const doc = path.join(scratch, 'benchmarks.md');
    writeFileSync(doc, '# Benchmarks\n\nprose\n');
    writeExplorerDoc(r, doc);
    writeExplorerDoc(r, doc); // a second run replaces its section rather than adding another
    const text = readFileSync(doc, 'utf8');
    expect(text.match(/## Explorer: 1,000-node lineage in Chromium/g)).toHaveLength(1);
    expect(text).toContain('| lineage | `#/lineage/<id>?direction=BOTH&hops=4` | 1 | Lineage |');
    expect(text).toContain('prose');
  }, 240_000);
});
