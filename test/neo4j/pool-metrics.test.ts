/**
 * The Neo4j pool's use in GET /metrics (src/graph/transaction-pool.ts, metrics.ts
 * watchPool), scraped over real HTTP from a server whose store has a pool of 2:
 *  - 4 slow transactions at once: 2 run (in flight), 2 wait for a connection, and the
 *    wait histogram records the waits (the last two waited for the first two to end);
 *  - a deadlock the database breaks is counted as one retry with reason "deadlock", and
 *    the write is run again at once, not after the driver's back-off of a second;
 *  - a lost uniqueness race re-run by the store is counted as "unique_race";
 *  - writes holding every pooled connection still get fresh ML Metadata ids (a block of
 *    them is taken on a connection of its own: it used to wait for the pool).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNeo4jStore } from '../../src/graph/neo4j/index.js';
import type { Neo4jStore } from '../../src/graph/neo4j/neo4j-store.js';
import type { GraphStore } from '../../src/graph/store.js';
import { ServerMetrics } from '../../src/server/metrics.js';
import { observedStore } from '../../src/server/observability.js';
import { createServices } from '../../src/service/services.js';
import { startTestServer, type TestServer } from '../api/harness.js';
import { parseExposition, valueOf, type Sample } from '../observability/exposition.js';
import { BACKENDS } from '../support/backends.js';
import { clearNeo4jDatabase } from '../support/neo4j-database.js';

const neo4j = BACKENDS.find((b) => b.name === 'neo4j');
const POOL_SIZE = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(neo4j)('Neo4j pool use in GET /metrics', () => {
  let raw: Neo4jStore;
  let store: GraphStore;
  let server: TestServer;

  beforeAll(async () => {
    raw = (await createNeo4jStore({ uri: process.env.NEO4J_URI!, maxConnectionPoolSize: POOL_SIZE })) as Neo4jStore;
    await clearNeo4jDatabase(raw);
    await raw.init();
    const metrics = new ServerMetrics();
    store = observedStore(raw, { metrics, tracing: null });
    server = await startTestServer(createServices(store).metadata, { metrics, metricsPublic: true });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await raw?.close();
  });

  async function scrape(): Promise<Sample[]> {
    const res = await fetch(`${server.origin}/metrics`);
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  }

  it('shows 2 transactions in flight and 2 waiting with a pool of 2 and 4 slow transactions, then their waits', async () => {
    const before = await scrape();
    expect(valueOf(before, 'journey_neo4j_pool_size')).toBe(POOL_SIZE);
    const countBefore = valueOf(before, 'journey_neo4j_transaction_wait_seconds_count', { mode: 'write' }) ?? 0;
    // Each runs a statement (so it holds its connection) and then keeps it until released:
    // the first two hold both connections, the other two wait for one.
    let release!: () => void;
    const released = new Promise<void>((resolve) => { release = resolve; });
    const slow = Array.from({ length: 4 }, () => store.write(async (tx) => {
      await tx.getNodes(['absent']);
      await released;
    }));
    // Polled, not timed: on a loaded machine the four may take a while to get there.
    let during = await scrape();
    while (valueOf(during, 'journey_neo4j_transactions_waiting', { mode: 'write' }) !== 2) {
      await sleep(50);
      during = await scrape();
    }
    expect(valueOf(during, 'journey_neo4j_transactions_in_flight', { mode: 'write' })).toBe(2);
    // The two waiting now wait at least this long more: a lower bound on their waits, not a timing.
    await sleep(1_100);
    release();
    await Promise.all(slow);
    const after = await scrape();
    expect(valueOf(after, 'journey_neo4j_transactions_in_flight', { mode: 'write' })).toBe(0);
    expect(valueOf(after, 'journey_neo4j_transactions_waiting', { mode: 'write' })).toBe(0);
    expect(valueOf(after, 'journey_neo4j_transaction_wait_seconds_count', { mode: 'write' })).toBe(countBefore + 4);
    // The two that waited for a connection waited for a held one to end: over a second each.
    expect(valueOf(after, 'journey_neo4j_transaction_wait_seconds_sum', { mode: 'write' })).toBeGreaterThan(2);
    expect(valueOf(after, 'journey_neo4j_transaction_wait_seconds_bucket', { mode: 'write', le: '1' })).toBeLessThanOrEqual(countBefore + 2);
  }, 30_000);

  it('runs a deadlocked write again at once, counted as one retry for "deadlock"', async () => {
    await raw.executor.write((runner) => runner.run('CREATE (:PoolProbe {k: 1}), (:PoolProbe {k: 2})'));
    const retriesBefore = valueOf(await scrape(), 'journey_neo4j_transaction_retries_total', { mode: 'write', reason: 'deadlock' })!;
    // Each transaction locks one probe, waits until the other holds its own, then locks the other's: a deadlock.
    let holding = 0;
    const bothHolding = async () => { holding += 1; while (holding < 2) await sleep(10); };
    const lockBoth = (first: number, second: number) => raw.executor.write(async (runner) => {
      await runner.run('MATCH (p:PoolProbe {k: $k}) SET p.by = $k', { k: first });
      await bothHolding();
      await runner.run('MATCH (p:PoolProbe {k: $k}) SET p.by = $by', { k: second, by: first });
    });
    // The executor runs a deadlocked write again after tens of milliseconds where the
    // driver's own retry waited a second at least; how long that takes is measured (the
    // multi-process test's profile), never asserted as a timing here.
    await Promise.all([lockBoth(1, 2), lockBoth(2, 1)]);
    const after = await scrape();
    expect(valueOf(after, 'journey_neo4j_transaction_retries_total', { mode: 'write', reason: 'deadlock' })).toBe(retriesBefore + 1);
    expect(valueOf(after, 'journey_neo4j_transactions_in_flight')).toBe(0);
    await raw.executor.write((runner) => runner.run('MATCH (p:PoolProbe) DELETE p'));
  }, 30_000);

  it('takes fresh ids while every pooled connection is held by a write that waits for them', async () => {
    // A fresh store has no block of ids yet: both writes ask for one while each holds one
    // of the pool's 2 connections. The block came from the same pool, so it waited for a
    // connection neither write would give back, until the driver's 60 s acquisition timeout.
    const fresh = (await createNeo4jStore({ uri: process.env.NEO4J_URI!, maxConnectionPoolSize: POOL_SIZE })) as Neo4jStore;
    try {
      const api = createServices(fresh).metadata;
      // Before the side pool this hung until the driver's 60 s acquisition timeout, past the test's own 30 s.
      const put = await Promise.all([api.putType('ARTIFACT_TYPE', { name: 'FreshA' }), api.putType('ARTIFACT_TYPE', { name: 'FreshB' })]);
      expect(put.map((t) => t.name)).toEqual(['FreshA', 'FreshB']);
    } finally {
      await fresh.close();
    }
  }, 30_000);

  it('counts a write the store ran again after a lost uniqueness race as "unique_race"', async () => {
    const before = valueOf(await scrape(), 'journey_neo4j_transaction_retries_total', { mode: 'write', reason: 'unique_race' })!;
    // Two writers put the same type at once: both find none, one creation loses and runs again.
    const api = createServices(store).metadata;
    let raced = 0;
    for (let round = 0; round < 10 && raced === 0; round += 1) {
      await Promise.all([api.putType('ARTIFACT_TYPE', { name: `Raced${round}` }), api.putType('ARTIFACT_TYPE', { name: `Raced${round}` })]);
      raced = valueOf(await scrape(), 'journey_neo4j_transaction_retries_total', { mode: 'write', reason: 'unique_race' })! - before;
    }
    expect(raced).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
