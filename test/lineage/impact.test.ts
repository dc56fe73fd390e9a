/**
 * Impact analysis through the service, on every backend: the blast radius downstream
 * of a set of nodes, its models (LIVE first), counts by type and base type, the
 * contexts touched, and paging over the lists.
 */
import { describe, expect, it } from 'vitest';
import { pageImpactList } from '../../src/service/lineage/impact.js';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { expectStoreError } from '../conformance/fixtures.js';
import { draw, lineageOf, putLineageTypes, type DrawnGraph } from './lineage-fixtures.js';

describe.each(BACKENDS)('impact on $name', (backend) => {
  const t = useService(backend);

  /**
   *   raw -> clean -> ds -> train1 -> m1 (LIVE)    -> eval   -> metrics
   *                     \-> train2 -> m2 (PENDING) -> deploy -> m3 (LIVE)     (deploy at CLOCK_START + 10)
   *
   * Distances from raw: clean 1, ds 2, train1 3, train2 3, m1 4, m2 4, eval 5, deploy 5, metrics 6, m3 6.
   * Contexts: pipeline P holds raw, ds, m1 (attributed) and clean, train1 (associated);
   * run R1 holds m1 and train1; run R2 holds m2 and train2.
   */
  async function pipeline(): Promise<{ g: DrawnGraph; P: string; R1: string; R2: string }> {
    await putLineageTypes(t.api);
    const g = await draw(t.api, {
      artifacts: {
        raw: 'Dataset', ds: 'Dataset', m1: { type: 'Model', state: 'LIVE' }, m2: { type: 'Model', state: 'PENDING' },
        metrics: 'Metrics', m3: { type: 'Model', state: 'LIVE' },
      },
      executions: { clean: 'Transform', train1: 'Trainer', train2: 'Trainer', eval: 'Evaluator' },
      events: ['raw -> clean', 'clean -> ds', 'ds -> train1', 'ds -> train2', 'train1 -> m1', 'train2 -> m2', 'm1 -> eval', 'eval -> metrics'],
    });
    t.clock.set(CLOCK_START + 10);
    await draw(t.api, { executions: { deploy: 'Deployer' }, events: ['m2 -> deploy', 'deploy -> m3'] }, g);
    const [P, R1, R2] = await t.api.putContexts([{ type: 'Pipeline', name: 'P' }, { type: 'Run', name: 'R1' }, { type: 'Run', name: 'R2' }]);
    await t.api.putAttributions([
      { contextId: P!.id, artifactId: g.id('raw') }, { contextId: P!.id, artifactId: g.id('ds') }, { contextId: P!.id, artifactId: g.id('m1') },
      { contextId: R1!.id, artifactId: g.id('m1') }, { contextId: R2!.id, artifactId: g.id('m2') },
    ]);
    await t.api.putAssociations([
      { contextId: P!.id, executionId: g.id('clean') }, { contextId: P!.id, executionId: g.id('train1') },
      { contextId: R1!.id, executionId: g.id('train1') }, { contextId: R2!.id, executionId: g.id('train2') },
    ]);
    return { g, P: P!.id, R1: R1!.id, R2: R2!.id };
  }

  /** Names of nodes sharing a distance, in id order (the lists' tie-break). */
  const byId = (g: DrawnGraph, ...names: string[]): string[] => names.map((n) => g.id(n)).sort().map((id) => g.name(id));

  it('lists every affected node with its distance, models first with LIVE ones ahead', async () => {
    const { g } = await pipeline();
    const report = await lineageOf(t.store).impact({ start: [g.id('raw')] });
    expect(report.start.map((n) => [g.name(n.id), n.distance])).toEqual([['raw', 0]]);
    expect(report.models.map((n) => [g.name(n.id), n.distance, n.record?.kind === 'ARTIFACT' && n.record.state])).toEqual([
      ['m1', 4, 'LIVE'], ['m3', 6, 'LIVE'], ['m2', 4, 'PENDING'],
    ]);
    expect(report.artifacts.map((n) => g.name(n.id))).toEqual(['ds', ...byId(g, 'm1', 'm2'), ...byId(g, 'metrics', 'm3')]);
    expect(g.distances({ nodes: report.artifacts })).toEqual({ ds: 2, m1: 4, m2: 4, metrics: 6, m3: 6 });
    expect(report.executions.map((n) => g.name(n.id))).toEqual(['clean', ...byId(g, 'train1', 'train2'), ...byId(g, 'eval', 'deploy')]);
    expect(g.distances({ nodes: report.executions })).toEqual({ clean: 1, train1: 3, train2: 3, eval: 5, deploy: 5 });
    expect(report.truncated).toBe(false);
  });

  it('counts the affected nodes by type and by base type, most affected first', async () => {
    const { g } = await pipeline();
    const report = await lineageOf(t.store).impact({ start: [g.id('raw')] });
    expect(report.countsByType.map((c) => [c.kind, c.type.name, c.count])).toEqual([
      ['ARTIFACT', 'Model', 3], ['ARTIFACT', 'Dataset', 1], ['ARTIFACT', 'Metrics', 1],
      ['EXECUTION', 'Trainer', 2], ['EXECUTION', 'Deployer', 1], ['EXECUTION', 'Evaluator', 1], ['EXECUTION', 'Transform', 1],
    ]);
    expect(report.countsByBaseType.map((c) => [c.kind, c.baseType, c.count])).toEqual([
      ['ARTIFACT', 'MODEL', 3], ['ARTIFACT', 'DATASET', 1], ['ARTIFACT', 'METRICS', 1],
      ['EXECUTION', 'TRAIN', 2], ['EXECUTION', 'DEPLOY', 1], ['EXECUTION', 'EVALUATE', 1], ['EXECUTION', 'TRANSFORM', 1],
    ]);
  });

  it('lists the contexts of affected nodes (not of the start nodes) with their counts', async () => {
    const { g, P, R1, R2 } = await pipeline();
    const report = await lineageOf(t.store).impact({ start: [g.id('raw')] });
    const expected = [
      { id: P, name: 'P', artifactCount: 2, executionCount: 2 }, // ds, m1; clean, train1 (raw is the start)
      { id: R1, name: 'R1', artifactCount: 1, executionCount: 1 },
      { id: R2, name: 'R2', artifactCount: 1, executionCount: 1 },
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(report.contexts.map((c) => ({ id: c.context.id, name: c.context.name, artifactCount: c.artifactCount, executionCount: c.executionCount })))
      .toEqual(expected);
    // From m2, no affected node has a context: m2 (in R2) is the start; deploy and m3 are in none.
    expect((await lineageOf(t.store).impact({ start: [g.id('m2')] })).contexts).toEqual([]);
  });

  it('keeps start nodes out of the affected lists, even one downstream of another', async () => {
    const { g } = await pipeline();
    const report = await lineageOf(t.store).impact({ start: [g.id('raw'), g.id('m2')] });
    expect(report.start.map((n) => g.name(n.id)).sort()).toEqual(['m2', 'raw']);
    // Both LIVE; m3 is now 2 hops from the start m2, m1 still 4 from raw.
    expect(report.models.map((n) => [g.name(n.id), n.distance])).toEqual([['m3', 2], ['m1', 4]]);
    expect(report.countsByType.find((c) => c.type.name === 'Model')?.count).toBe(2);
  });

  it('honours maxHops (truncated) and asOf', async () => {
    const { g } = await pipeline();
    const lineage = lineageOf(t.store);
    const near = await lineage.impact({ start: [g.id('raw')], maxHops: 3 });
    expect(near.artifacts.map((n) => g.name(n.id))).toEqual(['ds']);
    expect(near.executions.map((n) => g.name(n.id)).sort()).toEqual(['clean', 'train1', 'train2']);
    expect(near.models).toEqual([]);
    expect(near.truncated).toBe(true);
    // deploy -> m3 was recorded at CLOCK_START + 10.
    const before = await lineage.impact({ start: [g.id('raw')], asOf: CLOCK_START + 5 });
    expect(before.models.map((n) => g.name(n.id))).toEqual(['m1', 'm2']);
    expect(before.executions.map((n) => g.name(n.id))).not.toContain('deploy');
    await expectStoreError(() => lineage.impact({ start: [g.id('raw')], maxHops: 101 }), 'INVALID_ARGUMENT', 'maxHops');
    await expectStoreError(() => lineage.impact({ start: ['nope'] }), 'NOT_FOUND', 'start[0]');
  });

  it('pages each list with cursors that resume after the same item', async () => {
    const { g } = await pipeline();
    const report = await lineageOf(t.store).impact({ start: [g.id('raw')] });
    const first = pageImpactList(report, 'models', { first: 2 });
    expect(first.nodes.map((n) => g.name(n.id))).toEqual(['m1', 'm3']);
    expect({ hasNextPage: first.hasNextPage, totalCount: first.totalCount() }).toEqual({ hasNextPage: true, totalCount: 3 });
    const second = pageImpactList(report, 'models', { first: 2, after: first.endCursor });
    expect(second.nodes.map((n) => g.name(n.id))).toEqual(['m2']);
    expect({ hasNextPage: second.hasNextPage, totalCount: second.totalCount(), endCursor: second.endCursor })
      .toEqual({ hasNextPage: false, totalCount: 3, endCursor: second.cursors[0] });
    const all = pageImpactList(report, 'executions', {});
    expect(all.nodes).toHaveLength(5);
    const contexts = pageImpactList(report, 'contexts', { first: 1 });
    expect(pageImpactList(report, 'contexts', { after: contexts.endCursor }).nodes).toHaveLength(2);
    // A cursor of another list, or none at all, is refused.
    const e = await expectStoreError(async () => pageImpactList(report, 'artifacts', { after: first.endCursor }), 'INVALID_ARGUMENT', 'after');
    expect(e.message).toBe('after is not a cursor of this list (use an endCursor of an earlier page of artifacts)');
    await expectStoreError(async () => pageImpactList(report, 'models', { after: 'not-a-cursor' }), 'INVALID_ARGUMENT', 'after');
    await expectStoreError(async () => pageImpactList(report, 'models', { first: 0 }), 'INVALID_ARGUMENT', 'first');
  });
});
