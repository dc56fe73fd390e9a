// Profiling script (not committed): PROFILE a statement and print operators with db hits and rows.
import neo4j from 'neo4j-driver';
import { readFileSync } from 'node:fs';
const driver = neo4j.driver(process.argv[2]!, undefined, { disableLosslessIntegers: true });
const session = driver.session();
const text = readFileSync(process.argv[3]!, 'utf8');
const start = (await session.run(`MATCH (t:Type {name:'Model'}) MATCH (a:Artifact {typeId: t.id}) RETURN a.id AS id, a.mlmdId AS m ORDER BY a.createTime DESC SKIP 5 LIMIT 1`)).records[0]!;
const params = { start: [start.get('id')], startIds: [neo4j.int(start.get('m'))], eventTypes: ['INPUT', 'OUTPUT'], asOf: null, nodeCap: neo4j.int(20000) };
for (let i = 0; i < 3; i++) await session.run(text, params);
const r = await session.run('PROFILE ' + text, params);
const walk = (n: any, depth: number) => { console.log(' '.repeat(depth * 2) + n.operatorType.replace(/@.*/, ''), 'rows', n.rows, 'hits', n.dbHits, n.arguments?.Details ? String(n.arguments.Details).slice(0, 100) : ''); n.children.forEach((c: any) => walk(c, depth + 1)); };
walk(r.summary.profile, 0);
const t = performance.now(); for (let i = 0; i < 20; i++) await session.run(text, params); console.log('avg ms', ((performance.now() - t) / 20).toFixed(2), 'records', r.records.length);
await session.close(); await driver.close();
