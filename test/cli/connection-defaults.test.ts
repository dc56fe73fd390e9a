/**
 * The CLI's default server URL is written apart from the server's defaults (src/config.ts
 * reaches server code, which the server commands must not load): this keeps the two the
 * same, so `journey lineage ...` with no --url finds the server `npm start` runs.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_URL } from '../../src/cli/client/connection.js';
import { loadConfig } from '../../src/config.js';

describe("the CLI's default URL", () => {
  it("is the GraphQL endpoint of the server's default host and port", () => {
    const config = loadConfig({});
    const url = new URL(DEFAULT_URL);
    expect([url.hostname, Number(url.port), url.pathname]).toEqual([config.host, config.port, '/graphql']);
  });
});
