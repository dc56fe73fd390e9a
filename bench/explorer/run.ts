/**
 * `npx tsx bench/explorer/run.ts [--iterations 20] [--shards 600] [--scorers 396] [--out DIR] [--no-docs]`:
 * the explorer's bench cell (bench/explorer/explorer-bench.ts). Writes bench/results/explorer.json
 * and the section "Explorer: 1,000-node lineage in Chromium" of docs/benchmarks.md.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExplorerBench } from './explorer-bench.js';
import { writeExplorerDoc, writeExplorerResult } from './explorer-report.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2).filter((a) => a !== '--');
const flags = new Map<string, string>();
let docs = true;
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i]!;
  if (arg === '--no-docs') { docs = false; continue; }
  const name = arg.replace(/^--/, '');
  if (!['iterations', 'shards', 'scorers', 'out'].includes(name) || argv[i + 1] === undefined) throw new Error(`unknown or incomplete option ${arg}`);
  flags.set(name, argv[++i]!);
}
const int = (name: string, fallback: number): number => {
  const n = Number(flags.get(name) ?? fallback);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const started = Date.now();
const log = (line: string): void => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);
const outDir = path.resolve(flags.get('out') ?? path.join(root, 'bench', 'results'));
mkdirSync(outDir, { recursive: true });
const result = await runExplorerBench({
  iterations: int('iterations', 20), shards: int('shards', 600), scorers: int('scorers', 396),
  command: `npx tsx bench/explorer/run.ts ${argv.join(' ')}`.trim(), log,
});
log(`wrote ${writeExplorerResult(outDir, result)}`);
if (docs) log(`wrote ${writeExplorerDoc(result)}`);
log(`interactive: cold p50 ${result.cold.interactive.p50.toFixed(0)} ms / p95 ${result.cold.interactive.p95.toFixed(0)} ms; warm p50 ${result.warm.interactive.p50.toFixed(0)} ms / p95 ${result.warm.interactive.p95.toFixed(0)} ms (target ${result.targetMs} ms)`);
