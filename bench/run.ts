/**
 * `npm run bench -- --size 100k`: runs the benchmark (bench/bench-run.ts), writes results
 * to bench/results/ and the tables of docs/benchmarks.md. Options: bench/cli-options.ts.
 */
import { runBench } from './bench-run.js';
import { parseCli } from './cli-options.js';
import { runTransferOnly } from './phases/transfer-phase.js';
import { writeBenchmarksDoc } from './report/markdown.js';

const argv = process.argv.slice(2).filter((a) => a !== '--');
const options = parseCli(argv);
const command = `npm run bench -- ${argv.join(' ')}`.trim();
const started = Date.now();
const log = (line: string): void => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);

if (options.only === 'transfer') await runTransferOnly({ ...options, log });
else await runBench({ ...options, command, log });
if (options.writeDocs) log(`wrote ${writeBenchmarksDoc(options.outDir)}`);
log('done');
