// Profiling script (not committed): raw statement variants, timed client-side, interleaved.
import neo4j from 'neo4j-driver';
const driver = neo4j.driver(process.argv[2]!, undefined, { disableLosslessIntegers: true });
const session = driver.session();
const starts = (await session.run(`MATCH (t:Type {name:'Model'}) MATCH (a:Artifact {typeId: t.id}) RETURN a.id AS id ORDER BY a.createTime`)).records.map((r) => r.get('id') as string);
const picks = starts.filter((_, i) => i % Math.floor(starts.length / 20) === 0).slice(0, 20);
const reachIds = new Map<string, string[]>();
const R = 20;
const base = `MATCH (s:Node) USING INDEX SEEK s:Node(id) WHERE s.id IN $start
MATCH (s)<-[walked:EVENT*0..${R}]-(n)
WHERE all(e IN walked WHERE e.type IN $eventTypes AND ($asOf IS NULL OR e.time <= $asOf))
WITH DISTINCT n LIMIT $nodeCap
OPTIONAL MATCH (n)<-[e:EVENT]-(neighbor)
WHERE e.type IN $eventTypes AND ($asOf IS NULL OR e.time <= $asOf)
`;
const variants: Record<string, string> = {
  current: base + `RETURN n.id AS frontierId, collect(neighbor.id) AS neighborIds, collect(neighbor.typeId) AS neighborTypeIds,
       collect(neighbor:Artifact) AS neighborIsArtifact, collect(e.type) AS types, collect(e.path) AS paths, collect(e.time) AS times`,
  countOnly: base + `RETURN count(*) AS c`,
  internalInts: base + `RETURN id(n) AS f, collect(id(neighbor)) AS nb, collect(e.time) AS times`,
  intsPlusTypeStr: base + `RETURN id(n) AS f, collect(id(neighbor)) AS nb, collect(e.type) AS types, collect(e.time) AS times`,
  intsPlusPath: base + `RETURN id(n) AS f, collect(id(neighbor)) AS nb, collect(e.type) AS types, collect(e.path) AS paths, collect(e.time) AS times`,
  intsOneRow: base + `WITH id(n) AS f, collect(id(neighbor)) AS nb, collect(e.time) AS times RETURN collect(f) AS fs, collect(nb) AS nbs, collect(times) AS ts`,
  nodeInfoOnce: base + `WITH n, collect(id(neighbor)) AS nb, collect(e.time) AS times RETURN id(n) AS f, n.id AS uuid, n.typeId AS typeId, nb, times`,
};
const params = (s: string) => ({ start: [s], eventTypes: ['INPUT', 'OUTPUT'], asOf: null, nodeCap: neo4j.int(20000) });
const p50 = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const times: Record<string, number[]> = {};
let rows = 0, values = 0;
for (let rep = 0; rep < 4; rep++) {
  for (const s of picks) {
    for (const [name, text] of Object.entries(variants)) {
      const t = performance.now();
      const res = await session.executeRead((tx) => tx.run(text, params(s)));
      const ms = performance.now() - t;
      if (rep > 0) (times[name] ??= []).push(ms);
      if (name === 'current' && rep === 1) { rows += res.records.length; values += res.records.reduce((n, r) => n + (r.get('neighborIds') as unknown[]).length, 0); }
      if (name === 'current') reachIds.set(s, res.records.map((r) => r.get('frontierId') as string));
    }
  }
}
console.log('rows/query', rows / picks.length, 'steps/query', values / picks.length);
for (const [name, xs] of Object.entries(times)) console.log(name.padEnd(18), p50(xs).toFixed(2));
// getNodes variants
const getVariants: Record<string, string> = {
  current: `UNWIND $ids AS id MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id) RETURN labels(n) AS labels, properties(n) AS fields`,
  countOnly: `UNWIND $ids AS id MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id) RETURN count(*) AS c`,
  propsOnly: `UNWIND $ids AS id MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id) RETURN properties(n) AS fields`,
  keysValues: `UNWIND $ids AS id MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id) RETURN keys(n) AS k, [k IN keys(n) | n[k]] AS v`,
  oneRowCollect: `UNWIND $ids AS id MATCH (n:Node {id: id}) USING INDEX SEEK n:Node(id) RETURN collect(properties(n)) AS all`,
};
const gt: Record<string, number[]> = {};
for (let rep = 0; rep < 4; rep++) for (const s of picks) for (const [name, text] of Object.entries(getVariants)) {
  const t = performance.now();
  await session.executeRead((tx) => tx.run(text, { ids: reachIds.get(s) }));
  if (rep > 0) (gt[name] ??= []).push(performance.now() - t);
}
for (const [name, xs] of Object.entries(gt)) console.log('get', name.padEnd(14), p50(xs).toFixed(2));
const sample = (await session.run(`MATCH (n:Node {id: $id}) RETURN properties(n) AS p`, { id: picks[3] })).records[0]!.get('p');
console.log(JSON.stringify(sample).length, Object.keys(sample).length, JSON.stringify(sample).slice(0, 600));
await session.close(); await driver.close();
