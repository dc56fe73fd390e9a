/**
 * The "done when" of ML Metadata's drop-in: test/grpc/python/tfx_style_pipeline.py, a run
 * recorded the way TFX records one and written only against `ml_metadata`, runs unchanged
 * against this server's gRPC face (its connection is README.md's three lines, pointed here
 * by MLMD_HOST and MLMD_PORT), and its lineage then shows in GraphQL over the same store.
 */
import { describe, expect, it } from 'vitest';
import { createServices } from '../../src/service/services.js';
import { startTestServer } from '../api/harness.js';
import { BACKENDS, useService } from '../support/backends.js';
import { pythonWithMlmd } from '../support/python.js';
import { runPython, startGrpcUnderTest } from './grpc-harness.js';

const python = pythonWithMlmd('the TFX-style pipeline script against the gRPC face');

/** What the script prints: the ML Metadata ids it got and what it read back. */
interface Recorded {
  model_id: number; examples_id: number; trainer_id: number; example_gen_id: number;
  run_artifacts: string[]; run_executions: string[];
  model: { name: string; uri: string };
  model_made_by: { name: string; train_steps: number };
  trainer_read: string[];
}

interface LineageAnswer {
  artifact: {
    name: string;
    upstream: {
      nodes: { id: string; distance: number; kind: string; artifact: { name: string; type: { name: string } } | null; execution: { name: string; type: { name: string } } | null }[];
      edges: { source: string; target: string; type: string }[];
    };
  };
}

const RUN = 'chicago_taxi.2024-05-01T10:00:00';

describe.skipIf(python === null).each(BACKENDS)('a TFX-style script against the gRPC face ($name)', (backend) => {
  const t = useService(backend);

  it("runs unchanged, and GraphQL then walks its model's lineage back to the examples", async () => {
    const api = createServices(t.store).metadata;
    const grpc = await startGrpcUnderTest(api);
    let recorded: Recorded;
    try {
      recorded = await runPython<Recorded>(python!, 'tfx_style_pipeline.py', [], { MLMD_HOST: '127.0.0.1', MLMD_PORT: String(grpc.server.port) });
    } finally {
      await grpc.server.close();
    }
    // What the script read back through the MLMD client.
    expect(recorded).toMatchObject({
      run_artifacts: [`${RUN}.CsvExampleGen.examples`, `${RUN}.Trainer.model`],
      run_executions: [`${RUN}.CsvExampleGen`, `${RUN}.Trainer`],
      model: { name: `${RUN}.Trainer.model`, uri: 'gs://taxi/pipeline/Trainer/model/2' },
      model_made_by: { name: `${RUN}.Trainer`, train_steps: 10000 },
      trainer_read: [`${RUN}.CsvExampleGen.examples`],
    });

    const graphql = await startTestServer(api);
    try {
      const answer = await graphql.data<LineageAnswer>(`query ($model: MlmdId!) {
        artifact(mlmdId: $model) {
          name
          upstream(maxHops: 10) {
            nodes { id distance kind artifact { name type { name } } execution { name type { name } } }
            edges { source target type }
          }
        }
      }`, { model: recorded.model_id });
      const { nodes, edges } = answer.artifact.upstream;
      // examples --INPUT--> Trainer --OUTPUT--> model, and CsvExampleGen --OUTPUT--> examples before it.
      expect(nodes.map((n) => ({ distance: n.distance, kind: n.kind, name: (n.artifact ?? n.execution)!.name, type: (n.artifact ?? n.execution)!.type.name }))).toEqual([
        { distance: 0, kind: 'ARTIFACT', name: `${RUN}.Trainer.model`, type: 'Model' },
        { distance: 1, kind: 'EXECUTION', name: `${RUN}.Trainer`, type: 'Trainer' },
        { distance: 2, kind: 'ARTIFACT', name: `${RUN}.CsvExampleGen.examples`, type: 'Examples' },
        { distance: 3, kind: 'EXECUTION', name: `${RUN}.CsvExampleGen`, type: 'CsvExampleGen' },
      ]);
      const nameOf = new Map(nodes.map((n) => [n.id, (n.artifact ?? n.execution)!.name]));
      expect(edges.map((e) => [nameOf.get(e.source), e.type, nameOf.get(e.target)]).sort()).toEqual([
        [`${RUN}.CsvExampleGen`, 'OUTPUT', `${RUN}.CsvExampleGen.examples`],
        [`${RUN}.CsvExampleGen.examples`, 'INPUT', `${RUN}.Trainer`],
        [`${RUN}.Trainer`, 'OUTPUT', `${RUN}.Trainer.model`],
      ]);
    } finally {
      await graphql.close();
    }
  }, 120_000);
});
