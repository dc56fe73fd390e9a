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
