/**
 * The OpenLineage endpoints as HTTP: answers (201 one event, 200 a batch with the
 * spec's summary), spec validation naming every failing path, gzip, the body limit, the
 * content type, API keys and roles, and hostile names.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { startTestServer, type TestServer } from '../api/harness.js';
import { bearer, makeKey, startSecureServer, useServiceWithKeys } from '../security/security-harness.js';
import { ENRICHED, RAW_ORDERS, RUN_ID, graphText, nodeNamed, post, postBatch, postEvent, runEvent, schemaFacet } from './ol-harness.js';

const T0 = '2026-03-01T02:00:00.000Z';

describe.each(BACKENDS)('OpenLineage over HTTP ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('answers 201 with no body for one event and 200 with the summary for a batch', async () => {
    t = await startTestServer(h.api);
    const one = await postEvent(t.origin, runEvent('START', T0, { inputs: [RAW_ORDERS] }));
    expect(one).toMatchObject({ status: 201, text: '' });
    const batch = await postBatch(t.origin, [runEvent('RUNNING', T0), runEvent('COMPLETE', T0, { outputs: [ENRICHED] })]);
    expect(batch).toMatchObject({ status: 200, body: { status: 'success', summary: { received: 2, successful: 2, failed: 0 } } });
    expect((await postBatch(t.origin, [])).body).toEqual({ status: 'success', summary: { received: 0, successful: 0, failed: 0 } });
  }, 300_000);

  it('refuses events that do not match the spec with 400 and every failing path, and writes nothing of the batch', async () => {
    t = await startTestServer(h.api);
    const noRunId = runEvent('START', T0);
    delete (noRunId.run as Record<string, unknown>).runId;
    const res = await postEvent(t.origin, { ...noRunId, eventType: 'BEGIN', eventTime: 'yesterday' });
    expect(res.status).toBe(400);
    const paths = (res.body.errors as { path: string; code: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['event.eventTime', 'event.eventType', 'event.run.runId']);
    expect(res.body.errors.every((e: { code: string }) => e.code === 'BAD_USER_INPUT')).toBe(true);

    // A known facet is checked against its own schema: nominalStartTime must be a date-time.
    const badFacet = runEvent('START', T0, { runFacets: { nominalTime: { _producer: 'https://x.example', _schemaURL: 'https://x.example/s', nominalStartTime: 42 } } });
    const facetRes = await postBatch(t.origin, [runEvent('START', T0, { inputs: [RAW_ORDERS] }), badFacet]);
    expect(facetRes.status).toBe(400);
    expect(facetRes.body.errors.map((e: { path: string }) => e.path)).toEqual(['events[1].run.facets.nominalTime.nominalStartTime']);
    // A custom facet needs only what every facet has.
    const custom = runEvent('START', T0, { runFacets: { spark_version: { _producer: 'https://x.example', _schemaURL: 'https://x.example/s', anything: [1, 2] } } });
    expect((await postEvent(t.origin, custom)).status).toBe(201);
    const noProducer = runEvent('START', T0, { runFacets: { spark_version: { anything: 1 } } });
    expect((await postEvent(t.origin, noProducer)).body.errors.map((e: { path: string }) => e.path).sort())
      .toEqual(['event.run.facets.spark_version._producer', 'event.run.facets.spark_version._schemaURL']);
    // The batch with the bad facet wrote nothing: the one good event's dataset is absent.
    expect(await nodeNamed(h.api, 'CONTEXT', 'openlineage.Dataset', `${RAW_ORDERS.namespace}/${RAW_ORDERS.name}`)).toBeUndefined();

    expect((await post(t.origin, '/api/v1/lineage', Buffer.from('{"eventTime": '))).body.errors[0]).toMatchObject({ code: 'BAD_USER_INPUT', path: 'body' });
    expect((await postBatch(t.origin, { not: 'an array' } as never)).body.errors[0]).toMatchObject({ path: 'events' });
    expect((await postEvent(t.origin, [1])).body.errors[0]).toMatchObject({ path: 'event' });
    expect((await postBatch(t.origin, [null])).body.errors[0]).toMatchObject({ path: 'events[0]' });
    // A DatasetEvent may not carry a job.
    const both = { eventTime: T0, producer: 'https://x.example', schemaURL: 'https://x.example/s', dataset: RAW_ORDERS, job: { namespace: 'a', name: 'b' } };
    expect((await postEvent(t.origin, both)).status).toBe(400);
  }, 300_000);

  it('takes gzip bodies, and refuses broken gzip, other encodings, other types and methods', async () => {
    t = await startTestServer(h.api);
    const events = [runEvent('START', T0, { inputs: [RAW_ORDERS] }), runEvent('COMPLETE', T0, { outputs: [ENRICHED] })];
    expect((await post(t.origin, '/api/v1/lineage/batch', events, {}, true)).status).toBe(200);
    expect((await post(t.origin, '/api/v1/lineage', runEvent('RUNNING', T0), {}, true)).status).toBe(201);
    expect(await nodeNamed(h.api, 'ARTIFACT', 'openlineage.DatasetVersion', `${ENRICHED.namespace}/${ENRICHED.name}@${RUN_ID}`)).toBeDefined();
    const broken = await post(t.origin, '/api/v1/lineage', Buffer.from('not gzip'), { 'content-encoding': 'gzip' });
    expect(broken).toMatchObject({ status: 400, body: { errors: [{ path: 'body' }] } });
    expect((await post(t.origin, '/api/v1/lineage', Buffer.from('{}'), { 'content-encoding': 'br' })).status).toBe(415);
    expect((await post(t.origin, '/api/v1/lineage', runEvent('START', T0), { 'content-type': 'text/plain' })).status).toBe(415);
    const get = await fetch(`${t.origin}/api/v1/lineage`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  }, 300_000);

  it('refuses a body over the limit with 413, before and after gzip, and writes nothing', async () => {
    t = await startTestServer(h.api, { security: { maxBodyBytes: 64 * 1024 } });
    const many = Array.from({ length: 400 }, (_, i) => runEvent('START', T0, { runId: `0176a8c2-fe01-7439-87e6-${String(i).padStart(12, '0')}`, inputs: [RAW_ORDERS] }));
    const plain = await postBatch(t.origin, many);
    expect(plain.status).toBe(413);
    expect(plain.body.errors[0]).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    // Small compressed, too large once inflated: a zip bomb stops at the limit.
    const bomb = gzipSync(Buffer.from(JSON.stringify([{ pad: 'x'.repeat(200_000) }])));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect((await post(t.origin, '/api/v1/lineage/batch', bomb, { 'content-encoding': 'gzip' })).status).toBe(413);
    // Chunked, without a length to check first.
    const chunked = await fetch(`${t.origin}/api/v1/lineage/batch`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, duplex: 'half',
      body: new ReadableStream({ start(c) { for (let i = 0; i < 100; i++) c.enqueue(new TextEncoder().encode(' '.repeat(1024))); c.close(); } }),
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await graphText(h.api)).filter((l) => l.startsWith('node '))).toEqual([]);
  }, 300_000);

  it('keeps hostile names exactly: slashes, unicode, @, quotes; refuses names too long and spellings that collide', async () => {
    t = await startTestServer(h.api);
    const weird = { namespace: 'ns/with/slashes@x', name: "naïve 🚀 'tbl\" @v1 ; DROP TABLE nodes; MATCH (n) DETACH DELETE n" };
    const res = await postEvent(t.origin, runEvent('COMPLETE', T0, { job: { namespace: 'j@b/é', name: '`x`})' }, inputs: [weird], outputs: [weird] }));
    expect(res.status).toBe(201);
    const name = `${weird.namespace}/${weird.name}`;
    expect((await nodeNamed(h.api, 'CONTEXT', 'openlineage.Dataset', name))!.customProperties).toMatchObject({ namespace: weird.namespace, datasetName: weird.name });
    expect(await nodeNamed(h.api, 'ARTIFACT', 'openlineage.DatasetVersion', `${name}@${RUN_ID}`)).toBeDefined();
    expect(await nodeNamed(h.api, 'CONTEXT', 'openlineage.Job', 'j@b/é/`x`})')).toBeDefined();

    // `ns/with` + `slashes@x/...` spells the same context name as the dataset above: refused, not merged.
    const collide = { namespace: 'ns/with', name: `slashes@x/${weird.name}` };
    const refused = await postEvent(t.origin, runEvent('START', T0, { runId: '0176a8c2-fe01-7439-87e6-000000000009', inputs: [collide] }));
    expect(refused).toMatchObject({ status: 409, body: { errors: [{ code: 'ALREADY_EXISTS', path: 'event.inputs[0]' }] } });

    const long = { namespace: 'ns', name: 'x'.repeat(300) };
    const tooLong = await postEvent(t.origin, runEvent('START', T0, { inputs: [long] }));
    expect(tooLong).toMatchObject({ status: 400, body: { errors: [{ code: 'BAD_USER_INPUT', path: 'event.inputs[0]' }] } });
    expect(tooLong.text.length).toBeLessThan(1000);
    // A lone surrogate would not survive both stores: refused with its path.
    const surrogate = await post(t.origin, '/api/v1/lineage', Buffer.from(JSON.stringify(runEvent('START', T0, { inputs: [{ namespace: 'ns', name: 'a' }] })).replace('"name":"a"', '"name":"\\ud800"')));
    expect(surrogate.status).toBe(400);
    // A facet holding an integer JSON cannot carry exactly.
    const huge = await post(t.origin, '/api/v1/lineage', Buffer.from(JSON.stringify(runEvent('START', T0, { runFacets: { big: { _producer: 'https://x.example', _schemaURL: 'https://x.example/s', n: 1 } } })).replace('"n":1', '"n":123456789012345678901')));
    expect(huge).toMatchObject({ status: 400, body: { errors: [{ path: 'event.run.facets.big.n' }] } });
    // A facet nested deeper than the stores keep: refused with its path (a hundred thousand levels was a stack overflow, 500).
    const deep = JSON.stringify(runEvent('START', T0, { runFacets: { deep: { _producer: 'https://x.example', _schemaURL: 'https://x.example/s', n: 1 } } }))
      .replace('"n":1', `"n":${'['.repeat(80)}${']'.repeat(80)}`);
    expect(await post(t.origin, '/api/v1/lineage', Buffer.from(deep))).toMatchObject({ status: 400, body: { errors: [{ path: 'event.run.facets.deep' }] } });
    expect(await post(t.origin, '/api/v1/lineage', Buffer.from(deep.replace(/\[{80}/, '['.repeat(100_000)).replace(/\]{80}/, ']'.repeat(100_000)))))
      .toMatchObject({ status: 400, body: { errors: [{ path: 'event' }] } });
    // And a schema facet whose nested `fields` go as deep: the spec check itself would recurse that far.
    const fieldsText = `${'{"name":"f","fields":['.repeat(20_000)}{"name":"leaf"}${']}'.repeat(20_000)}`;
    const nestedEvent = JSON.stringify(runEvent('START', T0, { inputs: [{ namespace: 'ns', name: 'deep', facets: { schema: schemaFacet('PLACEHOLDER') } }] }))
      .replace('{"name":"PLACEHOLDER","type":"STRING"}', fieldsText);
    const nested = await post(t.origin, '/api/v1/lineage', Buffer.from(nestedEvent));
    expect(nested).toMatchObject({ status: 400, body: { errors: [{ path: 'event', message: 'event nests more than 100 levels deep' }] } });
  }, 300_000);
});

describe.each(BACKENDS)('OpenLineage and API keys ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('needs an editor or admin key once keys exist: none is 401, a viewer or privacy key 403', async () => {
    const editor = bearer(await makeKey(h.store, 'editor'));
    const viewer = bearer(await makeKey(h.store, 'viewer'));
    const privacy = bearer(await makeKey(h.store, 'privacy'));
    const admin = bearer(await makeKey(h.store, 'admin'));
    t = await startSecureServer(h.api);
    const event = runEvent('START', T0, { inputs: [{ ...RAW_ORDERS, facets: { schema: schemaFacet('a') } }] });
    const none = await postEvent(t.origin, event);
    expect(none).toMatchObject({ status: 401, body: { errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] } });
    expect((await postEvent(t.origin, event, { authorization: 'Bearer djk_nope_nope' })).status).toBe(401);
    const refused = await postBatch(t.origin, [event], viewer);
    expect(refused).toMatchObject({ status: 403, body: { errors: [{ code: 'FORBIDDEN', message: 'POST /api/v1/lineage/batch needs the editor or admin role; this request has viewer' }] } });
    expect((await postEvent(t.origin, event, privacy)).status).toBe(403);
    expect((await graphText(h.api)).filter((l) => l.startsWith('node '))).toEqual([]);
    expect((await postEvent(t.origin, event, editor)).status).toBe(201);
    expect((await postBatch(t.origin, [event], admin)).status).toBe(200);
  }, 300_000);
});
