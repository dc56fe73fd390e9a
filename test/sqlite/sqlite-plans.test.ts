/**
 * Query plans and the listNodes planner. Every statement must reach its rows through an
 * index (no full table scan), the lineage hop must stay inside covering indexes, and
 * listNodes must return the same pages whichever plan it picks: driven by a small
 * condition, or walking the order index when every condition matches many nodes.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ArtifactRecord } from '../../src/graph/model.js';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import { DRIVE_LIMIT } from '../../src/graph/sqlite/sqlite-node-queries.js';
import { HISTORY_SQL } from '../../src/graph/sqlite/sqlite-history.js';
import { SQL } from '../../src/graph/sqlite/sqlite-statements.js';
import type { GraphStore, NodeFilter, NodePage } from '../../src/graph/store.js';
import { BASIC_TYPES, T0, artifact, context, tempDir } from './records.js';

/**
 * Plan lines that read a whole table rather than an index, a JSON list or a subquery.
 * sqlite_sequence (one row per AUTOINCREMENT table: two) has no index to use, and a
 * constant row is no table.
 */
function fullScans(db: Database.Database, sql: string): string[] {
  const params = Object.fromEntries([...sql.matchAll(/:(\w+)/g)].map((m) => [m[1]!, null]));
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[];
  return plan.map((row) => row.detail)
    .filter((detail) => detail.startsWith('SCAN ') && !/VIRTUAL TABLE|USING|subquery|^SCAN sqlite_sequence$|^SCAN CONSTANT ROW$/.test(detail));
}

const planOf = (db: Database.Database, sql: string): string =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(
    Object.fromEntries([...sql.matchAll(/:(\w+)/g)].map((m) => [m[1]!, null])),
  ) as { detail: string }[]).map((row) => row.detail).join('\n');

/**
 * The graph: BIG = DRIVE_LIMIT + 50 artifacts, all with custom `tag: 'x'` and all in
 * context `big`; every 100th (`a00000`, `a00100`, ...) also has `rare: 1` and is in
 * context `small`. Artifact i is created at T0 + (i % 7), so many share a time and the
 * keyset's id tie-break matters.
 */
const BIG = DRIVE_LIMIT + 50;
const idOf = (i: number): string => `a${String(i).padStart(5, '0')}`;
const isRare = (i: number): boolean => i % 100 === 0;

describe('SQLite query plans', () => {
  let store: GraphStore;
  let raw: Database.Database;
  let remove: () => void;
  let composed: string[];
  const all: ArtifactRecord[] = [];

  beforeAll(async () => {
    let dir: string;
    ({ dir, remove } = tempDir());
    const path = join(dir, 'plans.db');
    composed = [];
    const realPrepare = Database.prototype.prepare;
    vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, sql: string) {
      composed.push(sql);
      return realPrepare.call(this, sql);
    });
    // Reads in this thread, where the spy on prepare sees the statements they compose.
    store = await createSqliteStore({ path, readers: 0 });
    for (let i = 0; i < BIG; i += 1) {
      all.push(artifact(idOf(i), 'at', {
        createTime: T0 + (i % 7),
        customProperties: isRare(i) ? { tag: 'x', rare: 1 } : { tag: 'x' },
      }));
    }
    await store.write(async (tx) => {
      await tx.insertTypes(BASIC_TYPES);
      await tx.insertNodes([context('big', 'ct', 'big'), context('small', 'ct', 'small')]);
      await tx.insertNodes(all);
      await tx.insertAttributions(all.map((a) => ({ contextId: 'big', artifactId: a.id })));
      await tx.insertAttributions(all.filter((_, i) => isRare(i)).map((a) => ({ contextId: 'small', artifactId: a.id })));
    });
    raw = new Database(path, { readonly: true });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    raw.close();
    await store.close();
    remove();
  });

  it('reaches every row of every fixed statement through an index', () => {
    for (const [name, sql] of Object.entries(SQL)) {
      expect({ name, scans: fullScans(raw, sql) }).toEqual({ name, scans: [] });
    }
  });

  it('finds a node\'s record at a time with one seek on its history, and its history by the same index', () => {
    for (const [name, sql] of Object.entries(HISTORY_SQL)) {
      expect({ name, scans: fullScans(raw, sql) }).toEqual({ name, scans: [] });
    }
    expect(planOf(raw, HISTORY_SQL.nodesAsOf)).toMatch(/SEARCH h2 USING COVERING INDEX node_history_by_node \(node_key=\? AND valid_to>\?\)/);
    expect(planOf(raw, HISTORY_SQL.nodeHistories)).toMatch(/SEARCH h USING INDEX node_history_by_node \(node_key=\?\)/);
  });

  it('takes a lineage hop from the events alone, on integer keys', () => {
    // lineageSteps and lineageReach both step with this statement: no node row per step.
    const hop = planOf(raw, SQL.reachSteps);
    expect(hop).toContain('SEARCH e USING PRIMARY KEY (artifact_id=? AND type=?)');
    expect(hop).toContain('SEARCH e USING COVERING INDEX events_by_execution (execution_id=? AND type=?)');
    expect(hop).not.toMatch(/nodes/);
  });

  it('maps a walk\'s start to integer keys by the UUID index, and the nodes it met back by integer key', () => {
    expect(planOf(raw, SQL.nodeKeys)).toContain('SEARCH n USING COVERING INDEX nodes_by_uuid (uuid=?)');
    const refs = planOf(raw, SQL.nodeRefs);
    expect(refs).toContain('SEARCH n USING INTEGER PRIMARY KEY (rowid=?)');
    expect(refs).toContain('SEARCH t USING INTEGER PRIMARY KEY (rowid=?)');
  });

  /** Every page of `filter` in `orderBy` order, following the keyset from page to page. */
  async function pages(filter: NodeFilter, orderBy: NodePage['orderBy'], ascending: boolean, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let after: NodePage['after'];
    for (;;) {
      const page = await store.read((tx) => tx.listNodes({ ...filter, orderBy, ascending, limit, after }));
      ids.push(...page.map((n) => n.id));
      const last = page.at(-1);
      if (page.length < limit || last === undefined) return ids;
      after = { value: orderBy === 'id' ? last.id : orderBy === 'createTime' ? last.createTime : last.updateTime, id: last.id };
    }
  }

  /** The expected order of artifacts `members`, computed here from how they were built. */
  function expected(members: ArtifactRecord[], orderBy: 'createTime' | 'id', ascending: boolean): string[] {
    const sorted = [...members].sort((a, b) =>
      (orderBy === 'createTime' ? a.createTime - b.createTime : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return (ascending ? sorted : sorted.reverse()).map((a) => a.id);
  }

  const rare = (): ArtifactRecord[] => all.filter((_, i) => isRare(i));
  const filters: { name: string; filter: NodeFilter; members: () => ArtifactRecord[] }[] = [
    { name: 'a small context (driven)', filter: { kind: 'ARTIFACT', contextId: 'small' }, members: rare },
    { name: 'a rare property (driven)', filter: { kind: 'ARTIFACT', properties: [{ name: 'rare', custom: true, op: 'eq', value: 1 }] }, members: rare },
    { name: 'a big context (walks the order)', filter: { kind: 'ARTIFACT', contextId: 'big' }, members: () => all },
    { name: 'a common property (walks the order)', filter: { kind: 'ARTIFACT', properties: [{ name: 'tag', custom: true, op: 'in', value: ['x', 'y'] }] }, members: () => all },
    {
      name: 'a big context and a rare property (driven by the rare one)',
      filter: { kind: 'ARTIFACT', contextId: 'big', properties: [{ name: 'rare', custom: true, op: 'gte', value: 1 }] },
      members: rare,
    },
  ];

  it.each(filters)('pages and counts $name the same in every order', async ({ filter, members }) => {
    const limit = members().length > 1000 ? 997 : 7;
    for (const ascending of [true, false]) {
      expect(await pages(filter, 'createTime', ascending, limit)).toEqual(expected(members(), 'createTime', ascending));
      expect(await pages(filter, 'id', ascending, limit)).toEqual(expected(members(), 'id', ascending));
    }
    expect(await store.read((tx) => tx.countNodes(filter))).toBe(members().length);
  });

  it('composes listNodes and countNodes statements that use an index', () => {
    const listings = composed.filter((sql) => /^SELECT (n\.uuid AS id|count\(\*\))/.test(sql) && sql.includes('FROM'));
    expect(listings.length).toBeGreaterThan(filters.length);
    for (const sql of listings) expect({ sql, scans: fullScans(raw, sql) }).toEqual({ sql, scans: [] });
    // Both plans were exercised: walking an order index and driving from a small condition.
    expect(listings.some((sql) => sql.includes('INDEXED BY nodes_by_create_time'))).toBe(true);
    expect(listings.some((sql) => sql.includes('AS d CROSS JOIN nodes AS n'))).toBe(true);
  });
});
