// Profiling script (not committed): store-level reach and getNodes only, many reps, for --cpu-prof.
import { createNeo4jStore } from './src/graph/neo4j/index.js';
const store = await createNeo4jStore({ uri: process.argv[2]! });
const what = process.argv[3] ?? 'reach';
const starts: string[] = await store.read(async (tx) => {
  const [t] = await tx.findTypes('ARTIFACT_TYPE', [{ name: 'Model', version: null }]);
  const nodes = await tx.listNodes({ kind: 'ARTIFACT', typeIds: [t!.id], orderBy: 'createTime', ascending: false, limit: 40 });
  return nodes.filter((_, i) => i % 2 === 0).map((n) => n.id);
});
const ids = new Map<string, string[]>();
for (const s of starts) ids.set(s, (await store.read((tx) => tx.lineageReach([s], 'UPSTREAM', ['INPUT', 'OUTPUT'], null, 20, 20000))).expanded);
const ms: number[] = [];
for (let r = 0; r < Number(process.argv[4] ?? 10); r++) for (const s of starts) {
  const t = performance.now();
  if (what === 'reach') await store.read((tx) => tx.lineageReach([s], 'UPSTREAM', ['INPUT', 'OUTPUT'], null, 20, 20000));
  else await store.read((tx) => tx.getNodes(ids.get(s)!));
  if (r > 0) ms.push(performance.now() - t);
}
ms.sort((a, b) => a - b);
console.log(what, 'p50', ms[Math.floor(ms.length / 2)]!.toFixed(2), 'p10', ms[Math.floor(ms.length / 10)]!.toFixed(2));
await store.close();
