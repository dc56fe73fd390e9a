import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts a real Neo4j (scripts/neo4j) unless NEO4J_URI points at one, and stops it after.
    globalSetup: ['test/support/neo4j-global-setup.ts'],
    // Neo4j Community has one user database: test files share it, so they run one at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
