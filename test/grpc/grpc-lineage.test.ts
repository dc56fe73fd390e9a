/**
 * PutLineageSubgraph and GetLineageSubgraph beyond the differential against ML Metadata
 * (test/grpc/mlmd-differential.test.ts, groups lineage_subgraph and put_lineage_subgraph):
 * what PutLineageSubgraph wrote is GraphQL's lineage at once; the one difference kept on
 * purpose (an event naming an id no node has is refused, where MLMD stores it dangling);
 * and GetLineageSubgraph's answer on the wire, nodes by id alone as MLMD's server gives them.
 *
 *   run (context): data -INPUT-> train -OUTPUT-> model -INPUT-> eval -OUTPUT-> metrics
 */
import { status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { startTestServer, type TestServer } from '../api/harness.js';
import { mlmdClient, type MlmdClient } from './grpc-client.js';
import { startGrpcUnderTest, type GrpcUnderTest } from './grpc-harness.js';

describe.each(BACKENDS)('lineage subgraphs over gRPC ($name)', (backend) => {
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

  /** The run above in one PutLineageSubgraph; its answer's ids. */
  async function putRun(): Promise<{ execution_ids: string[]; artifact_ids: string[]; context_ids: string[] }> {
    const d = (await client.call('PutArtifactType', { artifact_type: { name: 'D' } })).ok!.type_id;
    const t = (await client.call('PutExecutionType', { execution_type: { name: 'T' } })).ok!.type_id;
    const r = (await client.call('PutContextType', { context_type: { name: 'R' } })).ok!.type_id;
    const put = await client.call('PutLineageSubgraph', {
      executions: [{ type_id: t, name: 'train' }, { type_id: t, name: 'eval' }],
      artifacts: ['data', 'model', 'metrics'].map((uri) => ({ type_id: d, uri, name: uri })),
      contexts: [{ type_id: r, name: 'run' }],
      event_edges: [
        { execution_index: 0, artifact_index: 0, event: { type: 'INPUT' } },
        { execution_index: 0, artifact_index: 1, event: { type: 'OUTPUT', path: { steps: [{ key: 'model' }] } } },
        { execution_index: 1, artifact_index: 1, event: { type: 'INPUT' } },
        { execution_index: 1, artifact_index: 2, event: { type: 'OUTPUT' } },
      ],
    });
    expect(put.code).toBeUndefined();
    return put.ok as never;
  }

  it('what PutLineageSubgraph wrote is GraphQL lineage, with its context and event path', async () => {
    const ids = await putRun();
    const [data, model] = await h.api.getNodesByMlmdId('ARTIFACT', [Number(ids.artifact_ids[0]), Number(ids.artifact_ids[1])]);
    const out = await http.data(`query($start: [ID!]!, $model: ID!) {
      lineage(start: $start, direction: DOWNSTREAM, maxHops: 10) {
        nodes { distance artifact { name mlmdId contexts { name } } execution { name mlmdId contexts { name } } }
        edges { type }
      }
      artifact(id: $model) { events { type path { key } } }
    }`, { start: [data!.id], model: model!.id });
    const nodes = out.lineage.nodes.map((n: any) => {
      const node = n.artifact ?? n.execution;
      return [n.distance, node.name, String(node.mlmdId), node.contexts.map((c: any) => c.name)];
    });
    expect(nodes).toEqual([
      [0, 'data', ids.artifact_ids[0], ['run']],
      [1, 'train', ids.execution_ids[0], ['run']],
      [2, 'model', ids.artifact_ids[1], ['run']],
      [3, 'eval', ids.execution_ids[1], ['run']],
      [4, 'metrics', ids.artifact_ids[2], ['run']],
    ]);
    expect(out.lineage.edges.map((e: any) => e.type).sort()).toEqual(['INPUT', 'INPUT', 'OUTPUT', 'OUTPUT']);
    expect(out.artifact.events.map((e: any) => [e.type, e.path.map((s: any) => s.key)]).sort()).toEqual([['INPUT', []], ['OUTPUT', ['model']]]);
  });

  it('refuses an event naming an id no node has, naming the field, and writes nothing', async () => {
    const ids = await putRun();
    const refused = await client.call('PutLineageSubgraph', {
      executions: [{ id: ids.execution_ids[0] }],
      event_edges: [{ execution_index: 0, event: { type: 'INPUT', artifact_id: 987654 } }],
      contexts: [{ type_id: ((await client.call('GetContextType', { type_name: 'R' })).ok!.context_type as { id: string }).id, name: 'another run' }],
    });
    expect(refused).toEqual({ code: status.INVALID_ARGUMENT, details: 'event_edges[0].event.artifact_id: no artifact has id 987654' });
    expect((await client.call('GetContexts', {})).ok!.contexts as unknown[]).toHaveLength(1);
  });

  it('GetLineageSubgraph answers nodes by id alone, events whole, and 100 hops when asked for more', async () => {
    const ids = await putRun();
    const got = await client.call('GetLineageSubgraph', {
      lineage_subgraph_query_options: { starting_artifacts: { filter_query: 'uri = "metrics"' }, max_num_hops: 1000, direction: 'UPSTREAM' },
      read_mask: { paths: ['artifacts', 'executions', 'contexts', 'events'] },
    });
    const g = got.ok!.lineage_subgraph as any;
    const sortedIds = (list: { id: string }[]) => list.map((n) => n.id).sort();
    expect(g.artifacts.every((n: object) => Object.keys(n).join() === 'id')).toBe(true);
    expect(sortedIds(g.artifacts)).toEqual([...ids.artifact_ids].sort());
    expect(sortedIds(g.executions)).toEqual([...ids.execution_ids].sort());
    expect(sortedIds(g.contexts)).toEqual(ids.context_ids);
    expect(g.events).toHaveLength(4);
    // Not in the read mask: an empty list, which the wire leaves out.
    expect(g.artifact_types).toBeUndefined();
  });
});
