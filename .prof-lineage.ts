// Profiling script (not committed): times the lineage service and its store parts on a loaded Neo4j.
import { createNeo4jStore } from './src/graph/neo4j/index.js';
import { createLineageService } from './src/service/lineage/lineage-service.js';

const uri = process.argv[2]!;
const hops = Number(process.argv[3] ?? 20);
const store = await createNeo4jStore({ uri });
await store.init();
const starts: string[] = await store.read(async (tx) => {
  const types = await tx.findTypes('ARTIFACT_TYPE', [{ name: 'Model', version: null }]);
  const nodes = await tx.listNodes({ kind: 'ARTIFACT', typeIds: [types[0]!.id], orderBy: 'createTime', ascending: true, limit: 1000 });
  const step = Math.max(1, Math.floor(nodes.length / 20));
  return nodes.filter((_, i) => i % step === step - 1).slice(0, 20).map((n) => n.id);
});
const api = createLineageService(store);
const p50 = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(label: string, f: (start: string) => Promise<unknown>): Promise<void> {
  for (const s of starts.slice(0, 5)) await f(s); // warm
  const ms: number[] = [];
  for (let rep = 0; rep < 3; rep++) for (const s of starts) { const t = performance.now(); await f(s); ms.push(performance.now() - t); }
  console.log(label.padEnd(40), p50(ms).toFixed(2), 'ms p50');
}
let sizes: number[] = [];
await time(`lineage UP ${hops} records`, async (s) => { const g = await api.lineage({ start: [s], direction: 'UPSTREAM', maxHops: hops, maxNodes: 100000 }); sizes.push(g.nodes.length); });
console.log('nodes p50', p50(sizes));
await time(`lineage UP ${hops} no records`, (s) => api.lineage({ start: [s], direction: 'UPSTREAM', maxHops: hops, maxNodes: 100000 }, { records: false }));
const ids = new Map<string, string[]>();
for (const s of starts) ids.set(s, (await api.lineage({ start: [s], direction: 'UPSTREAM', maxHops: hops, maxNodes: 100000 }, { records: false })).nodes.map((n) => n.id));
await time('reach only', (s) => store.read((tx) => tx.lineageReach([s], 'UPSTREAM', ['INPUT', 'OUTPUT'], null, hops, 20000)));
await time('getNodes of the answer', (s) => store.read((tx) => tx.getNodes(ids.get(s)!)));
await time('empty read tx', () => store.read(async () => undefined));
await store.close();
