/**
 * Time budgets. A lineage query (lineage, impact, path) that runs past its budget is
 * stopped between hops with TIMEOUT and a clear message, its read transaction rolled
 * back so the store serves the next request; the Neo4j server's own transaction timeout
 * arrives as the same error. The slow store here waits 30 ms per hop against a 5 ms
 * budget, so the outcome does not depend on the machine's speed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError } from '../../src/graph/errors.js';
import type { GraphStore } from '../../src/graph/store.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { onlyError } from '../api/harness.js';
import { draw, putLineageTypes } from '../lineage/lineage-fixtures.js';
import { BACKENDS, useService } from '../support/backends.js';
import { startSecureServer, type TestServer } from './security-harness.js';

/** `inner`, with every lineage hop taking at least `delayMs` longer. */
function slowWalks(inner: GraphStore, delayMs: number): GraphStore {
  const slow = <T>(work: (tx: Parameters<Parameters<GraphStore['read']>[0]>[0]) => Promise<T>) => inner.read((tx) => work(new Proxy(tx, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop !== 'lineageSteps' && prop !== 'lineageReach') return (value as (...a: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  })));
  return { ...inner, backend: inner.backend, init: () => inner.init(), read: slow, write: (w) => inner.write(w), ping: () => inner.ping(), close: () => inner.close() };
}

/** `inner`, calling `tick` before every lineage read of the store. */
function tickingWalks(inner: GraphStore, tick: () => void): GraphStore {
  const ticking = <T>(work: (tx: Parameters<Parameters<GraphStore['read']>[0]>[0]) => Promise<T>) => inner.read((tx) => work(new Proxy(tx, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop !== 'lineageSteps' && prop !== 'lineageReach') return (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        tick();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  })));
  return { ...inner, backend: inner.backend, init: () => inner.init(), read: ticking, write: (w) => inner.write(w), ping: () => inner.ping(), close: () => inner.close() };
}

const MESSAGE = 'the query ran past its time budget of 5 ms and was stopped; narrow it (fewer start nodes, a lower maxHops or maxNodes)';

describe.each(BACKENDS)('time budgets ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('stops lineage, impact and path past their budget with TIMEOUT, and the store serves on', async () => {
    await putLineageTypes(h.api);
    // d0 -> x0 -> d1 -> x1 -> d2 -> x2 -> d3: several hops each way.
    const g = await draw(h.api, {
      artifacts: { d0: 'Dataset', d1: 'Dataset', d2: 'Dataset', d3: 'Dataset' },
      executions: { x0: 'Transform', x1: 'Transform', x2: 'Transform' },
      events: ['d0 -> x0', 'x0 -> d1', 'd1 -> x1', 'x1 -> d2', 'd2 -> x2', 'x2 -> d3'],
    });
    const lineage = createLineageService(slowWalks(h.store, 30), { queryTimeoutMs: 5 });
    t = await startSecureServer(h.api, { lineage });
    const queries: [string, Record<string, unknown>][] = [
      ['query Q($s: [ID!]!) { lineage(start: $s, direction: DOWNSTREAM) { nodes { id } } }', { s: [g.id('d0')] }],
      ['query Q($s: [ID!]!) { impact(start: $s) { artifactCount } }', { s: [g.id('d0')] }],
      ['query Q($a: ID!, $b: ID!) { path(from: $a, to: $b) { type } }', { a: g.id('d0'), b: g.id('d3') }],
      ['query Q($s: ID!) { artifact(id: $s) { downstream { nodes { id } } } }', { s: g.id('d0') }],
    ];
    for (const [query, variables] of queries) {
      const error = onlyError(await t.gql(query, variables));
      expect(error, query).toMatchObject({ message: MESSAGE, extensions: { code: 'TIMEOUT' } });
    }
    expect(await t.data('{ artifacts { totalCount } }')).toEqual({ artifacts: { totalCount: 4 } });
    const fast = createLineageService(h.store, { queryTimeoutMs: 60_000 });
    expect((await fast.lineage({ start: [g.id('d0')], direction: 'DOWNSTREAM' })).nodes).toHaveLength(7);
  });

  it('gives one operation one budget: walks nested under walks share it, and those past it answer TIMEOUT', async () => {
    await putLineageTypes(h.api);
    // d0 -> x0 -> m1 -> x1 -> d2 -> x2 -> m3: each level below finds the next node of the other type.
    const g = await draw(h.api, {
      artifacts: { d0: 'Dataset', m1: 'Model', d2: 'Dataset', m3: 'Model' },
      executions: { x0: 'Transform', x1: 'Transform', x2: 'Transform' },
      events: ['d0 -> x0', 'x0 -> m1', 'm1 -> x1', 'x1 -> d2', 'd2 -> x2', 'x2 -> m3'],
    });
    // A clock that moves only when a walk reads the store: 10 ms per lineage read, so the
    // outcome depends on the number of reads, never on the machine's speed.
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const ticking = tickingWalks(h.store, () => { now += 10; });
      // Each walk reads once or twice (20 ms at most): within a budget of 25 ms alone, not three in a row.
      t = await startSecureServer(h.api, { lineage: createLineageService(ticking, { queryTimeoutMs: 25 }) });
      const down = (types: string, inner: string) => `downstream(maxHops: 2, artifactTypes: [${types}], executionTypes: []) { nodes { id artifact { ${inner} } } }`;
      const query = `query Q($s: ID!) { artifact(id: $s) { ${down('"Model"', down('"Dataset"', down('"Model"', 'id')))} } }`;
      const res = await t.gql(query, { s: g.id('d0') });
      expect(res.errors?.length).toBeGreaterThan(0);
      for (const error of res.errors!) {
        expect(error).toMatchObject({ message: MESSAGE.replace('5 ms', '25 ms'), extensions: { code: 'TIMEOUT' } });
      }
      // The first level ran within the budget and answered.
      expect(res.data?.artifact.downstream.nodes.map((n: { id: string }) => n.id)).toEqual([g.id('m1')]);
    } finally {
      clock.mockRestore();
    }
  });

  it('refuses a budget that is not a positive integer', () => {
    expect(() => createLineageService(h.store, { queryTimeoutMs: 0 })).toThrow('queryTimeoutMs must be an integer of 1 or more, got 0');
  });
});

describe.runIf(BACKENDS.some((b) => b.name === 'neo4j'))('the Neo4j transaction timeout', () => {
  it('arrives as DeadlineExceededError, naming no internals', async () => {
    const { Neo4jExecutor } = await import('../../src/graph/neo4j/neo4j-executor.js');
    const executor = Neo4jExecutor.connect({ uri: process.env.NEO4J_URI!, transactionTimeoutMs: 100 });
    try {
      // A statement that would run for seconds; the server ends it at 100 ms.
      const slow = executor.read((run) => run.run('UNWIND range(1, 300000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x) AS n'));
      await expect(slow).rejects.toThrow(DeadlineExceededError);
      await expect(slow).rejects.toThrow('the graph database stopped the transaction: it ran past its time limit');
    } finally {
      await executor.close();
    }
  });
});
