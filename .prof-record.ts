// Profiling script (not committed): statements and time of recordExecution on a loaded Neo4j.
import { createNeo4jStore } from './src/graph/neo4j/index.js';
import { Neo4jExecutor } from './src/graph/neo4j/neo4j-executor.js';
import { createMetadataService } from './src/service/metadata/metadata-service.js';

const uri = process.argv[2]!;
const n = Number(process.argv[3] ?? 30);
const verbose = process.argv[4] === 'v';
let log: { text: string; rows: number; ms: number }[] = [];
const origWrite = Neo4jExecutor.prototype.write;
Neo4jExecutor.prototype.write = function (work) {
  return origWrite.call(this, (runner) => work({
    async run(text, params) {
      const t = performance.now();
      const rows = await runner.run(text, params);
      log.push({ text: text.split('\n').find((l) => !l.startsWith('//'))!.slice(0, 90), rows: rows.length, ms: performance.now() - t });
      return rows;
    },
  }));
};
const store = await createNeo4jStore({ uri });
await store.init();
const api = createMetadataService(store);
const examples = await store.read(async (tx) => {
  const [t] = await tx.findTypes('ARTIFACT_TYPE', [{ name: 'Examples', version: null }]);
  return (await tx.listNodes({ kind: 'ARTIFACT', typeIds: [t!.id], orderBy: 'createTime', ascending: false, limit: 50 })).map((a) => a.id);
});
const tag = Date.now().toString(36);
const ms: number[] = [];
for (let i = 0; i < n; i++) {
  log = [];
  const t = performance.now();
  await api.recordExecution({
    execution: { type: 'Trainer', name: `prof-${tag}-${i}`, lastKnownState: 'COMPLETE' },
    inputs: examples.slice(i % 40, (i % 40) + 5).map((id) => ({ id })),
    outputs: [{ artifact: { type: 'Model', name: `prof-m-${tag}-${i}`, uri: `x://m/${i}`, state: 'LIVE' } }, { artifact: { type: 'ModelRun', name: `prof-r-${tag}-${i}`, uri: `x://r/${i}`, state: 'LIVE' } }],
    contexts: [{ type: 'pipeline_run', name: `prof-run-${tag}-${Math.floor(i / 8)}` }],
  });
  ms.push(performance.now() - t);
  if (verbose && i === n - 1) for (const l of log) console.log(l.ms.toFixed(2).padStart(7), String(l.rows).padStart(3), l.text);
}
ms.sort((a, b) => a - b);
console.log(`recordExecution x${n}: p50 ${ms[Math.floor(n / 2)]!.toFixed(1)} ms, ${(1000 * n / ms.reduce((a, b) => a + b)).toFixed(0)}/s, statements in last: ${log.length}`);
await store.close();
