/**
 * Concurrent writers: calls that race to create the same node must all succeed and
 * agree on one node (ML Metadata fails this: google/ml-metadata issue 52).
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { countsOf, putBasicTypes, snapshotGraph } from './fixtures.js';

const WRITERS = 20;
/** The issue-12 race: a few writers per round, many rounds, each round a name nobody has used. */
const RACING_WRITERS = 8;
const ROUNDS = 100;

describe.each(BACKENDS)('concurrency on $name', (backend) => {
  const t = useService(backend);

  it(`lets ${WRITERS} concurrent recordExecution calls share one new context`, async () => {
    await putBasicTypes(t.api);
    const results = await Promise.all(Array.from({ length: WRITERS }, (_, i) => t.api.recordExecution({
      execution: { type: 'Trainer', name: `run-${i}` },
      outputs: [{ artifact: { type: 'Model', name: `model-${i}` } }],
      contexts: [{ type: 'Pipeline', name: 'shared' }],
    })));
    const contextIds = new Set(results.map((r) => r.contexts[0]!.id));
    expect(contextIds.size).toBe(1);
    const [contextId] = [...contextIds] as [string];
    const s = await snapshotGraph(t.api);
    expect(countsOf(s)).toEqual({ artifacts: WRITERS, executions: WRITERS, contexts: 1, events: WRITERS, attributions: WRITERS, associations: WRITERS, parents: 0 });
    expect(s.contexts).toEqual([contextId]);
    const runs = await t.api.listNodes('EXECUTION', { filter: { contextId }, first: 100 });
    expect(await runs.totalCount()).toBe(WRITERS);
    expect(runs.nodes.map((n) => n.name).sort()).toEqual(results.map((r) => r.execution.name).sort());
  });

  it(`lets ${WRITERS} concurrent puts of one named artifact agree on one node`, async () => {
    await putBasicTypes(t.api);
    const results = await Promise.all(Array.from({ length: WRITERS }, () => t.api.putArtifacts([{ type: 'Dataset', name: 'same', uri: 'u' }])));
    expect(new Set(results.map((r) => r[0]!.id)).size).toBe(1);
    expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(1);
  });

  it(`lets ${WRITERS} concurrent puts of one type agree on one type`, async () => {
    const results = await Promise.all(Array.from({ length: WRITERS }, () => t.api.putType('CONTEXT_TYPE', { name: 'Pipeline', properties: [{ name: 'owner', type: 'STRING' }] })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await t.api.listTypes('CONTEXT_TYPE')).toHaveLength(1);
  });

  it(`lets ${WRITERS} concurrent identical events be one event`, async () => {
    await putBasicTypes(t.api);
    const [a] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a' }]);
    const [e] = await t.api.putExecutions([{ type: 'Trainer', name: 'e' }]);
    await Promise.all(Array.from({ length: WRITERS }, () => t.api.putEvents([{ artifactId: a!.id, executionId: e!.id, type: 'INPUT', path: [{ index: 0 }] }])));
    expect((await t.api.eventsByArtifacts([a!.id]))[0]).toHaveLength(1);
  });

  // Each round's writers race to create one context and one input artifact by name; every
  // loser must re-run and reuse them. A lost race that surfaced as anything but the
  // database's own uniqueness error (Neo4j: "Cannot run query in this transaction,
  // because it has been rolled back") used to escape the retry as an unexpected error.
  it(`lets ${RACING_WRITERS} writers × ${ROUNDS} rounds reuse each round's new names without an error`, async () => {
    await putBasicTypes(t.api);
    const failures: unknown[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const settled = await Promise.allSettled(Array.from({ length: RACING_WRITERS }, (_, i) => t.api.recordExecution({
        execution: { type: 'Trainer', name: `run-${round}-${i}` },
        inputs: [{ artifact: { type: 'Dataset', name: `data-${round}`, uri: `file:///data/${round}` } }],
        outputs: [{ artifact: { type: 'Model', name: `model-${round}-${i}` } }],
        contexts: [{ type: 'Pipeline', name: `pipeline-${round}` }],
      })));
      for (const s of settled) if (s.status === 'rejected') failures.push(s.reason);
    }
    expect(failures.map((f) => (f instanceof Error ? `${f.constructor.name}: ${f.message}` : String(f)))).toEqual([]);
    const contexts = await t.api.listNodes('CONTEXT', { first: 1000 });
    expect(contexts.nodes.map((n) => n.name).sort()).toEqual(Array.from({ length: ROUNDS }, (_, r) => `pipeline-${r}`).sort());
    const artifacts = await t.api.listNodes('ARTIFACT', { first: 1000 });
    expect(await artifacts.totalCount()).toBe(ROUNDS + ROUNDS * RACING_WRITERS);
    const inputs = artifacts.nodes.map((n) => n.name!).filter((name) => name.startsWith('data-'));
    expect(inputs.sort()).toEqual(Array.from({ length: ROUNDS }, (_, r) => `data-${r}`).sort());
  }, 300_000);
});
