/**
 * Provenance paths through the service, on every backend: one shortest chain of events
 * along the data flow, or null.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { expectStoreError } from '../conformance/fixtures.js';
import { draw, lineageOf, putLineageTypes } from './lineage-fixtures.js';

describe.each(BACKENDS)('path on $name', (backend) => {
  const t = useService(backend);

  /**
   *   d -> t1 -> a1 ----------------> j -> m      (4 events from d to m)
   *   d -> t2 -> b1 -> u -> b2 ------/            (the long way: 6 events)
   *   d -> s -> sib                               (a sibling branch)
   */
  async function branches() {
    await putLineageTypes(t.api);
    return draw(t.api, {
      artifacts: { d: 'Dataset', a1: 'Dataset', b1: 'Dataset', b2: 'Dataset', sib: 'Dataset', m: 'Model' },
      executions: { t1: 'Transform', t2: 'Transform', u: 'Transform', s: 'Transform', j: 'Trainer' },
      events: ['d -> t1', 't1 -> a1', 'a1 -> j', 'j -> m', 'd -> t2', 't2 -> b1', 'b1 -> u', 'u -> b2', 'b2 -> j', 'd -> s', 's -> sib'],
    });
  }

  it('finds the shortest chain along the data flow, in order', async () => {
    const g = await branches();
    const lineage = lineageOf(t.store);
    expect(g.path(await lineage.path({ from: g.id('d'), to: g.id('m') }))).toEqual(['d>t1', 't1>a1', 'a1>j', 'j>m']);
    expect(g.path(await lineage.path({ from: g.id('t2'), to: g.id('m') }))).toEqual(['t2>b1', 'b1>u', 'u>b2', 'b2>j', 'j>m']);
    const edges = await lineage.path({ from: g.id('d'), to: g.id('a1') });
    expect(edges).toEqual([
      { source: g.id('d'), target: g.id('t1'), artifactId: g.id('d'), executionId: g.id('t1'), type: 'INPUT', time: expect.any(Number) },
      { source: g.id('t1'), target: g.id('a1'), artifactId: g.id('a1'), executionId: g.id('t1'), type: 'OUTPUT', time: expect.any(Number) },
    ]);
  });

  it('is null against the data flow, between siblings, and beyond maxHops; [] from a node to itself', async () => {
    const g = await branches();
    const lineage = lineageOf(t.store);
    expect(await lineage.path({ from: g.id('m'), to: g.id('d') })).toBeNull();
    expect(await lineage.path({ from: g.id('a1'), to: g.id('sib') })).toBeNull();
    expect(await lineage.path({ from: g.id('d'), to: g.id('m'), maxHops: 3 })).toBeNull();
    expect(g.path(await lineage.path({ from: g.id('d'), to: g.id('m'), maxHops: 4 }))).toHaveLength(4);
    expect(await lineage.path({ from: g.id('j'), to: g.id('j') })).toEqual([]);
    expect(await lineage.path({ from: g.id('d'), to: g.id('t1'), maxHops: 0 })).toBeNull();
  });

  /**
   *   a -> x -> b -> y -> a
   */
  it('terminates in a cycle, going round the right way', async () => {
    await putLineageTypes(t.api);
    const g = await draw(t.api, {
      artifacts: { a: 'Dataset', b: 'Dataset' },
      executions: { x: 'Transform', y: 'Transform' },
      events: ['a -> x', 'x -> b', 'b -> y', 'y -> a'],
    });
    const lineage = lineageOf(t.store);
    expect(g.path(await lineage.path({ from: g.id('a'), to: g.id('b') }))).toEqual(['a>x', 'x>b']);
    expect(g.path(await lineage.path({ from: g.id('b'), to: g.id('a') }))).toEqual(['b>y', 'y>a']);
    expect(g.path(await lineage.path({ from: g.id('y'), to: g.id('x') }))).toEqual(['y>a', 'a>x']);
  });

  /**
   *   d -> p -> e1 -> q1 -> f
   *   d -> r -> e2 -> q2 -> f     (two paths of 4 events)
   */
  it('picks the same one of equally short paths every time', async () => {
    await putLineageTypes(t.api);
    const g = await draw(t.api, {
      artifacts: { d: 'Dataset', e1: 'Dataset', e2: 'Dataset', f: 'Model' },
      executions: { p: 'Transform', r: 'Transform', q1: 'Trainer', q2: 'Trainer' },
      events: ['d -> p', 'p -> e1', 'e1 -> q1', 'q1 -> f', 'd -> r', 'r -> e2', 'e2 -> q2', 'q2 -> f'],
    });
    const lineage = lineageOf(t.store);
    const once = g.path(await lineage.path({ from: g.id('d'), to: g.id('f') }));
    expect([['d>p', 'p>e1', 'e1>q1', 'q1>f'], ['d>r', 'r>e2', 'e2>q2', 'q2>f']]).toContainEqual(once);
    expect(g.path(await lineage.path({ from: g.id('d'), to: g.id('f') }))).toEqual(once);
  });

  it('names the unknown end and checks maxHops', async () => {
    const g = await branches();
    const lineage = lineageOf(t.store);
    const e = await expectStoreError(() => lineage.path({ from: 'nope', to: g.id('m') }), 'NOT_FOUND', 'from');
    expect(e.message).toBe('from: no artifact or execution "nope"');
    await expectStoreError(() => lineage.path({ from: g.id('d'), to: 'nope' }), 'NOT_FOUND', 'to');
    const hops = await expectStoreError(() => lineage.path({ from: g.id('d'), to: g.id('m'), maxHops: 101 }), 'INVALID_ARGUMENT', 'maxHops');
    expect(hops.message).toBe('maxHops must be an integer from 0 to 100, got 101');
  });

  it('gives up with FAILED_PRECONDITION when the search outgrows the node ceiling', async () => {
    const g = await branches();
    const tiny = lineageOf(t.store, { maxNodesCeiling: 3 });
    await expectStoreError(() => tiny.path({ from: g.id('d'), to: g.id('m') }), 'FAILED_PRECONDITION', 'maxHops');
  });
});
