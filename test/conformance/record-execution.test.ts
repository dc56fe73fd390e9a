/**
 * recordExecution: one execution with its input and output artifacts (taken by id or
 * described), their events, and the contexts they all belong to, in ONE transaction.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { ABSENT_ID, countsOf, expectStoreError, putBasicTypes, snapshotGraph } from './fixtures.js';

describe.each(BACKENDS)('recordExecution on $name', (backend) => {
  const t = useService(backend);

  it('records the execution, its events with paths, its context, attributions and association', async () => {
    //   D (existing Dataset) --INPUT [train]--> E (Trainer run-1) --OUTPUT [0]--> M (new Model m1)
    //   all three in context P (Pipeline nightly, new)
    await putBasicTypes(t.api);
    const [d] = await t.api.putArtifacts([{ type: 'Dataset', name: 'd', properties: { rows: 5 } }]);
    t.clock.advance(20);
    const result = await t.api.recordExecution({
      execution: { type: 'Trainer', name: 'run-1', lastKnownState: 'COMPLETE', properties: { epochs: 2 } },
      inputs: [{ id: d!.id, path: [{ key: 'train' }] }],
      outputs: [{ artifact: { type: 'Model', name: 'm1', uri: 'file:/m1', properties: { lr: 0.1 } }, path: [{ index: 0 }] }],
      contexts: [{ type: 'Pipeline', name: 'nightly' }],
    });
    const { execution: e, inputs, outputs, contexts } = result;
    expect(e).toMatchObject({ kind: 'EXECUTION', name: 'run-1', lastKnownState: 'COMPLETE', properties: { epochs: 2 }, createTime: CLOCK_START + 20 });
    expect(inputs).toEqual([d]);
    expect(outputs.map((a) => [a.name, a.uri, a.properties, a.createTime])).toEqual([['m1', 'file:/m1', { lr: 0.1 }, CLOCK_START + 20]]);
    expect(contexts.map((c) => [c.name, c.createTime])).toEqual([['nightly', CLOCK_START + 20]]);
    const m = outputs[0]!;
    const p = contexts[0]!;

    const time = CLOCK_START + 20;
    const expectedEvents = [
      { artifactId: d!.id, executionId: e.id, type: 'INPUT', path: [{ key: 'train' }], time },
      { artifactId: m.id, executionId: e.id, type: 'OUTPUT', path: [{ index: 0 }], time },
    ].sort((x, y) => (x.artifactId < y.artifactId ? -1 : 1));
    expect(await t.api.eventsByExecutions([e.id])).toEqual([expectedEvents]);
    expect(await t.api.contextsOfNodes([d!.id, m.id, e.id])).toEqual([[p], [p], [p]]);

    const s = await snapshotGraph(t.api);
    expect(countsOf(s)).toEqual({ artifacts: 2, executions: 1, contexts: 1, events: 2, attributions: 2, associations: 1, parents: 0 });
    expect(s.attributions).toEqual([`${p.id} ${d!.id}`, `${p.id} ${m.id}`].sort());
    expect(s.associations).toEqual([`${p.id} ${e.id}`]);
  });

  it('records an execution with no artifacts and no contexts', async () => {
    await putBasicTypes(t.api);
    const result = await t.api.recordExecution({ execution: { type: 'Trainer', name: 'alone' } });
    expect([result.inputs, result.outputs, result.contexts]).toEqual([[], [], []]);
    expect(countsOf(await snapshotGraph(t.api))).toEqual({ artifacts: 0, executions: 1, contexts: 0, events: 0, attributions: 0, associations: 0, parents: 0 });
  });

  it('reuses a context with the same (type, name)', async () => {
    await putBasicTypes(t.api);
    const [p] = await t.api.putContexts([{ type: 'Pipeline', name: 'nightly', properties: { owner: 'ops' } }]);
    const run = (name: string) => t.api.recordExecution({
      execution: { type: 'Trainer', name },
      outputs: [{ artifact: { type: 'Model', name: `${name}-model` } }],
      contexts: [{ type: 'Pipeline', name: 'nightly' }],
    });
    const r1 = await run('run-1');
    const r2 = await run('run-2');
    expect([r1.contexts[0]!.id, r2.contexts[0]!.id]).toEqual([p!.id, p!.id]);
    expect(await t.api.getNodes([p!.id])).toEqual([p]);
    const s = await snapshotGraph(t.api);
    expect(countsOf(s)).toMatchObject({ contexts: 1, executions: 2, artifacts: 2, attributions: 2, associations: 2 });
    const runsOfP = await t.api.listNodes('EXECUTION', { filter: { contextId: p!.id }, orderBy: { field: 'ID' } });
    expect(runsOfP.nodes.map((n) => n.id)).toEqual([r1.execution.id, r2.execution.id].sort());
  });

  it('links every artifact and the execution to every context', async () => {
    await putBasicTypes(t.api);
    const r = await t.api.recordExecution({
      execution: { type: 'Trainer' },
      inputs: [{ artifact: { type: 'Dataset', name: 'x' } }],
      outputs: [{ artifact: { type: 'Model', name: 'y' } }],
      contexts: [{ type: 'Pipeline', name: 'p' }, { type: 'Pipeline', name: 'q' }],
    });
    const contextIds = r.contexts.map((c) => c.id).sort();
    const linked = await t.api.contextsOfNodes([r.inputs[0]!.id, r.outputs[0]!.id, r.execution.id]);
    expect(linked.map((list) => list.map((c) => c.id))).toEqual([contextIds, contextIds, contextIds]);
  });

  it('records one artifact as both input and output with two events and one attribution', async () => {
    await putBasicTypes(t.api);
    const [d] = await t.api.putArtifacts([{ type: 'Dataset', name: 'table' }]);
    const r = await t.api.recordExecution({
      execution: { type: 'Trainer', name: 'in-place' },
      inputs: [{ id: d!.id }],
      outputs: [{ id: d!.id }],
      contexts: [{ type: 'Pipeline', name: 'p' }],
    });
    expect((await t.api.eventsByArtifacts([d!.id]))[0]?.map((ev) => ev.type).sort()).toEqual(['INPUT', 'OUTPUT']);
    expect(countsOf(await snapshotGraph(t.api))).toEqual({ artifacts: 1, executions: 1, contexts: 1, events: 2, attributions: 1, associations: 1, parents: 0 });
    expect(r.inputs[0]!.id).toBe(r.outputs[0]!.id);
  });

  it('takes an explicit event type of the matching kind', async () => {
    await putBasicTypes(t.api);
    const r = await t.api.recordExecution({
      execution: { type: 'Trainer' },
      inputs: [{ artifact: { type: 'Dataset', name: 'a' }, eventType: 'DECLARED_INPUT' }, { artifact: { type: 'Dataset', name: 'b' }, eventType: 'INTERNAL_INPUT' }],
      outputs: [{ artifact: { type: 'Model', name: 'c' }, eventType: 'PENDING_OUTPUT' }, { artifact: { type: 'Model', name: 'd' }, eventType: 'DECLARED_OUTPUT' }],
    });
    const events = (await t.api.eventsByExecutions([r.execution.id]))[0]!;
    const typeOf = new Map(events.map((ev) => [ev.artifactId, ev.type]));
    expect([...r.inputs, ...r.outputs].map((a) => typeOf.get(a.id))).toEqual(['DECLARED_INPUT', 'INTERNAL_INPUT', 'PENDING_OUTPUT', 'DECLARED_OUTPUT']);
  });

  it.each([
    ['inputs', 'OUTPUT'],
    ['inputs', 'DECLARED_OUTPUT'],
    ['outputs', 'INPUT'],
    ['outputs', 'INTERNAL_INPUT'],
  ] as const)('refuses on %s the event type %s, of the other kind', async (side, eventType) => {
    await putBasicTypes(t.api);
    await expectStoreError(() => t.api.recordExecution({
      execution: { type: 'Trainer' },
      [side]: [{ artifact: { type: 'Dataset', name: 'a' }, eventType }],
    }), 'INVALID_ARGUMENT', `input.${side}[0].eventType`);
    expect(countsOf(await snapshotGraph(t.api))).toMatchObject({ artifacts: 0, executions: 0 });
  });

  it.each([
    ['both id and artifact', 'inputs', (id: string) => ({ id, artifact: { type: 'Dataset', name: 'x' } })],
    ['neither id nor artifact', 'inputs', () => ({ path: [{ index: 0 }] })],
    ['both id and artifact', 'outputs', (id: string) => ({ id, artifact: { type: 'Model', name: 'y' } })],
    ['neither id nor artifact', 'outputs', () => ({})],
  ] as const)('refuses a reference with %s (on %s)', async (_label, side, ref) => {
    await putBasicTypes(t.api);
    const [d] = await t.api.putArtifacts([{ type: 'Dataset', name: 'd' }]);
    const before = await snapshotGraph(t.api);
    await expectStoreError(() => t.api.recordExecution({
      execution: { type: 'Trainer' },
      [side]: [{ id: d!.id }, ref(d!.id)],
    }), 'INVALID_ARGUMENT', `input.${side}[1]`);
    expect(await snapshotGraph(t.api)).toEqual(before);
  });

  it('refuses a call without an execution', async () => {
    await putBasicTypes(t.api);
    await expectStoreError(() => t.api.recordExecution({ outputs: [{ artifact: { type: 'Model' } }] } as never), 'INVALID_ARGUMENT', 'input.execution');
    expect(countsOf(await snapshotGraph(t.api)).artifacts).toBe(0);
  });

  describe('one transaction', () => {
    /**
     * The graph before each failing call: D (Dataset d) in context P (Pipeline old),
     * with an earlier run E0 that read D.
     */
    async function existingGraph() {
      await putBasicTypes(t.api);
      const r = await t.api.recordExecution({
        execution: { type: 'Trainer', name: 'e0' },
        inputs: [{ artifact: { type: 'Dataset', name: 'd', properties: { rows: 1 } }, path: [{ index: 0 }] }],
        contexts: [{ type: 'Pipeline', name: 'old' }],
      });
      const before = await snapshotGraph(t.api);
      expect(countsOf(before)).toEqual({ artifacts: 1, executions: 1, contexts: 1, events: 1, attributions: 1, associations: 1, parents: 0 });
      return { d: r.inputs[0]!, e0: r.execution, p: r.contexts[0]!, before };
    }

    it('leaves nothing behind when the last output has a bad property', async () => {
      const g = await existingGraph();
      await expectStoreError(() => t.api.recordExecution({
        execution: { type: 'Trainer', name: 'e1' },
        inputs: [{ id: g.d.id }],
        outputs: [
          { artifact: { type: 'Model', name: 'good', properties: { lr: 0.1 } } },
          { artifact: { type: 'Model', name: 'bad', properties: { lr: 'fast' } } },
        ],
        contexts: [{ type: 'Pipeline', name: 'old' }, { type: 'Pipeline', name: 'new' }],
      }), 'INVALID_ARGUMENT', 'input.outputs[1].artifact.properties.lr');
      expect(await snapshotGraph(t.api)).toEqual(g.before);
      expect(await t.api.findNodeByName('EXECUTION', 'Trainer', 'e1')).toBeNull();
      expect(await t.api.findNodeByName('ARTIFACT', 'Model', 'good')).toBeNull();
    });

    it('leaves nothing behind when an input id is unknown, after the new nodes were put', async () => {
      const g = await existingGraph();
      await expectStoreError(() => t.api.recordExecution({
        execution: { type: 'Trainer', name: 'e1' },
        inputs: [{ id: g.d.id }, { id: ABSENT_ID }],
        outputs: [{ artifact: { type: 'Model', name: 'm' } }],
        contexts: [{ type: 'Pipeline', name: 'new' }],
      }), 'NOT_FOUND', 'input.inputs[1].id');
      expect(await snapshotGraph(t.api)).toEqual(g.before);
    });

    it('leaves nothing behind, not even the updates of reused nodes, when a context is invalid', async () => {
      const g = await existingGraph();
      t.clock.advance(5);
      await expectStoreError(() => t.api.recordExecution({
        execution: { type: 'Trainer', name: 'e0', lastKnownState: 'FAILED' },
        inputs: [{ artifact: { type: 'Dataset', name: 'd', properties: { split: 'train' } } }],
        contexts: [{ type: 'Pipeline', name: 'old' }, { type: 'NoSuchContextType', name: 'x' }],
      }), 'NOT_FOUND', 'input.contexts[1].type');
      expect(await snapshotGraph(t.api)).toEqual(g.before);
      expect(await t.api.getNodes([g.e0.id, g.d.id])).toEqual([g.e0, g.d]);
    });

    it('leaves nothing behind when an event would change the path of a stored one', async () => {
      const g = await existingGraph();
      await expectStoreError(() => t.api.recordExecution({
        execution: { type: 'Trainer', name: 'e0' },
        inputs: [{ id: g.d.id, path: [{ index: 9 }] }],
        outputs: [{ artifact: { type: 'Model', name: 'm' } }],
        contexts: [{ type: 'Pipeline', name: 'new' }],
      }), 'ALREADY_EXISTS', 'input.inputs[0]');
      expect(await snapshotGraph(t.api)).toEqual(g.before);
    });
  });

  it('is idempotent: the same call twice gives the same ids and the same graph', async () => {
    await putBasicTypes(t.api);
    const input = {
      execution: { type: 'Trainer', name: 'run', lastKnownState: 'COMPLETE' as const },
      inputs: [{ artifact: { type: 'Dataset', name: 'd', uri: 'u' }, path: [{ key: 'x' }] }],
      outputs: [{ artifact: { type: 'Model', name: 'm' } }],
      contexts: [{ type: 'Pipeline', name: 'p' }],
    };
    const first = await t.api.recordExecution(input);
    const before = await snapshotGraph(t.api);
    t.clock.advance(1_000);
    const second = await t.api.recordExecution(input);
    expect(second).toEqual(first);
    expect(await snapshotGraph(t.api)).toEqual(before);
  });

  it('updates the execution it reuses by name, keeping its id', async () => {
    await putBasicTypes(t.api);
    const started = await t.api.recordExecution({ execution: { type: 'Trainer', name: 'run', lastKnownState: 'RUNNING' } });
    t.clock.advance(60_000);
    const finished = await t.api.recordExecution({
      execution: { type: 'Trainer', name: 'run', lastKnownState: 'COMPLETE' },
      outputs: [{ artifact: { type: 'Model', name: 'm' } }],
    });
    expect(finished.execution).toEqual({ ...started.execution, lastKnownState: 'COMPLETE', updateTime: CLOCK_START + 60_000 });
    expect(countsOf(await snapshotGraph(t.api))).toMatchObject({ executions: 1, artifacts: 1, events: 1 });
  });
});
