// Profiling script (not committed): per-row MATCH by UUID vs by mlmdId in an UNWIND write, committed.
import neo4j from 'neo4j-driver';
const driver = neo4j.driver(process.argv[2]!, undefined, { disableLosslessIntegers: true });
const s = driver.session();
const pairs = (await s.run('MATCH (a:Artifact)-[:EVENT]->(x:Execution) RETURN a.id AS a, x.id AS x, a.mlmdId AS am, x.mlmdId AS xm LIMIT 4000')).records.map((r) => r.toObject());
const byId = `UNWIND $rows AS row MATCH (a:Node:Artifact {id: row.a}) USING INDEX SEEK a:Node(id) MATCH (x:Node:Execution {id: row.x}) USING INDEX SEEK x:Node(id) CREATE (a)-[:TESTREL {type: row.type, path: row.path, time: row.time}]->(x)`;
const byM = `UNWIND $rows AS row MATCH (a:Node:Artifact {mlmdId: row.am}) USING INDEX SEEK a:Node(mlmdId) MATCH (x:Node:Execution {mlmdId: row.xm}) USING INDEX SEEK x:Node(mlmdId) CREATE (a)-[:TESTREL {type: row.type, path: row.path, time: row.time}]->(x)`;
const byIdRead = `UNWIND $rows AS row MATCH (a:Node:Artifact {id: row.a}) USING INDEX SEEK a:Node(id) MATCH (x:Node:Execution {id: row.x}) USING INDEX SEEK x:Node(id) RETURN count(*)`;
const byMRead = `UNWIND $rows AS row MATCH (a:Node:Artifact {mlmdId: row.am}) USING INDEX SEEK a:Node(mlmdId) MATCH (x:Node:Execution {mlmdId: row.xm}) USING INDEX SEEK x:Node(mlmdId) RETURN count(*)`;
const rows = pairs.map((p) => ({ a: p.a, x: p.x, am: neo4j.int(p.am), xm: neo4j.int(p.xm), type: 'INPUT', path: '[]', time: neo4j.int(1) }));
const res: Record<string, number[]> = {};
for (let rep = 0; rep < 8; rep++) for (const [name, text] of Object.entries({ byId, byM, byIdRead, byMRead })) {
  const t = performance.now();
  await s.executeWrite((tx) => tx.run(text, { rows }));
  if (rep > 0) (res[name] ??= []).push(performance.now() - t);
  if (!name.endsWith('Read')) await s.run('MATCH ()-[r:TESTREL]->() DELETE r');
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(10), 'median', [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!.toFixed(0), v.map((x) => x.toFixed(0)).join(' '));
await s.close(); await driver.close();
