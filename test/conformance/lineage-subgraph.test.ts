/**
 * putLineageSubgraph: many nodes and the edges between them, named by position in the
 * input lists, written in one transaction; results come back in input order.
 */
import { describe, expect, it } from 'vitest';
import type { LineageSubgraphInput } from '../../src/service/metadata/inputs.js';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { countsOf, expectStoreError, putBasicTypes, snapshotGraph } from './fixtures.js';

/**
 *   raw ──INPUT──▶ prep ──OUTPUT──▶ clean ──INPUT──▶ train ──OUTPUT──▶ model
 *   (artifact 0)   (exec 0)         (artifact 1)     (exec 1)          (artifact 2)
 *   context 0 "nightly": attributions raw, clean, model; associations prep, train
 *   context 1 "adhoc":   attribution model only
 */
const PIPELINE: LineageSubgraphInput = {
  artifacts: [
    { type: 'Dataset', name: 'raw', uri: 'gs://raw' },
    { type: 'Dataset', name: 'clean', properties: { rows: 10 } },
    { type: 'Model', name: 'model', properties: { lr: 0.1 } },
  ],
  executions: [{ type: 'Trainer', name: 'prep' }, { type: 'Trainer', name: 'train', lastKnownState: 'COMPLETE' }],
  contexts: [{ type: 'Pipeline', name: 'nightly' }, { type: 'Pipeline', name: 'adhoc' }],
  events: [
    { artifactIndex: 0, executionIndex: 0, type: 'INPUT', path: [{ key: 'source' }] },
    { artifactIndex: 1, executionIndex: 0, type: 'OUTPUT' },
    { artifactIndex: 1, executionIndex: 1, type: 'INPUT', path: [{ index: 0 }] },
    { artifactIndex: 2, executionIndex: 1, type: 'OUTPUT' },
  ],
  attributions: [
    { contextIndex: 0, artifactIndex: 0 }, { contextIndex: 0, artifactIndex: 1 }, { contextIndex: 0, artifactIndex: 2 },
    { contextIndex: 1, artifactIndex: 2 },
  ],
  associations: [{ contextIndex: 0, executionIndex: 0 }, { contextIndex: 0, executionIndex: 1 }],
};

describe.each(BACKENDS)('putLineageSubgraph on $name', (backend) => {
  const t = useService(backend);

  it('writes the drawn pipeline: nodes in input order, exactly the drawn edges', async () => {
    await putBasicTypes(t.api);
    t.clock.advance(3);
    const r = await t.api.putLineageSubgraph(PIPELINE);
    expect(r.artifacts.map((a) => a.name)).toEqual(['raw', 'clean', 'model']);
    expect(r.executions.map((e) => e.name)).toEqual(['prep', 'train']);
    expect(r.contexts.map((c) => c.name)).toEqual(['nightly', 'adhoc']);
    expect(r.artifacts[0]).toMatchObject({ uri: 'gs://raw', createTime: CLOCK_START + 3 });
    expect(r.executions[1]).toMatchObject({ lastKnownState: 'COMPLETE' });
    const [raw, clean, model] = r.artifacts.map((a) => a.id) as [string, string, string];
    const [prep, train] = r.executions.map((e) => e.id) as [string, string];
    const [nightly, adhoc] = r.contexts.map((c) => c.id) as [string, string];

    const s = await snapshotGraph(t.api);
    expect(s.events).toEqual([
      `${raw} ${prep} INPUT [{"key":"source"}]`,
      `${clean} ${prep} OUTPUT []`,
      `${clean} ${train} INPUT [{"index":0}]`,
      `${model} ${train} OUTPUT []`,
    ].sort());
    expect(s.attributions).toEqual([`${nightly} ${raw}`, `${nightly} ${clean}`, `${nightly} ${model}`, `${adhoc} ${model}`].sort());
    expect(s.associations).toEqual([`${nightly} ${prep}`, `${nightly} ${train}`].sort());
    // What the drawing leaves out stays out: raw never touches train, adhoc has no executions.
    expect((await t.api.eventsByArtifacts([raw]))[0]?.map((e) => e.executionId)).toEqual([prep]);
    expect((await t.api.listNodes('EXECUTION', { filter: { contextId: adhoc } })).nodes).toEqual([]);
    expect(countsOf(s)).toEqual({ artifacts: 3, executions: 2, contexts: 2, events: 4, attributions: 4, associations: 2, parents: 0 });
  });

  it('is idempotent: the same subgraph twice gives the same ids and the same graph', async () => {
    await putBasicTypes(t.api);
    const first = await t.api.putLineageSubgraph(PIPELINE);
    const before = await snapshotGraph(t.api);
    t.clock.advance(10);
    const second = await t.api.putLineageSubgraph(PIPELINE);
    expect(second).toEqual(first);
    expect(await snapshotGraph(t.api)).toEqual(before);
  });

  it('reuses nodes that already exist by (type, name)', async () => {
    await putBasicTypes(t.api);
    const [raw] = await t.api.putArtifacts([{ type: 'Dataset', name: 'raw' }]);
    const [nightly] = await t.api.putContexts([{ type: 'Pipeline', name: 'nightly' }]);
    const r = await t.api.putLineageSubgraph(PIPELINE);
    expect([r.artifacts[0]!.id, r.contexts[0]!.id]).toEqual([raw!.id, nightly!.id]);
    expect(countsOf(await snapshotGraph(t.api))).toMatchObject({ artifacts: 3, contexts: 2 });
  });

  it.each([
    ['an event artifactIndex past the end', { events: [{ artifactIndex: 3, executionIndex: 0, type: 'INPUT' as const }] }, 'input.events[0].artifactIndex'],
    ['a negative event executionIndex', { events: [PIPELINE.events![0]!, { artifactIndex: 0, executionIndex: -1, type: 'OUTPUT' as const }] }, 'input.events[1].executionIndex'],
    ['a fractional index', { events: [{ artifactIndex: 0.5, executionIndex: 0, type: 'INPUT' as const }] }, 'input.events[0].artifactIndex'],
    ['an attribution contextIndex past the end', { attributions: [{ contextIndex: 2, artifactIndex: 0 }] }, 'input.attributions[0].contextIndex'],
    ['an attribution artifactIndex past the end', { attributions: [{ contextIndex: 0, artifactIndex: 3 }] }, 'input.attributions[0].artifactIndex'],
    ['an association executionIndex past the end', { associations: [{ contextIndex: 0, executionIndex: 2 }] }, 'input.associations[0].executionIndex'],
  ])('refuses %s, naming the field and writing nothing', async (_label, change, field) => {
    await putBasicTypes(t.api);
    await expectStoreError(() => t.api.putLineageSubgraph({ ...PIPELINE, ...change }), 'INVALID_ARGUMENT', field);
    expect(countsOf(await snapshotGraph(t.api))).toEqual({ artifacts: 0, executions: 0, contexts: 0, events: 0, attributions: 0, associations: 0, parents: 0 });
  });

  it('refuses an index into an empty list', async () => {
    await putBasicTypes(t.api);
    await expectStoreError(() => t.api.putLineageSubgraph({
      artifacts: [{ type: 'Dataset', name: 'a' }],
      events: [{ artifactIndex: 0, executionIndex: 0, type: 'INPUT' }],
    }), 'INVALID_ARGUMENT', 'input.events[0].executionIndex');
    expect(countsOf(await snapshotGraph(t.api)).artifacts).toBe(0);
  });

  it('writes nothing when a late node is invalid', async () => {
    await putBasicTypes(t.api);
    await expectStoreError(() => t.api.putLineageSubgraph({
      ...PIPELINE,
      contexts: [{ type: 'Pipeline', name: 'nightly' }, { type: 'Pipeline', name: 'adhoc', properties: { owner: 42 } }],
    }), 'INVALID_ARGUMENT', 'input.contexts[1].properties.owner');
    expect(countsOf(await snapshotGraph(t.api))).toEqual({ artifacts: 0, executions: 0, contexts: 0, events: 0, attributions: 0, associations: 0, parents: 0 });
  });

  it('writes nothing when an event conflicts with a stored one', async () => {
    await putBasicTypes(t.api);
    await t.api.putLineageSubgraph(PIPELINE);
    const before = await snapshotGraph(t.api);
    await expectStoreError(() => t.api.putLineageSubgraph({
      ...PIPELINE,
      artifacts: [...PIPELINE.artifacts!, { type: 'Model', name: 'extra' }],
      events: [{ artifactIndex: 3, executionIndex: 1, type: 'OUTPUT' }, { artifactIndex: 0, executionIndex: 0, type: 'INPUT', path: [{ key: 'other' }] }],
    }), 'ALREADY_EXISTS', 'input.events[1]');
    expect(await snapshotGraph(t.api)).toEqual(before);
  });

  it('accepts an empty subgraph and writes nothing', async () => {
    expect(await t.api.putLineageSubgraph({})).toEqual({ artifacts: [], executions: [], contexts: [] });
    expect(countsOf(await snapshotGraph(t.api)).artifacts).toBe(0);
  });
});
