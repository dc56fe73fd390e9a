/**
 * Where SQLite's own habits could leak through: storage classes (a boolean is an
 * integer, numbers compare below strings, a JSON number may come back as REAL), NULL in
 * unique indexes, and driver errors. Each check is on the store itself, below the service.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError, NotFoundError, StoreError } from '../../src/graph/errors.js';
import type { PropertyMap } from '../../src/graph/model.js';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import type { GraphStore, NodePage, PredicateOp, PropertyPredicate, ScalarValue } from '../../src/graph/store.js';
import { BASIC_TYPES, artifact, event, execution, nextMlmdId, storeErrorOf, typeRecord, withCustom } from './records.js';

describe('SQLite store values and constraints', () => {
  let store: GraphStore;
  beforeEach(async () => {
    store = await createSqliteStore({ path: ':memory:' });
    await store.write((tx) => tx.insertTypes(BASIC_TYPES));
  });
  afterEach(async () => {
    await store.close();
  });

  it('round-trips every kind of property value exactly', async () => {
    const values: PropertyMap = {
      int: 42, negative: -7, big: Number.MAX_SAFE_INTEGER, double: 1.5, tiny: 1e-300, huge: 1.7976931348623157e308,
      wholeDouble: 3, yes: true, no: false, text: 'plain', empty: '', digits: '1', unicode: 'ünïcödé 🚀 \u2028 "quoted"',
      object: { b: 1, a: [true, null, 'x', { z: 0.25 }], nested: { deeper: {} } },
      array: [3, 'two', false, null, [], {}],
      emptyObject: {}, emptyArray: [],
    };
    await store.write((tx) => tx.insertNodes([artifact('a1', 'at', { properties: values, customProperties: values })]));
    const [read] = await store.read((tx) => tx.getNodes(['a1']));
    expect(read?.properties).toStrictEqual(values);
    expect(read?.customProperties).toStrictEqual(values);
    // Key order inside a STRUCT is kept, not just its contents.
    expect(JSON.stringify(read?.properties.object)).toBe(JSON.stringify(values.object));
    expect(Number.isInteger(read?.properties.int)).toBe(true);
    expect(typeof read?.properties.yes).toBe('boolean');
  });

  /**
   * Property `x` on six artifacts, one per storage-class hazard:
   *   n1: 1   n15: 1.5   s1: '1'   sa: 'a'   t: true   f: false   st: {v: 1}   none: (absent)
   * and `x` as a typed property on `typed` only.
   */
  describe('predicates match only values of the same JSON kind', () => {
    beforeEach(async () => {
      await store.write((tx) => tx.insertNodes([
        withCustom('n1', { x: 1 }), withCustom('n15', { x: 1.5 }), withCustom('s1', { x: '1' }),
        withCustom('sa', { x: 'a' }), withCustom('t', { x: true }), withCustom('f', { x: false }),
        withCustom('st', { x: { v: 1 } }), withCustom('none', { y: 1 }),
        artifact('typed', 'at', { properties: { x: 1 } }),
      ]));
    });

    const matching = async (op: PredicateOp, value: ScalarValue | ScalarValue[], custom = true): Promise<string[]> => {
      const predicate: PropertyPredicate = { name: 'x', custom, op, value };
      const page: NodePage = { kind: 'ARTIFACT', orderBy: 'id', ascending: true, limit: 100, properties: [predicate] };
      const [listed, count] = await store.read(async (tx) => [await tx.listNodes(page), await tx.countNodes(page)] as const);
      expect(count).toBe(listed.length);
      return listed.map((n) => n.id);
    };

    it.each<[PredicateOp, ScalarValue | ScalarValue[], string[]]>([
      ['eq', 1, ['n1']],
      ['eq', 1.0, ['n1']],
      ['eq', '1', ['s1']],
      ['eq', true, ['t']],
      ['eq', false, ['f']],
      ['ne', 1, ['n15']],
      ['ne', '1', ['sa']],
      ['ne', true, ['f']],
      ['lt', 2, ['n1', 'n15']],
      ['lte', 1, ['n1']],
      ['gt', 0, ['n1', 'n15']],
      ['gte', 1.5, ['n15']],
      ['gt', '', ['s1', 'sa']],
      ['lt', 'b', ['s1', 'sa']],
      ['in', [1, '1'], ['n1', 's1']],
      ['in', [true, 1.5, 'a', 'zzz'], ['n15', 'sa', 't']],
      ['in', [], []],
    ])('%s %j matches %j', async (op, value, expected) => {
      expect(await matching(op, value)).toEqual(expected);
    });

    it('keeps typed and custom properties apart', async () => {
      expect(await matching('eq', 1, false)).toEqual(['typed']);
      expect(await matching('ne', 2, false)).toEqual(['typed']);
    });

    it('follows an update of the property', async () => {
      await store.write((tx) => tx.updateNodes([withCustom('n1', { x: 'one' })]));
      expect(await matching('eq', 1)).toEqual([]);
      expect(await matching('eq', 'one')).toEqual(['n1']);
    });
  });

  it('lets unversioned and versioned types coexist, each unique, and kinds apart', async () => {
    await store.write((tx) => tx.insertTypes([
      typeRecord('t-v1', 'ARTIFACT_TYPE', 'Dataset', { version: 'v1' }),
      typeRecord('t-empty', 'ARTIFACT_TYPE', 'Dataset', { version: '' }),
      typeRecord('t-exec', 'EXECUTION_TYPE', 'Dataset'),
    ]));
    await expect(store.write((tx) => tx.insertTypes([typeRecord('t2', 'ARTIFACT_TYPE', 'Dataset')])))
      .rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(store.write((tx) => tx.insertTypes([typeRecord('t3', 'ARTIFACT_TYPE', 'Dataset', { version: 'v1' })])))
      .rejects.toBeInstanceOf(AlreadyExistsError);
    const found = await store.read((tx) => tx.findTypes('ARTIFACT_TYPE', [
      { name: 'Dataset', version: 'v1' }, { name: 'Dataset', version: null }, { name: 'Dataset', version: '' },
      { name: 'Dataset', version: 'v2' }, { name: 'Dataset', version: null },
    ]));
    expect(found.map((t) => t?.id ?? null)).toEqual(['t-v1', 'at', 't-empty', null, 'at']);
    expect((await store.read((tx) => tx.listTypes('ARTIFACT_TYPE'))).map((t) => t.id)).toEqual(['at', 't-empty', 't-v1']);
  });

  it('enforces node uniqueness in the database, naming the key that clashed', async () => {
    await store.write((tx) => tx.insertNodes([
      artifact('a1', 'at', { name: 'n', externalId: 'x' }),
      artifact('a2', 'at'), artifact('a3', 'at'), // many unnamed nodes of one type are fine
      execution('e1', 'et', { name: 'n', externalId: 'x' }), // other kind: same name and externalId are fine
    ]));
    const clash = (node: Parameters<typeof artifact>[2] & { id: string }): Promise<StoreError> =>
      storeErrorOf(store.write((tx) => tx.insertNodes([artifact(node.id, 'at', node)])));
    const byId = await storeErrorOf(store.write((tx) => tx.insertNodes([execution('a1', 'et')])));
    expect(byId).toBeInstanceOf(AlreadyExistsError);
    expect(byId.message).toBe('a node with id "a1" already exists');
    const byName = await clash({ id: 'a4', name: 'n' });
    expect(byName).toBeInstanceOf(AlreadyExistsError);
    expect(byName.message).toBe('an artifact of this type named "n" already exists');
    const byExternalId = await clash({ id: 'a5', externalId: 'x' });
    expect(byExternalId.message).toBe('an artifact with externalId "x" already exists');
    const onUpdate = await storeErrorOf(store.write((tx) => tx.updateNodes([artifact('a2', 'at', { externalId: 'x' })])));
    expect(onUpdate.message).toBe('an artifact with externalId "x" already exists');
    for (const error of [byId, byName, byExternalId, onUpdate]) expect(error.message).not.toMatch(/UNIQUE|SQLITE|nodes\./);
  });

  /** A batch is one statement; a clash inside it, with a stored node or between two of its own, names that node and writes none of the batch. */
  it('names the clashing node of a many-node batch and writes none of it', async () => {
    await store.write((tx) => tx.insertNodes([artifact('a1', 'at', { name: 'n' })]));
    const withStored = await storeErrorOf(store.write((tx) => tx.insertNodes([
      artifact('b1', 'at', { name: 'b1' }), artifact('b2', 'at', { name: 'n' }), artifact('b3', 'at', { name: 'b3' }),
    ])));
    expect(withStored.message).toBe('an artifact of this type named "n" already exists');
    const withinBatch = await storeErrorOf(store.write((tx) => tx.insertNodes([
      artifact('c1', 'at', { externalId: 'same' }), artifact('c2', 'at'), artifact('c3', 'at', { externalId: 'same' }),
    ])));
    expect(withinBatch.message).toBe('an artifact with externalId "same" already exists');
    const stored = await store.read((tx) => tx.getNodes(['b1', 'b2', 'b3', 'c1', 'c2', 'c3']));
    expect(stored).toEqual([null, null, null, null, null, null]);
    // Without a clash, every node of the batch is stored with its own values.
    await store.write((tx) => tx.insertNodes([artifact('d1', 'at', { name: 'd1', uri: 'u1' }), execution('d2', 'et', { name: 'd2' })]));
    const [d1, d2] = await store.read((tx) => tx.getNodes(['d1', 'd2']));
    expect([d1?.kind, d1?.name, (d1 as { uri?: string } | null)?.uri, d2?.kind, d2?.name]).toEqual(['ARTIFACT', 'd1', 'u1', 'EXECUTION', 'd2']);
  });

  it('enforces event uniqueness and refuses an event on a missing node', async () => {
    await store.write((tx) => tx.insertNodes([artifact('a1', 'at'), execution('e1', 'et')]));
    await store.write((tx) => tx.insertEvents([event('a1', 'e1', 'INPUT')]));
    await expect(store.write((tx) => tx.insertEvents([event('a1', 'e1', 'INPUT', { time: 5 })])))
      .rejects.toBeInstanceOf(AlreadyExistsError);
    // Another type between the same pair is another event.
    await store.write((tx) => tx.insertEvents([event('a1', 'e1', 'OUTPUT')]));
    const missing = await storeErrorOf(store.write((tx) => tx.insertEvents([event('a1', 'nope', 'OUTPUT')])));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.message).not.toMatch(/FOREIGN|SQLITE/);
  });

  it('aligns batch reads with their keys, repeats and misses included', async () => {
    await store.write((tx) => tx.insertNodes([artifact('a1', 'at', { name: 'one' }), artifact('a2', 'at', { externalId: 'x2' })]));
    await store.read(async (tx) => {
      expect((await tx.getNodes(['a2', 'zz', 'a1', 'a2', ''])).map((n) => n?.id ?? null)).toEqual(['a2', null, 'a1', 'a2', null]);
      expect((await tx.findNodesByName('ARTIFACT', [{ typeId: 'at', name: 'one' }, { typeId: 'et', name: 'one' }, { typeId: 'at', name: 'one' }]))
        .map((n) => n?.id ?? null)).toEqual(['a1', null, 'a1']);
      expect((await tx.findNodesByExternalId('ARTIFACT', ['x2', 'x2', 'x1'])).map((n) => n?.id ?? null)).toEqual(['a2', 'a2', null]);
      expect(await tx.getNodes([])).toEqual([]);
      expect(await tx.eventsByArtifacts(['a1', 'a1'])).toEqual([[], []]);
    });
  });

  it('counts only new links, including repeats within one batch', async () => {
    await store.write((tx) => tx.insertNodes([artifact('a1', 'at'), execution('e1', 'et')]));
    const ctx = { kind: 'CONTEXT' as const, id: 'c1', mlmdId: nextMlmdId(), typeId: 'ct', name: 'run', externalId: null, properties: {}, customProperties: {}, createTime: 0, updateTime: 0 };
    await store.write((tx) => tx.insertNodes([ctx, { ...ctx, id: 'c2', mlmdId: nextMlmdId(), name: 'run2' }]));
    await store.write(async (tx) => {
      expect(await tx.insertAttributions([{ contextId: 'c1', artifactId: 'a1' }, { contextId: 'c1', artifactId: 'a1' }])).toBe(1);
      expect(await tx.insertAttributions([{ contextId: 'c1', artifactId: 'a1' }])).toBe(0);
      expect(await tx.insertAssociations([{ contextId: 'c1', executionId: 'e1' }, { contextId: 'c2', executionId: 'e1' }])).toBe(2);
      expect(await tx.insertParentContexts([{ childId: 'c2', parentId: 'c1' }, { childId: 'c2', parentId: 'c1' }])).toBe(1);
      expect(await tx.insertParentContexts([])).toBe(0);
    });
  });
});
