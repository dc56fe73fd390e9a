// Profiling script (not committed): the bench's tfx ingest and in-process recordExecution, on a running Neo4j, with statement counts.
import { createNeo4jStore } from './src/graph/neo4j/index.js';
import { Neo4jExecutor } from './src/graph/neo4j/neo4j-executor.js';
import { createMetadataService } from './src/service/metadata/metadata-service.js';
import { clearNeo4jDatabase } from './test/support/neo4j-database.js';
import { generateWorkload } from './bench/workload/sizes.js';
import { ingestGraph, NodeIds, noteRecorded, recordInputOf } from './bench/ingest/our-ingest.js';
import { recordConcurrently } from './bench/http/http-bench.js';
import { tailSegmentFor, TAIL_SEGMENTS } from './bench/phases/workload-context.js';

import neo4jDriver from 'neo4j-driver';
const serverMs = new Map<string, { n: number; ms: number }>();
const origRun = neo4jDriver.ManagedTransaction.prototype.run;
let profiled = 0;
neo4jDriver.ManagedTransaction.prototype.run = function (this: unknown, text: string, params?: unknown) {
  const doProfile = process.argv.includes('plan') && text.startsWith('CALL () {') && (params as any)?.inputs?.length > 1000 || (process.argv.includes('plan') && text.startsWith('CALL () {') && (params as any)?.attributions?.length > 1000);
  if (doProfile && profiled < 2) { profiled += 1; text = 'PROFILE ' + text; }
  const result = origRun.call(this, text, params as never);
  if (text.startsWith('PROFILE')) result.summary().then((s) => {
    const walk = (n: any, d: number) => { console.log(' '.repeat(d * 2) + n.operatorType.replace(/@.*/, ''), 'rows', n.rows, 'hits', n.dbHits, 'ms', (n.time / 1e6).toFixed(1)); n.children.forEach((c: any) => walk(c, d + 1)); };
    console.log('PROFILE', Number(s.resultAvailableAfter) + Number(s.resultConsumedAfter), 'ms'); walk(s.profile, 1);
  });
  const name = text.split('\n').find((l) => !l.startsWith('//'))!.slice(0, 60);
  result.summary().then((s) => {
    const e = serverMs.get(name) ?? { n: 0, ms: 0 };
    e.n += 1; e.ms += Number(s.resultAvailableAfter) + Number(s.resultConsumedAfter);
    serverMs.set(name, e);
  }, () => undefined);
  return result;
} as never;
const uri = process.argv[2]!;
const size = (process.argv[3] ?? '10k') as '10k';
const verbose = process.argv.includes('v');
let log: { text: string; rows: number; ms: number }[] = [];
let statements = 0;
const origWrite = Neo4jExecutor.prototype.write;
export const writeTimes: { total: number; lastAnswer: number }[] = [];
Neo4jExecutor.prototype.write = function (work) {
  const t0 = performance.now();
  let lastAnswer = t0;
  return origWrite.call(this, (runner) => work({
    async run(text, params) {
      const rows = await runner.run(text, params);
      lastAnswer = performance.now();
      return rows;
    },
  })).then((r) => { writeTimes.push({ total: performance.now() - t0, lastAnswer: lastAnswer - t0 }); return r; });
};
const origWrite2 = Neo4jExecutor.prototype.write;
Neo4jExecutor.prototype.write = function (work) {
  return origWrite2.call(this, (runner) => work({
    async run(text, params) {
      statements += 1;
      const t = performance.now();
      const rows = await runner.run(text, params);
      if (verbose) log.push({ text: text.split('\n').find((l) => !l.startsWith('//'))!.slice(0, 100), rows: rows.length, ms: performance.now() - t });
      return rows;
    },
  }));
};
const store = await createNeo4jStore({ uri });
await clearNeo4jDatabase(store);
await store.init();
const g = generateWorkload('tfx', size, 42);
const tail = tailSegmentFor(g.steps.length);
const bulk = g.steps.length - TAIL_SEGMENTS * tail;
const api = createMetadataService(store);
const ids = new NodeIds(g);
statements = 0;
const out = await ingestGraph(api, g, bulk, 'service', ids);
{ const big = writeTimes.filter((w) => w.total > 50); console.log('big writes', big.length, 'total ms', big.reduce((a, w) => a + w.total, 0).toFixed(0), 'after last answer (commit) ms', big.reduce((a, w) => a + w.total - w.lastAnswer, 0).toFixed(0)); }
console.log(`ingest: ${out.seconds.toFixed(1)} s, ${((out.nodes + out.edges) / out.seconds).toFixed(0)} items/s, ${statements} statements`);
if (process.argv.includes('server')) { for (const [k, v] of [...serverMs].sort((a, b) => b[1].ms - a[1].ms)) console.log(String(v.ms).padStart(7), String(v.n).padStart(5), k); }
serverMs.clear();
const record = async (x: number): Promise<void> => { noteRecorded(g, x, ids, await api.recordExecution(recordInputOf(g, x, ids))); };
for (let seg = 0; seg < (process.argv.includes('ingest-only') ? 0 : 2); seg++) {
  statements = 0;
  const from = bulk + seg * tail;
  const run = await recordConcurrently(record, g, from, from + tail, 1);
  console.log(`record seg ${seg}: ${run.executionsPerSecond.toFixed(0)}/s, ${(statements / tail).toFixed(1)} statements each`);
  if (process.argv.includes('server') && seg === 1) { for (const [k, v] of [...serverMs].sort((a, b) => b[1].ms - a[1].ms)) console.log(String(v.ms).padStart(7), String(v.n).padStart(5), k); }
  serverMs.clear();
}
if (verbose) {
  log = [];
  await record(bulk + 2 * tail);
  for (const l of log) console.log(l.ms.toFixed(2).padStart(7), String(l.rows).padStart(3), l.text);
}
await store.close();
