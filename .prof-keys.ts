// Profiling script (not committed): cost of creating relationships with a unique key property, short vs long keys, committed.
import neo4j from 'neo4j-driver';
const driver = neo4j.driver(process.argv[2]!, undefined, { disableLosslessIntegers: true });
const s = driver.session();
await s.run('CREATE CONSTRAINT testrel_key IF NOT EXISTS FOR ()-[r:TESTREL]-() REQUIRE r.key IS UNIQUE');
await s.run('CALL db.awaitIndexes(60)');
const pairs = (await s.run('MATCH (a:Artifact)-[:EVENT]->(x:Execution) RETURN a.id AS a, x.id AS x, a.mlmdId AS am, x.mlmdId AS xm LIMIT 4000')).records.map((r) => r.toObject());
const stmt = (withKey: boolean) => `UNWIND $rows AS row MATCH (a:Node {id: row.a}) USING INDEX SEEK a:Node(id) MATCH (x:Node {id: row.x}) USING INDEX SEEK x:Node(id) CREATE (a)-[:TESTREL ${withKey ? '{key: row.key, type: row.type, path: row.path, time: row.time}' : '{type: row.type, path: row.path, time: row.time}'}]->(x)`;
const variants: Record<string, [boolean, (p: any) => string]> = {
  longKey: [true, (p) => JSON.stringify([p.a, p.x, 'INPUT'])],
  shortKey: [true, (p) => `${p.am}:${p.xm}:2`],
  noKey: [false, () => ''],
};
const res: Record<string, number[]> = {};
for (let rep = 0; rep < 4; rep++) for (const [name, [withKey, keyOf]] of Object.entries(variants)) {
  const rows = pairs.map((p) => ({ a: p.a, x: p.x, key: keyOf(p) + (withKey ? `#${rep}` : ''), type: 'INPUT', path: '[]', time: neo4j.int(1) }));
  const t = performance.now();
  await s.executeWrite((tx) => tx.run(stmt(withKey), { rows }));
  (res[name] ??= []).push(performance.now() - t);
  await s.run('MATCH ()-[r:TESTREL]->() DELETE r');
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(10), v.map((x) => x.toFixed(0)).join(' '));
await s.run('DROP CONSTRAINT testrel_key IF EXISTS');
await s.close(); await driver.close();
