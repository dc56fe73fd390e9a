/**
 * listNodes: filters (type, name, uri, state, times, property predicates), the three
 * orders in both directions, opaque keyset cursors without gaps or repeats, and the
 * limits on `first`.
 */
import { describe, expect, it } from 'vitest';
import type { NodeKind, NodeRecord } from '../../src/graph/model.js';
import type { NodeFilterInput, OrderByInput, PageInput, PropertyPredicateInput } from '../../src/service/metadata/inputs.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { expectStoreError, putBasicTypes } from './fixtures.js';

const T = CLOCK_START;

/** Every node of one query, page by page; checks each page's shape on the way. */
async function readAllPages(api: MetadataApi, kind: NodeKind, first: number, orderBy: OrderByInput, filter?: NodeFilterInput): Promise<NodeRecord[]> {
  const seen: NodeRecord[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const page: Awaited<ReturnType<MetadataApi['listNodes']>> = await api.listNodes(kind, { first, after, orderBy, filter: filter ?? null });
    expect(page.cursors).toHaveLength(page.nodes.length);
    expect(page.endCursor).toBe(page.cursors.at(-1) ?? null);
    seen.push(...page.nodes);
    if (!page.hasNextPage) return seen;
    expect(page.nodes).toHaveLength(first);
    after = page.endCursor;
  }
  throw new Error('more than 100 pages: the cursor does not advance');
}

const byKey = (field: 'createTime' | 'updateTime' | 'id', ascending: boolean) => (a: NodeRecord, b: NodeRecord): number => {
  const va = a[field];
  const vb = b[field];
  const primary = va < vb ? -1 : va > vb ? 1 : 0;
  const order = primary !== 0 ? primary : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return ascending ? order : -order;
};

const ORDERS = [
  { field: 'CREATE_TIME', key: 'createTime', ascending: true },
  { field: 'CREATE_TIME', key: 'createTime', ascending: false },
  { field: 'UPDATE_TIME', key: 'updateTime', ascending: true },
  { field: 'UPDATE_TIME', key: 'updateTime', ascending: false },
  { field: 'ID', key: 'id', ascending: true },
  { field: 'ID', key: 'id', ascending: false },
] as const;

describe.each(BACKENDS)('listing and pagination on $name', (backend) => {
  const t = useService(backend);

  describe('filters', () => {
    /**
     * Six artifacts, created one millisecond apart (a1 at T+1 ... a6 at T+6):
     *   name type     uri  state    properties               customProperties
     *   a1   Dataset  u/1  LIVE     rows 10, split 'train'   team 'x', score 0.5
     *   a2   Dataset  u/2  PENDING  rows 20, split 'test'    team 'y', score '0.5'
     *   a3   Dataset  u/1  LIVE     rows 30                  (none)        externalId ext-3
     *   a4   Model    -    LIVE     lr 0.5, layers 3, tuned false
     *   a5   Dataset  -    UNKNOWN  split '20'
     *   a6   Model    -    DELETED  tuned true, config {a: 1}
     */
    async function sixArtifacts(): Promise<Record<string, string>> {
      await putBasicTypes(t.api);
      const inputs = [
        { type: 'Dataset', name: 'a1', uri: 'u/1', state: 'LIVE', properties: { rows: 10, split: 'train' }, customProperties: { team: 'x', score: 0.5 } },
        { type: 'Dataset', name: 'a2', uri: 'u/2', state: 'PENDING', properties: { rows: 20, split: 'test' }, customProperties: { team: 'y', score: '0.5' } },
        { type: 'Dataset', name: 'a3', uri: 'u/1', state: 'LIVE', externalId: 'ext-3', properties: { rows: 30 } },
        { type: 'Model', name: 'a4', state: 'LIVE', properties: { lr: 0.5, layers: 3, tuned: false } },
        { type: 'Dataset', name: 'a5', properties: { split: '20' } },
        { type: 'Model', name: 'a6', state: 'DELETED', properties: { tuned: true, config: { a: 1 } } },
      ] as const;
      const ids: Record<string, string> = {};
      for (const input of inputs) {
        t.clock.advance(1);
        ids[input.name] = (await t.api.putArtifacts([input]))[0]!.id;
      }
      return ids;
    }

    /** Names of the matching artifacts, in creation order. */
    async function namesMatching(filter: NodeFilterInput): Promise<string[]> {
      const page = await t.api.listNodes('ARTIFACT', { filter, first: 1000 });
      const names = page.nodes.map((n) => n.name!);
      expect(await page.totalCount()).toBe(names.length);
      return names;
    }
    const typed = (p: Omit<PropertyPredicateInput, 'custom'>): NodeFilterInput => ({ properties: [{ ...p, custom: false }] });
    const custom = (p: Omit<PropertyPredicateInput, 'custom'>): NodeFilterInput => ({ properties: [{ ...p, custom: true }] });

    it.each<[string, NodeFilterInput, string[]]>([
      ['no filter', {}, ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']],
      ['type Dataset', { type: 'Dataset' }, ['a1', 'a2', 'a3', 'a5']],
      ['type Model', { type: 'Model' }, ['a4', 'a6']],
      ['name a3', { name: 'a3' }, ['a3']],
      ['a name no node has', { name: 'zz' }, []],
      ['uri u/1', { uri: 'u/1' }, ['a1', 'a3']],
      ['externalId ext-3', { externalId: 'ext-3' }, ['a3']],
      ['state LIVE', { state: 'LIVE' }, ['a1', 'a3', 'a4']],
      ['state UNKNOWN', { state: 'UNKNOWN' }, ['a5']],
      ['createdAfter T+2 (exclusive)', { createdAfter: T + 2 }, ['a3', 'a4', 'a5', 'a6']],
      ['createdBefore T+3 (exclusive)', { createdBefore: T + 3 }, ['a1', 'a2']],
      ['createdAfter T+1 and createdBefore T+4', { createdAfter: T + 1, createdBefore: T + 4 }, ['a2', 'a3']],
      ['type, state and uri together', { type: 'Dataset', state: 'LIVE', uri: 'u/1' }, ['a1', 'a3']],
    ])('by %s', async (_label, filter, expected) => {
      await sixArtifacts();
      expect(await namesMatching(filter)).toEqual(expected);
    });

    it.each<[string, NodeFilterInput, string[]]>([
      ['rows = 20', typed({ name: 'rows', eq: 20 }), ['a2']],
      ['rows != 20 (an absent rows never matches)', typed({ name: 'rows', ne: 20 }), ['a1', 'a3']],
      ['rows < 20', typed({ name: 'rows', lt: 20 }), ['a1']],
      ['rows <= 20', typed({ name: 'rows', lte: 20 }), ['a1', 'a2']],
      ['rows > 20', typed({ name: 'rows', gt: 20 }), ['a3']],
      ['rows >= 20', typed({ name: 'rows', gte: 20 }), ['a2', 'a3']],
      ['rows in [10, 30, 99]', typed({ name: 'rows', in: [10, 30, 99] }), ['a1', 'a3']],
      ['rows = "20" (a string never matches a number)', typed({ name: 'rows', eq: '20' }), []],
      ['split = "train"', typed({ name: 'split', eq: 'train' }), ['a1']],
      ['split != "train"', typed({ name: 'split', ne: 'train' }), ['a2', 'a5']],
      ['split < "test" (strings compare as strings)', typed({ name: 'split', lt: 'test' }), ['a5']],
      ['split >= "test"', typed({ name: 'split', gte: 'test' }), ['a1', 'a2']],
      ['split in ["train", "20"]', typed({ name: 'split', in: ['train', '20'] }), ['a1', 'a5']],
      ['split = 20 (a number never matches a string)', typed({ name: 'split', eq: 20 }), []],
      ['split > 0 (a number never matches a string)', typed({ name: 'split', gt: 0 }), []],
      ['tuned = true', typed({ name: 'tuned', eq: true }), ['a6']],
      ['tuned != true', typed({ name: 'tuned', ne: true }), ['a4']],
      ['lr > 0.25 (DOUBLE)', typed({ name: 'lr', gt: 0.25 }), ['a4']],
      ['layers = 3.0 (INT and DOUBLE compare as numbers)', typed({ name: 'layers', eq: 3.0 }), ['a4']],
      ['layers < 3.5', typed({ name: 'layers', lt: 3.5 }), ['a4']],
      ['config = "x" (a STRUCT never matches)', typed({ name: 'config', eq: 'x' }), []],
      ['config != "x" (a STRUCT never matches, not even ne)', typed({ name: 'config', ne: 'x' }), []],
      ['a property no node has, ne', typed({ name: 'nope', ne: 1 }), []],
      ['custom team = "x"', custom({ name: 'team', eq: 'x' }), ['a1']],
      ['typed team = "x" (team is custom, not typed)', typed({ name: 'team', eq: 'x' }), []],
      ['custom rows = 20 (rows is typed, not custom)', custom({ name: 'rows', eq: 20 }), []],
      ['custom score = 0.5 (number)', custom({ name: 'score', eq: 0.5 }), ['a1']],
      ['custom score = "0.5" (string)', custom({ name: 'score', eq: '0.5' }), ['a2']],
      ['custom score >= 0 (the string "0.5" never matches)', custom({ name: 'score', gte: 0 }), ['a1']],
      ['custom score != 1 (neither the string nor the absent match)', custom({ name: 'score', ne: 1 }), ['a1']],
      ['custom score in [0.5, "0.5"]', custom({ name: 'score', in: [0.5, '0.5'] }), ['a1', 'a2']],
    ])('by property predicate %s', async (_label, filter, expected) => {
      await sixArtifacts();
      expect(await namesMatching(filter)).toEqual(expected);
    });

    it('ANDs several predicates and the other filters', async () => {
      await sixArtifacts();
      expect(await namesMatching({
        type: 'Dataset',
        properties: [{ name: 'rows', gte: 10 }, { name: 'split', ne: 'test' }],
      })).toEqual(['a1']);
      expect(await namesMatching({ state: 'LIVE', properties: [{ name: 'rows', gt: 10 }] })).toEqual(['a3']);
    });

    it('filters executions by lastKnownState and contexts by name', async () => {
      await putBasicTypes(t.api);
      const [e1, , e3] = await t.api.putExecutions([
        { type: 'Trainer', lastKnownState: 'COMPLETE' }, { type: 'Trainer', lastKnownState: 'FAILED' }, { type: 'Trainer', lastKnownState: 'COMPLETE' },
      ]);
      const done = await t.api.listNodes('EXECUTION', { filter: { lastKnownState: 'COMPLETE' }, orderBy: { field: 'ID' } });
      expect(done.nodes.map((n) => n.id)).toEqual([e1!.id, e3!.id].sort());
      const [, q] = await t.api.putContexts([{ type: 'Pipeline', name: 'p' }, { type: 'Pipeline', name: 'q' }]);
      expect((await t.api.listNodes('CONTEXT', { filter: { name: 'q' } })).nodes).toEqual([q]);
    });

    it('lists only nodes of the kind asked for', async () => {
      await putBasicTypes(t.api);
      await t.api.putArtifacts([{ type: 'Dataset', name: 'same' }]);
      await t.api.putExecutions([{ type: 'Trainer', name: 'same' }]);
      const page = await t.api.listNodes('EXECUTION', { filter: { name: 'same' } });
      expect(page.nodes.map((n) => n.kind)).toEqual(['EXECUTION']);
    });

    it('answers an unknown type name with NOT_FOUND on filter.type', async () => {
      await sixArtifacts();
      await expectStoreError(() => t.api.listNodes('ARTIFACT', { filter: { type: 'Nope' } }), 'NOT_FOUND', 'filter.type');
      // Trainer is an execution type, not an artifact type.
      await expectStoreError(() => t.api.listNodes('ARTIFACT', { filter: { type: 'Trainer' } }), 'NOT_FOUND', 'filter.type');
    });

    it.each<[string, PropertyPredicateInput, string]>([
      ['no operator', { name: 'rows' }, 'filter.properties[0]'],
      ['two operators', { name: 'rows', eq: 1, gt: 0 }, 'filter.properties[0]'],
      ['a STRUCT operand', { name: 'rows', eq: { a: 1 } }, 'filter.properties[0].eq'],
      ['a non-finite operand', { name: 'rows', lt: Number.POSITIVE_INFINITY }, 'filter.properties[0].lt'],
      ['an in list holding a struct', { name: 'rows', in: [1, [2]] }, 'filter.properties[0].in[1]'],
    ])('refuses a predicate with %s', async (_label, predicate, field) => {
      await sixArtifacts();
      await expectStoreError(() => t.api.listNodes('ARTIFACT', { filter: { properties: [predicate] } }), 'INVALID_ARGUMENT', field);
    });
  });

  describe('order', () => {
    /**
     * Three artifacts whose three orders all differ (x is put first, so its id is smallest):
     *   x: created T+30, updated T+30
     *   y: created T+10, updated T+50
     *   z: created T+20, updated T+20
     * CREATE_TIME asc: y z x;  UPDATE_TIME asc: z x y;  ID asc: x y z.
     */
    async function threeArtifacts(): Promise<{ x: string; y: string; z: string }> {
      await putBasicTypes(t.api);
      t.clock.set(T + 30);
      const [x] = await t.api.putArtifacts([{ type: 'Dataset', name: 'x' }]);
      t.clock.set(T + 10);
      const [y] = await t.api.putArtifacts([{ type: 'Dataset', name: 'y' }]);
      t.clock.set(T + 20);
      const [z] = await t.api.putArtifacts([{ type: 'Dataset', name: 'z' }]);
      t.clock.set(T + 50);
      await t.api.putArtifacts([{ id: y!.id, type: 'Dataset', uri: 'moved' }]);
      return { x: x!.id, y: y!.id, z: z!.id };
    }

    it.each<[OrderByInput, string]>([
      [{ field: 'CREATE_TIME' }, 'yzx'],
      [{ field: 'CREATE_TIME', ascending: true }, 'yzx'],
      [{ field: 'CREATE_TIME', ascending: false }, 'xzy'],
      [{ field: 'UPDATE_TIME', ascending: true }, 'zxy'],
      [{ field: 'UPDATE_TIME', ascending: false }, 'yxz'],
      [{ field: 'ID', ascending: true }, 'xyz'],
      [{ field: 'ID', ascending: false }, 'zyx'],
    ])('orders by %j as %s', async (orderBy, expected) => {
      await threeArtifacts();
      const page = await t.api.listNodes('ARTIFACT', { orderBy });
      expect(page.nodes.map((n) => n.name).join('')).toBe(expected);
    });

    it('orders by CREATE_TIME ascending when no order is given', async () => {
      await threeArtifacts();
      expect((await t.api.listNodes('ARTIFACT')).nodes.map((n) => n.name).join('')).toBe('yzx');
    });

    it('breaks ties of time by id, in the direction asked', async () => {
      await putBasicTypes(t.api);
      const put = await t.api.putArtifacts([{ type: 'Dataset', name: 'p' }, { type: 'Dataset', name: 'q' }, { type: 'Dataset', name: 'r' }]);
      const ids = put.map((a) => a.id).sort();
      expect((await t.api.listNodes('ARTIFACT', { orderBy: { field: 'CREATE_TIME' } })).nodes.map((n) => n.id)).toEqual(ids);
      expect((await t.api.listNodes('ARTIFACT', { orderBy: { field: 'UPDATE_TIME', ascending: false } })).nodes.map((n) => n.id)).toEqual([...ids].reverse());
    });
  });

  describe('pages', () => {
    const COUNT = 1_050;
    const BATCH = 50;

    /**
     * 1,050 artifacts in 21 batches of 50. Each batch shares one createTime, and the
     * clock runs backwards from batch to batch, so CREATE_TIME order is not ID order
     * and every page boundary falls among ties. Every seventh artifact is then updated,
     * ten at a time at 15 distinct times, so UPDATE_TIME order is a third order.
     * Even-numbered artifacts are LIVE, odd ones PENDING.
     */
    async function manyArtifacts(): Promise<NodeRecord[]> {
      await putBasicTypes(t.api);
      for (let b = 0; b < COUNT / BATCH; b += 1) {
        t.clock.set(T + 1_000 - b);
        await t.api.putArtifacts(Array.from({ length: BATCH }, (_, i) => {
          const n = b * BATCH + i;
          return { type: 'Dataset', name: `n${n}`, state: n % 2 === 0 ? 'LIVE' as const : 'PENDING' as const, properties: { rows: n } };
        }));
      }
      const all = (await readAllPages(t.api, 'ARTIFACT', 1000, { field: 'ID' }));
      // Updated in reverse id order, ten at a time at rising times, so recent updates are on old ids.
      const touched = all.filter((_, i) => i % 7 === 3).reverse();
      for (let g = 0; g * 10 < touched.length; g += 1) {
        t.clock.set(T + 5_000 + g);
        await t.api.putArtifacts(touched.slice(g * 10, g * 10 + 10).map((n) => ({ id: n.id, type: 'Dataset', uri: `u${g}` })));
      }
      const nodes = await readAllPages(t.api, 'ARTIFACT', 1000, { field: 'ID' });
      expect(nodes).toHaveLength(COUNT);
      return nodes;
    }

    it.each(ORDERS)('walk 1,050 nodes by $field ascending=$ascending with first=100 and first=77: no gap, no repeat', async (order) => {
      const nodes = await manyArtifacts();
      const expected = [...nodes].sort(byKey(order.key, order.ascending)).map((n) => n.id);
      // The drawn graph does make the three orders differ.
      if (order.key !== 'id') expect(expected).not.toEqual([...expected].sort());
      for (const first of [100, 77]) {
        const walked = await readAllPages(t.api, 'ARTIFACT', first, { field: order.field, ascending: order.ascending });
        expect(walked.map((n) => n.id)).toEqual(expected);
      }
    });

    it('walks a filtered list without gap or repeat, and counts it whole', async () => {
      const nodes = await manyArtifacts();
      const live = nodes.filter((n) => n.kind === 'ARTIFACT' && n.state === 'LIVE' && (n.properties.rows as number) >= 100);
      const expected = [...live].sort(byKey('updateTime', false)).map((n) => n.id);
      const filter: NodeFilterInput = { state: 'LIVE', properties: [{ name: 'rows', gte: 100 }] };
      const walked = await readAllPages(t.api, 'ARTIFACT', 77, { field: 'UPDATE_TIME', ascending: false }, filter);
      expect(walked.map((n) => n.id)).toEqual(expected);
      expect(await (await t.api.listNodes('ARTIFACT', { filter, first: 1 })).totalCount()).toBe(475);
    });

    it('sizes pages by first: 100 by default, up to 1,000', async () => {
      await manyArtifacts();
      const byDefault = await t.api.listNodes('ARTIFACT');
      expect([byDefault.nodes.length, byDefault.hasNextPage]).toEqual([100, true]);
      const biggest = await t.api.listNodes('ARTIFACT', { first: 1000 });
      expect([biggest.nodes.length, biggest.hasNextPage]).toEqual([1000, true]);
      const last = await t.api.listNodes('ARTIFACT', { first: 1000, after: biggest.endCursor });
      expect([last.nodes.length, last.hasNextPage]).toEqual([50, false]);
      expect(await last.totalCount()).toBe(COUNT);
    });
  });

  describe('cursors and limits', () => {
    async function fiveArtifacts(): Promise<void> {
      await putBasicTypes(t.api);
      await t.api.putArtifacts(Array.from({ length: 5 }, (_, i) => ({ type: 'Dataset', name: `a${i}` })));
    }

    it('answers an empty list with no cursor and no next page', async () => {
      const page = await t.api.listNodes('ARTIFACT', { first: 10 });
      expect([page.nodes, page.cursors, page.endCursor, page.hasNextPage, await page.totalCount()]).toEqual([[], [], null, false, 0]);
    });

    it('gives every node a cursor that resumes right after it', async () => {
      await fiveArtifacts();
      const all = await t.api.listNodes('ARTIFACT', { orderBy: { field: 'ID' } });
      const fromThird = await t.api.listNodes('ARTIFACT', { orderBy: { field: 'ID' }, after: all.cursors[2]! });
      expect(fromThird.nodes).toEqual(all.nodes.slice(3));
    });

    it.each(['garbage', 'eyJ4IjoxfQ', '%%%', Buffer.from('{"f":"id","a":true,"v":5,"i":7}').toString('base64url')])(
      'refuses the malformed cursor %s', async (after) => {
        await fiveArtifacts();
        await expectStoreError(() => t.api.listNodes('ARTIFACT', { after }), 'INVALID_ARGUMENT', 'after');
      });

    it('refuses a cursor made for another order', async () => {
      await fiveArtifacts();
      const page = await t.api.listNodes('ARTIFACT', { first: 2, orderBy: { field: 'ID' } });
      await expectStoreError(() => t.api.listNodes('ARTIFACT', { after: page.endCursor, orderBy: { field: 'CREATE_TIME' } }), 'INVALID_ARGUMENT', 'after');
      await expectStoreError(() => t.api.listNodes('ARTIFACT', { after: page.endCursor, orderBy: { field: 'ID', ascending: false } }), 'INVALID_ARGUMENT', 'after');
    });

    it.each<[string, unknown]>([['0', 0], ['-1', -1], ['1001', 1001], ['1.5', 1.5], ['a string', '10']])(
      'refuses first = %s', async (_label, first) => {
        await fiveArtifacts();
        const error = await expectStoreError(() => t.api.listNodes('ARTIFACT', { first } as PageInput), 'INVALID_ARGUMENT', 'first');
        expect(error.message).toContain(JSON.stringify(first));
      });

    it('accepts first = 1 and first = 1000', async () => {
      await fiveArtifacts();
      expect((await t.api.listNodes('ARTIFACT', { first: 1 })).nodes).toHaveLength(1);
      expect((await t.api.listNodes('ARTIFACT', { first: 1000 })).nodes).toHaveLength(5);
    });

    it('refuses an unknown order field', async () => {
      await fiveArtifacts();
      await expectStoreError(() => t.api.listNodes('ARTIFACT', { orderBy: { field: 'NAME' as never } }), 'INVALID_ARGUMENT', 'orderBy.field');
    });
  });
});
