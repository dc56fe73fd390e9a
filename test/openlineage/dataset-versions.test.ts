/**
 * End to end: versions recorded by the OpenLineage intake over HTTP, read back by the
 * dataset versions queries over GraphQL (datasetVersions, diffVersions, versionsUsed).
 *
 *   raw orders ──► run A (COMPLETE at T1) ──► orders_enriched@A  (schema: order_id, email)
 *   raw orders ──► run B (COMPLETE at T2) ──► orders_enriched@B  (schema: order_id, email_hash, country)
 *   orders_enriched (bound to B, the newest at T3) ──► run C of another job (COMPLETE at T3) ──► features@C
 *
 * Run B's events are posted before run A's: the versions still come in versionTime order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { startTestServer, type TestServer } from '../api/harness.js';
import { ENRICHED, OTHER_RUN_ID, RAW_ORDERS, RUN_ID, postEvent, runEvent, schemaFacet } from './ol-harness.js';

const ENRICHED_NAME = 's3://lake/warehouse/orders_enriched';
const RAW_NAME = 'postgres://db.example:5432/shop.public.orders';
const THIRD_RUN_ID = '0176a8c2-fe01-7439-87e6-56a1a1b40c0c';
const T0 = '2026-03-01T02:00:00.000Z';
const T1 = '2026-03-01T02:05:00.000Z';
const T2 = '2026-03-02T02:05:00.000Z';
const T3 = '2026-03-02T03:00:00.000Z';

describe.each(BACKENDS)('dataset versions recorded over OpenLineage ($name)', { timeout: 120_000 }, (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => { t = await startTestServer(h.api); });
  afterEach(async () => { await t.close(); });

  async function post(event: Record<string, unknown>): Promise<void> {
    expect((await postEvent(t.origin, event)).status).toBe(201);
  }

  it('lists, diffs and restores the versions the intake recorded', async () => {
    const enrich = { namespace: 'spark-prod', name: 'daily_orders.enrich', facets: {} };
    const write = (runId: string, start: string, end: string, ...columns: string[]) => [
      runEvent('START', start, { runId, job: enrich, inputs: [RAW_ORDERS], outputs: [ENRICHED] }),
      runEvent('COMPLETE', end, { runId, job: enrich, inputs: [RAW_ORDERS], outputs: [{ ...ENRICHED, facets: { schema: schemaFacet(...columns) } }] }),
    ];
    for (const e of write(OTHER_RUN_ID, '2026-03-02T02:00:00.000Z', T2, 'order_id', 'email_hash', 'country')) await post(e);
    for (const e of write(RUN_ID, T0, T1, 'order_id', 'email')) await post(e);
    const features = { namespace: 's3://lake', name: 'features/orders' };
    await post(runEvent('COMPLETE', T3, { runId: THIRD_RUN_ID, job: { namespace: 'spark-prod', name: 'features.build', facets: {} }, inputs: [ENRICHED], outputs: [features] }));

    const { datasetVersions } = await t.data(`query V($name: String!) {
      datasetVersions(name: $name) { totalCount nodes { version versionTime uri artifact { id name } writtenBy { name } readBy { name } } }
    }`, { name: ENRICHED_NAME });
    expect(datasetVersions.totalCount).toBe(2);
    expect(datasetVersions.nodes.map(({ artifact, ...rest }: any) => ({ ...rest, name: artifact.name }))).toEqual([
      { version: RUN_ID, versionTime: T1, uri: ENRICHED_NAME, name: `${ENRICHED_NAME}@${RUN_ID}`, writtenBy: { name: RUN_ID }, readBy: [] },
      { version: OTHER_RUN_ID, versionTime: T2, uri: ENRICHED_NAME, name: `${ENRICHED_NAME}@${OTHER_RUN_ID}`,
        writtenBy: { name: OTHER_RUN_ID }, readBy: [{ name: THIRD_RUN_ID }] },
    ]);
    const [a, b] = datasetVersions.nodes.map((v: any) => v.artifact.id);

    const { diffVersions } = await t.data(`query D($a: ID!, $b: ID!) { diffVersions(a: $a, b: $b) {
      dataset { name } schemaFields { name change typeBefore typeAfter }
      upstreamA { run { name } inputs { datasetName version } } upstreamB { run { name } } upstreamChanges { datasetName }
    } }`, { a, b });
    expect(diffVersions).toEqual({
      dataset: { name: ENRICHED_NAME },
      schemaFields: [
        { name: 'country', change: 'ADDED', typeBefore: null, typeAfter: 'STRING' },
        { name: 'email', change: 'REMOVED', typeBefore: 'STRING', typeAfter: null },
        { name: 'email_hash', change: 'ADDED', typeBefore: null, typeAfter: 'STRING' },
      ],
      // Both runs read the raw table the intake never saw written: its `unversioned` version.
      upstreamA: [{ run: { name: RUN_ID }, inputs: [{ datasetName: RAW_NAME, version: 'unversioned' }] }],
      upstreamB: [{ run: { name: OTHER_RUN_ID } }],
      upstreamChanges: [],
    });

    // Restore from the raw table: every run downstream, and which version of each dataset it read.
    const raw = (await t.data('query R($n: String!) { datasetVersions(name: $n) { nodes { artifact { id } } } }', { n: RAW_NAME })).datasetVersions.nodes;
    expect(raw).toHaveLength(1);
    const { versionsUsed } = await t.data(`query U($a: ID!) {
      versionsUsed(artifact: $a) { runs { run { name } distance inputs { datasetName version latest downstreamOfStart } } }
    }`, { a: raw[0].artifact.id });
    expect(versionsUsed.runs.map((r: any) => ({ ...r, run: r.run.name })).sort((p: any, q: any) => p.distance - q.distance || (p.run < q.run ? -1 : 1))).toEqual([
      { run: RUN_ID, distance: 1, inputs: [{ datasetName: RAW_NAME, version: 'unversioned', latest: true, downstreamOfStart: true }] },
      { run: OTHER_RUN_ID, distance: 1, inputs: [{ datasetName: RAW_NAME, version: 'unversioned', latest: true, downstreamOfStart: true }] },
      { run: THIRD_RUN_ID, distance: 3, inputs: [{ datasetName: ENRICHED_NAME, version: OTHER_RUN_ID, latest: true, downstreamOfStart: true }] },
    ].sort((p, q) => p.distance - q.distance || (p.run < q.run ? -1 : 1)));
  });
});
