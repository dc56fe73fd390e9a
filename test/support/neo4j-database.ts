/**
 * Tests' way to start from an empty Neo4j database. Here, not in src/: Neo4j Community has
 * one user database, which the test files share one after another, so each empties it first.
 */
import type { GraphStore } from '../../src/graph/store.js';
import { Neo4jStore } from '../../src/graph/neo4j/neo4j-store.js';

/** Nodes deleted per transaction: one huge transaction would need the whole graph in memory. */
const CLEAR_BATCH_SIZE = 10_000;

/**
 * One batch of the emptying, constraints, indexes and ML Metadata id counters kept: a store
 * still open on the database may hold a block of ids taken from a counter, which a counter
 * started again from 1 would hand out a second time.
 */
const CLEAR_BATCH = 'MATCH (n) WHERE NOT n:MlmdIdCounter WITH n LIMIT $batchSize DETACH DELETE n RETURN count(*) AS deleted';

/** Deletes every node and relationship in batches, keeping constraints, indexes and id counters. */
export async function clearNeo4jDatabase(store: GraphStore): Promise<void> {
  if (!(store instanceof Neo4jStore)) throw new Error(`clearNeo4jDatabase needs a Neo4j store, got a ${store.backend} store`);
  for (;;) {
    const [row] = await store.executor.write((runner) => runner.run(CLEAR_BATCH, { batchSize: CLEAR_BATCH_SIZE }));
    if ((row?.deleted as number) < CLEAR_BATCH_SIZE) return;
  }
}

/**
 * Runs `work` on a second store (`open`, a pool of its own) over the shared database with
 * every ML Metadata id counter started again from 1, as a new database has them; then
 * puts each counter back at least where it stood, so no block the shared store may still
 * hand out from is ever handed out again. The caller empties the database first.
 */
export async function withNeo4jCountersFromOne<T>(
  store: GraphStore, open: () => Promise<GraphStore>, work: (fresh: GraphStore) => Promise<T>,
): Promise<T> {
  if (!(store instanceof Neo4jStore)) throw new Error(`withNeo4jCountersFromOne needs a Neo4j store, got a ${store.backend} store`);
  const saved = await store.executor.write((r) => r.run('MATCH (c:MlmdIdCounter) WITH c, c.space AS space, c.next AS next DELETE c RETURN space, next'));
  const fresh = await open();
  try {
    return await work(fresh);
  } finally {
    await fresh.close();
    await store.executor.write((r) => r.run(
      `UNWIND $saved AS s MERGE (c:MlmdIdCounter {space: s.space})
       SET c.next = CASE WHEN c.next IS NULL OR c.next < s.next THEN s.next ELSE c.next END`,
      { saved: saved.map((row) => ({ space: row.space, next: row.next })) },
    ));
  }
}
