/**
 * Uniqueness and reuse: names are unique per type and a re-put without an id reuses the
 * named node (unless reuseByName is false), only adding to it (reuse-without-id.test.ts); externalIds are unique per node kind and
 * reused only on request; identical re-puts change nothing.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { countsOf, expectStoreError, putBasicTypes, snapshotGraph } from './fixtures.js';

describe.each(BACKENDS)('uniqueness and reuse on $name', (backend) => {
  const t = useService(backend);

  describe('by name', () => {
    it('reuses the artifact with the same (type, name) and adds the fields it lacks', async () => {
      await putBasicTypes(t.api);
      const [first] = await t.api.putArtifacts([{ type: 'Dataset', name: 'train', properties: { rows: 10 } }]);
      t.clock.advance(7);
      const [second] = await t.api.putArtifacts([{ type: 'Dataset', name: 'train', uri: 'u2' }]);
      const expected = { ...first!, uri: 'u2', updateTime: CLOCK_START + 7 };
      expect(second).toEqual(expected);
      expect(await t.api.getNodes([first!.id])).toEqual([expected]);
      expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(1);
    });

    it('reuses executions and contexts by name the same way', async () => {
      await putBasicTypes(t.api);
      const [e1] = await t.api.putExecutions([{ type: 'Trainer', name: 'run' }]);
      const [e2] = await t.api.putExecutions([{ type: 'Trainer', name: 'run', lastKnownState: 'COMPLETE' }]);
      const [c1] = await t.api.putContexts([{ type: 'Pipeline', name: 'p' }]);
      const [c2] = await t.api.putContexts([{ type: 'Pipeline', name: 'p', properties: { owner: 'z' } }]);
      expect([e2!.id, e2!.lastKnownState]).toEqual([e1!.id, 'COMPLETE']);
      expect([c2!.id, c2!.properties]).toEqual([c1!.id, { owner: 'z' }]);
      expect(await (await t.api.listNodes('EXECUTION')).totalCount()).toBe(1);
      expect(await (await t.api.listNodes('CONTEXT')).totalCount()).toBe(1);
    });

    it('refuses a taken name with reuseByName false, and changes nothing', async () => {
      await putBasicTypes(t.api);
      const [first] = await t.api.putArtifacts([{ type: 'Dataset', name: 'train', uri: 'u1' }]);
      await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'train', uri: 'u2' }], { reuseByName: false }),
        'ALREADY_EXISTS', 'artifacts[0].name');
      await expectStoreError(() => t.api.putContexts([{ type: 'Pipeline', name: 'p' }, { type: 'Pipeline', name: 'p' }], { reuseByName: false }),
        'ALREADY_EXISTS', 'contexts[1].name');
      expect(await t.api.getNodes([first!.id])).toEqual([first]);
      expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(1);
      expect(await (await t.api.listNodes('CONTEXT')).totalCount()).toBe(0);
    });

    it('keeps the same name under different types, and under different versions of a type, apart', async () => {
      await putBasicTypes(t.api);
      await t.api.putType('ARTIFACT_TYPE', { name: 'Dataset', version: '2' });
      const put = await t.api.putArtifacts([
        { type: 'Dataset', name: 'x' }, { type: 'Model', name: 'x' }, { type: 'Dataset', typeVersion: '2', name: 'x' },
      ]);
      expect(new Set(put.map((a) => a.id)).size).toBe(3);
      expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(3);
    });

    it('never reuses an unnamed node', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{ type: 'Dataset', uri: 'same' }]);
      const [b] = await t.api.putArtifacts([{ type: 'Dataset', uri: 'same' }]);
      expect(a!.id).not.toBe(b!.id);
      expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(2);
    });

    it('refuses to give a node by id a name another node of its type holds', async () => {
      await putBasicTypes(t.api);
      const [named, unnamed] = await t.api.putArtifacts([{ type: 'Dataset', name: 'taken' }, { type: 'Dataset' }]);
      await expectStoreError(() => t.api.putArtifacts([{ id: unnamed!.id, type: 'Dataset', name: 'taken' }]), 'ALREADY_EXISTS', 'artifacts[0].name');
      expect(await t.api.getNodes([named!.id, unnamed!.id])).toEqual([named, unnamed]);
    });

    it('resolves a batch that names the same node twice to one node, the later input adding to it', async () => {
      await putBasicTypes(t.api);
      const [a, b] = await t.api.putArtifacts([{ type: 'Dataset', name: 'n', uri: 'first' }, { type: 'Dataset', name: 'n', properties: { rows: 2 } }]);
      expect(a!.id).toBe(b!.id);
      expect((await t.api.getNodes([a!.id]))[0]).toMatchObject({ uri: 'first', properties: { rows: 2 } });
      expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(1);
    });
  });

  describe('by externalId', () => {
    it('refuses a duplicate externalId among artifacts, whatever their types', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a', externalId: 'ext' }]);
      await expectStoreError(() => t.api.putArtifacts([{ type: 'Model', name: 'b', externalId: 'ext' }]), 'ALREADY_EXISTS', 'artifacts[0].externalId');
      expect(await t.api.getNodes([a!.id])).toEqual([a]);
      expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(1);
    });

    it('refuses to move an externalId onto another node by id', async () => {
      await putBasicTypes(t.api);
      const [a, b] = await t.api.putArtifacts([{ type: 'Dataset', externalId: 'ext' }, { type: 'Dataset' }]);
      await expectStoreError(() => t.api.putArtifacts([{ id: b!.id, type: 'Dataset', externalId: 'ext' }]), 'ALREADY_EXISTS', 'artifacts[0].externalId');
      expect(await t.api.getNodes([a!.id, b!.id])).toEqual([a, b]);
    });

    it('allows the same externalId on nodes of different kinds', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{ type: 'Dataset', externalId: 'shared' }]);
      const [e] = await t.api.putExecutions([{ type: 'Trainer', externalId: 'shared' }]);
      const [c] = await t.api.putContexts([{ type: 'Pipeline', name: 'p', externalId: 'shared' }]);
      expect(new Set([a!.id, e!.id, c!.id]).size).toBe(3);
    });

    it('reuses the node with the externalId when reuseByExternalId is set', async () => {
      await putBasicTypes(t.api);
      const [first] = await t.api.putArtifacts([{ type: 'Dataset', externalId: 'ext' }]);
      t.clock.advance(3);
      const [second] = await t.api.putArtifacts([{ type: 'Dataset', externalId: 'ext', uri: 'u2' }], { reuseByExternalId: true });
      expect(second).toEqual({ ...first!, uri: 'u2', updateTime: CLOCK_START + 3 });
      expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(1);
    });

    it('keeps an unchanged externalId on an update by id', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{ type: 'Dataset', externalId: 'ext' }]);
      const [b] = await t.api.putArtifacts([{ id: a!.id, type: 'Dataset', externalId: 'ext', uri: 'u' }]);
      expect(b).toEqual({ ...a!, uri: 'u' });
    });
  });

  describe('idempotent re-puts', () => {
    it('give the same ids and leave node and edge counts unchanged', async () => {
      await putBasicTypes(t.api);
      const putAll = async () => {
        const [d, m] = await t.api.putArtifacts([
          { type: 'Dataset', name: 'd', uri: 'u', properties: { rows: 1 } },
          { type: 'Model', name: 'm', properties: { lr: 0.1 } },
        ]);
        const [e] = await t.api.putExecutions([{ type: 'Trainer', name: 'e', lastKnownState: 'COMPLETE' }]);
        const [c] = await t.api.putContexts([{ type: 'Pipeline', name: 'c' }]);
        await t.api.putEvents([
          { artifactId: d!.id, executionId: e!.id, type: 'INPUT', path: [{ key: 'data' }] },
          { artifactId: m!.id, executionId: e!.id, type: 'OUTPUT' },
        ]);
        await t.api.putAttributions([{ contextId: c!.id, artifactId: d!.id }, { contextId: c!.id, artifactId: m!.id }]);
        await t.api.putAssociations([{ contextId: c!.id, executionId: e!.id }]);
        return [d!.id, m!.id, e!.id, c!.id];
      };
      const ids = await putAll();
      const before = await snapshotGraph(t.api);
      t.clock.advance(100);
      expect(await putAll()).toEqual(ids);
      const after = await snapshotGraph(t.api);
      expect(after).toEqual(before);
      expect(countsOf(after)).toEqual({ artifacts: 2, executions: 1, contexts: 1, events: 2, attributions: 2, associations: 1, parents: 0 });
      // Nothing changed, so nothing was touched.
      expect((await t.api.getNodes(ids)).map((n) => n?.updateTime)).toEqual([CLOCK_START, CLOCK_START, CLOCK_START, CLOCK_START]);
    });
  });
});
