/**
 * The OpenLineage mapping (docs/openlineage.md), posted over HTTP as a client sends it,
 * read back from the store: jobs and their namespaces, runs and their states and facets,
 * parent runs, datasets and their versions, inputs bound to versions, DatasetEvents and
 * JobEvents.
 *
 *   raw orders (postgres) ──INPUT──► run 0176…029f of job spark-prod/daily_orders.enrich ──OUTPUT──► orders_enriched@<runId>
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactRecord, ExecutionRecord, NodeRecord } from '../../src/graph/model.js';
import { BACKENDS, useService } from '../support/backends.js';
import { startTestServer, type TestServer } from '../api/harness.js';
import {
  ENRICHED, OTHER_RUN_ID, PARENT_RUN_ID, PRODUCER, RAW_ORDERS, RUN_ID, errorMessageFacet, graphText, nodeNamed, nominalTimeFacet, parentFacet,
  postBatch, postEvent, runEvent, schemaFacet, sqlFacet, versionFacet,
} from './ol-harness.js';

const RAW = 'postgres://db.example:5432/shop.public.orders';
const OUT = 's3://lake/warehouse/orders_enriched';
const JOB = 'spark-prod/daily_orders.enrich';
const T0 = '2026-03-01T02:00:00.000Z';
const T1 = '2026-03-01T02:05:00.000Z';

describe.each(BACKENDS)('OpenLineage mapping ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => { t = await startTestServer(h.api); });
  afterEach(async () => { await t.close(); });

  const contextsOf = async (n: NodeRecord): Promise<string[]> => (await h.api.contextsOfNodes([n.id]))[0]!.map((c) => c.name).sort();

  it('maps a START and a COMPLETE of a Spark job: job, namespace, run, datasets, versions and events', async () => {
    const job = { namespace: 'spark-prod', name: 'daily_orders.enrich', facets: { sql: sqlFacet('INSERT INTO orders_enriched SELECT * FROM orders') } };
    const input = { ...RAW_ORDERS, facets: { schema: schemaFacet('order_id', 'email') } };
    const start = runEvent('START', T0, { job, inputs: [input], outputs: [ENRICHED], runFacets: { nominalTime: nominalTimeFacet('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z') } });
    const complete = runEvent('COMPLETE', T1, { job, inputs: [input], outputs: [{ ...ENRICHED, facets: { schema: schemaFacet('order_id', 'email_hash') }, outputFacets: { outputStatistics: { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json', rowCount: 10 } } }] });
    expect(await postEvent(t.origin, start)).toMatchObject({ status: 201, text: '' });
    // After START the output is a dataset without versions: only a completed run writes one.
    expect(await h.api.findNodesByExternalId('ARTIFACT', [`openlineage:${OUT}@${RUN_ID}`])).toEqual([null]);
    expect(await nodeNamed(h.api, 'CONTEXT', 'openlineage.Dataset', OUT)).toBeDefined();
    const running = await h.api.findNodesByExternalId('EXECUTION', [`openlineage:${RUN_ID}`]);
    expect((running[0] as ExecutionRecord).lastKnownState).toBe('RUNNING');
    expect((await postEvent(t.origin, complete)).status).toBe(201);

    const jobCtx = (await nodeNamed(h.api, 'CONTEXT', 'openlineage.Job', JOB))!;
    expect(jobCtx.customProperties).toMatchObject({ namespace: 'spark-prod', jobName: 'daily_orders.enrich', 'facet:sql': job.facets.sql });
    const [parents] = await h.api.parentContexts([jobCtx.id]);
    expect(parents!.map((p) => p.name)).toEqual(['spark-prod']);
    expect((await h.api.getTypes([parents![0]!.typeId]))[0]!.name).toBe('openlineage.Namespace');

    const [run] = await h.api.findNodesByExternalId('EXECUTION', [`openlineage:${RUN_ID}`]) as ExecutionRecord[];
    expect(run).toMatchObject({ name: RUN_ID, lastKnownState: 'COMPLETE' });
    expect(run!.customProperties).toMatchObject({
      job: JOB, nominalStartTime: '2026-03-01T00:00:00Z', nominalEndTime: '2026-03-02T00:00:00Z',
      startTime: Date.parse(T0), endTime: Date.parse(T1), 'facet:nominalTime': nominalTimeFacet('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z'),
    });
    expect(await contextsOf(run!)).toEqual([JOB]);

    // The input was never written here: it is bound to its `unversioned` version.
    const [rawVersion] = await h.api.findNodesByExternalId('ARTIFACT', [`openlineage:${RAW}@unversioned`]) as ArtifactRecord[];
    expect(rawVersion).toMatchObject({ name: `${RAW}@unversioned`, uri: RAW });
    expect(rawVersion!.customProperties).toMatchObject({ dataset: RAW, version: 'unversioned', versionTime: Date.parse(T0), 'facet:schema': input.facets.schema });
    const [outVersion] = await h.api.findNodesByExternalId('ARTIFACT', [`openlineage:${OUT}@${RUN_ID}`]) as ArtifactRecord[];
    expect(outVersion).toMatchObject({ name: `${OUT}@${RUN_ID}`, uri: OUT, state: 'LIVE' });
    expect(outVersion!.customProperties).toMatchObject({
      dataset: OUT, version: RUN_ID, versionTime: Date.parse(T1), 'facet:schema': schemaFacet('order_id', 'email_hash'),
      'facet:outputStatistics': { rowCount: 10 },
    });
    expect(await contextsOf(rawVersion!)).toEqual([RAW]);
    expect(await contextsOf(outVersion!)).toEqual([OUT]);

    const [events] = await h.api.eventsByExecutions([run!.id]);
    expect(events!.map((e) => `${e.type} ${e.artifactId === rawVersion!.id ? 'raw' : e.artifactId === outVersion!.id ? 'out' : '?'}`).sort())
      .toEqual(['INPUT raw', 'OUTPUT out']);
    // Nothing else: 2 versions, 1 run, 4 contexts (namespace, job, two datasets).
    const lines = await graphText(h.api);
    expect(lines.filter((l) => l.startsWith('node ')).map((l) => l.split(' ')[1]).sort()).toEqual([
      `openlineage.Dataset:${RAW}`, `openlineage.Dataset:${OUT}`, `openlineage.DatasetVersion:${RAW}@unversioned`,
      `openlineage.DatasetVersion:${OUT}@${RUN_ID}`, `openlineage.Job:${JOB}`, 'openlineage.Namespace:spark-prod', `openlineage.Run:${RUN_ID}`,
    ].sort());
  }, 300_000);

  it('binds an input to the version its facet names, else to the newest written by the event time', async () => {
    const writer = (runId: string, time: string, version?: string) => runEvent('COMPLETE', time, {
      runId, job: { namespace: 'etl', name: 'load' }, outputs: [{ ...RAW_ORDERS, facets: version ? { version: versionFacet(version) } : {} }],
    });
    // v1 written at 01:00, v2 at 03:00.
    expect((await postBatch(t.origin, [writer(OTHER_RUN_ID, '2026-03-01T01:00:00Z', 'v1'), writer(PARENT_RUN_ID, '2026-03-01T03:00:00Z', 'v2')])).status).toBe(200);
    const reader = (runId: string, time: string, facets: Record<string, unknown> = {}) => runEvent('START', time, {
      runId, job: { namespace: 'etl', name: 'read' }, inputs: [{ ...RAW_ORDERS, facets }],
    });
    const r1 = '0176a8c2-fe01-7439-87e6-000000000001';
    const r2 = '0176a8c2-fe01-7439-87e6-000000000002';
    const r3 = '0176a8c2-fe01-7439-87e6-000000000003';
    const r4 = '0176a8c2-fe01-7439-87e6-000000000004';
    await postBatch(t.origin, [
      reader(r1, '2026-03-01T02:00:00Z'), // between v1 and v2: v1
      reader(r2, '2026-03-01T04:00:00Z'), // after v2: v2
      reader(r3, '2026-03-01T04:00:00Z', { version: versionFacet('v1') }), // named: v1
      reader(r4, '2026-03-01T00:30:00Z'), // before any write: unversioned
    ]);
    const inputOf = async (runId: string): Promise<string> => {
      const [run] = await h.api.findNodesByExternalId('EXECUTION', [`openlineage:${runId}`]);
      const [events] = await h.api.eventsByExecutions([run!.id]);
      const [version] = await h.api.getNodes([events![0]!.artifactId]);
      return version!.name!;
    };
    expect(await inputOf(r1)).toBe(`${RAW}@v1`);
    expect(await inputOf(r2)).toBe(`${RAW}@v2`);
    expect(await inputOf(r3)).toBe(`${RAW}@v1`);
    expect(await inputOf(r4)).toBe(`${RAW}@unversioned`);
    // The writer's facts outrank a reader's: v1's versionTime is its write, 01:00.
    const v1 = (await nodeNamed(h.api, 'ARTIFACT', 'openlineage.DatasetVersion', `${RAW}@v1`))!;
    expect(v1.customProperties.versionTime).toBe(Date.parse('2026-03-01T01:00:00Z'));
  }, 300_000);

  it('maps FAIL with its error message, ABORT, OTHER, and a parent run', async () => {
    const child = runEvent('FAIL', T1, {
      runFacets: { errorMessage: errorMessageFacet('Table or view not found: orders'), parent: parentFacet(PARENT_RUN_ID, 'airflow', 'daily_orders') },
      outputs: [ENRICHED],
    });
    const parent = runEvent('ABORT', T1, { runId: PARENT_RUN_ID, job: { namespace: 'airflow', name: 'daily_orders' } });
    const other = runEvent('OTHER', T0, { runId: OTHER_RUN_ID });
    expect((await postBatch(t.origin, [child, parent, other])).status).toBe(200);

    const [failed, aborted, untouched] = await h.api.findNodesByExternalId('EXECUTION', [RUN_ID, PARENT_RUN_ID, OTHER_RUN_ID].map((r) => `openlineage:${r}`)) as ExecutionRecord[];
    expect(failed).toMatchObject({ lastKnownState: 'FAILED' });
    expect(failed!.customProperties).toMatchObject({ errorMessage: 'Table or view not found: orders', endTime: Date.parse(T1) });
    expect(aborted!.lastKnownState).toBe('CANCELED');
    expect(untouched!.lastKnownState).toBe('UNKNOWN');
    // A failed run wrote no version.
    expect(await h.api.findNodesByExternalId('ARTIFACT', [`openlineage:${OUT}@${RUN_ID}`])).toEqual([null]);

    const group = (await nodeNamed(h.api, 'CONTEXT', 'openlineage.ParentRun', PARENT_RUN_ID))!;
    expect(group.customProperties).toMatchObject({ job: 'airflow/daily_orders' });
    expect((await h.api.parentContexts([group.id]))[0]!.map((c) => c.name)).toEqual(['airflow/daily_orders']);
    // The child run and the parent run itself are both in the parent's group.
    expect(await contextsOf(failed!)).toEqual([PARENT_RUN_ID, JOB].sort());
    expect(await contextsOf(aborted!)).toEqual(['airflow/daily_orders', PARENT_RUN_ID].sort());
  }, 300_000);

  it('puts the parent run in its group whichever arrives first', async () => {
    const parent = runEvent('START', T0, { runId: PARENT_RUN_ID, job: { namespace: 'airflow', name: 'dag' } });
    const child = runEvent('START', T0, { runFacets: { parent: parentFacet(PARENT_RUN_ID, 'airflow', 'dag') } });
    await postEvent(t.origin, child);
    await postEvent(t.origin, parent);
    const [p] = await h.api.findNodesByExternalId('EXECUTION', [`openlineage:${PARENT_RUN_ID}`]);
    expect(await contextsOf(p!)).toEqual(['airflow/dag', PARENT_RUN_ID].sort());
  }, 300_000);

  it('records a DatasetEvent (on the version its facet names, else on the dataset) and a JobEvent', async () => {
    const base = { eventTime: T0, producer: 'https://example.com/p', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent' };
    const versioned = { ...base, dataset: { ...RAW_ORDERS, facets: { version: versionFacet('2026-03'), schema: schemaFacet('order_id') } } };
    const plain = { ...base, dataset: { ...ENRICHED, facets: { schema: schemaFacet('order_id') } } };
    const jobEvent = { ...base, schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent', job: { namespace: 'dbt', name: 'orders', facets: { sql: sqlFacet('select 1') } }, inputs: [RAW_ORDERS], outputs: [] };
    expect((await postBatch(t.origin, [versioned, plain, jobEvent])).status).toBe(200);
    const v = (await nodeNamed(h.api, 'ARTIFACT', 'openlineage.DatasetVersion', `${RAW}@2026-03`))!;
    expect(v.customProperties).toMatchObject({ version: '2026-03', versionTime: Date.parse(T0), 'facet:schema': schemaFacet('order_id') });
    expect((await nodeNamed(h.api, 'CONTEXT', 'openlineage.Dataset', OUT))!.customProperties).toMatchObject({ 'facet:schema': schemaFacet('order_id') });
    expect((await nodeNamed(h.api, 'CONTEXT', 'openlineage.Job', 'dbt/orders'))!.customProperties).toMatchObject({ 'facet:sql': sqlFacet('select 1') });
    expect(await h.api.findNodesByExternalId('EXECUTION', [`openlineage:${RUN_ID}`])).toEqual([null]);
  }, 300_000);

  it('binds a run that appends to its own input to the version before, also when its COMPLETE comes again', async () => {
    const job = { namespace: 'etl', name: 'append' };
    const first = runEvent('COMPLETE', '2026-03-01T01:00:00Z', { runId: OTHER_RUN_ID, job, outputs: [RAW_ORDERS] });
    const start = runEvent('START', T0, { job, inputs: [RAW_ORDERS], outputs: [RAW_ORDERS] });
    const complete = runEvent('COMPLETE', T1, { job, inputs: [RAW_ORDERS], outputs: [RAW_ORDERS] });
    await postBatch(t.origin, [first, start, complete]);
    const before = await graphText(h.api);
    expect((await postEvent(t.origin, complete)).status).toBe(201);
    expect(await graphText(h.api)).toEqual(before);
    const [run] = await h.api.findNodesByExternalId('EXECUTION', [`openlineage:${RUN_ID}`]);
    const [events] = await h.api.eventsByExecutions([run!.id]);
    const named = await h.api.getNodes(events!.map((e) => e.artifactId));
    expect(events!.map((e, i) => `${e.type} ${named[i]!.name}`).sort()).toEqual([`INPUT ${RAW}@${OTHER_RUN_ID}`, `OUTPUT ${RAW}@${RUN_ID}`]);
  }, 300_000);
});

