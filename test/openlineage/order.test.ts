/**
 * The intake's guarantees under repetition and disorder: the same event twice changes
 * nothing (the whole graph, compared line by line, write times included); the events of
 * one run in every order give the same graph; concurrent batches naming the same
 * datasets make each context and version once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { countingStore, startTestServer, type TestServer } from '../api/harness.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { emptyStore } from '../support/backends.js';
import {
  ENRICHED, RAW_ORDERS, errorMessageFacet, graphText, nodesOf, nominalTimeFacet, permutations, postBatch, postEvent, runEvent,
  schemaFacet, sqlFacet,
} from './ol-harness.js';

/** A run's three events, each saying something the others do not (and one thing differently). */
const START = runEvent('START', '2026-03-01T02:00:00.000Z', {
  job: { namespace: 'spark-prod', name: 'enrich', facets: { sql: sqlFacet('select 1') } },
  runFacets: { nominalTime: nominalTimeFacet('2026-03-01T00:00:00Z') },
  inputs: [{ ...RAW_ORDERS, facets: { schema: schemaFacet('id') } }], outputs: [ENRICHED],
});
const RUNNING = runEvent('RUNNING', '2026-03-01T02:03:00.000Z', {
  job: { namespace: 'spark-prod', name: 'enrich', facets: { sql: sqlFacet('select 2') } },
  runFacets: { errorMessage: errorMessageFacet('retrying a stage') },
  inputs: [{ ...RAW_ORDERS, facets: { schema: schemaFacet('id', 'email') } }],
});
const COMPLETE = runEvent('COMPLETE', '2026-03-01T02:05:00.000Z', {
  job: { namespace: 'spark-prod', name: 'enrich' },
  inputs: [RAW_ORDERS], outputs: [{ ...ENRICHED, facets: { schema: schemaFacet('id', 'email_hash') } }],
});

describe.each(BACKENDS)('OpenLineage idempotency and order ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('changes nothing when the same events come again, not even a write time', async () => {
    t = await startTestServer(h.api);
    await postBatch(t.origin, [START, RUNNING, COMPLETE]);
    const before = await graphText(h.api);
    const times = async (): Promise<unknown[]> => (await Promise.all((['ARTIFACT', 'EXECUTION', 'CONTEXT'] as const).map((k) => nodesOf(h.api, k))))
      .flat().map((n) => [n.id, n.updateTime]).sort();
    const timesBefore = await times();
    h.clock.advance(60_000);
    expect((await postEvent(t.origin, COMPLETE)).status).toBe(201);
    expect((await postBatch(t.origin, [START, RUNNING, COMPLETE, START])).status).toBe(200);
    expect(await graphText(h.api)).toEqual(before);
    expect(await times()).toEqual(timesBefore);
    expect(before.length).toBeGreaterThan(10);
  }, 300_000);

  it('gives the same graph for every order of a run\'s START, RUNNING and COMPLETE', async () => {
    t = await startTestServer(h.api);
    const graphs: string[][] = [];
    const orders = permutations([START, RUNNING, COMPLETE]);
    expect(orders).toHaveLength(6);
    for (const order of orders) {
      // The intake puts its types again when the store lost them.
      await emptyStore(backend, h.store);
      for (const e of order) expect((await postEvent(t.origin, e)).status).toBe(201);
      graphs.push(await graphText(h.api));
    }
    for (const g of graphs.slice(1)) expect(g).toEqual(graphs[0]);
    // And what it holds is the merge: the run is COMPLETE, the job's sql the latest, the output version written once.
    const text = graphs[0]!.join('\n');
    expect(text).toContain('"lastKnownState"');
    expect(graphs[0]!.find((l) => l.startsWith('node openlineage.Run:'))).toContain('"state":"COMPLETE"');
    expect(graphs[0]!.find((l) => l.startsWith('node openlineage.Job:'))).toContain('select 2');
    expect(graphs[0]!.filter((l) => l.startsWith('node openlineage.DatasetVersion:'))).toHaveLength(2);
  }, 300_000);

  it('makes each context and version once under concurrent batches naming the same datasets', async () => {
    t = await startTestServer(h.api);
    const runId = (i: number): string => `0176a8c2-fe01-7439-87e6-${String(i).padStart(12, '0')}`;
    const batch = (i: number) => [
      runEvent('START', '2026-03-01T02:00:00.000Z', { runId: runId(i), inputs: [RAW_ORDERS], outputs: [ENRICHED] }),
      runEvent('COMPLETE', '2026-03-01T02:05:00.000Z', { runId: runId(i), inputs: [RAW_ORDERS], outputs: [{ ...ENRICHED, facets: { version: { _producer: 'https://x.example', _schemaURL: 'https://x.example/v', datasetVersion: 'v-shared' } } }] }),
    ];
    // Two servers over one store, as two processes would be: their intakes do not queue behind each other.
    const t2 = await startTestServer(h.api);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => postBatch((i % 2 ? t2 : t)!.origin, batch(i))))
      .finally(() => t2.close());
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const lines = await graphText(h.api);
    const nodes = lines.filter((l) => l.startsWith('node ')).map((l) => l.split(' ')[1]);
    expect(nodes.filter((n) => n!.startsWith('openlineage.Dataset:'))).toHaveLength(2);
    expect(nodes.filter((n) => n!.startsWith('openlineage.DatasetVersion:')).sort()).toEqual([
      'openlineage.DatasetVersion:postgres://db.example:5432/shop.public.orders@unversioned',
      'openlineage.DatasetVersion:s3://lake/warehouse/orders_enriched@v-shared',
    ]);
    expect(nodes.filter((n) => n!.startsWith('openlineage.Run:'))).toHaveLength(8);
    expect(nodes.filter((n) => n!.startsWith('openlineage.Job:') || n!.startsWith('openlineage.Namespace:'))).toHaveLength(2);
    // Eight writers of the one shared version, each with its OUTPUT event.
    expect(lines.filter((l) => l.includes(' OUTPUT '))).toHaveLength(8);
  }, 300_000);

  it('refuses a batch that would make more nodes of one kind than one write takes, naming events', async () => {
    t = await startTestServer(h.api, { security: { maxBodyBytes: 64 * 1024 * 1024 } });
    const inputs = Array.from({ length: 10_001 }, (_, i) => ({ namespace: 'db', name: `t${i}` }));
    const res = await postEvent(t.origin, runEvent('START', '2026-03-01T02:00:00.000Z', { inputs }));
    expect(res).toMatchObject({ status: 400, body: { errors: [{ path: 'events', code: 'BAD_USER_INPUT' }] } });
    expect(res.body.errors[0].message).toContain('at most 10000 per request');
  }, 300_000);

  it('writes a batch of 10 or 200 runs with the same store calls, in one transaction', async () => {
    const counting = countingStore(h.store);
    t = await startTestServer(createMetadataService(counting.store, { clock: h.clock }));
    const runId = (i: number): string => `0176a8c2-fe01-7439-87e6-${String(i).padStart(12, '0')}`;
    const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => runEvent('COMPLETE', '2026-03-01T02:05:00.000Z', {
      runId: runId(from + i), job: { namespace: 'etl', name: `job${from + i}` },
      inputs: [{ namespace: 'db', name: `in${from + i}` }], outputs: [{ namespace: 'db', name: `out${from + i}` }],
    }));
    await postBatch(t.origin, batch(0, 1)); // the types, once per server
    const tallies: Record<string, number>[] = [];
    for (const [from, n] of [[1000, 10], [2000, 200]] as const) {
      counting.reset();
      expect((await postBatch(t.origin, batch(from, n))).status).toBe(200);
      const { countApiKeys: _auth, ...rest } = counting.tally();
      tallies.push(rest);
    }
    expect(tallies[1]).toEqual(tallies[0]);
    expect(Object.values(tallies[0]!).reduce((a, b) => a + b, 0)).toBeLessThan(40);
    expect((await graphText(h.api)).filter((l) => l.startsWith('node openlineage.Run:'))).toHaveLength(211);
  }, 300_000);
});

