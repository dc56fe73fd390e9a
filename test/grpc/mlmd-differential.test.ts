/**
 * Semantics are ML Metadata's: test/grpc/python/mlmd_differential.py runs one fixed
 * sequence of client calls per group against MLMD's own in-process store and against
 * this server through MetadataStoreClientConfig(host, port), the way a TFX user points
 * the client at a server; every step's answer (ids mapped) or error class must be equal.
 */
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import { createServices } from '../../src/service/services.js';
import { BACKENDS, useService } from '../support/backends.js';
import { withNeo4jCountersFromOne } from '../support/neo4j-database.js';
import { pythonWithMlmd } from '../support/python.js';
import { runPython, startGrpcUnderTest } from './grpc-harness.js';

const python = pythonWithMlmd('the differential tests of the gRPC face against ML Metadata');

interface Step { step: string; ok?: unknown; error?: string; message?: string }

/** The groups of mlmd_differential.py, each the RPCs it covers. */
const GROUPS = ['types', 'nodes', 'edges', 'put_execution', 'lineage_subgraph', 'put_lineage_subgraph'];

describe.skipIf(python === null).each(BACKENDS)('the gRPC face answers as ML Metadata ($name)', (backend) => {
  const t = useService(backend);

  /**
   * The steps against a server over a store whose id counters start from 1, as MLMD's
   * in-process store's do: the ids themselves meet (an event with its ends swapped names
   * nodes by number). SQLite's test store is emptied with its counters; Neo4j's counters
   * outlive the emptying, so a second store runs on counters started again.
   */
  async function againstNewStore(group: string): Promise<{ ours: Step[]; theirs: Step[] }> {
    const run = async (store: GraphStore) => {
      // The system clock, not the test's fake one: MLMD's update times move with every change.
      const grpc = await startGrpcUnderTest(createServices(store).metadata);
      try {
        return await runPython<{ ours: Step[]; theirs: Step[] }>(python!, 'mlmd_differential.py', ['127.0.0.1', String(grpc.server.port), group]);
      } finally {
        await grpc.server.close();
      }
    };
    return backend.name === 'sqlite' ? run(t.store) : withNeo4jCountersFromOne(t.store, () => backend.open(), run);
  }

  it.each(GROUPS)('group %s: every step answers as MLMD in-process does', async (group) => {
    const { ours, theirs } = await againstNewStore(group);
    expect(ours.length).toBeGreaterThan(0);
    // Step by step, so a failure names the first step that differs.
    // Messages are each side's own words: only the error class is compared.
    const compared = (s: Step | undefined): Step | undefined => (s ? { ...s, message: undefined } : s);
    for (let i = 0; i < theirs.length; i++) expect({ ours: compared(ours[i]), said: ours[i]?.message }).toEqual({ ours: compared(theirs[i]), said: ours[i]?.message });
  }, 120_000);
});
