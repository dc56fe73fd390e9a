/**
 * Artifacts, executions and contexts: the fields a put stores, defaults, server-made ids
 * and times, updates by id, and the reads by id, name, externalId and uri.
 */
import { describe, expect, it } from 'vitest';
import { ARTIFACT_STATES, EXECUTION_STATES } from '../../src/graph/model.js';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { ABSENT_ID, expectStoreError, putBasicTypes, UUID_V7 } from './fixtures.js';

describe.each(BACKENDS)('nodes on $name', (backend) => {
  const t = useService(backend);

  describe('inserting', () => {
    it('stores an artifact with every field, times from the server clock', async () => {
      const { model } = await putBasicTypes(t.api);
      const [put] = await t.api.putArtifacts([{
        type: 'Model', name: 'resnet', uri: 's3://models/resnet', externalId: 'ext-a', state: 'LIVE',
        properties: { lr: 0.01, layers: 50 }, customProperties: { owner: 'ana' },
      }]);
      const expected = {
        id: put!.id, mlmdId: put!.mlmdId, kind: 'ARTIFACT', typeId: model.id, name: 'resnet', uri: 's3://models/resnet', externalId: 'ext-a',
        state: 'LIVE', properties: { lr: 0.01, layers: 50 }, customProperties: { owner: 'ana' },
        createTime: CLOCK_START, updateTime: CLOCK_START,
      };
      expect(put).toEqual(expected);
      expect(put!.mlmdId).toBeGreaterThanOrEqual(1);
      expect(await t.api.getNodes([put!.id])).toEqual([expected]);
    });

    it('defaults an artifact to no name, uri or externalId, state UNKNOWN and empty property maps', async () => {
      const { dataset } = await putBasicTypes(t.api);
      const [put] = await t.api.putArtifacts([{ type: 'Dataset' }]);
      expect(await t.api.getNodes([put!.id])).toEqual([{
        id: put!.id, mlmdId: put!.mlmdId, kind: 'ARTIFACT', typeId: dataset.id, name: null, uri: null, externalId: null, state: 'UNKNOWN',
        properties: {}, customProperties: {}, createTime: CLOCK_START, updateTime: CLOCK_START,
      }]);
    });

    it('stores an execution with lastKnownState UNKNOWN by default, and no uri', async () => {
      const { trainer } = await putBasicTypes(t.api);
      const [put] = await t.api.putExecutions([{ type: 'Trainer', name: 'run-1', properties: { epochs: 3 } }]);
      const [got] = await t.api.getNodes([put!.id]);
      expect(got).toEqual({
        id: put!.id, mlmdId: put!.mlmdId, kind: 'EXECUTION', typeId: trainer.id, name: 'run-1', externalId: null, lastKnownState: 'UNKNOWN',
        properties: { epochs: 3 }, customProperties: {}, createTime: CLOCK_START, updateTime: CLOCK_START,
      });
      expect(got).not.toHaveProperty('uri');
      expect(got).not.toHaveProperty('state');
    });

    it('stores a context with its name', async () => {
      const { pipeline } = await putBasicTypes(t.api);
      const [put] = await t.api.putContexts([{ type: 'Pipeline', name: 'nightly', properties: { owner: 'ops' } }]);
      const [got] = await t.api.getNodes([put!.id]);
      expect(got).toEqual({
        id: put!.id, mlmdId: put!.mlmdId, kind: 'CONTEXT', typeId: pipeline.id, name: 'nightly', externalId: null,
        properties: { owner: 'ops' }, customProperties: {}, createTime: CLOCK_START, updateTime: CLOCK_START,
      });
      expect(got).not.toHaveProperty('uri');
      expect(got).not.toHaveProperty('lastKnownState');
    });

    it('requires a context name', async () => {
      await putBasicTypes(t.api);
      await expectStoreError(() => t.api.putContexts([{ type: 'Pipeline' } as never]), 'INVALID_ARGUMENT', 'contexts[0].name');
      await expectStoreError(() => t.api.putContexts([{ type: 'Pipeline', name: '' }]), 'INVALID_ARGUMENT', 'contexts[0].name');
      expect(await (await t.api.listNodes('CONTEXT')).totalCount()).toBe(0);
    });

    it.each(ARTIFACT_STATES)('stores the artifact state %s', async (state) => {
      await putBasicTypes(t.api);
      const [put] = await t.api.putArtifacts([{ type: 'Dataset', state }]);
      expect((await t.api.getNodes([put!.id]))[0]).toMatchObject({ state });
    });

    it.each(EXECUTION_STATES)('stores the execution state %s', async (lastKnownState) => {
      await putBasicTypes(t.api);
      const [put] = await t.api.putExecutions([{ type: 'Trainer', lastKnownState }]);
      expect((await t.api.getNodes([put!.id]))[0]).toMatchObject({ lastKnownState });
    });

    it('refuses a state outside the closed set', async () => {
      await putBasicTypes(t.api);
      await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', state: 'GONE' as never }]), 'INVALID_ARGUMENT', 'artifacts[0].state');
      await expectStoreError(() => t.api.putExecutions([{ type: 'Trainer', lastKnownState: 'LIVE' as never }]), 'INVALID_ARGUMENT', 'executions[0].lastKnownState');
    });

    it('answers an unknown type name with NOT_FOUND naming the field', async () => {
      await putBasicTypes(t.api);
      await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset' }, { type: 'Nope' }]), 'NOT_FOUND', 'artifacts[1].type');
      await expectStoreError(() => t.api.putExecutions([{ type: 'Dataset' }]), 'NOT_FOUND', 'executions[0].type');
      await expectStoreError(() => t.api.putContexts([{ type: 'Trainer', name: 'c' }]), 'NOT_FOUND', 'contexts[0].type');
      expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(0);
    });

    it('picks the type version the input names', async () => {
      const plain = await t.api.putType('ARTIFACT_TYPE', { name: 'Model' });
      const v2 = await t.api.putType('ARTIFACT_TYPE', { name: 'Model', version: '2' });
      const [a, b] = await t.api.putArtifacts([{ type: 'Model' }, { type: 'Model', typeVersion: '2' }]);
      expect([a!.typeId, b!.typeId]).toEqual([plain.id, v2.id]);
      await expectStoreError(() => t.api.putArtifacts([{ type: 'Model', typeVersion: '3' }]), 'NOT_FOUND', 'artifacts[0].type');
    });

    it('returns the records in input order', async () => {
      await putBasicTypes(t.api);
      const put = await t.api.putArtifacts([{ type: 'Dataset', name: 'c' }, { type: 'Model', name: 'a' }, { type: 'Dataset', name: 'b' }]);
      expect(put.map((a) => a.name)).toEqual(['c', 'a', 'b']);
    });
  });

  describe('ids', () => {
    it('are UUIDv7 strings made by the server, unique across node kinds and types', async () => {
      const types = await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{ type: 'Dataset' }]);
      const [e] = await t.api.putExecutions([{ type: 'Trainer' }]);
      const [c] = await t.api.putContexts([{ type: 'Pipeline', name: 'p' }]);
      const ids = [a!.id, e!.id, c!.id, ...Object.values(types).map((x) => x.id)];
      for (const id of ids) expect(id).toMatch(UUID_V7);
      expect(new Set(ids).size).toBe(7);
      expect((await t.api.getNodes([a!.id, e!.id, c!.id])).map((n) => n?.kind)).toEqual(['ARTIFACT', 'EXECUTION', 'CONTEXT']);
    });

    it('sort in creation order', async () => {
      await putBasicTypes(t.api);
      const created: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        created.push((await t.api.putArtifacts([{ type: 'Dataset' }]))[0]!.id);
        created.push((await t.api.putExecutions([{ type: 'Trainer' }]))[0]!.id);
      }
      expect([...created].sort()).toEqual(created);
    });

    it('ignore an id the caller makes up: an unknown id is NOT_FOUND, nothing is inserted', async () => {
      await putBasicTypes(t.api);
      await expectStoreError(() => t.api.putArtifacts([{ id: ABSENT_ID, type: 'Dataset' }]), 'NOT_FOUND', 'artifacts[0].id');
      expect(await t.api.getNodes([ABSENT_ID])).toEqual([null]);
      expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(0);
    });
  });

  describe('updating by id', () => {
    it('changes only the given fields and moves updateTime, not createTime', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{
        type: 'Model', name: 'm', uri: 'file:/a', state: 'PENDING', properties: { lr: 0.1 }, customProperties: { k: 'v' },
      }]);
      t.clock.advance(1_000);
      const [b] = await t.api.putArtifacts([{ id: a!.id, type: 'Model', state: 'LIVE' }]);
      const expected = { ...a!, state: 'LIVE', updateTime: CLOCK_START + 1_000 };
      expect(b).toEqual(expected);
      expect(await t.api.getNodes([a!.id])).toEqual([expected]);
    });

    it('replaces the whole property map when properties are given', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{
        type: 'Model', properties: { lr: 0.1, layers: 3 }, customProperties: { x: 1, y: 2 },
      }]);
      await t.api.putArtifacts([{ id: a!.id, type: 'Model', properties: { tuned: true }, customProperties: { z: 'new' } }]);
      const [got] = await t.api.getNodes([a!.id]);
      expect(got?.properties).toEqual({ tuned: true });
      expect(got?.customProperties).toEqual({ z: 'new' });
    });

    it('updates an execution and a context the same way', async () => {
      await putBasicTypes(t.api);
      const [e] = await t.api.putExecutions([{ type: 'Trainer', name: 'run', lastKnownState: 'RUNNING', properties: { epochs: 1 } }]);
      const [c] = await t.api.putContexts([{ type: 'Pipeline', name: 'p', properties: { owner: 'a' } }]);
      t.clock.advance(5);
      await t.api.putExecutions([{ id: e!.id, type: 'Trainer', lastKnownState: 'COMPLETE' }]);
      await t.api.putContexts([{ id: c!.id, type: 'Pipeline', name: 'p', properties: { owner: 'b' } }]);
      expect(await t.api.getNodes([e!.id, c!.id])).toEqual([
        { ...e!, lastKnownState: 'COMPLETE', updateTime: CLOCK_START + 5 },
        { ...c!, properties: { owner: 'b' }, updateTime: CLOCK_START + 5 },
      ]);
    });

    it('sets a name that was never set', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{ type: 'Dataset' }]);
      await t.api.putArtifacts([{ id: a!.id, type: 'Dataset', name: 'late' }]);
      expect((await t.api.getNodes([a!.id]))[0]?.name).toBe('late');
    });

    it('refuses to change a name once set, and changes nothing', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{ type: 'Dataset', name: 'first', uri: 'u1' }]);
      await expectStoreError(() => t.api.putArtifacts([{ id: a!.id, type: 'Dataset', name: 'second', uri: 'u2' }]), 'FAILED_PRECONDITION', 'artifacts[0].name');
      expect(await t.api.getNodes([a!.id])).toEqual([a]);
    });

    it('refuses to change a node type', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{ type: 'Dataset', name: 'd' }]);
      await expectStoreError(() => t.api.putArtifacts([{ id: a!.id, type: 'Model' }]), 'FAILED_PRECONDITION', 'artifacts[0].type');
      expect(await t.api.getNodes([a!.id])).toEqual([a]);
    });

    it('treats the id of a node of another kind as unknown', async () => {
      await putBasicTypes(t.api);
      const [c] = await t.api.putContexts([{ type: 'Pipeline', name: 'p' }]);
      await expectStoreError(() => t.api.putArtifacts([{ id: c!.id, type: 'Dataset' }]), 'NOT_FOUND', 'artifacts[0].id');
      expect(await t.api.getNodes([c!.id])).toEqual([c]);
    });

    it('keeps updateTime on a re-put that changes nothing, whatever the key order', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{ type: 'Model', name: 'm', properties: { note: 'x', lr: 0.5, layers: 2 }, customProperties: { z: 1, a: 2 } }]);
      t.clock.advance(60_000);
      const [b] = await t.api.putArtifacts([{ id: a!.id, type: 'Model', properties: { layers: 2, note: 'x', lr: 0.5 }, customProperties: { a: 2, z: 1 } }]);
      expect(b?.updateTime).toBe(CLOCK_START);
      expect((await t.api.getNodes([a!.id]))[0]?.updateTime).toBe(CLOCK_START);
    });
  });

  describe('reading', () => {
    it('answers getNodes aligned with the ids: null for a miss, duplicates repeated', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a' }]);
      const [e] = await t.api.putExecutions([{ type: 'Trainer', name: 'e' }]);
      const got = await t.api.getNodes([e!.id, ABSENT_ID, a!.id, e!.id, 'not-even-a-uuid']);
      expect(got).toEqual([e, null, a, e, null]);
      expect(await t.api.getNodes([])).toEqual([]);
    });

    it('finds a node by (type, name), and nothing under another kind, type or name', async () => {
      await putBasicTypes(t.api);
      await t.api.putType('ARTIFACT_TYPE', { name: 'Dataset', version: '2' });
      const [a] = await t.api.putArtifacts([{ type: 'Dataset', name: 'train' }]);
      const [b] = await t.api.putArtifacts([{ type: 'Dataset', typeVersion: '2', name: 'train' }]);
      const [c] = await t.api.putContexts([{ type: 'Pipeline', name: 'train' }]);
      expect(await t.api.findNodeByName('ARTIFACT', 'Dataset', 'train')).toEqual(a);
      expect(await t.api.findNodeByName('ARTIFACT', 'Dataset', 'train', '2')).toEqual(b);
      expect(await t.api.findNodeByName('CONTEXT', 'Pipeline', 'train')).toEqual(c);
      expect(await t.api.findNodeByName('ARTIFACT', 'Model', 'train')).toBeNull();
      expect(await t.api.findNodeByName('ARTIFACT', 'Pipeline', 'train')).toBeNull();
      expect(await t.api.findNodeByName('ARTIFACT', 'Dataset', 'test')).toBeNull();
      expect(await t.api.findNodeByName('ARTIFACT', 'NoSuchType', 'train')).toBeNull();
    });

    it('finds nodes by externalId within a kind, aligned', async () => {
      await putBasicTypes(t.api);
      const [a] = await t.api.putArtifacts([{ type: 'Dataset', externalId: 'x-1' }]);
      const [e] = await t.api.putExecutions([{ type: 'Trainer', externalId: 'x-2' }]);
      expect(await t.api.findNodesByExternalId('ARTIFACT', ['x-2', 'x-1', 'x-9', 'x-1'])).toEqual([null, a, null, a]);
      expect(await t.api.findNodesByExternalId('EXECUTION', ['x-2'])).toEqual([e]);
    });

    it('lists artifacts by uri', async () => {
      await putBasicTypes(t.api);
      const [a, , c] = await t.api.putArtifacts([
        { type: 'Dataset', uri: 'gs://b/x' }, { type: 'Dataset', uri: 'gs://b/y' }, { type: 'Model', uri: 'gs://b/x' },
      ]);
      const page = await t.api.listNodes('ARTIFACT', { filter: { uri: 'gs://b/x' }, orderBy: { field: 'ID' } });
      expect(page.nodes.map((n) => n.id)).toEqual([a!.id, c!.id].sort());
    });

    it('lists nodes by type, across its versions and no other type', async () => {
      await putBasicTypes(t.api);
      await t.api.putType('ARTIFACT_TYPE', { name: 'Dataset', version: '2' });
      const [d1, , d2] = await t.api.putArtifacts([{ type: 'Dataset' }, { type: 'Model' }, { type: 'Dataset', typeVersion: '2' }]);
      const page = await t.api.listNodes('ARTIFACT', { filter: { type: 'Dataset' }, orderBy: { field: 'ID' } });
      expect(page.nodes.map((n) => n.id)).toEqual([d1!.id, d2!.id].sort());
      expect(await page.totalCount()).toBe(2);
    });
  });
});
