/**
 * The response ceiling (JOURNEY_MAX_RESPONSE_BYTES): an answer growing past it ends the
 * operation with one RESPONSE_TOO_LARGE error, counted as values are resolved, so the
 * server stops building it (no field after that point runs); an answer under it is
 * untouched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { onlyError, putCommonTypes } from '../api/harness.js';
import { BACKENDS, useService } from '../support/backends.js';
import { startSecureServer, type TestServer } from './security-harness.js';

const CEILING = 1_000_000;
/** 64 KB of text: four of them per artifact, twenty artifacts, about 5 MB in all. */
const BLOB = 'x'.repeat(64 * 1024);

describe.each(BACKENDS)('the response ceiling ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('ends an answer that grows past the ceiling with one clear error instead of a partial answer', async () => {
    t = await startSecureServer(h.api, { security: { maxResponseBytes: CEILING } });
    await putCommonTypes(t);
    const artifacts = Array.from({ length: 20 }, (_, i) => ({
      type: 'DataSet', name: `big${i}`, customProperties: { a: BLOB, b: BLOB, c: BLOB, d: BLOB },
    }));
    await t.data('mutation P($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }', { a: artifacts });

    const res = await t.gql('query Q($n: Int) { artifacts(first: $n) { nodes { name customProperties events { type } } } }', { n: 100 });
    expect(onlyError(res)).toEqual({
      message: `the answer passed the response ceiling of ${CEILING} bytes and was stopped; ask for fewer items or fields (a smaller first)`,
      extensions: { code: 'RESPONSE_TOO_LARGE' },
    });
    expect(res.data).toBeNull();
    expect(res.text.length).toBeLessThan(10_000);

    // Under the ceiling, the same query answers whole.
    const small = await t.gql('query Q($n: Int) { artifacts(first: $n) { nodes { name customProperties } } }', { n: 3 });
    expect(small.errors).toBeUndefined();
    expect(small.data!.artifacts.nodes.map((n: { customProperties: { a: string } }) => n.customProperties.a.length)).toEqual([65536, 65536, 65536]);
  });

  it('keeps nothing of a mutation whose answer passes the ceiling: no data: null over a commit', async () => {
    t = await startSecureServer(h.api, { security: { maxResponseBytes: CEILING } });
    await putCommonTypes(t);
    const artifacts = Array.from({ length: 20 }, (_, i) => ({
      type: 'DataSet', name: `echo${i}`, customProperties: { a: BLOB, b: BLOB, c: BLOB, d: BLOB },
    }));
    // The answer echoes every blob back: about 5 MB against a 1 MB ceiling.
    const res = await t.gql('mutation P($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id customProperties } }', { a: artifacts });
    expect(onlyError(res)).toMatchObject({ extensions: { code: 'RESPONSE_TOO_LARGE' } });
    expect(res.data).toBeNull();
    const stored = await t.data('{ artifacts(filter: { type: "DataSet" }) { totalCount } }');
    expect(stored.artifacts.totalCount).toBe(0);
  });
});
