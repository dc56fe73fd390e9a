/**
 * Tests' way to start from an empty Neo4j database. Here, not in src/: Neo4j Community has
 * one user database, which the test files share one after another, so each empties it first.
 */
import type { GraphStore } from '../../src/graph/store.js';
import { Neo4jStore } from '../../src/graph/neo4j/neo4j-store.js';

/** Deletes every node and relationship in batches, keeping constraints and indexes. */
export async function clearNeo4jDatabase(store: GraphStore): Promise<void> {
  if (!(store instanceof Neo4jStore)) throw new Error(`clearNeo4jDatabase needs a Neo4j store, got a ${store.backend} store`);
  await store.deleteEverything();
}
