/**
 * The lineage walk through the service, on every backend. Each test draws its graph in
 * a comment (data flows left to right: `d -> x` is d read by x, `x -> m` is m written by
 * x) and states the answer computed by hand: who is returned at which distance, which
 * edges, whether truncated, and who must be absent.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { expectStoreError } from '../conformance/fixtures.js';
import { countingStore } from '../api/harness.js';
import { draw, idsOf, lineageOf, putLineageTypes } from './lineage-fixtures.js';
import { PrefetchedSteps } from '../../src/service/lineage/lineage-prefetch.js';

describe.each(BACKENDS)('lineage on $name', (backend) => {
  const t = useService(backend);

  /** d -> t -> m -> e -> r : Dataset, Trainer, Model, Evaluator, Metrics. */
  async function chain() {
    await putLineageTypes(t.api);
    return draw(t.api, {
      artifacts: { d: 'Dataset', m: 'Model', r: 'Metrics' },
      executions: { t: 'Trainer', e: 'Evaluator' },
      events: ['d -> t', 't -> m', 'm -> e', 'e -> r'],
    });
  }

  describe('shapes', () => {
    it('walks a chain upstream and downstream, each node at its distance', async () => {
      const g = await chain();
      const lineage = lineageOf(t.store);
      const up = await lineage.lineage({ start: [g.id('r')] });
      expect(g.distances(up)).toEqual({ r: 0, e: 1, m: 2, t: 3, d: 4 });
      expect(g.edges(up.edges)).toEqual(['d>t', 'e>r', 'm>e', 't>m']);
      expect(up.truncated).toBe(false);
      const down = await lineage.lineage({ start: [g.id('m')], direction: 'DOWNSTREAM' });
      expect(g.distances(down)).toEqual({ m: 0, e: 1, r: 2 });
      expect(g.edges(down.edges)).toEqual(['e>r', 'm>e']);
      // Nothing upstream of m is downstream of it.
      expect(idsOf(down)).not.toContain(g.id('t'));
      expect(idsOf(down)).not.toContain(g.id('d'));
    });

    it('returns each node once, with its records, ordered by distance then id', async () => {
      const g = await chain();
      const up = await lineageOf(t.store).lineage({ start: [g.id('r')] });
      expect(up.nodes.map((n) => n.distance)).toEqual([0, 1, 2, 3, 4]);
      expect(up.nodes.map((n) => [n.kind, n.record?.name, n.record?.id])).toEqual([
        ['ARTIFACT', 'r', g.id('r')], ['EXECUTION', 'e', g.id('e')], ['ARTIFACT', 'm', g.id('m')],
        ['EXECUTION', 't', g.id('t')], ['ARTIFACT', 'd', g.id('d')],
      ]);
      expect([...up.types.values()].map((ty) => ty.name).sort()).toEqual(['Dataset', 'Evaluator', 'Metrics', 'Model', 'Trainer']);
    });

    /**
     *        -> t1 -> a1 -
     *   d --|              |-> j -> m
     *        -> t2 -> a2 -
     */
    it('meets a diamond\'s source once, at its distance', async () => {
      await putLineageTypes(t.api);
      const g = await draw(t.api, {
        artifacts: { d: 'Dataset', a1: 'Dataset', a2: 'Dataset', m: 'Model' },
        executions: { t1: 'Transform', t2: 'Transform', j: 'Trainer' },
        events: ['d -> t1', 'd -> t2', 't1 -> a1', 't2 -> a2', 'a1 -> j', 'a2 -> j', 'j -> m'],
      });
      const up = await lineageOf(t.store).lineage({ start: [g.id('m')] });
      expect(g.distances(up)).toEqual({ m: 0, j: 1, a1: 2, a2: 2, t1: 3, t2: 3, d: 4 });
      expect(up.nodes).toHaveLength(7);
      expect(g.edges(up.edges)).toEqual(['a1>j', 'a2>j', 'd>t1', 'd>t2', 'j>m', 't1>a1', 't2>a2']);
    });

    /**
     * Fan-out:  d -> x1 -> o1,  d -> x2 -> o2,  d -> x3 -> o3
     * Fan-in:   i1 -> y, i2 -> y, i3 -> y, y -> z
     */
    it('follows fan-out downstream and fan-in upstream', async () => {
      await putLineageTypes(t.api);
      const g = await draw(t.api, {
        artifacts: { d: 'Dataset', o1: 'Dataset', o2: 'Dataset', o3: 'Dataset', i1: 'Dataset', i2: 'Dataset', i3: 'Dataset', z: 'Model' },
        executions: { x1: 'Transform', x2: 'Transform', x3: 'Transform', y: 'Trainer' },
        events: ['d -> x1', 'd -> x2', 'd -> x3', 'x1 -> o1', 'x2 -> o2', 'x3 -> o3', 'i1 -> y', 'i2 -> y', 'i3 -> y', 'y -> z'],
      });
      const lineage = lineageOf(t.store);
      const out = await lineage.lineage({ start: [g.id('d')], direction: 'DOWNSTREAM' });
      expect(g.distances(out)).toEqual({ d: 0, x1: 1, x2: 1, x3: 1, o1: 2, o2: 2, o3: 2 });
      expect(g.edges(out.edges)).toEqual(['d>x1', 'd>x2', 'd>x3', 'x1>o1', 'x2>o2', 'x3>o3']);
      const into = await lineage.lineage({ start: [g.id('z')] });
      expect(g.distances(into)).toEqual({ z: 0, y: 1, i1: 2, i2: 2, i3: 2 });
      expect(g.edges(into.edges)).toEqual(['i1>y', 'i2>y', 'i3>y', 'y>z']);
    });

    /**
     *   a -> x -> b -> y -> a     (a is re-made downstream of itself)
     *   c -> z -> c               (an execution that rewrites its own input)
     */
    it('terminates on cycles, keeping every edge of the cycle', async () => {
      await putLineageTypes(t.api);
      const g = await draw(t.api, {
        artifacts: { a: 'Dataset', b: 'Dataset', c: 'Dataset' },
        executions: { x: 'Transform', y: 'Transform', z: 'Transform' },
        events: ['a -> x', 'x -> b', 'b -> y', 'y -> a', 'c -> z', 'z -> c'],
      });
      const lineage = lineageOf(t.store);
      const up = await lineage.lineage({ start: [g.id('a')], maxHops: 100 });
      expect(g.distances(up)).toEqual({ a: 0, y: 1, b: 2, x: 3 });
      expect(g.edges(up.edges)).toEqual(['a>x', 'b>y', 'x>b', 'y>a']);
      expect(up.truncated).toBe(false);
      const both = await lineage.lineage({ start: [g.id('a')], direction: 'BOTH', maxHops: 100 });
      expect(g.distances(both)).toEqual({ a: 0, x: 1, y: 1, b: 2 });
      expect(both.truncated).toBe(false);
      const self = await lineage.lineage({ start: [g.id('c')], direction: 'BOTH' });
      expect(g.distances(self)).toEqual({ c: 0, z: 1 });
      expect(g.edges(self.edges)).toEqual(['c>z', 'z>c']);
      // Cut inside the cycle: b's consumer y is one hop beyond.
      const cut = await lineage.lineage({ start: [g.id('a')], direction: 'DOWNSTREAM', maxHops: 2 });
      expect(g.distances(cut)).toEqual({ a: 0, x: 1, b: 2 });
      expect(cut.truncated).toBe(true);
    });
  });

  describe('BOTH', () => {
    /**
     *   raw -> split -> train_ds -> trainer -> model
     *               \-> eval_ds               (eval_ds: a sibling of train_ds)
     *   raw -> stats -> report                (another consumer of raw)
     */
    it('is the union of the upstream and downstream walks, never reaching siblings', async () => {
      await putLineageTypes(t.api);
      const g = await draw(t.api, {
        artifacts: { raw: 'Dataset', train_ds: 'Dataset', eval_ds: 'Dataset', model: 'Model', report: 'Metrics' },
        executions: { split: 'Transform', trainer: 'Trainer', stats: 'Evaluator' },
        events: ['raw -> split', 'split -> train_ds', 'split -> eval_ds', 'train_ds -> trainer', 'trainer -> model', 'raw -> stats', 'stats -> report'],
      });
      const both = await lineageOf(t.store).lineage({ start: [g.id('train_ds')], direction: 'BOTH' });
      expect(g.distances(both)).toEqual({ train_ds: 0, split: 1, trainer: 1, raw: 2, model: 2 });
      expect(g.edges(both.edges)).toEqual(['raw>split', 'split>train_ds', 'train_ds>trainer', 'trainer>model']);
      // An undirected walk would reach these at distance 2 and 3.
      for (const absent of ['eval_ds', 'stats', 'report']) expect(idsOf(both)).not.toContain(g.id(absent));
      expect(both.truncated).toBe(false);
    });

    /**
     *   d -> t -> m -> e -> r   from {m}, maxHops 1: upstream reaches t, downstream e; d and r lie beyond.
     */
    it('is truncated when either walk is cut, and not when both finish', async () => {
      const g = await chain();
      const lineage = lineageOf(t.store);
      const short = await lineage.lineage({ start: [g.id('m')], direction: 'BOTH', maxHops: 1 });
      expect(g.distances(short)).toEqual({ m: 0, t: 1, e: 1 });
      expect(short.truncated).toBe(true);
      const whole = await lineage.lineage({ start: [g.id('m')], direction: 'BOTH', maxHops: 2 });
      expect(g.distances(whole)).toEqual({ m: 0, t: 1, e: 1, d: 2, r: 2 });
      expect(whole.truncated).toBe(false);
    });

    /**
     *   d -> t -> m -> e -> r, from {d, r}, maxHops 2. Downstream from d: t 1, m 2.
     *   Upstream from r: e 1, m 2. Past the bound, downstream would step from m to e and
     *   upstream from m to t: both already returned by the other walk, and from there on
     *   only returned nodes follow, so nothing was left out.
     */
    it('is not truncated when the walks only step onto nodes the other walk returned', async () => {
      const g = await chain();
      const both = await lineageOf(t.store).lineage({ start: [g.id('d'), g.id('r')], direction: 'BOTH', maxHops: 2 });
      expect(g.distances(both)).toEqual({ d: 0, r: 0, t: 1, e: 1, m: 2 });
      expect(both.truncated).toBe(false);
      expect(g.edges(both.edges)).toEqual(['d>t', 'e>r', 'm>e', 't>m']);
    });
  });

  describe('stopAt', () => {
    /** d -> t -> m1 -> t2 -> m2 : two models in a row. */
    async function twoModels() {
      await putLineageTypes(t.api);
      return draw(t.api, {
        artifacts: { d: 'Dataset', m1: 'Model', m2: 'Model' },
        executions: { t: 'Trainer', t2: 'Trainer' },
        events: ['d -> t', 't -> m1', 'm1 -> t2', 't2 -> m2'],
      });
    }

    it('returns a stop node by id without expanding it', async () => {
      const g = await chain();
      const up = await lineageOf(t.store).lineage({ start: [g.id('r')], stopAt: { ids: [g.id('m')] } });
      expect(g.distances(up)).toEqual({ r: 0, e: 1, m: 2 });
      expect(g.edges(up.edges)).toEqual(['e>r', 'm>e']);
      expect(idsOf(up)).not.toContain(g.id('t'));
      expect(up.truncated).toBe(false);
    });

    it('stops at nodes of the named artifact and execution types', async () => {
      const g = await chain();
      const lineage = lineageOf(t.store);
      const byExecution = await lineage.lineage({ start: [g.id('r')], stopAt: { executionTypes: ['Evaluator'] } });
      expect(g.distances(byExecution)).toEqual({ r: 0, e: 1 });
      const byArtifact = await lineage.lineage({ start: [g.id('r')], stopAt: { artifactTypes: ['Model', 'Dataset'] } });
      expect(g.distances(byArtifact)).toEqual({ r: 0, e: 1, m: 2 });
    });

    it('still expands a start node that matches stopAt: upstream of a model back to the previous model', async () => {
      const g = await twoModels();
      const up = await lineageOf(t.store).lineage({ start: [g.id('m2')], stopAt: { artifactTypes: ['Model'] } });
      expect(g.distances(up)).toEqual({ m2: 0, t2: 1, m1: 2 });
      expect(g.edges(up.edges)).toEqual(['m1>t2', 't2>m2']);
      const byId = await lineageOf(t.store).lineage({ start: [g.id('m2')], stopAt: { ids: [g.id('m2')] } });
      expect(g.distances(byId)).toEqual({ m2: 0, t2: 1, m1: 2, t: 3, d: 4 });
    });

    it('ignores stop ids that name no node, and refuses type names that name no type', async () => {
      const g = await chain();
      const lineage = lineageOf(t.store);
      const up = await lineage.lineage({ start: [g.id('r')], stopAt: { ids: ['no-such-node'] } });
      expect(up.nodes).toHaveLength(5);
      const e = await expectStoreError(() => lineage.lineage({ start: [g.id('r')], stopAt: { executionTypes: ['Trainer', 'Trainr'] } }), 'NOT_FOUND', 'stopAt.executionTypes[1]');
      expect(e.message).toBe('stopAt.executionTypes[1]: no execution type "Trainr"');
    });
  });

  describe('type filters', () => {
    /** The diamond of the shapes tests: d -> t1|t2 -> a1|a2 -> j -> m; d is the only Dataset of its kind here. */
    async function diamond() {
      await putLineageTypes(t.api);
      return draw(t.api, {
        artifacts: { d: 'Dataset', a1: 'Metrics', a2: 'Metrics', m: 'Model' },
        executions: { t1: 'Transform', t2: 'Transform', j: 'Trainer' },
        events: ['d -> t1', 'd -> t2', 't1 -> a1', 't2 -> a2', 'a1 -> j', 'a2 -> j', 'j -> m'],
      });
    }

    it('returns only artifacts of the named types, walking through the others', async () => {
      const g = await diamond();
      const up = await lineageOf(t.store).lineage({ start: [g.id('m')], artifactTypes: ['Dataset'] });
      // m (the start, a Model) and a1, a2 (Metrics) are walked through but not returned.
      expect(g.distances(up)).toEqual({ j: 1, t1: 3, t2: 3, d: 4 });
      expect(g.edges(up.edges)).toEqual(['d>t1', 'd>t2']);
    });

    it('returns no executions for an empty executionTypes, and only the named ones otherwise', async () => {
      const g = await diamond();
      const lineage = lineageOf(t.store);
      const artifactsOnly = await lineage.lineage({ start: [g.id('m')], executionTypes: [] });
      expect(g.distances(artifactsOnly)).toEqual({ m: 0, a1: 2, a2: 2, d: 4 });
      expect(artifactsOnly.edges).toEqual([]);
      const trainers = await lineage.lineage({ start: [g.id('m')], executionTypes: ['Trainer'], artifactTypes: ['Model', 'Metrics'] });
      expect(g.distances(trainers)).toEqual({ m: 0, j: 1, a1: 2, a2: 2 });
      expect(g.edges(trainers.edges)).toEqual(['a1>j', 'a2>j', 'j>m']);
    });

    it('refuses a filter type name that names no type', async () => {
      const g = await diamond();
      await expectStoreError(() => lineageOf(t.store).lineage({ start: [g.id('m')], artifactTypes: ['Datasett'] }), 'NOT_FOUND', 'artifactTypes[0]');
    });
  });

  describe('eventTypes', () => {
    /**
     *   d -DECLARED_INPUT-> x -> m        x -DECLARED_OUTPUT-> p        i -INTERNAL_INPUT-> x
     */
    async function declared() {
      await putLineageTypes(t.api);
      return draw(t.api, {
        artifacts: { d: 'Dataset', m: 'Model', p: 'Model', i: 'Dataset' },
        executions: { x: 'Trainer' },
        events: ['d -DECLARED_INPUT-> x', 'x -> m', 'x -DECLARED_OUTPUT-> p', 'i -INTERNAL_INPUT-> x'],
      });
    }

    it('walks INPUT and OUTPUT only by default', async () => {
      const g = await declared();
      const lineage = lineageOf(t.store);
      expect(g.distances(await lineage.lineage({ start: [g.id('m')] }))).toEqual({ m: 0, x: 1 });
      const down = await lineage.lineage({ start: [g.id('d')], direction: 'DOWNSTREAM' });
      expect(g.distances(down)).toEqual({ d: 0 });
      expect(down.truncated).toBe(false);
    });

    it('walks the DECLARED_* and INTERNAL_* events asked for, and only those', async () => {
      const g = await declared();
      const lineage = lineageOf(t.store);
      const up = await lineage.lineage({ start: [g.id('m')], eventTypes: ['INPUT', 'OUTPUT', 'DECLARED_INPUT'] });
      expect(g.distances(up)).toEqual({ m: 0, x: 1, d: 2 });
      expect(g.edges(up.edges)).toEqual(['d>x:DECLARED_INPUT', 'x>m']);
      const down = await lineage.lineage({ start: [g.id('d')], direction: 'DOWNSTREAM', eventTypes: ['DECLARED_INPUT', 'DECLARED_OUTPUT'] });
      expect(g.distances(down)).toEqual({ d: 0, x: 1, p: 2 });
      expect(g.edges(down.edges)).toEqual(['d>x:DECLARED_INPUT', 'x>p:DECLARED_OUTPUT']);
      const all = await lineage.lineage({ start: [g.id('x')], direction: 'BOTH', eventTypes: ['INPUT', 'OUTPUT', 'DECLARED_INPUT', 'DECLARED_OUTPUT', 'INTERNAL_INPUT'] });
      expect(g.distances(all)).toEqual({ x: 0, d: 1, i: 1, m: 1, p: 1 });
      expect(g.edges(all.edges)).toEqual(['d>x:DECLARED_INPUT', 'i>x:INTERNAL_INPUT', 'x>m', 'x>p:DECLARED_OUTPUT']);
    });
  });

  describe('asOf', () => {
    /**
     * At CLOCK_START:       d -> t -> m,  d2 (alone)
     * At CLOCK_START + 10:  m -> e -> r   (e and r are new)
     * At CLOCK_START + 20:  d2 -> t       (a new event between old nodes)
     */
    async function growing() {
      await putLineageTypes(t.api);
      const g = await draw(t.api, {
        artifacts: { d: 'Dataset', m: 'Model', d2: 'Dataset' },
        executions: { t: 'Trainer' },
        events: ['d -> t', 't -> m'],
      });
      t.clock.set(CLOCK_START + 10);
      await draw(t.api, { artifacts: { r: 'Metrics' }, executions: { e: 'Evaluator' }, events: ['e -> r', 'm -> e'] }, g);
      t.clock.set(CLOCK_START + 20);
      await draw(t.api, { events: ['d2 -> t'] }, g);
      return g;
    }

    it('ignores events recorded after asOf', async () => {
      const g = await growing();
      const lineage = lineageOf(t.store);
      expect(g.distances(await lineage.lineage({ start: [g.id('d')], direction: 'DOWNSTREAM', asOf: CLOCK_START + 9 })))
        .toEqual({ d: 0, t: 1, m: 2 });
      expect(g.distances(await lineage.lineage({ start: [g.id('d')], direction: 'DOWNSTREAM', asOf: CLOCK_START + 10 })))
        .toEqual({ d: 0, t: 1, m: 2, e: 3, r: 4 });
      expect(g.distances(await lineage.lineage({ start: [g.id('m')], asOf: CLOCK_START + 19 }))).toEqual({ m: 0, t: 1, d: 2 });
      expect(g.distances(await lineage.lineage({ start: [g.id('m')] }))).toEqual({ m: 0, t: 1, d: 2, d2: 2 });
    });

    it('drops start nodes created after asOf', async () => {
      const g = await growing();
      const lineage = lineageOf(t.store);
      const before = await lineage.lineage({ start: [g.id('r')], asOf: CLOCK_START + 5 });
      expect(before).toMatchObject({ nodes: [], edges: [], truncated: false });
      const mixed = await lineage.lineage({ start: [g.id('r'), g.id('m')], asOf: CLOCK_START + 5 });
      expect(g.distances(mixed)).toEqual({ m: 0, t: 1, d: 2 });
    });
  });

  describe('truncation', () => {
    it('cuts at maxHops and says so only when a node lay beyond', async () => {
      const g = await chain();
      const lineage = lineageOf(t.store);
      const cases: [number, Record<string, number>, boolean][] = [
        [0, { r: 0 }, true],
        [2, { r: 0, e: 1, m: 2 }, true],
        [3, { r: 0, e: 1, m: 2, t: 3 }, true],
        [4, { r: 0, e: 1, m: 2, t: 3, d: 4 }, false],
      ];
      for (const [maxHops, distances, truncated] of cases) {
        const up = await lineage.lineage({ start: [g.id('r')], maxHops });
        expect({ maxHops, distances: g.distances(up), truncated: up.truncated }).toEqual({ maxHops, distances, truncated });
      }
      // A node with no lineage at all is never truncated, even at 0 hops.
      const [alone] = await t.api.putArtifacts([{ type: 'Dataset', name: 'alone' }]);
      expect((await lineage.lineage({ start: [alone!.id], maxHops: 0 })).truncated).toBe(false);
    });

    /**
     *   d -> t -> m -> e -> r, upstream from {r, t}, maxHops 2: r 0, t 0, e 1, d 1, m 2.
     *   Past the bound, m's producer is t, already returned: nothing was left out, and the
     *   edge t>m, found by that last look, joins two returned nodes.
     */
    it('includes the events found by the look past maxHops, and is exact about the boundary', async () => {
      const g = await chain();
      const up = await lineageOf(t.store).lineage({ start: [g.id('r'), g.id('t')], maxHops: 2 });
      expect(g.distances(up)).toEqual({ r: 0, t: 0, e: 1, d: 1, m: 2 });
      expect(g.edges(up.edges)).toEqual(['d>t', 'e>r', 'm>e', 't>m']);
      expect(up.truncated).toBe(false);
    });

    /** Fan-out d -> x1|x2|x3 -> o1|o2|o3 (7 nodes). */
    it('cuts at maxNodes keeping the nearest nodes (ties by smallest id)', async () => {
      await putLineageTypes(t.api);
      const g = await draw(t.api, {
        artifacts: { d: 'Dataset', o1: 'Dataset', o2: 'Dataset', o3: 'Dataset' },
        executions: { x1: 'Transform', x2: 'Transform', x3: 'Transform' },
        events: ['d -> x1', 'd -> x2', 'd -> x3', 'x1 -> o1', 'x2 -> o2', 'x3 -> o3'],
      });
      const lineage = lineageOf(t.store);
      const smallest = (names: string[], n: number) => names.map((x) => g.id(x)).sort().slice(0, n).map((id) => g.name(id));
      const three = await lineage.lineage({ start: [g.id('d')], direction: 'DOWNSTREAM', maxNodes: 3 });
      const keptX = smallest(['x1', 'x2', 'x3'], 2);
      expect(g.distances(three)).toEqual({ d: 0, [keptX[0]!]: 1, [keptX[1]!]: 1 });
      expect(g.edges(three.edges)).toEqual(keptX.map((x) => `d>${x}`).sort());
      expect(three.truncated).toBe(true);
      const six = await lineage.lineage({ start: [g.id('d')], direction: 'DOWNSTREAM', maxNodes: 6 });
      const keptO = smallest(['o1', 'o2', 'o3'], 2);
      expect(g.distances(six)).toEqual({ d: 0, x1: 1, x2: 1, x3: 1, [keptO[0]!]: 2, [keptO[1]!]: 2 });
      expect(g.edges(six.edges)).toHaveLength(5);
      expect(six.truncated).toBe(true);
      const seven = await lineage.lineage({ start: [g.id('d')], direction: 'DOWNSTREAM', maxNodes: 7 });
      expect(seven.nodes).toHaveLength(7);
      expect(seven.truncated).toBe(false);
    });
  });

  describe('arguments', () => {
    it('pins the messages of out-of-range limits', async () => {
      const g = await chain();
      const lineage = lineageOf(t.store);
      const start = [g.id('r')];
      const cases: [object, string, string][] = [
        [{ maxHops: 250 }, 'maxHops', 'maxHops must be an integer from 0 to 100, got 250'],
        [{ maxHops: -1 }, 'maxHops', 'maxHops must be an integer from 0 to 100, got -1'],
        [{ maxHops: 1.5 }, 'maxHops', 'maxHops must be an integer from 0 to 100, got 1.5'],
        [{ maxNodes: 0 }, 'maxNodes', 'maxNodes must be an integer from 1 to 100000, got 0'],
        [{ maxNodes: 100_001 }, 'maxNodes', 'maxNodes must be an integer from 1 to 100000, got 100001'],
        [{ direction: 'SIDEWAYS' }, 'direction', 'direction must be one of UPSTREAM, DOWNSTREAM, BOTH, got "SIDEWAYS"'],
        [{ eventTypes: [] }, 'eventTypes', 'eventTypes must list at least one event type'],
        [{ eventTypes: ['INPUT', 'READ'] }, 'eventTypes[1]', 'eventTypes[1] must be one of DECLARED_OUTPUT, DECLARED_INPUT, INPUT, OUTPUT, INTERNAL_INPUT, INTERNAL_OUTPUT, PENDING_OUTPUT, got "READ"'],
      ];
      for (const [args, field, message] of cases) {
        const e = await expectStoreError(() => lineage.lineage({ start, ...args }), 'INVALID_ARGUMENT', field);
        expect(e.message).toBe(message);
      }
    });

    it('takes other ceilings from its options, and lowers absent defaults to them', async () => {
      const g = await chain();
      const small = lineageOf(t.store, { maxHopsCeiling: 2, maxNodesCeiling: 3 });
      const e = await expectStoreError(() => small.lineage({ start: [g.id('r')], maxHops: 3 }), 'INVALID_ARGUMENT', 'maxHops');
      expect(e.message).toBe('maxHops must be an integer from 0 to 2, got 3');
      await expectStoreError(() => small.lineage({ start: [g.id('r')], maxNodes: 4 }), 'INVALID_ARGUMENT', 'maxNodes');
      const clamped = await small.lineage({ start: [g.id('r')] });
      expect(g.distances(clamped)).toEqual({ r: 0, e: 1, m: 2 });
      expect(clamped.truncated).toBe(true);
      expect(() => lineageOf(t.store, { maxHopsCeiling: -1 })).toThrow('maxHopsCeiling must be an integer of 0 or more, got -1');
    });

    it('names the unknown start id, and refuses contexts and empty or oversized start lists', async () => {
      const g = await chain();
      const lineage = lineageOf(t.store);
      const e = await expectStoreError(() => lineage.lineage({ start: [g.id('r'), 'nope'] }), 'NOT_FOUND', 'start[1]');
      expect(e.message).toBe('start[1]: no artifact or execution "nope"');
      const [run] = await t.api.putContexts([{ type: 'Run', name: 'run-1' }]);
      await expectStoreError(() => lineage.lineage({ start: [run!.id] }), 'NOT_FOUND', 'start[0]');
      const empty = await expectStoreError(() => lineage.lineage({ start: [] }), 'INVALID_ARGUMENT', 'start');
      expect(empty.message).toBe('start must list at least one artifact or execution id');
      const few = await expectStoreError(() => lineage.lineage({ start: [g.id('r'), g.id('d')], maxNodes: 1 }), 'INVALID_ARGUMENT', 'maxNodes');
      expect(few.message).toBe('maxNodes must be at least the number of start nodes (2), got 1');
    });

    it('counts a repeated start id once', async () => {
      const g = await chain();
      const up = await lineageOf(t.store).lineage({ start: [g.id('m'), g.id('m')], maxNodes: 1, maxHops: 0 });
      expect(g.distances(up)).toEqual({ m: 0 });
    });
  });

  /** Fan-out d -> x1|x2|x3 -> o1|o2|o3, and a chain of two more hops o1 -> y -> z. */
  it('asks the store once per direction for the whole walk, and reads records and types once', async () => {
    await putLineageTypes(t.api);
    const g = await draw(t.api, {
      artifacts: { d: 'Dataset', o1: 'Dataset', o2: 'Dataset', o3: 'Dataset', z: 'Model' },
      executions: { x1: 'Transform', x2: 'Transform', x3: 'Transform', y: 'Trainer' },
      events: ['d -> x1', 'd -> x2', 'd -> x3', 'x1 -> o1', 'x2 -> o2', 'x3 -> o3', 'o1 -> y', 'y -> z'],
    });
    const counting = countingStore(t.store);
    const lineage = lineageOf(counting.store);
    const down = await lineage.lineage({ start: [g.id('d')], direction: 'DOWNSTREAM' });
    expect(down.nodes).toHaveLength(9);
    // One reach holds hops 1 to 4 and the look past z, which has no readers.
    expect(counting.tally()).toEqual({ getNodes: 2, lineageReach: 1, getTypes: 1 });
    counting.reset();
    await lineage.lineage({ start: [g.id('o1')], direction: 'BOTH', maxHops: 1, stopAt: { executionTypes: ['Trainer'] } });
    // One reach per walk; the upstream one's look past hop 1 is in it. Stop types cost one listTypes.
    expect(counting.tally()).toEqual({ getNodes: 2, lineageReach: 2, getTypes: 1, listTypes: 1 });
    counting.reset();
    // Without records, the one getNodes is the check of the start ids.
    const bare = await lineage.lineage({ start: [g.id('d')], direction: 'DOWNSTREAM' }, { records: false });
    expect(counting.tally()).toEqual({ getNodes: 1, lineageReach: 1 });
    expect(g.distances(bare)).toEqual(g.distances(down));
    expect(bare.nodes.every((n) => n.record === null)).toBe(true);
    expect(bare.edges).toEqual(down.edges);
  });

  /**
   * The reach is an optimisation, never the answer: a node it did not expand (here the
   * cap stops it after two) is asked of lineageSteps, and gives the same steps.
   */
  it('asks lineageSteps for what the reach did not expand, with the same steps', async () => {
    await putLineageTypes(t.api);
    const g = await draw(t.api, {
      artifacts: { a: 'Dataset', b: 'Dataset', c: 'Dataset', d: 'Model' },
      executions: { x: 'Transform', y: 'Transform', z: 'Trainer' },
      events: ['a -> x', 'x -> b', 'b -> y', 'y -> c', 'c -> z', 'z -> d'],
    });
    const counting = countingStore(t.store);
    const plan = { start: [g.id('d')], direction: 'UPSTREAM', eventTypes: ['INPUT', 'OUTPUT'], asOf: null, radius: 20 } as const;
    const { capped, direct } = await counting.store.read(async (tx) => {
      const source = await PrefetchedSteps.load(tx, { ...plan, nodeCap: 2 });
      return { capped: await source.steps([g.id('c')]), direct: await tx.lineageSteps([g.id('c')], 'UPSTREAM', plan.eventTypes, null) };
    });
    expect(capped.map((s) => s.neighborId)).toEqual([g.id('y')]);
    expect(capped).toEqual(direct);
    expect(counting.tally()).toEqual({ lineageReach: 1, lineageSteps: 2 });
    // A walk capped by maxNodes has the same answer whichever way its steps came.
    const walked = await lineageOf(t.store).lineage({ start: [g.id('d')], maxNodes: 3 }, { records: false });
    expect(g.distances(walked)).toEqual({ d: 0, z: 1, c: 2 });
    expect(walked.truncated).toBe(true);
  });

  /**
   * A ladder of 30 diamonds: a0 is read by l0 and r0, which both write a1; a1 is read by
   * l1 and r1, which both write a2; ... up to a30. From a30 there are 2^30 distinct paths
   * back to a0, but only 91 nodes: a walk that enumerated paths would never finish.
   */
  it('answers on a 30-level diamond ladder (2^30 paths) by visiting its 91 nodes', { timeout: 120_000 }, async () => {
    await putLineageTypes(t.api);
    const levels = 30;
    const artifacts = Array.from({ length: levels + 1 }, (_, i) => ({ type: 'Dataset', name: `a${i}` }));
    const executions = Array.from({ length: levels }, (_, i) => [{ type: 'Transform', name: `l${i}` }, { type: 'Transform', name: `r${i}` }]).flat();
    const events = Array.from({ length: levels }, (_, i) => [2 * i, 2 * i + 1].flatMap((x) => [
      { artifactIndex: i, executionIndex: x, type: 'INPUT' as const },
      { artifactIndex: i + 1, executionIndex: x, type: 'OUTPUT' as const },
    ])).flat();
    const stored = await t.api.putLineageSubgraph({ artifacts, executions, events });
    const top = stored.artifacts[levels]!.id;
    const bottom = stored.artifacts[0]!.id;
    const lineage = lineageOf(t.store);
    const up = await lineage.lineage({ start: [top], maxHops: 100 });
    expect(up.nodes).toHaveLength(91);
    expect(up.edges).toHaveLength(120);
    expect(up.truncated).toBe(false);
    expect(up.nodes.find((n) => n.id === bottom)?.distance).toBe(60);
    const both = await lineage.lineage({ start: [stored.artifacts[15]!.id], direction: 'BOTH', maxHops: 100 });
    expect(both.nodes).toHaveLength(91);
    const path = await lineage.path({ from: bottom, to: top });
    expect(path).toHaveLength(60);
    const impact = await lineage.impact({ start: [bottom], maxHops: 100 });
    expect(impact.artifacts).toHaveLength(30);
    expect(impact.executions).toHaveLength(60);
    expect(impact.truncated).toBe(false);
    // impact's default of 50 hops reaches a25 (hop 50) and no further.
    const near = await lineage.impact({ start: [bottom] });
    expect(near.artifacts).toHaveLength(25);
    expect(near.truncated).toBe(true);
  });
});
