// Profiling script (not committed): PROFILE every statement of one recordExecution (rolled back), on a loaded Neo4j.
import neo4j from 'neo4j-driver';
import { createNeo4jStore } from './src/graph/neo4j/index.js';
import { Neo4jExecutor } from './src/graph/neo4j/neo4j-executor.js';
import { createMetadataService } from './src/service/metadata/metadata-service.js';
import { generateWorkload } from './bench/workload/sizes.js';
import { NodeIds, recordInputOf } from './bench/ingest/our-ingest.js';
import { tailSegmentFor, TAIL_SEGMENTS } from './bench/phases/workload-context.js';

const uri = process.argv[2]!;
const captured: { text: string; params: Record<string, unknown> }[] = [];
const origWrite = Neo4jExecutor.prototype.write;
let capture = false;
Neo4jExecutor.prototype.write = function (work) {
  return origWrite.call(this, (runner) => work({
    async run(text, params = {}) { if (capture) captured.push({ text, params }); return runner.run(text, params); },
  }));
};
const store = await createNeo4jStore({ uri });
const g = generateWorkload('tfx', '10k', 42);
const tail = tailSegmentFor(g.steps.length);
const bulk = g.steps.length - TAIL_SEGMENTS * tail;
// Ids of the artifacts already stored, by name.
const ids = new NodeIds(g);
const x = bulk + Number(process.argv[3] ?? 4) * tail + 5;
const input = recordInputOf(g, x, ids);
// Inputs by name are read as ids where they exist.
const byName = await store.read(async (tx) => {
  const out = new Map<string, string>();
  for (const kind of ['ARTIFACT'] as const) {
    const nodes = await tx.listNodes({ kind, orderBy: 'createTime', ascending: true, limit: 100000 });
    for (const n of nodes) if (n.name) out.set(n.name, n.id);
  }
  return out;
});
input.inputs = (input.inputs ?? []).map((r) => ('artifact' in r && r.artifact?.name && byName.has(r.artifact.name) ? { id: byName.get(r.artifact.name)! } : r));
capture = true;
const api = createMetadataService(store);
// Run for real inside a write that fails at the end, so nothing stays.
await store.inOneTransaction(async () => { await api.recordExecution(input); throw new Error("rollback"); }).catch((e) => { if (e.message !== "rollback") throw e; });
capture = false;
const driver = neo4j.driver(uri, undefined, { disableLosslessIntegers: true });
const session = driver.session();
const tx = session.beginTransaction();
const toDriver = (v: unknown): unknown => typeof v === 'number' ? (Number.isSafeInteger(v) ? neo4j.int(v) : v) : Array.isArray(v) ? v.map(toDriver) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, w]) => [k, toDriver(w)])) : v;
for (const c of captured) {
  const r = await tx.run('PROFILE ' + c.text, toDriver(c.params) as Record<string, unknown>);
  const p = r.summary.profile;
  let hits = 0; const ops: string[] = [];
  const walk = (n: any) => { hits += n.dbHits; ops.push(`${n.operatorType.replace(/@.*/, '')}(${n.dbHits})`); n.children.forEach(walk); };
  if (p) walk(p);
  console.log(String(hits).padStart(6), c.text.split('\n').filter((l) => !l.startsWith('//')).slice(0, 2).join(' ').slice(0, 80), '|', ops.join(' '));
}
await tx.rollback(); await session.close(); await driver.close(); await store.close();
