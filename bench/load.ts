/**
 * The load test at full size: `npx tsx bench/load.ts [--backend sqlite|neo4j|both]
 * [--clients 50] [--seconds 60] [--neo4j-uri bolt://...]`. 50 concurrent clients doing
 * mixed writes and lineage queries for 60 seconds against each backend, on loopback,
 * each backend fresh (a temporary SQLite file; a Neo4j of its own unless --neo4j-uri
 * names an empty one). Prints latency percentiles per kind of request and checks that
 * every acknowledged write is stored; exits 1 on any error or lost write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startNeo4j } from './backends/neo4j-instance.js';
import { loadReportMarkdown, runLoadAgainst, type LoadReport } from './load/load-run.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'both' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'neo4j-uri': { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const backends = values.backend === 'both' ? ['sqlite', 'neo4j'] : [values.backend!];
const clients = Number(values.clients);
const durationMs = Number(values.seconds) * 1000;
const seed = Number(values.seed);

const work = mkdtempSync(path.join(tmpdir(), 'journey-load-'));
const reports: LoadReport[] = [];
try {
  for (const backend of backends) {
    console.error(`load: ${backend}, ${clients} clients, ${durationMs / 1000} s ...`);
    if (backend === 'sqlite') {
      reports.push(await runLoadAgainst({ store: { backend: 'sqlite', sqlitePath: path.join(work, 'load.sqlite') }, clients, durationMs, seed }));
    } else if (backend === 'neo4j') {
      const own = values['neo4j-uri'] ? undefined : await startNeo4j(path.join(work, 'neo4j'), { heap: '2g', pageCache: '1g' });
      try {
        reports.push(await runLoadAgainst({ store: { backend: 'neo4j', uri: values['neo4j-uri'] ?? own!.uri }, clients, durationMs, seed }));
      } finally {
        await own?.stop();
      }
    } else {
      throw new Error(`--backend must be sqlite, neo4j or both, got ${JSON.stringify(backend)}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(loadReportMarkdown(reports));
let failed = false;
for (const r of reports) {
  if (r.totalErrors > 0) {
    failed = true;
    console.log(`\n${r.backend}: ${r.totalErrors} errors, e.g.\n  ${r.errorSamples.join('\n  ')}`);
  }
  if (r.stored.executions !== r.expected.executions || r.stored.artifacts !== r.expected.artifacts) {
    failed = true;
    console.log(`\n${r.backend}: stored ${JSON.stringify(r.stored)}, expected ${JSON.stringify(r.expected)} from the acknowledged writes`);
  }
}
console.log(`\n${JSON.stringify(reports.map(({ errorSamples: _e, ...r }) => r))}`);
process.exitCode = failed ? 1 : 0;
