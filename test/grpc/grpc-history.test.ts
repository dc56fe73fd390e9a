/**
 * ML Metadata's Put* calls with an id (ML Metadata's replace by id) keep the record they
 * replace, as GraphQL's updates do: over the gRPC face on every backend, an artifact, an
 * execution and a context each updated by id have their earlier record in `history` and
 * answer `node(id, asOf:)` with it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { startTestServer, type TestServer } from '../api/harness.js';
import { mlmdClient, type MlmdClient } from './grpc-client.js';
import { startGrpcUnderTest, type GrpcUnderTest } from './grpc-harness.js';

const T1 = CLOCK_START + 1000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe.each(BACKENDS)('history of nodes over gRPC ($name)', (backend) => {
  const h = useService(backend);
  let grpc: GrpcUnderTest;
  let client: MlmdClient;
  let http: TestServer;
  beforeEach(async () => {
    grpc = await startGrpcUnderTest(h.api);
    // A first write on a cold Neo4j compiles its statements: seconds on a busy machine.
    client = mlmdClient(`127.0.0.1:${grpc.server.port}`, 90_000);
    http = await startTestServer(h.api);
  });
  afterEach(async () => {
    client?.close();
    await grpc?.server.close();
    await http?.close();
  });

  it('PutArtifacts, PutExecutions and PutContexts with an id keep the record they replace', async () => {
    const d = (await client.call('PutArtifactType', { artifact_type: { name: 'D' } })).ok!.type_id;
    const t = (await client.call('PutExecutionType', { execution_type: { name: 'T' } })).ok!.type_id;
    const r = (await client.call('PutContextType', { context_type: { name: 'R' } })).ok!.type_id;
    const [a] = (await client.call('PutArtifacts', { artifacts: [{ type_id: d, uri: 's3://d/v1', custom_properties: { rows: { int_value: '90' } } }] })).ok!.artifact_ids as string[];
    const [x] = (await client.call('PutExecutions', { executions: [{ type_id: t, last_known_state: 'RUNNING' }] })).ok!.execution_ids as string[];
    const [c] = (await client.call('PutContexts', { contexts: [{ type_id: r, name: 'run-1' }] })).ok!.context_ids as string[];
    h.clock.set(T1);
    // ML Metadata replaces the record by id: a custom property the request leaves out is removed.
    expect((await client.call('PutArtifacts', { artifacts: [{ id: a, type_id: d, uri: 's3://d/v2' }] })).code).toBeUndefined();
    expect((await client.call('PutExecutions', { executions: [{ id: x, type_id: t, last_known_state: 'COMPLETE' }] })).code).toBeUndefined();
    expect((await client.call('PutContexts', { contexts: [{ id: c, type_id: r, name: 'run-1', custom_properties: { note: { string_value: 'rerun' } } }] })).code).toBeUndefined();

    const [artifact] = await h.api.getNodesByMlmdId('ARTIFACT', [Number(a)]);
    const [execution] = await h.api.getNodesByMlmdId('EXECUTION', [Number(x)]);
    const [context] = await h.api.getNodesByMlmdId('CONTEXT', [Number(c)]);
    const out = await http.data(`query Q($a: ID!, $x: ID!, $c: ID!, $before: DateTime) {
      artifact(id: $a) { uri customProperties history { validFrom validTo artifact { uri customProperties } } }
      execution(id: $x) { history { validTo execution { lastKnownState } } }
      context(id: $c) { history { validTo context { customProperties } } }
      aThen: node(id: $a, asOf: $before) { ... on Artifact { uri customProperties } }
      xThen: node(id: $x, asOf: $before) { ... on Execution { lastKnownState } }
    }`, { a: artifact!.id, x: execution!.id, c: context!.id, before: iso(T1 - 1) });
    expect(out).toEqual({
      artifact: {
        uri: 's3://d/v2', customProperties: {},
        history: [
          { validFrom: iso(CLOCK_START), validTo: iso(T1), artifact: { uri: 's3://d/v1', customProperties: { rows: 90 } } },
          { validFrom: iso(T1), validTo: null, artifact: { uri: 's3://d/v2', customProperties: {} } },
        ],
      },
      execution: { history: [{ validTo: iso(T1), execution: { lastKnownState: 'RUNNING' } }, { validTo: null, execution: { lastKnownState: 'COMPLETE' } }] },
      context: { history: [{ validTo: iso(T1), context: { customProperties: {} } }, { validTo: null, context: { customProperties: { note: 'rerun' } } }] },
      aThen: { uri: 's3://d/v1', customProperties: { rows: 90 } },
      xThen: { lastKnownState: 'RUNNING' },
    });
  }, 120_000);
});
