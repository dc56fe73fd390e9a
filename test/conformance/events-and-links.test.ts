/**
 * Events (artifact, execution, type, path, time) and the three link kinds: attribution
 * (context, artifact), association (context, execution) and parent context (child, parent).
 */
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/graph/model.js';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { ABSENT_ID, countsOf, expectStoreError, putBasicTypes, snapshotGraph } from './fixtures.js';

describe.each(BACKENDS)('events and links on $name', (backend) => {
  const t = useService(backend);

  /** One dataset `a`, one model `m`, one trainer run `e`, two pipelines `c` and `d`. */
  async function smallGraph() {
    await putBasicTypes(t.api);
    const [a, m] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a' }, { type: 'Model', name: 'm' }]);
    const [e] = await t.api.putExecutions([{ type: 'Trainer', name: 'e' }]);
    const [c, d] = await t.api.putContexts([{ type: 'Pipeline', name: 'c' }, { type: 'Pipeline', name: 'd' }]);
    return { a: a!.id, m: m!.id, e: e!.id, c: c!.id, d: d!.id };
  }

  describe('events', () => {
    it('stores an event with its path and the server time, seen from both ends', async () => {
      const g = await smallGraph();
      t.clock.advance(10);
      const [put] = await t.api.putEvents([{ artifactId: g.a, executionId: g.e, type: 'INPUT', path: [{ key: 'examples' }, { index: 3 }] }]);
      const expected = { artifactId: g.a, executionId: g.e, type: 'INPUT', path: [{ key: 'examples' }, { index: 3 }], time: CLOCK_START + 10 };
      expect(put).toEqual(expected);
      expect(await t.api.eventsByArtifacts([g.a, g.m])).toEqual([[expected], []]);
      expect(await t.api.eventsByExecutions([g.e])).toEqual([[expected]]);
    });

    it('stores an empty path when none is given', async () => {
      const g = await smallGraph();
      await t.api.putEvents([{ artifactId: g.m, executionId: g.e, type: 'OUTPUT' }]);
      expect((await t.api.eventsByArtifacts([g.m]))[0]).toEqual([
        { artifactId: g.m, executionId: g.e, type: 'OUTPUT', path: [], time: CLOCK_START },
      ]);
    });

    it('keeps all seven event types between one artifact and one execution apart, ordered by time', async () => {
      const g = await smallGraph();
      for (const type of EVENT_TYPES) {
        t.clock.advance(1);
        await t.api.putEvents([{ artifactId: g.a, executionId: g.e, type, path: [{ key: type }] }]);
      }
      const expected = EVENT_TYPES.map((type, i) => ({ artifactId: g.a, executionId: g.e, type, path: [{ key: type }], time: CLOCK_START + 1 + i }));
      expect(await t.api.eventsByArtifacts([g.a])).toEqual([expected]);
      expect(await t.api.eventsByExecutions([g.e])).toEqual([expected]);
    });

    it('round-trips path steps: zero, negative and large indexes, unicode and numeric-looking keys', async () => {
      const g = await smallGraph();
      const path = [{ index: 0 }, { key: ' ' }, { index: -1 }, { key: 'ключ 🚀' }, { index: Number.MAX_SAFE_INTEGER }, { key: '0' }];
      await t.api.putEvents([{ artifactId: g.a, executionId: g.e, type: 'INPUT', path }]);
      expect((await t.api.eventsByArtifacts([g.a]))[0]?.[0]?.path).toEqual(path);
    });

    it.each([
      ['both index and key', { index: 0, key: 'x' }],
      ['neither index nor key', {}],
      ['null index and null key', { index: null, key: null }],
    ])('refuses a path step with %s, naming it', async (_label, step) => {
      const g = await smallGraph();
      await expectStoreError(() => t.api.putEvents([{ artifactId: g.a, executionId: g.e, type: 'INPUT', path: [{ index: 1 }, step] }]),
        'INVALID_ARGUMENT', 'events[0].path[1]');
      expect((await t.api.eventsByArtifacts([g.a]))[0]).toEqual([]);
    });

    it('refuses a fractional index', async () => {
      const g = await smallGraph();
      await expectStoreError(() => t.api.putEvents([{ artifactId: g.a, executionId: g.e, type: 'INPUT', path: [{ index: 1.5 }] }]),
        'INVALID_ARGUMENT', 'events[0].path[0].index');
    });

    it('refuses an event type outside the seven', async () => {
      const g = await smallGraph();
      await expectStoreError(() => t.api.putEvents([{ artifactId: g.a, executionId: g.e, type: 'READ' as never }]), 'INVALID_ARGUMENT', 'events[0].type');
    });

    it('treats an identical re-put as a no-op that returns the stored event', async () => {
      const g = await smallGraph();
      const input = { artifactId: g.a, executionId: g.e, type: 'INPUT' as const, path: [{ index: 0 }] };
      const [first] = await t.api.putEvents([input]);
      t.clock.advance(50);
      const [again] = await t.api.putEvents([input]);
      expect(again).toEqual(first);
      expect(await t.api.eventsByArtifacts([g.a])).toEqual([[first]]);
    });

    it('refuses the same (artifact, execution, type) with another path, and keeps the first', async () => {
      const g = await smallGraph();
      const [first] = await t.api.putEvents([{ artifactId: g.a, executionId: g.e, type: 'INPUT', path: [{ index: 0 }] }]);
      await expectStoreError(() => t.api.putEvents([
        { artifactId: g.m, executionId: g.e, type: 'OUTPUT' },
        { artifactId: g.a, executionId: g.e, type: 'INPUT', path: [{ index: 1 }] },
      ]), 'ALREADY_EXISTS', 'events[1]');
      expect(await t.api.eventsByExecutions([g.e])).toEqual([[first]]);
    });

    it('answers an unknown artifact or execution with NOT_FOUND naming the field, writing nothing', async () => {
      const g = await smallGraph();
      await expectStoreError(() => t.api.putEvents([
        { artifactId: g.a, executionId: g.e, type: 'INPUT' },
        { artifactId: ABSENT_ID, executionId: g.e, type: 'OUTPUT' },
      ]), 'NOT_FOUND', 'events[1].artifactId');
      await expectStoreError(() => t.api.putEvents([{ artifactId: g.a, executionId: ABSENT_ID, type: 'INPUT' }]), 'NOT_FOUND', 'events[0].executionId');
      expect(await t.api.eventsByExecutions([g.e])).toEqual([[]]);
    });

    it('answers an id of the wrong kind with NOT_FOUND: a context is not an artifact, an artifact not an execution', async () => {
      const g = await smallGraph();
      await expectStoreError(() => t.api.putEvents([{ artifactId: g.c, executionId: g.e, type: 'INPUT' }]), 'NOT_FOUND', 'events[0].artifactId');
      await expectStoreError(() => t.api.putEvents([{ artifactId: g.a, executionId: g.m, type: 'INPUT' }]), 'NOT_FOUND', 'events[0].executionId');
      await expectStoreError(() => t.api.putEvents([{ artifactId: g.e, executionId: g.a, type: 'INPUT' }]), 'NOT_FOUND', 'events[0].artifactId');
      expect(countsOf(await snapshotGraph(t.api)).events).toBe(0);
    });

    it('answers event reads aligned with the ids, an unknown id with no events', async () => {
      const g = await smallGraph();
      await t.api.putEvents([{ artifactId: g.a, executionId: g.e, type: 'INPUT' }]);
      const byArtifact = await t.api.eventsByArtifacts([ABSENT_ID, g.a, g.m, g.a]);
      expect(byArtifact.map((list) => list.length)).toEqual([0, 1, 0, 1]);
      expect(await t.api.eventsByExecutions([g.a, ABSENT_ID])).toEqual([[], []]);
    });

    it('orders an execution\'s events of one time by artifact id', async () => {
      const g = await smallGraph();
      // Put in reverse id order, at one time: the read sorts them.
      const [hi, lo] = [g.a, g.m].sort().reverse() as [string, string];
      await t.api.putEvents([{ artifactId: hi, executionId: g.e, type: 'INPUT' }, { artifactId: lo, executionId: g.e, type: 'INPUT' }]);
      expect((await t.api.eventsByExecutions([g.e]))[0]?.map((ev) => ev.artifactId)).toEqual([lo, hi]);
    });
  });

  describe('attributions and associations', () => {
    it('link artifacts and executions to contexts, both ways, and count only new links', async () => {
      const g = await smallGraph();
      expect(await t.api.putAttributions([{ contextId: g.c, artifactId: g.a }, { contextId: g.d, artifactId: g.a }])).toBe(2);
      expect(await t.api.putAssociations([{ contextId: g.c, executionId: g.e }])).toBe(1);
      expect(await t.api.putAttributions([{ contextId: g.c, artifactId: g.a }, { contextId: g.c, artifactId: g.m }])).toBe(1);
      expect(await t.api.putAssociations([{ contextId: g.c, executionId: g.e }])).toBe(0);
      const [ofA, ofM, ofE] = await t.api.contextsOfNodes([g.a, g.m, g.e]);
      expect(ofA?.map((x) => x.id)).toEqual([g.c, g.d].sort());
      expect(ofM?.map((x) => x.id)).toEqual([g.c]);
      expect(ofE?.map((x) => x.id)).toEqual([g.c]);
      const artifactsOfC = await t.api.listNodes('ARTIFACT', { filter: { contextId: g.c }, orderBy: { field: 'ID' } });
      expect(artifactsOfC.nodes.map((n) => n.id)).toEqual([g.a, g.m].sort());
      const artifactsOfD = await t.api.listNodes('ARTIFACT', { filter: { contextId: g.d } });
      expect(artifactsOfD.nodes.map((n) => n.id)).toEqual([g.a]);
      const executionsOfD = await t.api.listNodes('EXECUTION', { filter: { contextId: g.d } });
      expect(executionsOfD.nodes).toEqual([]);
    });

    it('return full context records from contextsOfNodes, an unknown id with none', async () => {
      const g = await smallGraph();
      await t.api.putAttributions([{ contextId: g.c, artifactId: g.a }]);
      const [ctx] = await t.api.getNodes([g.c]);
      expect(await t.api.contextsOfNodes([g.a, ABSENT_ID, g.a])).toEqual([[ctx], [], [ctx]]);
    });

    it('answer unknown ends, and ends of the wrong kind, with NOT_FOUND naming the field', async () => {
      const g = await smallGraph();
      await expectStoreError(() => t.api.putAttributions([{ contextId: ABSENT_ID, artifactId: g.a }]), 'NOT_FOUND', 'links[0].contextId');
      await expectStoreError(() => t.api.putAttributions([{ contextId: g.c, artifactId: g.e }]), 'NOT_FOUND', 'links[0].artifactId');
      await expectStoreError(() => t.api.putAssociations([{ contextId: g.c, executionId: g.e }, { contextId: g.a, executionId: g.e }]),
        'NOT_FOUND', 'links[1].contextId');
      await expectStoreError(() => t.api.putAssociations([{ contextId: g.c, executionId: ABSENT_ID }]), 'NOT_FOUND', 'links[0].executionId');
      const s = countsOf(await snapshotGraph(t.api));
      expect([s.attributions, s.associations]).toEqual([0, 0]);
    });
  });

  describe('parent contexts', () => {
    it('link a child to its parents, readable from both sides, idempotently', async () => {
      const g = await smallGraph();
      const [p2] = await t.api.putContexts([{ type: 'Pipeline', name: 'p2' }]);
      expect(await t.api.putParentContexts([{ childId: g.c, parentId: g.d }, { childId: g.c, parentId: p2!.id }])).toBe(2);
      expect(await t.api.putParentContexts([{ childId: g.c, parentId: g.d }])).toBe(0);
      const [cRec, dRec, p2Rec] = await t.api.getNodes([g.c, g.d, p2!.id]);
      expect(await t.api.parentContexts([g.c, g.d])).toEqual([[dRec, p2Rec].sort((x, y) => (x!.id < y!.id ? -1 : 1)), []]);
      expect(await t.api.childContexts([g.d, p2!.id, g.c])).toEqual([[cRec], [cRec], []]);
      const children = await t.api.listNodes('CONTEXT', { filter: { parentId: g.d } });
      expect(children.nodes.map((n) => n.id)).toEqual([g.c]);
    });

    it('refuse a context as its own parent, writing nothing', async () => {
      const g = await smallGraph();
      await expectStoreError(() => t.api.putParentContexts([{ childId: g.c, parentId: g.c }]), 'FAILED_PRECONDITION', 'links[0]');
      expect(await t.api.parentContexts([g.c])).toEqual([[]]);
    });

    it('refuse the link that closes A -> B -> C -> A, keeping the two before it', async () => {
      // A's parent is B, B's parent is C; making A the parent of C closes the cycle.
      await putBasicTypes(t.api);
      const [a, b, c] = (await t.api.putContexts([{ type: 'Pipeline', name: 'A' }, { type: 'Pipeline', name: 'B' }, { type: 'Pipeline', name: 'C' }])).map((x) => x.id) as [string, string, string];
      await t.api.putParentContexts([{ childId: a, parentId: b }, { childId: b, parentId: c }]);
      await expectStoreError(() => t.api.putParentContexts([{ childId: c, parentId: a }]), 'FAILED_PRECONDITION', 'links[0]');
      expect((await snapshotGraph(t.api)).parents).toEqual([`${a} ${b}`, `${b} ${c}`].sort());
    });

    it('refuse a whole batch whose last link closes a cycle, writing none of it', async () => {
      await putBasicTypes(t.api);
      const [a, b, c] = (await t.api.putContexts([{ type: 'Pipeline', name: 'A' }, { type: 'Pipeline', name: 'B' }, { type: 'Pipeline', name: 'C' }])).map((x) => x.id) as [string, string, string];
      await expectStoreError(() => t.api.putParentContexts([
        { childId: a, parentId: b }, { childId: b, parentId: c }, { childId: c, parentId: a },
      ]), 'FAILED_PRECONDITION', 'links[2]');
      expect(await t.api.parentContexts([a, b, c])).toEqual([[], [], []]);
    });

    it('accept a diamond, which shares an ancestor without a cycle', async () => {
      //      top
      //     /   \
      //  left   right
      //     \   /
      //     bottom
      await putBasicTypes(t.api);
      const [top, left, right, bottom] = (await t.api.putContexts(['top', 'left', 'right', 'bottom'].map((name) => ({ type: 'Pipeline', name })))).map((x) => x.id) as [string, string, string, string];
      expect(await t.api.putParentContexts([
        { childId: left, parentId: top }, { childId: right, parentId: top },
        { childId: bottom, parentId: left }, { childId: bottom, parentId: right },
      ])).toBe(4);
      expect((await t.api.childContexts([top]))[0]?.map((x) => x.id)).toEqual([left, right].sort());
      expect((await t.api.parentContexts([bottom]))[0]?.map((x) => x.id)).toEqual([left, right].sort());
      // top is no child of anything, bottom no parent of anything.
      expect(await t.api.parentContexts([top])).toEqual([[]]);
      expect(await t.api.childContexts([bottom])).toEqual([[]]);
    });

    it('answer unknown ends, and ends that are not contexts, with NOT_FOUND naming the field', async () => {
      const g = await smallGraph();
      await expectStoreError(() => t.api.putParentContexts([{ childId: ABSENT_ID, parentId: g.c }]), 'NOT_FOUND', 'links[0].childId');
      await expectStoreError(() => t.api.putParentContexts([{ childId: g.c, parentId: g.a }]), 'NOT_FOUND', 'links[0].parentId');
      expect(await t.api.parentContexts([g.c])).toEqual([[]]);
    });
  });
});
