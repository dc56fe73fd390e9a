/**
 * Store failures that are not outages. A full disk or a damaged SQLite file is a fault
 * of the store, not a reason to retry: the client gets INTERNAL_SERVER_ERROR, the log
 * gets the driver's error under the request's id, and /readyz reports the store that
 * cannot write. A filter with more property predicates than a backend can run is the
 * caller's mistake: refused up front as BAD_USER_INPUT naming the field, on both backends.
 */
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StorageFaultError } from '../../src/graph/errors.js';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import { SqliteExecutor } from '../../src/graph/sqlite/sqlite-executor.js';
import { SqliteGraphStore } from '../../src/graph/sqlite/sqlite-store.js';
import type { GraphStore } from '../../src/graph/store.js';
import { MAX_PROPERTY_PREDICATES } from '../../src/service/metadata/node-listing.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS, useService } from '../support/backends.js';
import { onlyError, putCommonTypes, startTestServer, type TestServer } from './harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'journey-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PUT = 'mutation Put($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }';
const LIST = 'query List($p: [PropertyPredicate!]) { artifacts(filter: { properties: $p }) { totalCount nodes { id } } }';

describe('SQLite storage faults over HTTP', () => {
  let t: TestServer | undefined;
  let store: GraphStore | undefined;
  afterEach(async () => { await t?.close(); await store?.close(); t = undefined; store = undefined; });

  it('answers a full disk with INTERNAL_SERVER_ERROR, logs the cause with the request id, and /readyz says the store cannot write', async () => {
    const executor = SqliteExecutor.open({ path: path.join(dir, 'full.sqlite'), busyTimeoutMs: 1000 });
    store = await SqliteGraphStore.create(executor);
    t = await startTestServer(createMetadataService(store));
    await putCommonTypes(t);
    // The file may not grow past the pages it has now: SQLite then reports SQLITE_FULL, as on a full disk.
    const pages = executor.prepare('PRAGMA page_count').get<{ page_count: number }>()!.page_count;
    executor.execScript(`PRAGMA max_page_count = ${pages}`);

    const big = Array.from({ length: 200 }, (_, i) => ({ type: 'DataSet', name: `d${i}`, uri: `s3://bucket/${'x'.repeat(2000)}/${i}` }));
    const res = await t.gql(PUT, { a: big }, { 'x-request-id': 'full-disk-1' });
    expect(onlyError(res)).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(res.text).not.toMatch(/retry|SQLITE|full/i);
    const logged = t.logs.lines().filter((l) => l.level === 50);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ requestId: 'full-disk-1', msg: 'unexpected error (masked for the client)' });
    expect(logged[0]!.err.message).toMatch(/^the SQLite store failed: the SQLite database is full \(disk or size limit\): database or disk is full/);

    const ready = await fetch(`${t.origin}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({
      status: 503, body: { status: 'unavailable', reason: 'the store cannot write: the SQLite database is full (disk or size limit)' },
    });

    // Room again: the next write succeeds and the store is ready once more.
    executor.execScript('PRAGMA max_page_count = 1073741823');
    expect((await t.gql(PUT, { a: big.slice(0, 2) })).errors).toBeUndefined();
    expect((await fetch(`${t.origin}/readyz`)).status).toBe(200);
  });

  it('refuses a damaged file at open with a storage fault naming the file, not an outage', async () => {
    const file = path.join(dir, 'damaged.sqlite');
    const first = await createSqliteStore({ path: file });
    await first.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from('this is no longer a SQLite file header'), 0, 38, 0);
    closeSync(fd);
    const error = await createSqliteStore({ path: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFaultError);
    expect((error as Error).message).toBe(`cannot open the SQLite store at ${file}: the SQLite file is damaged or is not a SQLite database`);
  });
});

describe.each(BACKENDS)('the property predicate limit ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  afterEach(async () => { await t?.close(); });

  const predicates = (n: number): Record<string, unknown>[] =>
    Array.from({ length: n }, (_, i) => ({ name: `p${i % 7}`, custom: true, gte: i - n }));

  it(`runs ${MAX_PROPERTY_PREDICATES} predicates, and refuses more as BAD_USER_INPUT naming the field`, async () => {
    t = await startTestServer(h.api);
    await putCommonTypes(t);
    await t.data(PUT, { a: [{ type: 'DataSet', name: 'd', customProperties: Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`p${i}`, 1])) }] });
    expect((await t.data(LIST, { p: predicates(MAX_PROPERTY_PREDICATES) })).artifacts.totalCount).toBe(1);
    const typed = 'query List($p: [PropertyPredicate!]) { artifacts(filter: { type: "DataSet", properties: $p }) { nodes { id } } }';
    for (const [query, n] of [[LIST, MAX_PROPERTY_PREDICATES + 1], [LIST, 1000], [LIST, 10_000], [typed, 930]] as const) {
      const refused = onlyError(await t.gql(query, { p: predicates(n) }));
      expect(refused).toMatchObject({
        message: `filter.properties takes at most ${MAX_PROPERTY_PREDICATES} predicates, got ${n}`,
        extensions: { code: 'BAD_USER_INPUT', field: 'filter.properties' },
      });
    }
  }, 60_000);
});

describe('Neo4j storage faults', () => {
  it('maps the database\'s own errors to a storage fault keeping the driver error as its cause, transient ones to UNAVAILABLE', async () => {
    const { default: neo4j } = await import('neo4j-driver');
    const { mapDriverError } = await import('../../src/graph/neo4j/neo4j-executor.js');
    const { UnavailableError } = await import('../../src/graph/errors.js');
    const commit = new neo4j.Neo4jError('Could not apply the transaction: No space left on device', 'Neo.DatabaseError.Transaction.TransactionCommitFailed', '50N00', 'commit failed');
    const fault = mapDriverError(commit);
    expect(fault).toBeInstanceOf(StorageFaultError);
    expect((fault as StorageFaultError).cause).toBe(commit);
    expect((fault as Error).message).not.toContain('No space');
    expect(mapDriverError(new neo4j.Neo4jError('x', 'Neo.TransientError.General.DatabaseUnavailable', '50N00', 'x'))).toBeInstanceOf(UnavailableError);
  });

  it('keeps a write\'s storage fault for readiness until a write commits again', async () => {
    const { default: neo4j } = await import('neo4j-driver');
    const { Neo4jExecutor } = await import('../../src/graph/neo4j/neo4j-executor.js');
    const commit = new neo4j.Neo4jError('No space left on device', 'Neo.DatabaseError.Transaction.TransactionCommitFailed', '50N00', 'commit failed');
    let failWrites = true;
    // A driver whose writes fail the way a Neo4j with a full disk fails them, and whose ping answers.
    const session = {
      executeWrite: async () => { if (failWrites) throw commit; return 'written'; },
      run: async () => ({ records: [] }),
      close: async () => undefined,
    };
    const driver = { session: () => session, close: async () => undefined } as unknown as import('neo4j-driver').Driver;
    const executor = Neo4jExecutor.forDriver(driver);
    await executor.ping('RETURN 1');
    await expect(executor.write(async () => 'x')).rejects.toBeInstanceOf(StorageFaultError);
    await expect(executor.ping('RETURN 1')).rejects.toBeInstanceOf(StorageFaultError);
    failWrites = false;
    await expect(executor.write(async () => 'x')).resolves.toBe('written');
    await executor.ping('RETURN 1');
  });
});
