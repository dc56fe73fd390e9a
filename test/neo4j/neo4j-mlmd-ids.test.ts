/**
 * ML Metadata ids on Neo4j (src/graph/neo4j/neo4j-mlmd-ids.ts, migrations 3 and 4): the
 * pool hands out ascending ids a block at a time, per space; two stores (two drivers, as
 * two API processes) allocating at once on one database never get the same id of a space;
 * a claim of given ids holds the counter, so another store's allocation waits and starts
 * above them; ids a rolled-back write took are not handed out again; lookups by mlmdId
 * answer one kind, aligned, through its unique index; updates never change an mlmdId; a
 * database written by the schema of version 2 (no mlmdId anywhere) is numbered in
 * creation order on open, and one of version 3 (one space over every node) gets a space
 * per kind, keeping its ids.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MLMD_ID_SPACES, type ArtifactRecord, type ContextRecord, type ExecutionRecord, type MlmdIdSpace, type TypeKind, type TypeRecord } from '../../src/graph/model.js';
import { createNeo4jStore } from '../../src/graph/neo4j/index.js';
import { MLMD_ID_BLOCK, MlmdIdPool } from '../../src/graph/neo4j/neo4j-mlmd-ids.js';
import { Neo4jExecutor } from '../../src/graph/neo4j/neo4j-executor.js';
import { loadStatements, type Statements } from '../../src/graph/neo4j/neo4j-statements.js';
import { migrateNeo4j, neo4jSchemaVersion } from '../../src/graph/neo4j/migrations/run-migrations.js';
import { LATEST_NEO4J_VERSION, NEO4J_MIGRATIONS } from '../../src/graph/neo4j/migrations/index.js';
import type { SchemaMigration } from '../../src/graph/schema-migration.js';
import type { GraphStore } from '../../src/graph/store.js';
import { clearNeo4jDatabase } from '../support/neo4j-database.js';
import { suiteNeo4jUri } from '../support/requirements.js';

const T = 1_700_000_000_000;
const NEO4J_URI = suiteNeo4jUri();

const ascending = (ids: readonly number[]): boolean => ids.every((id, i) => i === 0 || ids[i - 1]! < id);

describe('the ML Metadata id pool', () => {
  /** A counter in memory standing for the database's, recording each block asked for. */
  function counter(): { reserve: (space: MlmdIdSpace, count: number) => Promise<number>; asked: [MlmdIdSpace, number][] } {
    const next: Record<MlmdIdSpace, number> = { artifact: 1, execution: 1, context: 1, type: 1 };
    const asked: [MlmdIdSpace, number][] = [];
    return {
      asked,
      reserve: async (space, count) => {
        asked.push([space, count]);
        await new Promise((resolve) => setTimeout(resolve, 1));
        const first = next[space];
        next[space] += count;
        return first;
      },
    };
  }

  it('hands out ascending ids from blocks of MLMD_ID_BLOCK, one block for many small takes', async () => {
    const c = counter();
    const pool = new MlmdIdPool(c.reserve);
    expect(await pool.take('artifact', 3)).toEqual([1, 2, 3]);
    expect(await pool.take('artifact', 2)).toEqual([4, 5]);
    expect(await pool.take('type', 1)).toEqual([1]);
    expect(c.asked).toEqual([['artifact', MLMD_ID_BLOCK], ['type', MLMD_ID_BLOCK]]);
  });

  it('takes what is left of a block, then a block of at least what is still wanted', async () => {
    const c = counter();
    const pool = new MlmdIdPool(c.reserve, 10);
    expect(await pool.take('artifact', 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const ids = await pool.take('artifact', 25);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => 9 + i));
    expect(c.asked).toEqual([['artifact', 10], ['artifact', 23]]);
  });

  it('gives takers at once disjoint ascending ids, with one refill between them', async () => {
    const c = counter();
    const pool = new MlmdIdPool(c.reserve, 100);
    const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.take('artifact', 1 + (i % 7))));
    for (const ids of taken) expect(ascending(ids)).toBe(true);
    const all = taken.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(c.asked).toEqual([['artifact', 100]]);
  });

  it('keeps the spaces apart: each counts on its own', async () => {
    const c = counter();
    const pool = new MlmdIdPool(c.reserve);
    expect(await pool.take('artifact', 2)).toEqual([1, 2]);
    expect(await pool.take('execution', 1)).toEqual([1]);
    expect(await pool.take('context', 1)).toEqual([1]);
    expect(await pool.take('artifact', 1)).toEqual([3]);
    await expect(pool.take('node' as MlmdIdSpace, 1)).rejects.toThrow('space must be one of artifact, execution, context, type, got node');
  });

  it('drops the ids at or below a given one (skipUpTo), then refills above them', async () => {
    const c = counter();
    const pool = new MlmdIdPool(c.reserve, 10);
    expect(await pool.take('artifact', 2)).toEqual([1, 2]);
    pool.skipUpTo('artifact', 5);
    expect(await pool.take('artifact', 2)).toEqual([6, 7]);
    // Past the block's end: the block is used up, and the next comes from the counter (which a claim moved).
    pool.skipUpTo('artifact', 50);
    expect(await pool.take('artifact', 1)).toEqual([11]);
    expect(c.asked).toEqual([['artifact', 10], ['artifact', 10]]);
  });

  it('sends nothing for none, and refuses a count that is not a whole number', async () => {
    const c = counter();
    const pool = new MlmdIdPool(c.reserve);
    expect(await pool.take('artifact', 0)).toEqual([]);
    expect(c.asked).toEqual([]);
    await expect(pool.take('artifact', -1)).rejects.toThrow('count must be a non-negative integer, got -1');
    await expect(pool.take('artifact', 1.5)).rejects.toThrow('count must be a non-negative integer, got 1.5');
  });
});

describe.skipIf(!NEO4J_URI)('ML Metadata ids in the Neo4j store', () => {
  let store: GraphStore;
  let executor: Neo4jExecutor;
  let statements: Statements;

  const type = (id: string, mlmdId: number, kind: TypeKind = 'ARTIFACT_TYPE', name = id): TypeRecord => ({
    id, mlmdId, kind, name, version: null, description: null, externalId: null, baseType: null, properties: [],
  });
  const common = { externalId: null, properties: {}, customProperties: {}, updateTime: T };
  const artifact = (id: string, mlmdId: number, createTime = T): ArtifactRecord =>
    ({ ...common, id, mlmdId, kind: 'ARTIFACT', typeId: 'tA', name: id, uri: null, state: 'LIVE', createTime });
  const execution = (id: string, mlmdId: number, createTime = T): ExecutionRecord =>
    ({ ...common, id, mlmdId, kind: 'EXECUTION', typeId: 'tX', name: id, lastKnownState: 'NEW', createTime });
  const context = (id: string, mlmdId: number, createTime = T): ContextRecord =>
    ({ ...common, id, mlmdId, kind: 'CONTEXT', typeId: 'tC', name: id, createTime });

  beforeAll(async () => {
    store = await createNeo4jStore({ uri: NEO4J_URI! });
    await store.init();
    executor = Neo4jExecutor.connect({ uri: NEO4J_URI! });
    statements = await loadStatements();
  });
  beforeEach(async () => {
    await clearNeo4jDatabase(store);
  });
  afterAll(async () => {
    // Whatever a test did, the next file finds the full schema.
    await migrateNeo4j(executor, statements, NEO4J_URI!).catch(() => undefined);
    await store?.close();
    await executor?.close();
  });

  it('gives two stores allocating at once on one database disjoint ids in every space, each answer ascending', async () => {
    const other = await createNeo4jStore({ uri: NEO4J_URI! });
    try {
      // Takes of many sizes of every space from both stores at once: each store refills several times, racing the other.
      const sizes = Array.from({ length: 24 }, (_, i) => [1, 7, 400, 1_500][i % 4]!);
      const spaces = MLMD_ID_SPACES.flatMap((space) => sizes.map((size) => [space, size] as const));
      const answers = await Promise.all(spaces.flatMap(([space, size]) => [store, other].map(async (s) => ({
        space, ids: await s.write((tx) => tx.allocateMlmdIds(space, size)),
      }))));
      for (const space of MLMD_ID_SPACES) {
        const mine = answers.filter((a) => a.space === space).map((a) => a.ids);
        for (const ids of mine) expect(ascending(ids)).toBe(true);
        const all = mine.flat();
        expect(all.length).toBe(2 * sizes.reduce((a, b) => a + b, 0));
        expect(new Set(all).size, `ids of ${space} handed out twice`).toBe(all.length);
        expect(all.every((id) => Number.isSafeInteger(id) && id >= 1)).toBe(true);
      }
    } finally {
      await other.close();
    }
  });

  it('holds the counter while a write claims given ids: another store\'s allocation waits, then starts above them', async () => {
    const other = await createNeo4jStore({ uri: NEO4J_URI! });
    try {
      const base = await store.write((tx) => tx.claimMlmdIdsUpTo('execution', 0));
      let claimed!: () => void;
      const claimDone = new Promise<void>((resolve) => { claimed = resolve; });
      const claiming = store.write(async (tx) => {
        expect(await tx.claimMlmdIdsUpTo('execution', base + 50)).toBe(base);
        claimed();
        await new Promise((resolve) => setTimeout(resolve, 500));
      });
      await claimDone;
      // A new store has no block yet: its refill meets the claim's lock and waits for the commit.
      const [id] = await other.write((tx) => tx.allocateMlmdIds('execution', 1));
      await claiming;
      expect(id).toBe(base + 51);
      // The claiming store's own pool skips to above the given ids too.
      expect((await store.write((tx) => tx.allocateMlmdIds('execution', 1)))[0]).toBeGreaterThan(base + 50);
    } finally {
      await other.close();
    }
  });

  it('never hands out again the ids a rolled-back write took', async () => {
    const taken: number[] = [];
    await store.write(async (tx) => {
      taken.push(...await tx.allocateMlmdIds('type', 3));
      throw new Error('rolled back');
    }).catch(() => undefined);
    const fresh = await store.write((tx) => tx.allocateMlmdIds('type', 3));
    expect(fresh.filter((id) => taken.includes(id))).toEqual([]);
    expect(Math.min(...fresh)).toBeGreaterThan(Math.max(...taken));
  });

  it('finds the nodes of a kind and types by mlmdId, aligned with the ids asked, null for a miss; one id may name a node of each kind', async () => {
    await store.write(async (tx) => {
      await tx.insertTypes([type('tA', 11), type('tX', 12, 'EXECUTION_TYPE', 'X'), type('tC', 13, 'CONTEXT_TYPE', 'C')]);
      await tx.insertNodes([artifact('a', 101), artifact('a2', 102), execution('x', 101), context('c', 101)]);
    });
    const artifacts = await store.read((tx) => tx.getNodesByMlmdId('ARTIFACT', [102, 999, 101, 102]));
    expect(artifacts.map((n) => n?.id ?? null)).toEqual(['a2', null, 'a', 'a2']);
    expect(artifacts[2]).toEqual(artifact('a', 101));
    expect(await store.read((tx) => tx.getNodesByMlmdId('EXECUTION', [101, 102]))).toEqual([execution('x', 101), null]);
    expect(await store.read((tx) => tx.getNodesByMlmdId('CONTEXT', [101]))).toEqual([context('c', 101)]);
    const types = await store.read((tx) => tx.getTypesByMlmdId([12, 11, 14]));
    expect(types.map((t) => t?.id ?? null)).toEqual(['tX', 'tA', null]);
    expect(types[1]).toEqual(type('tA', 11));
    await expect(store.write((tx) => tx.insertNodes([execution('x2', 101)]))).rejects.toThrow(/already exists/);
  });

  it('keeps a node\'s and a type\'s mlmdId through an update that says otherwise', async () => {
    await store.write(async (tx) => {
      await tx.insertTypes([type('tA', 11)]);
      await tx.insertNodes([artifact('a', 101)]);
    });
    await store.write(async (tx) => {
      await tx.updateTypes([{ ...type('tA', 99), description: 'changed' }]);
      await tx.updateNodes([{ ...artifact('a', 98), uri: 'changed' }]);
    });
    const [node] = await store.read((tx) => tx.getNodes(['a']));
    expect(node).toMatchObject({ mlmdId: 101, uri: 'changed' });
    const [t] = await store.read((tx) => tx.getTypes(['tA']));
    expect(t).toMatchObject({ mlmdId: 11, description: 'changed' });
  });

  /** Drops what the schema steps after `version` made (their CREATE statements), as a database of that version lacks it. */
  async function dropSchemaAfter(version: number): Promise<void> {
    for (const step of NEO4J_MIGRATIONS.filter((m) => m.version > version).reverse()) {
      for (const name of [...step.schema].reverse()) {
        const made = /CREATE (CONSTRAINT|INDEX) (\w+) IF NOT EXISTS/.exec(statements[name]);
        if (made) await executor.runSchema(`DROP ${made[1]} ${made[2]} IF EXISTS`);
      }
    }
  }

  describe('a database written by the schema of version 2', () => {
    /** The version-2 database: no mlmdId on anything, no id counter, none of the later versions' constraints, stamped 2. */
    async function asVersionTwoLeftIt(): Promise<void> {
      await dropSchemaAfter(2);
      await executor.write(async (r) => {
        await r.run('MATCH (n) WHERE n:Node OR n:Type REMOVE n.mlmdId');
        await r.run('MATCH (c:MlmdIdCounter) DELETE c');
        await r.run('MATCH (v:SchemaVersion) DELETE v');
      });
      await executor.write((r) => r.run(statements['admin/set-schema-version'], { version: 2 }));
    }

    it('numbers its nodes by createTime then id and its types by id, sets the counters past them, and says so', async () => {
      // Written out of creation order, with ids that do not sort by time, and two nodes sharing a createTime.
      await store.write(async (tx) => {
        await tx.insertTypes([type('tB', 500, 'ARTIFACT_TYPE', 'B'), type('tA', 501), type('tX', 502, 'EXECUTION_TYPE', 'X'), type('tC', 503, 'CONTEXT_TYPE', 'C')]);
        await tx.insertNodes([
          context('c-late', 600, T + 30), artifact('a-2', 601, T + 10), execution('x-first', 602, T),
          artifact('a-1', 603, T + 10), context('c-mid', 604, T + 20),
        ]);
      });
      await asVersionTwoLeftIt();

      const seen: SchemaMigration[] = [];
      const opened = await createNeo4jStore({ uri: NEO4J_URI! }, (m) => seen.push(m));
      try {
        await opened.init();
        // Every later step runs too: the database ends at this build's version.
        expect(seen).toEqual([{ backend: 'neo4j', where: NEO4J_URI, from: 2, to: LATEST_NEO4J_VERSION, backupPath: null }]);
        expect(await neo4jSchemaVersion(executor, statements)).toBe(LATEST_NEO4J_VERSION);
        const order = ['x-first', 'a-1', 'a-2', 'c-mid', 'c-late'];
        const nodes = await opened.read((tx) => tx.getNodes(order));
        expect(nodes.map((n) => n!.mlmdId)).toEqual([1, 2, 3, 4, 5]);
        const types = await opened.read((tx) => tx.getTypes(['tA', 'tB', 'tC', 'tX']));
        expect(types.map((t) => t!.mlmdId)).toEqual([1, 2, 3, 4]);
        expect((await opened.read((tx) => tx.getNodesByMlmdId('CONTEXT', [4])))[0]!.id).toBe('c-mid');
        // New ids of every kind run on past the numbered ones, and the constraint refuses a taken one.
        for (const space of ['artifact', 'execution', 'context'] as const) {
          expect((await opened.write((tx) => tx.allocateMlmdIds(space, 2)))[0]).toBeGreaterThan(5);
        }
        expect((await opened.write((tx) => tx.allocateMlmdIds('type', 1)))[0]).toBeGreaterThan(4);
        await expect(opened.write((tx) => tx.insertNodes([artifact('a-3', 3)]))).rejects.toThrow(/already exists/);
      } finally {
        await opened.close();
      }
    });

    it('numbers an empty database without a report of its own, and a second run changes nothing', async () => {
      await asVersionTwoLeftIt();
      expect((await migrateNeo4j(executor, statements, NEO4J_URI!))?.from).toBe(2);
      const counters = await executor.read((r) => r.run('MATCH (c:MlmdIdCounter) RETURN c.space AS space, c.next AS next ORDER BY space'));
      expect(counters).toEqual(['artifact', 'context', 'execution', 'type'].map((space) => ({ space, next: 1 })));
      expect(await migrateNeo4j(executor, statements, NEO4J_URI!)).toBeNull();
    });
  });

  describe('a database written by the schema of version 3 (one id space over every node)', () => {
    /**
     * The version-3 database as issue 13's release left it: ids unique across every node,
     * one `node` counter past them (here further on than the largest id, as blocks a
     * process took and never used leave it), the `:Node(mlmdId)` constraint, stamped 3.
     */
    async function asVersionThreeLeftIt(nodeCounter: number): Promise<void> {
      await dropSchemaAfter(3);
      await executor.runSchema(statements['schema/constraint-node-mlmd-id']);
      await executor.write(async (r) => {
        await r.run("MATCH (c:MlmdIdCounter) WHERE c.space <> 'type' DELETE c");
        await r.run("CREATE (:MlmdIdCounter {space: 'node', next: $next})", { next: nodeCounter });
        await r.run('MATCH (v:SchemaVersion) DELETE v');
      });
      await executor.write((r) => r.run(statements['admin/set-schema-version'], { version: 3 }));
    }

    it('keeps every node\'s id, starts each kind\'s counter past the shared one, moves uniqueness to each kind, and says so', async () => {
      await store.write(async (tx) => {
        await tx.insertTypes([type('tA', 1), type('tX', 2, 'EXECUTION_TYPE', 'X'), type('tC', 3, 'CONTEXT_TYPE', 'C')]);
        await tx.insertNodes([artifact('a-1', 1), execution('x-1', 2), artifact('a-2', 3), context('c-1', 4)]);
      });
      await asVersionThreeLeftIt(1_001);

      const seen: SchemaMigration[] = [];
      const opened = await createNeo4jStore({ uri: NEO4J_URI! }, (m) => seen.push(m));
      try {
        await opened.init();
        expect(seen).toEqual([{ backend: 'neo4j', where: NEO4J_URI, from: 3, to: LATEST_NEO4J_VERSION, backupPath: null }]);
        const nodes = await opened.read((tx) => tx.getNodes(['a-1', 'x-1', 'a-2', 'c-1']));
        expect(nodes.map((n) => n!.mlmdId)).toEqual([1, 2, 3, 4]);
        expect((await opened.read((tx) => tx.getNodesByMlmdId('ARTIFACT', [3, 1, 2]))).map((n) => n?.id ?? null)).toEqual(['a-2', 'a-1', null]);
        expect((await opened.read((tx) => tx.getNodesByMlmdId('EXECUTION', [2])))[0]!.id).toBe('x-1');
        const counters = await executor.read((r) => r.run(
          "MATCH (c:MlmdIdCounter) WHERE c.space <> 'type' RETURN c.space AS space, c.next AS next ORDER BY space"));
        expect(counters).toEqual(['artifact', 'context', 'execution'].map((space) => ({ space, next: 1_001 })));
        for (const space of ['artifact', 'execution', 'context'] as const) {
          expect(await opened.write((tx) => tx.allocateMlmdIds(space, 1))).toEqual([1_001]);
        }
        const constraints = await executor.read((r) => r.run('SHOW CONSTRAINTS YIELD name RETURN name'));
        const names = new Set(constraints.map((row) => row.name as string));
        expect(names.has('node_mlmd_id')).toBe(false);
        for (const name of ['artifact_mlmd_id', 'execution_mlmd_id', 'context_mlmd_id']) expect(names.has(name), name).toBe(true);
        // Another kind may now hold an id; the same kind may not.
        await opened.write((tx) => tx.insertNodes([context('c-2', 1)]));
        await expect(opened.write((tx) => tx.insertNodes([artifact('a-3', 1)]))).rejects.toThrow(/already exists/);
        expect(await migrateNeo4j(executor, statements, NEO4J_URI!)).toBeNull();
      } finally {
        await opened.close();
      }
    });
  });
});
