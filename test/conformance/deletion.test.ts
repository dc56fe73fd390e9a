/**
 * deleteNodes: artifacts, executions and contexts go with every edge that touches them,
 * in one transaction; unknown ids count for nothing.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { ABSENT_ID, countsOf, putBasicTypes, snapshotGraph } from './fixtures.js';

describe.each(BACKENDS)('deletion on $name', (backend) => {
  const t = useService(backend);

  /**
   *   d ──INPUT──▶ e ──OUTPUT──▶ m          (d, m artifacts; e execution; f another execution reading m)
   *                               └─INPUT──▶ f
   *   context p: attributions d, m; associations e, f
   *   context q: attribution m; q is a child of p, and r a child of q
   */
  async function drawnGraph() {
    await putBasicTypes(t.api);
    const r = await t.api.putLineageSubgraph({
      artifacts: [{ type: 'Dataset', name: 'd' }, { type: 'Model', name: 'm' }],
      executions: [{ type: 'Trainer', name: 'e' }, { type: 'Trainer', name: 'f' }],
      contexts: [{ type: 'Pipeline', name: 'p' }, { type: 'Pipeline', name: 'q' }, { type: 'Pipeline', name: 'r' }],
      events: [
        { artifactIndex: 0, executionIndex: 0, type: 'INPUT' },
        { artifactIndex: 1, executionIndex: 0, type: 'OUTPUT' },
        { artifactIndex: 1, executionIndex: 1, type: 'INPUT' },
      ],
      attributions: [{ contextIndex: 0, artifactIndex: 0 }, { contextIndex: 0, artifactIndex: 1 }, { contextIndex: 1, artifactIndex: 1 }],
      associations: [{ contextIndex: 0, executionIndex: 0 }, { contextIndex: 0, executionIndex: 1 }],
    });
    const [d, m] = r.artifacts.map((a) => a.id) as [string, string];
    const [e, f] = r.executions.map((x) => x.id) as [string, string];
    const [p, q, rr] = r.contexts.map((c) => c.id) as [string, string, string];
    await t.api.putParentContexts([{ childId: q, parentId: p }, { childId: rr, parentId: q }]);
    const before = await snapshotGraph(t.api);
    expect(countsOf(before)).toEqual({ artifacts: 2, executions: 2, contexts: 3, events: 3, attributions: 3, associations: 2, parents: 2 });
    return { d, m, e, f, p, q, r: rr };
  }

  it('deletes an artifact with its events and attributions, and nothing else', async () => {
    const g = await drawnGraph();
    expect(await t.api.deleteNodes([g.m])).toBe(1);
    const s = await snapshotGraph(t.api);
    expect(s.artifacts).toEqual([g.d]);
    expect(s.events).toEqual([`${g.d} ${g.e} INPUT []`]);
    expect(s.attributions).toEqual([`${g.p} ${g.d}`]);
    expect(countsOf(s)).toEqual({ artifacts: 1, executions: 2, contexts: 3, events: 1, attributions: 1, associations: 2, parents: 2 });
    expect(await t.api.getNodes([g.m])).toEqual([null]);
    expect(await t.api.eventsByArtifacts([g.m])).toEqual([[]]);
    expect(await t.api.eventsByExecutions([g.f])).toEqual([[]]);
    expect(await t.api.contextsOfNodes([g.m])).toEqual([[]]);
    expect((await t.api.listNodes('ARTIFACT', { filter: { contextId: g.q } })).nodes).toEqual([]);
  });

  it('deletes an execution with its events and associations', async () => {
    const g = await drawnGraph();
    expect(await t.api.deleteNodes([g.e])).toBe(1);
    const s = await snapshotGraph(t.api);
    expect(s.executions).toEqual([g.f]);
    expect(s.events).toEqual([`${g.m} ${g.f} INPUT []`]);
    expect(s.associations).toEqual([`${g.p} ${g.f}`]);
    expect(countsOf(s)).toEqual({ artifacts: 2, executions: 1, contexts: 3, events: 1, attributions: 3, associations: 1, parents: 2 });
    expect(await t.api.eventsByArtifacts([g.d])).toEqual([[]]);
  });

  it('deletes a context with its attributions, associations and parent links on both sides', async () => {
    const g = await drawnGraph();
    expect(await t.api.deleteNodes([g.q])).toBe(1);
    const s = await snapshotGraph(t.api);
    expect(s.contexts).toEqual([g.p, g.r].sort());
    expect(s.attributions).toEqual([`${g.p} ${g.d}`, `${g.p} ${g.m}`].sort());
    expect(s.parents).toEqual([]);
    expect(await t.api.childContexts([g.p])).toEqual([[]]);
    expect(await t.api.parentContexts([g.r])).toEqual([[]]);
    expect((await t.api.listNodes('CONTEXT', { filter: { parentId: g.p } })).nodes).toEqual([]);
    expect((await t.api.contextsOfNodes([g.m]))[0]?.map((c) => c.id)).toEqual([g.p]);
  });

  it('deletes nodes of every kind in one call, counting only the ones that existed', async () => {
    const g = await drawnGraph();
    expect(await t.api.deleteNodes([g.d, ABSENT_ID, g.e, g.p, 'not-an-id'])).toBe(3);
    const s = await snapshotGraph(t.api);
    expect(countsOf(s)).toEqual({ artifacts: 1, executions: 1, contexts: 2, events: 1, attributions: 1, associations: 0, parents: 1 });
    expect(s.events).toEqual([`${g.m} ${g.f} INPUT []`]);
    expect(s.attributions).toEqual([`${g.q} ${g.m}`]);
    expect(s.parents).toEqual([`${g.r} ${g.q}`]);
  });

  it('counts an id given twice once', async () => {
    const g = await drawnGraph();
    expect(await t.api.deleteNodes([g.d, g.d])).toBe(1);
  });

  it('counts 0 for unknown ids, and for ids already deleted', async () => {
    const g = await drawnGraph();
    const before = await snapshotGraph(t.api);
    expect(await t.api.deleteNodes([ABSENT_ID])).toBe(0);
    expect(await t.api.deleteNodes([])).toBe(0);
    expect(await snapshotGraph(t.api)).toEqual(before);
    expect(await t.api.deleteNodes([g.d])).toBe(1);
    expect(await t.api.deleteNodes([g.d])).toBe(0);
  });

  it('keeps the types of deleted nodes, so new nodes can use them', async () => {
    const g = await drawnGraph();
    await t.api.deleteNodes([g.d, g.m, g.e, g.f, g.p, g.q, g.r]);
    expect(countsOf(await snapshotGraph(t.api))).toEqual({ artifacts: 0, executions: 0, contexts: 0, events: 0, attributions: 0, associations: 0, parents: 0 });
    expect((await t.api.listTypes('ARTIFACT_TYPE')).map((x) => x.name)).toEqual(['Dataset', 'Model']);
    const [again] = await t.api.putArtifacts([{ type: 'Dataset', name: 'd' }]);
    expect(again!.id).not.toBe(g.d);
  });

  it('frees the name and externalId of a deleted node', async () => {
    await putBasicTypes(t.api);
    const [a] = await t.api.putArtifacts([{ type: 'Dataset', name: 'n', externalId: 'x' }]);
    await t.api.deleteNodes([a!.id]);
    const [b] = await t.api.putArtifacts([{ type: 'Dataset', name: 'n', externalId: 'x' }], { reuseByName: false });
    expect(b!.id).not.toBe(a!.id);
    expect(await t.api.findNodesByExternalId('ARTIFACT', ['x'])).toEqual([b]);
  });
});
