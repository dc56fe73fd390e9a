/**
 * `npm run bench -- --only transfer` (bench/phases/transfer-phase.ts): the transfer phase
 * alone on the SQLite store a previous run left in the work folder, its figures put into
 * that run's results file, from which the tables and the issue-17 target are drawn. A
 * small store and a committed results file stand in for the previous run; the commands
 * run as processes, as in a full run. SQLite only.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../bench/cli-options.js';
import { runTransferOnly } from '../../bench/phases/transfer-phase.js';
import { renderTables } from '../../bench/report/markdown.js';
import type { WorkloadResult } from '../../bench/report/results.js';
import { judgeTargets } from '../../bench/report/targets.js';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import { writeTinyPipeline } from '../support/tiny-pipeline.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'journey-bench-transfer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('bench --only transfer', () => {
  it('parses --only transfer and refuses what it cannot run', () => {
    expect(parseCli(['--size', '1m', '--workloads', 'tfx', '--only', 'transfer']).only).toBe('transfer');
    expect(parseCli([]).only).toBeNull();
    expect(() => parseCli(['--only', 'queries'])).toThrow('--only takes transfer, got "queries"');
    expect(() => parseCli(['--only', 'transfer', '--systems', 'neo4j'])).toThrow('--only transfer runs on the SQLite store of a previous run');
  });

  it('exports and imports the store a previous run left, and puts the figures into its results file and the tables', async () => {
    const work = path.join(scratch, 'work');
    const out = path.join(scratch, 'results');
    mkdirSync(path.join(work, 'tiny'), { recursive: true });
    mkdirSync(out, { recursive: true });
    const log: string[] = [];
    const options = { size: 'tiny', workloads: ['tfx'], workDir: work, outDir: out, log: (l: string) => { log.push(l); } };
    await expect(runTransferOnly(options)).rejects.toThrow(`--only transfer needs the SQLite store of a previous run at ${path.join(work, 'tiny', 'journey-tfx.sqlite')}`);

    // The previous run: a loaded store and its results file (a committed one, without transfer figures).
    const store = await createSqliteStore({ path: path.join(work, 'tiny', 'journey-tfx.sqlite'), readers: 0 });
    await writeTinyPipeline(store);
    await store.close();
    await expect(runTransferOnly(options)).rejects.toThrow(`and ${path.join(out, 'tiny-tfx.json')} is missing`);
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'results', '10k-tfx.json'), 'utf8')) as WorkloadResult;
    expect(committed.systems.find((s) => s.system === 'sqlite')!.transfer).toBeUndefined();
    copyFileSync(path.join(ROOT, 'bench', 'results', '10k-tfx.json'), path.join(out, 'tiny-tfx.json'));

    const [result] = await runTransferOnly(options);
    const onDisk = JSON.parse(readFileSync(path.join(out, 'tiny-tfx.json'), 'utf8')) as WorkloadResult;
    expect(onDisk).toEqual(result);
    const transfer = onDisk.systems.find((s) => s.system === 'sqlite')!.transfer!;
    // 3 nodes; 2 types, 3 nodes, 2 events, the derivation and the counters.
    expect({ nodes: transfer.nodes, records: transfer.records }).toEqual({ nodes: 3, records: 9 });
    expect(transfer.exportSeconds).toBeGreaterThan(0);
    expect(transfer.importPeakRssKb).toBeGreaterThan(10_000);
    expect(transfer.loadAverage).toHaveLength(2);
    // Everything else the previous run measured is kept as it was.
    expect({ ...onDisk, systems: onDisk.systems.map((s) => ({ ...s, transfer: undefined })) })
      .toEqual({ ...committed, systems: committed.systems.map((s) => ({ ...s, transfer: undefined })) });
    expect(log.join('\n')).toMatch(/sqlite export: 3 nodes in .* import jsonl into SQLite: 9 records in/);

    const tables = renderTables([onDisk]);
    expect(tables).toContain('#### `journey export` of the loaded store, `journey import jsonl` of its file into SQLite');
    expect(tables).toMatch(/\| tfx \| sqlite \| 3 \| 9 \|/);
    const target = judgeTargets([{ ...onDisk, size: '1m' }]).find((r) => r.target.startsWith('journey export and journey import jsonl of the 1m graph'));
    expect(target).toMatchObject({ where: 'SQLite, 1m tfx', verdict: 'pass' });
    expect(target!.measured).toMatch(/^export 0 min \d+ s, import 0 min \d+ s \(3 nodes, 9 records\)$/);
  }, 120_000);
});
