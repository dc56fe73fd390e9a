// Profiling script (not committed): the cost of a write transaction's commit and of a round trip.
import neo4j from 'neo4j-driver';
const driver = neo4j.driver(process.argv[2]!, undefined, { disableLosslessIntegers: true });
const session = driver.session();
const p50 = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(label: string, n: number, f: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); await f(); ms.push(performance.now() - t); }
  console.log(label.padEnd(50), p50(ms).toFixed(2), 'ms');
}
await time('read tx RETURN 1', 100, () => session.executeRead((tx) => tx.run('RETURN 1')));
await time('write tx CREATE+DELETE (no change)', 100, () => session.executeWrite((tx) => tx.run('CREATE (n:Tmp) DELETE n')));
await time('write tx CREATE (commit with a change)', 100, () => session.executeWrite((tx) => tx.run('CREATE (n:Tmp)')));
await time('write tx 10 awaited RETURN 1 + CREATE', 50, () => session.executeWrite(async (tx) => { for (let i = 0; i < 10; i++) await tx.run('RETURN 1'); await tx.run('CREATE (n:Tmp)'); }));
await time('write tx 10 pipelined RETURN 1 + CREATE', 50, () => session.executeWrite(async (tx) => { await Promise.all(Array.from({ length: 10 }, () => tx.run('RETURN 1'))); await tx.run('CREATE (n:Tmp)'); }));
await session.executeWrite((tx) => tx.run('MATCH (n:Tmp) DELETE n'));
await session.close(); await driver.close();
