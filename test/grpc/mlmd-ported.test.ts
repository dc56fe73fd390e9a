/**
 * ML Metadata's own store tests (metadata_store_test.py), re-expressed in
 * test/grpc/python/test_mlmd_store.py, run by pytest against this server's gRPC face on
 * each backend, through MetadataStoreClientConfig(host, port) as a user connects. One
 * server and one store per backend; each Python case names its types with a fresh uuid.
 *
 * By hand, against a server already running:
 *   MLMD_HOST=127.0.0.1 MLMD_PORT=8080 .venv/bin/python -m pytest -p no:cacheprovider test/grpc/python/test_mlmd_store.py
 */
import { describe, expect, it } from 'vitest';
import { createServices } from '../../src/service/services.js';
import { BACKENDS, useService } from '../support/backends.js';
import { pythonWithMlmd } from '../support/python.js';
import { startGrpcUnderTest } from './grpc-harness.js';
import { runPytest } from './pytest-runner.js';

const python = pythonWithMlmd("the ported ML Metadata store tests (test_mlmd_store.py)");

/** Fewer cases than this means the module was emptied or collection went wrong. */
const MIN_CASES = 50;

describe.skipIf(python === null).each(BACKENDS)("ML Metadata's own store tests pass against the gRPC face ($name)", (backend) => {
  const t = useService(backend);

  it(`at least ${MIN_CASES} ported metadata_store_test.py cases run, and every one passes`, async () => {
    // The system clock, not the test's fake one: MLMD's times move with every change.
    const grpc = await startGrpcUnderTest(createServices(t.store).metadata);
    try {
      const run = await runPytest(python!, 'test_mlmd_store.py', { host: '127.0.0.1', port: grpc.server.port });
      const failed = run.cases.filter((c) => c.outcome === 'failed').map((c) => `${c.name}: ${c.message ?? ''}`);
      const skipped = run.cases.filter((c) => c.outcome === 'skipped').map((c) => c.name);
      expect(failed, run.cases.length === 0 ? run.output : 'failing pytest cases').toEqual([]);
      expect(skipped, 'no ported case may be skipped').toEqual([]);
      expect(run.cases.filter((c) => c.outcome === 'passed').length).toBeGreaterThanOrEqual(MIN_CASES);
      expect(run.status).toBe(0);
    } finally {
      await grpc.server.close();
    }
  }, 600_000);
});
