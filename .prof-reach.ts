// Profiling script (not committed): reach variants over Bolt, decoded to LineageStep shapes, timed client-side.
import neo4j from 'neo4j-driver';
const driver = neo4j.driver(process.argv[2]!, undefined, { disableLosslessIntegers: true });
const session = driver.session();
const R = Number(process.argv[3] ?? 20);
const starts = (await session.run(`MATCH (t:Type {name:'Model'}) MATCH (a:Artifact {typeId: t.id}) RETURN a.id AS id, a.mlmdId AS m ORDER BY a.createTime`)).records.map((r) => ({ id: r.get('id') as string, m: r.get('m') as number }));
const picks = starts.filter((_, i) => i % Math.max(1, Math.floor(starts.length / 20)) === 0).slice(0, 20);
const CODE = `CASE e.type WHEN 'INPUT' THEN 2 WHEN 'OUTPUT' THEN 3 WHEN 'DECLARED_OUTPUT' THEN 0 WHEN 'DECLARED_INPUT' THEN 1 WHEN 'INTERNAL_INPUT' THEN 4 WHEN 'INTERNAL_OUTPUT' THEN 5 ELSE 6 END`;
const TYPES = ['DECLARED_OUTPUT', 'DECLARED_INPUT', 'INPUT', 'OUTPUT', 'INTERNAL_INPUT', 'INTERNAL_OUTPUT', 'PENDING_OUTPUT'];
const head = (startClause: string) => `${startClause}
MATCH (s)<-[walked:EVENT*0..${R}]-(n)
WHERE all(e IN walked WHERE e.type IN $eventTypes AND ($asOf IS NULL OR e.time <= $asOf))
WITH DISTINCT n LIMIT $nodeCap
`;
const byUuid = `MATCH (s:Node) USING INDEX SEEK s:Node(id) WHERE s.id IN $start`;
const current = head(byUuid) + `OPTIONAL MATCH (n)<-[e:EVENT]-(neighbor)
WHERE e.type IN $eventTypes AND ($asOf IS NULL OR e.time <= $asOf)
RETURN n.id AS frontierId, collect(neighbor.id) AS neighborIds, collect(neighbor.typeId) AS neighborTypeIds,
       collect(neighbor:Artifact) AS neighborIsArtifact, collect(e.type) AS types, collect(e.path) AS paths, collect(e.time) AS times`;
const intRows = head(byUuid) + `OPTIONAL MATCH (n)<-[e:EVENT]-(neighbor)
WHERE e.type IN $eventTypes AND ($asOf IS NULL OR e.time <= $asOf)
RETURN n.mlmdId AS m, n.id AS id, n.typeId AS typeId, n:Artifact AS artifact, collect(neighbor.mlmdId) AS nb, collect(${CODE}) AS codes,
       collect(e.time) AS times, collect(CASE e.path WHEN '[]' THEN 0 ELSE e.path END) AS paths`;
const boundary = `UNWIND $ids AS m MATCH (n:Node {mlmdId: m}) USING INDEX SEEK n:Node(mlmdId) RETURN n.mlmdId AS m, n.id AS id, n.typeId AS typeId, n:Artifact AS artifact`;
const oneRow = head(byUuid) + `OPTIONAL MATCH (n)<-[e:EVENT]-(neighbor)
WHERE e.type IN $eventTypes AND ($asOf IS NULL OR e.time <= $asOf)
WITH n, collect(neighbor) AS nbs, collect(neighbor.mlmdId) AS nb, collect(${CODE}) AS codes, collect(e.time) AS times, collect(CASE e.path WHEN '[]' THEN 0 ELSE e.path END) AS paths
WITH collect(n) AS expanded, collect([n.mlmdId, nb, codes, times, paths]) AS rows, collect(nbs) AS nbss
UNWIND nbss AS nbs UNWIND (CASE WHEN size(nbs) = 0 THEN [null] ELSE nbs END) AS x
WITH expanded, rows, collect(DISTINCT x) AS touched
UNWIND expanded + touched AS node
WITH rows, collect(DISTINCT node) AS nodes
RETURN rows, [x IN nodes | [x.mlmdId, x.id, x.typeId, x:Artifact]] AS info`;

interface Step { event: { artifactId: string; executionId: string; type: string; path: unknown[]; time: number }; neighborId: string; neighborKind: string; neighborTypeId: string }
const EMPTY: unknown[] = [];
function decodeCurrent(rows: any[]): Step[] {
  const steps: Step[] = [];
  for (const r of rows) {
    const f = r.get('frontierId'); const ids = r.get('neighborIds'); const tids = r.get('neighborTypeIds'); const arts = r.get('neighborIsArtifact'); const types = r.get('types'); const paths = r.get('paths'); const times = r.get('times');
    for (let i = 0; i < ids.length; i++) steps.push({ event: { artifactId: arts[i] ? ids[i] : f, executionId: arts[i] ? f : ids[i], type: types[i], path: JSON.parse(paths[i]), time: times[i] }, neighborId: ids[i], neighborKind: arts[i] ? 'ARTIFACT' : 'EXECUTION', neighborTypeId: tids[i] });
  }
  return steps;
}
type Info = { id: string; typeId: string; artifact: boolean };
function stepsFrom(rows: [number, number[], number[], number[], (string | 0)[]][], info: Map<number, Info>): Step[] {
  const steps: Step[] = [];
  for (const [m, nb, codes, times, paths] of rows) {
    const f = info.get(m)!;
    for (let i = 0; i < nb.length; i++) {
      const n = info.get(nb[i]!)!;
      steps.push({ event: { artifactId: n.artifact ? n.id : f.id, executionId: n.artifact ? f.id : n.id, type: TYPES[codes[i]!]!, path: paths[i] === 0 ? EMPTY : JSON.parse(paths[i]!), time: times[i]! }, neighborId: n.id, neighborKind: n.artifact ? 'ARTIFACT' : 'EXECUTION', neighborTypeId: n.typeId });
    }
  }
  return steps;
}
const params = (s: { id: string; m: number }) => ({ start: [s.id], eventTypes: ['INPUT', 'OUTPUT'], asOf: null, nodeCap: neo4j.int(20000) });
const variants: Record<string, (s: { id: string; m: number }) => Promise<number>> = {
  current: async (s) => decodeCurrent((await session.executeRead((tx) => tx.run(current, params(s)))).records).length,
  twoStatements: (s) => session.executeRead(async (tx) => {
    const recs = (await tx.run(intRows, params(s))).records;
    const info = new Map<number, Info>();
    const rows = recs.map((r) => { info.set(r.get('m'), { id: r.get('id'), typeId: r.get('typeId'), artifact: r.get('artifact') }); return [r.get('m'), r.get('nb'), r.get('codes'), r.get('times'), r.get('paths')] as any; });
    const missing = new Set<number>(); for (const r of rows) for (const x of r[1]) if (!info.has(x)) missing.add(x);
    if (missing.size) for (const r of (await tx.run(boundary, { ids: [...missing].map((x) => neo4j.int(x)) })).records) info.set(r.get('m'), { id: r.get('id'), typeId: r.get('typeId'), artifact: r.get('artifact') });
    return stepsFrom(rows, info).length;
  }),
  oneRow: (s) => session.executeRead(async (tx) => {
    const [rec] = (await tx.run(oneRow, params(s))).records;
    const info = new Map<number, Info>(); for (const [m, id, typeId, artifact] of rec!.get('info')) info.set(m, { id, typeId, artifact });
    return stepsFrom(rec!.get('rows'), info).length;
  }),
};
const p50 = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const times: Record<string, number[]> = {};
const counts: Record<string, number> = {};
for (let rep = 0; rep < 5; rep++) for (const s of picks) for (const [name, f] of Object.entries(variants)) {
  const t = performance.now(); const n = await f(s); const ms = performance.now() - t;
  if (rep > 0) { (times[name] ??= []).push(ms); counts[name] = (counts[name] ?? 0) + n; }
}
for (const [name, xs] of Object.entries(times)) console.log(name.padEnd(16), p50(xs).toFixed(2), 'ms p50; steps', counts[name]);
await session.close(); await driver.close();
