/**
 * No value reaches SQL text: every statement the SQLite store prepares is watched while
 * ids, names, keys, property names and values carrying SQL fragments go through every
 * kind of call, and the fragments must come back verbatim and never appear in a statement.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NodeRecord, TypeRecord } from '../../src/graph/model.js';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import type { GraphStore, NodePage } from '../../src/graph/store.js';
import { artifact, context, event, execution, typeRecord } from './records.js';

/** Hostile text; each carries MARK so a statement containing any of them is easy to spot. */
const MARK = 'xyzzy';
const HOSTILE = [
  `${MARK}'); DROP TABLE nodes;--`,
  `${MARK}" OR 1=1 --`,
  `${MARK}\\'; DELETE FROM types WHERE '1'='1`,
  `${MARK}*/ UNION SELECT sqlite_version() /*`,
  `${MARK}:kind @id $limit ?1 ?`,
  `${MARK}$.a' ->> 'b`,
  `${MARK}\u0000nul\u2028sep ünïcödé 🚀`,
];
const h = (i: number): string => HOSTILE[i % HOSTILE.length]!;

describe('SQLite statements take values only as parameters', () => {
  let store: GraphStore;
  let prepared: string[];
  beforeEach(async () => {
    prepared = [];
    const realPrepare = Database.prototype.prepare;
    vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, sql: string) {
      prepared.push(sql);
      return realPrepare.call(this, sql);
    });
    const realExec = Database.prototype.exec;
    vi.spyOn(Database.prototype, 'exec').mockImplementation(function (this: Database.Database, sql: string) {
      prepared.push(sql);
      return realExec.call(this, sql);
    });
    store = await createSqliteStore({ path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
    vi.restoreAllMocks();
  });

  it('round-trips hostile ids, names, keys and values verbatim and never puts one in a statement', async () => {
    const types: TypeRecord[] = [
      typeRecord(h(0), 'ARTIFACT_TYPE', h(1), {
        version: h(2), description: h(3), externalId: h(4), baseType: 'DATASET',
        properties: [{ name: h(5), type: 'STRING' }],
      }),
      typeRecord(h(6), 'EXECUTION_TYPE', h(0)),
      typeRecord(`${h(1)}c`, 'CONTEXT_TYPE', h(2)),
    ];
    const hostileProps = Object.fromEntries(HOSTILE.map((text, i) => [text, i % 2 === 0 ? text : { [text]: [text] }]));
    const nodes: NodeRecord[] = [
      artifact(h(3), h(0), {
        name: h(4), externalId: h(5), uri: h(6), properties: { [h(5)]: h(0) }, customProperties: hostileProps,
      }),
      execution(h(4), h(6), { name: h(0), externalId: h(1) }),
      context(h(5), `${h(1)}c`, h(2), { externalId: h(3) }),
    ];
    const events = [event(h(3), h(4), 'INPUT', { path: [{ key: h(0) }, { index: 3 }, { key: h(6) }] })];

    await store.write(async (tx) => {
      await tx.insertTypes(types);
      await tx.insertNodes(nodes);
      await tx.insertEvents(events);
      expect(await tx.insertAttributions([{ contextId: h(5), artifactId: h(3) }])).toBe(1);
      expect(await tx.insertAssociations([{ contextId: h(5), executionId: h(4) }])).toBe(1);
    });

    const page = (extra: Partial<NodePage>): NodePage =>
      ({ kind: 'ARTIFACT', orderBy: 'createTime', ascending: true, limit: 10, ...extra });
    await store.read(async (tx) => {
      expect(await tx.getTypes(types.map((t) => t.id))).toEqual(types);
      expect(await tx.findTypes('ARTIFACT_TYPE', [{ name: h(1), version: h(2) }])).toEqual([types[0]]);
      expect(await tx.findTypesByExternalId('ARTIFACT_TYPE', [h(4)])).toEqual([types[0]]);
      expect(await tx.getNodes(nodes.map((n) => n.id))).toEqual(nodes);
      expect(await tx.findNodesByName('ARTIFACT', [{ typeId: h(0), name: h(4) }])).toEqual([nodes[0]]);
      expect(await tx.findNodesByExternalId('EXECUTION', [h(1)])).toEqual([nodes[1]]);
      expect(await tx.getEvents([{ artifactId: h(3), executionId: h(4), type: 'INPUT' }])).toEqual(events);
      expect(await tx.contextsOfNodes([h(3), h(4)])).toEqual([[nodes[2]], [nodes[2]]]);
      expect(await tx.artifactsOfContexts([h(5), h(3)])).toEqual([[nodes[0]], []]);
      const steps = await tx.lineageSteps([h(4)], 'UPSTREAM', ['INPUT'], null);
      expect(steps.map((s) => s.neighborId)).toEqual([h(3)]);
      const filters: Partial<NodePage>[] = [
        { name: h(4) }, { uri: h(6) }, { externalId: h(5) }, { typeIds: [h(0), h(2)] }, { contextId: h(5) },
        { properties: [{ name: h(5), custom: false, op: 'eq', value: h(0) }] },
        { properties: HOSTILE.filter((_, i) => i % 2 === 0).map((text) => ({ name: text, custom: true, op: 'in' as const, value: [text, 1] })) },
        { properties: [{ name: h(0), custom: true, op: 'gte', value: h(0) }], after: { value: 0, id: h(1) } },
      ];
      for (const filter of filters) {
        expect((await tx.listNodes(page(filter))).map((n) => n.id)).toEqual([h(3)]);
        expect(await tx.countNodes(page(filter))).toBe(1);
      }
    });
    expect(await store.write((tx) => tx.deleteNodes([h(4), h(3)]))).toEqual([h(4), h(3)]);

    expect(prepared.length).toBeGreaterThan(0);
    expect(prepared.filter((sql) => sql.includes(MARK))).toEqual([]);
    // Every table is still there and still answers.
    expect(await store.read((tx) => tx.getNodes([h(5)]))).toEqual([nodes[2]]);
    expect(await store.read((tx) => tx.listTypes('CONTEXT_TYPE'))).toEqual([types[2]]);
  });
});
