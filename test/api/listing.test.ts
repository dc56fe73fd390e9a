/**
 * The artifacts, executions and contexts connections: every filter field, the three
 * orders, keyset pages through endCursor, and totalCount.
 *
 * Artifacts (each put one second after the one before, from CLOCK_START = t0):
 *   a0 DataSet "d0" s3://0 LIVE    {split: "train", rows: 100}          t0
 *   a1 DataSet "d1" s3://1 PENDING {split: "test",  rows: 50}           t0+1s
 *   a2 Model   "m0"        UNKNOWN {lr: 0.1}                           t0+2s
 *   a3 DataSet "d2" s3://3 LIVE    {rows: 300}, custom {owner: "ana"}   t0+3s, externalId "ext-3"
 *   a4 Model   "m1"        UNKNOWN {lr: 0.01}                          t0+4s
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { onlyError, putCommonTypes, startTestServer, type TestServer } from './harness.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe.each(BACKENDS)('listing over HTTP ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  let a: string[];

  beforeEach(async () => {
    t = await startTestServer(h.api);
    await putCommonTypes(t);
    const inputs = [
      '{ type: "DataSet", name: "d0", uri: "s3://0", state: LIVE, properties: { split: "train", rows: 100 } }',
      '{ type: "DataSet", name: "d1", uri: "s3://1", state: PENDING, properties: { split: "test", rows: 50 } }',
      '{ type: "Model", name: "m0", properties: { lr: 0.1 } }',
      '{ type: "DataSet", name: "d2", uri: "s3://3", state: LIVE, externalId: "ext-3", properties: { rows: 300 }, customProperties: { owner: "ana" } }',
      '{ type: "Model", name: "m1", properties: { lr: 0.01 } }',
    ];
    a = [];
    for (const input of inputs) {
      a.push((await t.data(`mutation { putArtifacts(artifacts: [${input}]) { id } }`)).putArtifacts[0].id);
      h.clock.advance(1000);
    }
  });
  afterEach(async () => { await t?.close(); });

  const ids = async (filter: Record<string, unknown>, orderBy?: Record<string, unknown>): Promise<string[]> =>
    (await t.data('query L($f: ArtifactFilter, $o: OrderBy) { artifacts(filter: $f, orderBy: $o) { nodes { id } } }', { f: filter, o: orderBy }))
      .artifacts.nodes.map((n: { id: string }) => n.id);

  it('pages through every artifact oldest first with edges, cursors, pageInfo and totalCount', async () => {
    const page = 'query P($after: String) { artifacts(first: 2, after: $after) { totalCount edges { cursor node { id } } nodes { id } pageInfo { hasNextPage endCursor } } }';
    const seen: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const { artifacts: conn }: { artifacts: any } = await t.data(page, { after });
      expect(conn.totalCount).toBe(5);
      expect(conn.nodes).toEqual(conn.edges.map((e: any) => e.node));
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1).cursor);
      seen.push(conn.nodes.map((n: any) => n.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual([[a[0], a[1]], [a[2], a[3]], [a[4]]]);
  });

  it('an empty page has no endCursor', async () => {
    const { artifacts } = await t.data('{ artifacts(filter: { name: "none" }) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }');
    expect(artifacts).toEqual({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('orders by CREATE_TIME descending, UPDATE_TIME and ID', async () => {
    expect(await ids({}, { field: 'CREATE_TIME', ascending: false })).toEqual([...a].reverse());
    await t.data('mutation U($id: ID) { putArtifacts(artifacts: [{ id: $id, type: "DataSet", state: DELETED }]) { id } }', { id: a[1] });
    expect(await ids({}, { field: 'UPDATE_TIME' })).toEqual([a[0], a[2], a[3], a[4], a[1]]);
    expect(await ids({}, { field: 'ID', ascending: false })).toEqual([...a].sort().reverse());
  });

  it('filters by type, name, uri, state and externalId', async () => {
    expect(await ids({ type: 'DataSet' })).toEqual([a[0], a[1], a[3]]);
    expect(await ids({ type: 'DataSet', state: 'LIVE' })).toEqual([a[0], a[3]]);
    expect(await ids({ name: 'm1' })).toEqual([a[4]]);
    expect(await ids({ uri: 's3://1' })).toEqual([a[1]]);
    expect(await ids({ externalId: 'ext-3' })).toEqual([a[3]]);
  });

  it('filters by creation time, strictly after and before, given as ISO-8601', async () => {
    expect(await ids({ createdAfter: iso(CLOCK_START + 1000), createdBefore: iso(CLOCK_START + 4000) })).toEqual([a[2], a[3]]);
    // The same instant written with an offset.
    expect(await ids({ createdAfter: '2023-11-15T00:13:22+02:00' })).toEqual([a[3], a[4]]);
    const literal = await t.data(`{ artifacts(filter: { createdBefore: "${iso(CLOCK_START + 1000)}" }) { nodes { id } } }`);
    expect(literal.artifacts.nodes).toEqual([{ id: a[0] }]);
  });

  it('filters by typed and custom property predicates: eq, ne, gt, gte, lt, lte, in', async () => {
    const prop = (p: Record<string, unknown>) => ids({ properties: [p] });
    expect(await prop({ name: 'rows', gt: 75 })).toEqual([a[0], a[3]]);
    expect(await prop({ name: 'rows', gte: 100 })).toEqual([a[0], a[3]]);
    expect(await prop({ name: 'rows', lt: 100 })).toEqual([a[1]]);
    expect(await prop({ name: 'lr', lte: 0.05 })).toEqual([a[4]]);
    expect(await prop({ name: 'split', eq: 'train' })).toEqual([a[0]]);
    // ne matches only nodes that have the property: a3 has no split.
    expect(await prop({ name: 'split', ne: 'train' })).toEqual([a[1]]);
    expect(await prop({ name: 'split', in: ['test', 'val'] })).toEqual([a[1]]);
    expect(await prop({ name: 'owner', custom: true, eq: 'ana' })).toEqual([a[3]]);
    expect(await prop({ name: 'owner', eq: 'ana' })).toEqual([]);
    expect(await ids({ properties: [{ name: 'rows', gt: 75 }, { name: 'rows', lt: 200 }] })).toEqual([a[0]]);
  });

  it('filters artifacts and executions by context, contexts by parent; totalCount follows the filter', async () => {
    const put = await t.data(`mutation {
      x: putExecutions(executions: [{ type: "Trainer", name: "t0", lastKnownState: COMPLETE }, { type: "Trainer", name: "t1", lastKnownState: FAILED }]) { id }
      c: putContexts(contexts: [{ type: "Pipeline", name: "p" }, { type: "Run", name: "r1" }, { type: "Run", name: "r2" }]) { id }
    }`);
    const [p, r1, r2] = put.c.map((c: any) => c.id);
    const [x0, x1] = put.x.map((x: any) => x.id);
    await t.data(`mutation L($att: [AttributionInput!]!, $ass: [AssociationInput!]!, $par: [ParentContextInput!]!) {
      putAttributions(links: $att) putAssociations(links: $ass) putParentContexts(links: $par) }`, {
      att: [{ contextId: r1, artifactId: a[0] }, { contextId: r1, artifactId: a[2] }],
      ass: [{ contextId: r1, executionId: x1 }],
      par: [{ childId: r1, parentId: p }, { childId: r2, parentId: p }],
    });
    const read = await t.data(`query Q($r1: ID!, $p: ID!) {
      artifacts(filter: { contextId: $r1 }) { totalCount nodes { id } }
      executions(filter: { contextId: $r1 }) { totalCount nodes { id } }
      failed: executions(filter: { lastKnownState: FAILED }) { nodes { id } }
      byType: executions(filter: { type: "Trainer", name: "t0" }) { nodes { id } }
      contexts(filter: { parentId: $p }) { totalCount nodes { id } }
      runs: contexts(filter: { type: "Run" }, orderBy: { field: ID, ascending: false }) { totalCount nodes { id } }
    }`, { r1, p });
    expect(read).toEqual({
      artifacts: { totalCount: 2, nodes: [{ id: a[0] }, { id: a[2] }] },
      executions: { totalCount: 1, nodes: [{ id: x1 }] },
      failed: { nodes: [{ id: x1 }] },
      byType: { nodes: [{ id: x0 }] },
      contexts: { totalCount: 2, nodes: [{ id: r1 }, { id: r2 }] },
      runs: { totalCount: 2, nodes: [r1, r2].sort().reverse().map((id) => ({ id })) },
    });
  });

  it('refuses a malformed cursor, a cursor of another order, and first outside 1..1,000, naming the argument', async () => {
    const bad = onlyError(await t.gql('{ artifacts(after: "not-a-cursor") { nodes { id } } }'));
    expect(bad.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(bad.message).toMatch(/^after /);
    const { artifacts } = await t.data('{ artifacts(first: 1) { pageInfo { endCursor } } }');
    const otherOrder = onlyError(await t.gql('query Q($c: String) { artifacts(after: $c, orderBy: { field: ID }) { nodes { id } } }', { c: artifacts.pageInfo.endCursor }));
    expect(otherOrder.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    for (const first of [0, 1001]) {
      const res = onlyError(await t.gql('query Q($n: Int) { executions(first: $n) { nodes { id } } }', { n: first }));
      expect(res.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(res.message).toBe(`first must be an integer from 1 to 1000, got ${first}`);
    }
    expect((await t.data('{ contexts(first: 1000) { nodes { id } } }')).contexts.nodes).toEqual([]);
  });

  it('refuses an unknown type name in a filter as NOT_FOUND naming filter.type', async () => {
    const res = onlyError(await t.gql('{ artifacts(filter: { type: "Nope" }) { nodes { id } } }'));
    expect(res.extensions).toEqual({ code: 'NOT_FOUND', field: 'filter.type' });
    expect(res.message).toContain('"Nope"');
  });

  it('refuses a DateTime that is not ISO-8601 with a zone, naming the filter field', async () => {
    for (const value of ['yesterday', '2024-05-01', '2024-05-01T12:00:00', '2024-13-01T00:00:00Z']) {
      const res = onlyError(await t.gql('query Q($f: ArtifactFilter) { artifacts(filter: $f) { nodes { id } } }', { f: { createdAfter: value } }));
      expect(res.message).toContain('createdAfter');
      expect(res.message).toContain('DateTime must be an ISO-8601 date-time with a time zone');
    }
  });
});
