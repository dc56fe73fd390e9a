// Profiling script (not committed): statement variants interleaved, many reps; client p50/p10 and server time.
import neo4j from 'neo4j-driver';
import { readFileSync } from 'node:fs';
const driver = neo4j.driver(process.argv[2]!, undefined, { disableLosslessIntegers: true });
const session = driver.session();
const files = process.argv.slice(4);
const texts = files.map((f) => readFileSync(f, 'utf8'));
const starts = (await session.run(`MATCH (t:Type {name:'Model'}) MATCH (a:Artifact {typeId: t.id}) RETURN a.id AS id, a.mlmdId AS m ORDER BY a.createTime DESC LIMIT 40`)).records.filter((_, i) => i % 2 === 0);
const reps = Number(process.argv[3]);
const idsOf = new Map<string, string[]>();
const mIdsOf = new Map<string, unknown[]>();
for (const s of starts) {
  const rows = (await session.run(readFileSync('/tmp/n4/v-ints-ids.cypher', 'utf8'), { start: [s.get('id')], eventTypes: ['INPUT', 'OUTPUT'], asOf: null, nodeCap: neo4j.int(20000) })).records;
  idsOf.set(s.get('id'), rows.map((r) => r.get('id')));
  mIdsOf.set(s.get('id'), rows.map((r) => neo4j.int(r.get('m'))));
}
const client: number[][] = files.map(() => []); const server: number[][] = files.map(() => []);
for (let r = 0; r < reps; r++) for (const s of starts) for (let v = 0; v < texts.length; v++) {
  const params = { ids: idsOf.get(s.get('id')), mlmdIds: mIdsOf.get(s.get('id')), start: [s.get('id')], startIds: [neo4j.int(s.get('m'))], eventTypes: ['INPUT', 'OUTPUT'], asOf: null, nodeCap: neo4j.int(20000) };
  const t = performance.now();
  const res = await session.executeRead((tx) => tx.run(texts[v]!, params));
  const ms = performance.now() - t;
  if (r > 0) { client[v]!.push(ms); server[v]!.push(Number(res.summary.resultAvailableAfter) + Number(res.summary.resultConsumedAfter)); }
}
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)]!;
files.forEach((f, v) => console.log(f.split('/').pop()!.padEnd(22), 'client p50', q(client[v]!, 0.5).toFixed(2), 'p10', q(client[v]!, 0.1).toFixed(2), ' server p50', q(server[v]!, 0.5)));
await session.close(); await driver.close();
