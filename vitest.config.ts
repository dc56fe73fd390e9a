import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql ships index.mjs and index.js; vite would hand our code the .mjs copy while
    // graphql-yoga and @graphql-tools load the .js one under Node, and errors made by one
    // copy fail `instanceof GraphQLError` in the other. Node itself loads only index.js.
    alias: [{ find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) }],
  },
  // The explorer's component tests (web/test/, in jsdom) are TSX with React's automatic runtime.
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['test/**/*.test.ts', 'web/test/**/*.test.{ts,tsx}'],
    // Starts a real Neo4j (scripts/neo4j) unless NEO4J_URI points at one, and stops it after.
    globalSetup: ['test/support/neo4j-global-setup.ts'],
    // Neo4j Community has one user database: test files share it, so they run one at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    // Servers the tests start from src/main.ts would all take ML Metadata's port 8080 for
    // gRPC, beside other runs on the machine; the gRPC tests choose their own ports.
    env: { JOURNEY_GRPC_PORT: process.env.JOURNEY_GRPC_PORT ?? 'off' },
    hookTimeout: 120_000,
  },
});
