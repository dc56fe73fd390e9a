/**
 * The load test, short (bench/load.ts runs the full size): 10 concurrent clients doing
 * mixed writes and lineage queries for 5 seconds against a server process on each
 * backend, over loopback with one API key each. No request may fail, and every
 * acknowledged write must be stored. The latency figures are printed, not asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadReportMarkdown, runLoadAgainst } from '../../bench/load/load-run.js';
import { OP_KINDS } from '../../bench/load/load-workload.js';
import type { StoreConfig } from '../../src/graph/open-store.js';
import { useServiceWithKeys } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'journey-load-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.each(BACKENDS)('load ($name)', (backend) => {
  // For Neo4j: the suite's database, emptied before the run and after it.
  useServiceWithKeys(backend);

  it('serves 10 clients of mixed writes and lineage for 5 s with no error and no lost write', async () => {
    const store: StoreConfig = backend.name === 'neo4j'
      ? { backend: 'neo4j', uri: process.env.NEO4J_URI! }
      : { backend: 'sqlite', sqlitePath: path.join(dataDir, 'load.sqlite') };
    const report = await runLoadAgainst({ store, clients: 10, durationMs: 5_000 });
    console.log(loadReportMarkdown([report]));
    expect(report.errorSamples).toEqual([]);
    expect(report.totalErrors).toBe(0);
    expect(report.stored).toEqual(report.expected);
    for (const kind of OP_KINDS) expect(report.ops[kind].samples, kind).toBeGreaterThan(0);
  }, 120_000);
});
