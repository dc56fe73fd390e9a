/**
 * ML Metadata's int64 ids: every node and type gets one at insert (an id space per kind
 * of node, as ML Metadata's tables: artifacts, executions and contexts each count from 1;
 * one space shared by the three kinds of type), it never changes, a deleted node's id is
 * never given again, and nodes (by kind) and types are found by it. Trusted code (the
 * importer) may write with given ids: they are kept, a taken one is refused naming it, and
 * the allocator continues above them.
 */
import { describe, expect, it } from 'vitest';
import type { MlmdIdSpace, NodeRecord } from '../../src/graph/model.js';
import type { GraphStore } from '../../src/graph/store.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { createServices } from '../../src/service/services.js';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { withNeo4jCountersFromOne } from '../support/neo4j-database.js';
import { expectStoreError, putBasicTypes } from './fixtures.js';

const TOO_BIG = 2 ** 53;

const isMlmdId = (id: unknown): boolean => Number.isSafeInteger(id) && (id as number) >= 1;

describe.each(BACKENDS)('ML Metadata ids on $name', (backend) => {
  const t = useService(backend);

  /**
   * `work` on a service over a store whose id counters start from 1, as a new store's do:
   * SQLite's test store is emptied before each test, counters too; Neo4j's counters outlive
   * the emptying (a store may hold a block of ids), so a second store runs on counters
   * started again (test/support/neo4j-database.ts).
   */
  async function onNewCounters<T>(work: (api: MetadataApi, store: GraphStore) => Promise<T>): Promise<T> {
    if (backend.name === 'sqlite') return work(t.api, t.store);
    return withNeo4jCountersFromOne(t.store, () => backend.open(), (fresh) => work(createServices(fresh, { clock: t.clock }).metadata, fresh));
  }

  /** The highest id `space` has handed out so far (a claim up to 0 moves nothing). */
  const handedOut = (space: MlmdIdSpace): Promise<number> => t.store.write((tx) => tx.claimMlmdIdsUpTo(space, 0));

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
    it('counts artifacts, executions and contexts each from 1, in a space of its own, and types in one space from 1', async () => {
      await onNewCounters(async (api) => {
        const types = await putBasicTypes(api);
        expect(Object.values(types).map((type) => type.mlmdId)).toEqual(Object.values(types).map((_, i) => i + 1));
        const first = await api.putLineageSubgraph({
          artifacts: [{ type: 'Dataset', name: 'a1' }, { type: 'Dataset', name: 'a2' }],
          executions: [{ type: 'Trainer', name: 'x1' }],
          contexts: [{ type: 'Pipeline', name: 'c1' }],
        });
        expect(first.artifacts.map((n) => n.mlmdId)).toEqual([1, 2]);
        expect(first.executions.map((n) => n.mlmdId)).toEqual([1]);
        expect(first.contexts.map((n) => n.mlmdId)).toEqual([1]);
        // Each space runs on from its own last id, whatever the others took meanwhile.
        const [x2, x3] = await api.putExecutions([{ type: 'Trainer', name: 'x2' }, { type: 'Trainer', name: 'x3' }]);
        const [a3] = await api.putArtifacts([{ type: 'Dataset', name: 'a3' }]);
        const [c2] = await api.putContexts([{ type: 'Pipeline', name: 'c2' }]);
        expect([x2!.mlmdId, x3!.mlmdId, a3!.mlmdId, c2!.mlmdId]).toEqual([2, 3, 3, 2]);
        // Read back as written, each by its kind.
        const [a1] = first.artifacts;
        const [x1] = first.executions;
        const [c1] = first.contexts;
        expect((await api.getNodes([a1!.id, x1!.id, c1!.id])).map((n) => n?.mlmdId)).toEqual([1, 1, 1]);
        expect((await api.getNodesByMlmdId('ARTIFACT', [1]))[0]?.id).toBe(a1!.id);
        expect((await api.getNodesByMlmdId('EXECUTION', [1]))[0]?.id).toBe(x1!.id);
        expect((await api.getNodesByMlmdId('CONTEXT', [1]))[0]?.id).toBe(c1!.id);
      });
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
      expect(r.inputs[0]!.mlmdId).not.toBe(r.outputs[0]!.mlmdId);
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
      expect(a3!.mlmdId).toBeGreaterThan(highest);
      expect(await t.api.getNodesByMlmdId('ARTIFACT', [doomed.mlmdId])).toEqual([null]);
    });

    it('hands out new ids above every id stored, ascending, from the store', async () => {
      const { a, x } = await oneOfEach();
      const [first, second] = await t.store.write(async (tx) => [await tx.allocateMlmdIds('artifact', 3), await tx.allocateMlmdIds('artifact', 2)]);
      const all = [...first!, ...second!];
      expect([...all].sort((p, q) => p - q)).toEqual(all);
      expect(new Set(all).size).toBe(5);
      expect(Math.min(...all)).toBeGreaterThan(a.mlmdId);
      expect(Math.min(...await t.store.write((tx) => tx.allocateMlmdIds('execution', 2)))).toBeGreaterThan(x.mlmdId);
      for (const id of all) expect(isMlmdId(id)).toBe(true);
      expect(await t.store.write((tx) => tx.allocateMlmdIds('type', 0))).toEqual([]);
    });

    it('refuses to store a second node of the kind or a type with an id already taken; another kind may hold it', async () => {
      const { a, x } = await oneOfEach();
      const [dataset] = await t.api.getTypes([a.typeId]);
      const copy = { ...a, id: '01890000-0000-7000-8000-000000000001', name: 'copy' };
      const error = await expectStoreError(() => t.store.write((tx) => tx.insertNodes([copy])), 'ALREADY_EXISTS', undefined);
      if (backend.name === 'sqlite') expect(error.message).toBe(`an artifact with mlmdId ${a.mlmdId} already exists`);
      // One id free in both spaces, held by an artifact and an execution at once.
      const shared = Math.max(await handedOut('artifact'), await handedOut('execution')) + 1;
      const artifact = { ...a, id: '01890000-0000-7000-8000-000000000003', name: 'shared id', mlmdId: shared };
      const execution = { ...x, id: '01890000-0000-7000-8000-000000000004', name: 'shared id', mlmdId: shared };
      await t.store.write((tx) => tx.insertNodes([artifact, execution]));
      expect(await t.api.getNodesByMlmdId('ARTIFACT', [shared])).toEqual([artifact]);
      expect(await t.api.getNodesByMlmdId('EXECUTION', [shared])).toEqual([execution]);
      const typeCopy = { ...dataset!, id: '01890000-0000-7000-8000-000000000002', name: 'Copy' };
      await expectStoreError(() => t.store.write((tx) => tx.insertTypes([typeCopy])), 'ALREADY_EXISTS', undefined);
      expect(await t.api.getNodes([copy.id])).toEqual([null]);
    });
  });

  describe('lookups', () => {
    it('finds the nodes of a kind by their ids, aligned with the ids asked, a miss (or a node of another kind) being null', async () => {
      const { a, x, c } = await oneOfEach();
      const [a2] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a2' }]);
      const unknown = Math.max(a2!.mlmdId, x.mlmdId, c.mlmdId) + 1000;
      const found = await t.api.getNodesByMlmdId('ARTIFACT', [a2!.mlmdId, unknown, a.mlmdId, a2!.mlmdId]);
      expect(found.map((n) => n?.id ?? null)).toEqual([a2!.id, null, a.id, a2!.id]);
      expect(found[2]).toEqual(a);
      expect(await t.api.getNodesByMlmdId('EXECUTION', [x.mlmdId, unknown])).toEqual([x, null]);
      expect(await t.api.getNodesByMlmdId('CONTEXT', [c.mlmdId])).toEqual([c]);
      expect(await t.api.getNodesByMlmdId('ARTIFACT', [])).toEqual([]);
    });

    it('finds types by their id, a miss being null', async () => {
      const { dataset, trainer, pipeline } = await putBasicTypes(t.api);
      const unknown = Math.max(dataset.mlmdId, trainer.mlmdId, pipeline.mlmdId) + 1000;
      expect(await t.api.getTypesByMlmdId([pipeline.mlmdId, unknown, trainer.mlmdId, dataset.mlmdId]))
        .toEqual([pipeline, null, trainer, dataset]);
    });

    it('takes an id as a string of decimal digits', async () => {
      const { a } = await oneOfEach();
      expect((await t.api.getNodesByMlmdId('ARTIFACT', [String(a.mlmdId)]))[0]?.id).toBe(a.id);
    });

    it.each([
      ['"1e3"', '1e3'], ['-1', -1], ['0', 0], ['2^53', TOO_BIG], ['1.5', 1.5], ['"12.0"', '12.0'], ['"-3"', '-3'], ['""', ''],
    ])('refuses %s, naming the id', async (_label, bad) => {
      await expectStoreError(() => t.api.getNodesByMlmdId('ARTIFACT', [1, bad as number]), 'INVALID_ARGUMENT', 'mlmdIds[1]');
      await expectStoreError(() => t.api.getTypesByMlmdId([bad as number]), 'INVALID_ARGUMENT', 'mlmdIds[0]');
    });
  });

  describe('given ids (the importer\'s writes)', () => {
    const given = { withGivenMlmdIds: true };

    it('keeps the given ids of types and nodes, artifact 1, execution 1 and context 1 at once, and hands out new ones above them', async () => {
      await onNewCounters(async (api) => {
        const dataset = await api.putType('ARTIFACT_TYPE', { name: 'Dataset', mlmdId: 4 }, { withGivenMlmdId: true });
        const trainer = await api.putType('EXECUTION_TYPE', { name: 'Trainer', mlmdId: 10 }, { withGivenMlmdId: true });
        const pipeline = await api.putType('CONTEXT_TYPE', { name: 'Pipeline', mlmdId: '12' }, { withGivenMlmdId: true });
        expect([dataset.mlmdId, trainer.mlmdId, pipeline.mlmdId]).toEqual([4, 10, 12]);
        const r = await api.putLineageSubgraph({
          artifacts: [{ type: 'Dataset', name: 'a1', mlmdId: 1 }, { type: 'Dataset', name: 'a7', mlmdId: 7 }],
          executions: [{ type: 'Trainer', name: 'x1', mlmdId: 1 }],
          contexts: [{ type: 'Pipeline', name: 'c1', mlmdId: 1 }],
          events: [{ artifactIndex: 0, executionIndex: 0, type: 'INPUT' }, { artifactIndex: 1, executionIndex: 0, type: 'OUTPUT' }],
        }, undefined, given);
        expect([...r.artifacts, ...r.executions, ...r.contexts].map((n) => n.mlmdId)).toEqual([1, 7, 1, 1]);
        expect(await api.getNodesByMlmdId('ARTIFACT', [7, 1])).toEqual([r.artifacts[1], r.artifacts[0]]);
        expect(await api.getNodesByMlmdId('EXECUTION', [1])).toEqual(r.executions);
        expect(await api.getNodesByMlmdId('CONTEXT', [1])).toEqual(r.contexts);
        expect(await api.getTypesByMlmdId([10, 4, 12])).toEqual([trainer, dataset, pipeline]);

        // The allocator runs on above the highest given id of each space, never at or below it.
        const [a8] = await api.putArtifacts([{ type: 'Dataset', name: 'new' }]);
        const [x2] = await api.putExecutions([{ type: 'Trainer', name: 'new' }]);
        const [c2] = await api.putContexts([{ type: 'Pipeline', name: 'new' }]);
        const model = await api.putType('ARTIFACT_TYPE', { name: 'Model' });
        expect([a8!.mlmdId, x2!.mlmdId, c2!.mlmdId, model.mlmdId]).toEqual([8, 2, 2, 13]);
      });
    });

    it('refuses a taken id, naming the input, the id and its holder, and writes nothing of the batch', async () => {
      const { a } = await oneOfEach();
      const free = await handedOut('artifact') + 1;
      const error = await expectStoreError(() => t.api.putArtifacts([
        { type: 'Dataset', name: 'fresh', mlmdId: free },
        { type: 'Dataset', name: 'clash', mlmdId: a.mlmdId },
      ], given), 'ALREADY_EXISTS', 'artifacts[1].mlmdId');
      expect(error.message).toBe(`artifacts[1].mlmdId: artifact mlmdId ${a.mlmdId} is taken by artifact ${JSON.stringify(a.id)}`);
      expect(await t.api.findNodeByName('ARTIFACT', 'Dataset', 'fresh')).toBeNull();
      expect(await t.api.getNodesByMlmdId('ARTIFACT', [free])).toEqual([null]);

      const { dataset } = await t.api.getTypes([a.typeId]).then(([type]) => ({ dataset: type! }));
      const typeError = await expectStoreError(
        () => t.api.putType('CONTEXT_TYPE', { name: 'Clash', mlmdId: dataset.mlmdId }, { withGivenMlmdId: true }), 'ALREADY_EXISTS', 'input.mlmdId');
      expect(typeError.message).toBe(`input.mlmdId: type mlmdId ${dataset.mlmdId} is taken by artifact type "Dataset"`);
      expect(await t.api.findType('CONTEXT_TYPE', 'Clash')).toBeNull();
    });

    it('refuses an id handed out before that no record holds (a deleted node\'s): ids are never given twice', async () => {
      await putBasicTypes(t.api);
      const [doomed] = await t.api.putExecutions([{ type: 'Trainer', name: 'doomed' }]);
      await t.api.deleteNodes([doomed!.id]);
      const last = await handedOut('execution');
      const error = await expectStoreError(
        () => t.api.putExecutions([{ type: 'Trainer', name: 'again', mlmdId: doomed!.mlmdId }], given), 'ALREADY_EXISTS', 'executions[0].mlmdId');
      expect(error.message).toBe(`executions[0].mlmdId: execution mlmdId ${doomed!.mlmdId} was handed out before and is never given again; `
        + `a given execution id must be above ${last}`);
    });

    it('refuses one id given twice in a batch, naming the second', async () => {
      await putBasicTypes(t.api);
      const free = await handedOut('context') + 1;
      await expectStoreError(() => t.api.putContexts([
        { type: 'Pipeline', name: 'p1', mlmdId: free }, { type: 'Pipeline', name: 'p2', mlmdId: free },
      ], given), 'INVALID_ARGUMENT', 'contexts[1].mlmdId');
    });

    it('finds a stored record again by the id it holds (an import run twice), and refuses another id for it', async () => {
      const { dataset } = await putBasicTypes(t.api);
      const free = await handedOut('artifact') + 1;
      const [a] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a', mlmdId: free }], given);
      const [again] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a', mlmdId: free }], given);
      expect(again).toEqual(a);
      const error = await expectStoreError(
        () => t.api.putArtifacts([{ type: 'Dataset', name: 'a', mlmdId: free + 1 }], given), 'ALREADY_EXISTS', 'artifacts[0].mlmdId');
      expect(error.message).toBe(`artifacts[0].mlmdId: artifact ${JSON.stringify(a!.id)} exists with mlmdId ${free}, not ${free + 1}`);
      expect(await t.api.putType('ARTIFACT_TYPE', {
        name: 'Dataset', baseType: 'DATASET', properties: dataset.properties, mlmdId: dataset.mlmdId,
      }, { withGivenMlmdId: true })).toEqual(dataset);
      await expectStoreError(() => t.api.putType('ARTIFACT_TYPE', { name: 'Dataset', mlmdId: dataset.mlmdId + 100 }, { withGivenMlmdId: true }),
        'ALREADY_EXISTS', 'input.mlmdId');
    });

    it('walks lineage through artifacts and executions that hold the same mlmdId, telling them apart', async () => {
      await putBasicTypes(t.api);
      // raw -> clean (x1) -> model (x2), where raw and x1 hold one id and clean and x2 another.
      const first = Math.max(await handedOut('artifact'), await handedOut('execution')) + 1;
      const r = await t.api.putLineageSubgraph({
        artifacts: [
          { type: 'Dataset', name: 'raw', mlmdId: first }, { type: 'Dataset', name: 'clean', mlmdId: first + 1 },
          { type: 'Model', name: 'model', mlmdId: first + 2 },
        ],
        executions: [{ type: 'Trainer', name: 'x1', mlmdId: first }, { type: 'Trainer', name: 'x2', mlmdId: first + 1 }],
        events: [
          { artifactIndex: 0, executionIndex: 0, type: 'INPUT' }, { artifactIndex: 1, executionIndex: 0, type: 'OUTPUT' },
          { artifactIndex: 1, executionIndex: 1, type: 'INPUT' }, { artifactIndex: 2, executionIndex: 1, type: 'OUTPUT' },
        ],
      }, undefined, given);
      const [raw, clean, model] = r.artifacts;
      const [x1, x2] = r.executions;
      const down = await createLineageService(t.store).lineage({ start: [raw!.id], direction: 'DOWNSTREAM' });
      expect(down.nodes.map((n) => [n.id, n.kind, n.distance])).toEqual([
        [raw!.id, 'ARTIFACT', 0], [x1!.id, 'EXECUTION', 1], [clean!.id, 'ARTIFACT', 2], [x2!.id, 'EXECUTION', 3], [model!.id, 'ARTIFACT', 4],
      ]);
      expect(down.edges.map((e) => [e.source, e.target])).toEqual(expect.arrayContaining([
        [raw!.id, x1!.id], [x1!.id, clean!.id], [clean!.id, x2!.id], [x2!.id, model!.id],
      ]));
      expect(down.edges).toHaveLength(4);
      const up = await createLineageService(t.store).lineage({ start: [model!.id], direction: 'UPSTREAM' });
      expect(up.nodes.map((n) => n.id)).toEqual([model!.id, x2!.id, clean!.id, x1!.id, raw!.id]);
    });

    it('takes an mlmdId only with the option, and then needs one on every input', async () => {
      await putBasicTypes(t.api);
      await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'a', mlmdId: 5 }]), 'INVALID_ARGUMENT', 'artifacts[0].mlmdId');
      await expectStoreError(() => t.api.putType('ARTIFACT_TYPE', { name: 'T', mlmdId: 5 }), 'INVALID_ARGUMENT', 'input.mlmdId');
      await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'a' }], given), 'INVALID_ARGUMENT', 'artifacts[0].mlmdId');
      await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'a', mlmdId: '1e3' }], given), 'INVALID_ARGUMENT', 'artifacts[0].mlmdId');
      expect(await t.api.findNodeByName('ARTIFACT', 'Dataset', 'a')).toBeNull();
    });
  });
});
