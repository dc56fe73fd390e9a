/**
 * Column lineage end to end: OpenLineage RunEvents carrying a columnLineage facet posted
 * to the intake over HTTP, then `columnLineage` over GraphQL, on every backend.
 *
 *   writer-1 (02:00) ──► raw orders @v1 ──┐
 *                                          ├─ clean (02:30, reads raw without a version facet:
 *   writer-2 (03:00) ──► raw orders @v2    │   bound to the newest version at its event time, v1)
 *                                          └─► orders_clean @<clean run id>
 *                                                 order_id   ← order_id (IDENTITY)
 *                                                 email_hash ← email (masking)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { startTestServer, type TestServer } from '../api/harness.js';
import { PRODUCER, RAW_ORDERS, postBatch, postEvent, runEvent, schemaFacet, versionFacet } from './ol-harness.js';

const CLEAN_RUN = '0176a8c2-fe01-7439-87e6-56a1a1b4c1ea';
const WRITER_1 = '0176a8c2-fe01-7439-87e6-56a1a1b4a001';
const WRITER_2 = '0176a8c2-fe01-7439-87e6-56a1a1b4a002';
const RAW = `${RAW_ORDERS.namespace}/${RAW_ORDERS.name}`;
const CLEAN = { namespace: 's3://lake', name: 'warehouse/orders_clean' };

const columnLineage = {
  _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet',
  fields: {
    order_id: { inputFields: [{ ...RAW_ORDERS, field: 'order_id', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] }] },
    email_hash: { inputFields: [{ ...RAW_ORDERS, field: 'email', transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', description: 'sha256(email)', masking: true }] }] },
  },
};

const QUERY = `query C($a: ID!, $f: String!, $d: ColumnLineageDirection) {
  columnLineage(artifact: $a, field: $f, direction: $d) {
    fields { artifact { name } field hops }
    edges { inputField outputField run { externalId } transformations { type subtype description masking } }
    truncated
  }
}`;

// Each test posts its events first: on a loaded machine's Neo4j that alone can take most of the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

describe.each(BACKENDS)('column lineage from OpenLineage events ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => { t = await startTestServer(h.api); });
  afterEach(async () => { await t.close(); });

  const writer = (runId: string, time: string, version: string) => runEvent('COMPLETE', time, {
    runId, job: { namespace: 'spark-prod', name: 'orders.load' },
    outputs: [{ ...RAW_ORDERS, facets: { schema: schemaFacet('order_id', 'email'), version: versionFacet(version) } }],
  });
  const clean = (eventType: string, time: string) => runEvent(eventType, time, {
    runId: CLEAN_RUN, job: { namespace: 'spark-prod', name: 'orders.clean' },
    inputs: [RAW_ORDERS], outputs: [{ ...CLEAN, facets: { schema: schemaFacet('order_id', 'email_hash'), columnLineage } }],
  });

  it('answers the facet posted over HTTP, bound to the version the run read', async () => {
    expect((await postEvent(t.origin, writer(WRITER_1, '2026-03-01T02:00:00.000Z', 'v1'))).status).toBe(201);
    expect((await postBatch(t.origin, [clean('START', '2026-03-01T02:20:00.000Z'), clean('COMPLETE', '2026-03-01T02:30:00.000Z')])).status).toBe(200);
    expect((await postEvent(t.origin, writer(WRITER_2, '2026-03-01T03:00:00.000Z', 'v2'))).status).toBe(201);

    const { artifactByName } = await t.data(`query { artifactByName(type: "openlineage.DatasetVersion", name: "${CLEAN.namespace}/${CLEAN.name}@${CLEAN_RUN}") { id } }`);
    const up = (await t.data(QUERY, { a: artifactByName.id, f: 'email_hash' })).columnLineage;
    expect(up.fields.map((n: any) => [n.artifact.name, n.field, n.hops])).toEqual([
      [`${CLEAN.namespace}/${CLEAN.name}@${CLEAN_RUN}`, 'email_hash', 0], [`${RAW}@v1`, 'email', 1],
    ]);
    expect(up.edges).toEqual([{
      inputField: 'email', outputField: 'email_hash', run: { externalId: `openlineage:${CLEAN_RUN}` },
      transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', description: 'sha256(email)', masking: true }],
    }]);
    expect(up.truncated).toBe(false);

    // Downstream from each raw version: v1 was read by the clean run, v2 by nobody.
    const versions = await t.data(`query { v1: artifactByName(type: "openlineage.DatasetVersion", name: "${RAW}@v1") { id } v2: artifactByName(type: "openlineage.DatasetVersion", name: "${RAW}@v2") { id } }`);
    const down = async (id: string) => (await t.data(QUERY, { a: id, f: 'order_id', d: 'DOWNSTREAM' })).columnLineage.fields.map((n: any) => [n.field, n.hops]);
    expect(await down(versions.v1.id)).toEqual([['order_id', 0], ['order_id', 1]]);
    expect(await down(versions.v2.id)).toEqual([['order_id', 0]]);
  });
});
