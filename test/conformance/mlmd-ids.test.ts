/**
 * ML Metadata's int64 ids: every node and type gets one at insert (one id space for
 * artifacts, executions and contexts, another for types), it never changes, a deleted
 * node's id is never given again, and nodes and types are found by it.
 */
import { describe, expect, it } from 'vitest';
import type { NodeRecord } from '../../src/graph/model.js';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { expectStoreError, putBasicTypes } from './fixtures.js';

const TOO_BIG = 2 ** 53;

const isMlmdId = (id: unknown): boolean => Number.isSafeInteger(id) && (id as number) >= 1;

describe.each(BACKENDS)('ML Metadata ids on $name', (backend) => {
  const t = useService(backend);

  /** One node of each kind, in one putLineageSubgraph: artifact `a`, execution `x`, context `c`. */
  async function oneOfEach(): Promise<{ a: NodeRecord; x: NodeRecord; c: NodeRecord }> {
    await putBasicTypes(t.api);
    const r = await t.api.putLineageSubgraph({
      artifacts: [{ type: 'Dataset', name: 'a' }],
      executions: [{ type: 'Trainer', name: 'x' }],
      contexts: [{ type: 'Pipeline', name: 'c' }],
    });
    return { a: r.artifacts[0]!, x: r.executions[0]!, c: r.contexts[0]! };
  }

  describe('allocation', () => {
    it('gives every node a whole number of at least 1, distinct across artifacts, executions and contexts', async () => {
      const { a, x, c } = await oneOfEach();
      const ids = [a.mlmdId, x.mlmdId, c.mlmdId];
      for (const id of ids) expect(isMlmdId(id), `mlmdId ${id}`).toBe(true);
      expect(new Set(ids).size).toBe(3);
      // Read back as written.
      expect((await t.api.getNodes([a.id, x.id, c.id])).map((n) => n?.mlmdId)).toEqual(ids);
    });

    it('gives every type a whole number of at least 1, distinct across the three kinds of type', async () => {
      const types = await putBasicTypes(t.api);
      const ids = Object.values(types).map((type) => type.mlmdId);
      for (const id of ids) expect(isMlmdId(id), `mlmdId ${id}`).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      expect((await t.api.getTypes(Object.values(types).map((type) => type.id))).map((type) => type?.mlmdId)).toEqual(ids);
    });

    it('numbers the new nodes of one batch in input order', async () => {
      await putBasicTypes(t.api);
      const put = await t.api.putArtifacts([{ type: 'Dataset', name: 'd1' }, { type: 'Dataset', name: 'd2' }, { type: 'Dataset', name: 'd3' }]);
      const ids = put.map((n) => n.mlmdId);
      expect([...ids].sort((p, q) => p - q)).toEqual(ids);
      expect(new Set(ids).size).toBe(3);
    });

    it('gives a node that a later input of the same batch reuses by name one id', async () => {
      await putBasicTypes(t.api);
      const [first, again] = await t.api.putArtifacts([{ type: 'Dataset', name: 'd' }, { type: 'Dataset', name: 'd', uri: 's3://d' }]);
      expect(again!.id).toBe(first!.id);
      expect(again!.mlmdId).toBe(first!.mlmdId);
      expect(isMlmdId(first!.mlmdId)).toBe(true);
      expect((await t.api.getNodes([first!.id]))[0]).toMatchObject({ mlmdId: first!.mlmdId, uri: 's3://d' });
    });

    it('stamps the nodes recordExecution makes', async () => {
      await putBasicTypes(t.api);
      const r = await t.api.recordExecution({
        execution: { type: 'Trainer', name: 'run' },
        inputs: [{ artifact: { type: 'Dataset', name: 'in' } }],
        outputs: [{ artifact: { type: 'Model', name: 'out' } }],
        contexts: [{ type: 'Pipeline', name: 'p' }],
      });
      const ids = [r.execution, ...r.inputs, ...r.outputs, ...r.contexts].map((n) => n.mlmdId);
      for (const id of ids) expect(isMlmdId(id), `mlmdId ${id}`).toBe(true);
      expect(new Set(ids).size).toBe(4);
    });
  });

  describe('stability', () => {
    it('keeps a node\'s id through an update by id and a re-put by name', async () => {
      const { a } = await oneOfEach();
      t.clock.advance(1000);
      const [updated] = await t.api.putArtifacts([{ id: a.id, type: 'Dataset', state: 'LIVE' }]);
      expect(updated).toMatchObject({ mlmdId: a.mlmdId, state: 'LIVE', updateTime: CLOCK_START + 1000 });
      const [reput] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a', properties: { rows: 3 } }]);
      expect(reput).toMatchObject({ id: a.id, mlmdId: a.mlmdId, properties: { rows: 3 } });
      expect((await t.api.getNodes([a.id]))[0]?.mlmdId).toBe(a.mlmdId);
    });

    it('keeps a type\'s id when it is re-put and evolves', async () => {
      const { dataset } = await putBasicTypes(t.api);
      const evolved = await t.api.putType('ARTIFACT_TYPE', {
        name: 'Dataset', properties: [{ name: 'rows', type: 'INT' }, { name: 'split', type: 'STRING' }, { name: 'extra', type: 'DOUBLE' }],
      }, { canAddFields: true });
      expect(evolved.properties.map((p) => p.name)).toContain('extra');
      expect(evolved).toMatchObject({ id: dataset.id, mlmdId: dataset.mlmdId });
      expect((await t.api.getTypes([dataset.id]))[0]?.mlmdId).toBe(dataset.mlmdId);
    });
  });

  describe('never reused', () => {
    it('never gives a deleted node\'s id again, even when it was the highest', async () => {
      await putBasicTypes(t.api);
      const [a1, a2] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a1' }, { type: 'Dataset', name: 'a2' }]);
      const highest = Math.max(a1!.mlmdId, a2!.mlmdId);
      const doomed = a1!.mlmdId === highest ? a1! : a2!;
      expect(await t.api.deleteNodes([doomed.id])).toBe(1);
      const [a3] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a3' }]);
      const [x] = await t.api.putExecutions([{ type: 'Trainer', name: 'x' }]);
      for (const id of [a3!.mlmdId, x!.mlmdId]) expect(id).toBeGreaterThan(highest);
      expect(await t.api.getNodesByMlmdId([doomed.mlmdId])).toEqual([null]);
    });

    it('hands out new ids above every id stored, ascending, from the store', async () => {
      const { a, x, c } = await oneOfEach();
      const [first, second] = await t.store.write(async (tx) => [await tx.allocateMlmdIds('node', 3), await tx.allocateMlmdIds('node', 2)]);
      const all = [...first!, ...second!];
      expect([...all].sort((p, q) => p - q)).toEqual(all);
      expect(new Set(all).size).toBe(5);
      expect(Math.min(...all)).toBeGreaterThan(Math.max(a.mlmdId, x.mlmdId, c.mlmdId));
      for (const id of all) expect(isMlmdId(id)).toBe(true);
      expect(await t.store.write((tx) => tx.allocateMlmdIds('type', 0))).toEqual([]);
    });

    it('refuses to store a second node or type with an id already taken', async () => {
      const { a } = await oneOfEach();
      const [dataset] = await t.api.getTypes([a.typeId]);
      const copy = { ...a, id: '01890000-0000-7000-8000-000000000001', name: 'copy' };
      await expectStoreError(() => t.store.write((tx) => tx.insertNodes([copy])), 'ALREADY_EXISTS', undefined);
      const typeCopy = { ...dataset!, id: '01890000-0000-7000-8000-000000000002', name: 'Copy' };
      await expectStoreError(() => t.store.write((tx) => tx.insertTypes([typeCopy])), 'ALREADY_EXISTS', undefined);
      expect(await t.api.getNodes([copy.id])).toEqual([null]);
    });
  });

  describe('lookups', () => {
    it('finds a node of every kind by its id, aligned with the ids asked, a miss being null', async () => {
      const { a, x, c } = await oneOfEach();
      const unknown = Math.max(a.mlmdId, x.mlmdId, c.mlmdId) + 1000;
      const found = await t.api.getNodesByMlmdId([c.mlmdId, unknown, a.mlmdId, x.mlmdId, a.mlmdId]);
      expect(found.map((n) => n?.id ?? null)).toEqual([c.id, null, a.id, x.id, a.id]);
      expect(found[2]).toEqual(a);
      expect(await t.api.getNodesByMlmdId([])).toEqual([]);
    });

    it('finds types by their id, a miss being null', async () => {
      const { dataset, trainer, pipeline } = await putBasicTypes(t.api);
      const unknown = Math.max(dataset.mlmdId, trainer.mlmdId, pipeline.mlmdId) + 1000;
      expect(await t.api.getTypesByMlmdId([pipeline.mlmdId, unknown, trainer.mlmdId, dataset.mlmdId]))
        .toEqual([pipeline, null, trainer, dataset]);
    });

    it('takes an id as a string of decimal digits', async () => {
      const { a } = await oneOfEach();
      expect((await t.api.getNodesByMlmdId([String(a.mlmdId)]))[0]?.id).toBe(a.id);
    });

    it.each([
      ['"1e3"', '1e3'], ['-1', -1], ['0', 0], ['2^53', TOO_BIG], ['1.5', 1.5], ['"12.0"', '12.0'], ['"-3"', '-3'], ['""', ''],
    ])('refuses %s, naming the id', async (_label, bad) => {
      await expectStoreError(() => t.api.getNodesByMlmdId([1, bad as number]), 'INVALID_ARGUMENT', 'mlmdIds[1]');
      await expectStoreError(() => t.api.getTypesByMlmdId([bad as number]), 'INVALID_ARGUMENT', 'mlmdIds[0]');
    });
  });
});
