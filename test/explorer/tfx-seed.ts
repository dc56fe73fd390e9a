/**
 * A TFX-shaped pipeline for the explorer's tests, written through the GraphQL API as a
 * pipeline would: ExampleGen → StatisticsGen → SchemaGen → Transform → Trainer →
 * Evaluator → Pusher, two runs of one pipeline that share the raw span and differ in the
 * Trainer's learning_rate (and so in the model and its metrics). One artifact carries a
 * hostile name, rendered as text wherever it shows.
 */
import type { TestServer } from '../api/harness.js';

export const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

export interface TfxSeed {
  pipeline: string;
  runs: [string, string];
  raw: string;
  /** Per run, the artifacts by role: examples, statistics, schema, transformGraph, transformed, model, evaluation, pushed. */
  artifacts: [Record<string, string>, Record<string, string>];
  /** Per run, the executions by component: ExampleGen, StatisticsGen, ... Pusher. */
  executions: [Record<string, string>, Record<string, string>];
  hostile: string;
}

const TYPES = /* GraphQL */ `mutation Types {
  a: putArtifactType(input: { name: "ExternalArtifact", baseType: DATASET }) { id }
  b: putArtifactType(input: { name: "Examples", baseType: DATASET, properties: [{ name: "span", type: INT }] }) { id }
  c: putArtifactType(input: { name: "ExampleStatistics", baseType: STATISTICS }) { id }
  d: putArtifactType(input: { name: "Schema" }) { id }
  e: putArtifactType(input: { name: "TransformGraph" }) { id }
  f: putArtifactType(input: { name: "Model", baseType: MODEL }) { id }
  g: putArtifactType(input: { name: "ModelEvaluation", baseType: METRICS, properties: [{ name: "accuracy", type: DOUBLE }] }) { id }
  h: putArtifactType(input: { name: "PushedModel", baseType: MODEL }) { id }
  i: putExecutionType(input: { name: "Trainer", properties: [{ name: "learning_rate", type: DOUBLE }, { name: "train_steps", type: INT }] }) { id }
  j: putExecutionType(input: { name: "ExampleGen" }) { id }
  k: putExecutionType(input: { name: "StatisticsGen" }) { id }
  l: putExecutionType(input: { name: "SchemaGen" }) { id }
  m: putExecutionType(input: { name: "Transform" }) { id }
  n: putExecutionType(input: { name: "Evaluator" }) { id }
  o: putExecutionType(input: { name: "Pusher" }) { id }
  p: putExecutionType(input: { name: "Notebook" }) { id }
  q: putContextType(input: { name: "Pipeline" }) { id }
  r: putContextType(input: { name: "PipelineRun" }) { id }
}`;

const RECORD = /* GraphQL */ `mutation Record($input: RecordExecutionInput!) {
  recordExecution(input: $input) { execution { id } outputs { id name } contexts { id name } }
}`;

interface Recorded { recordExecution: { execution: { id: string }; outputs: { id: string; name: string }[]; contexts: { id: string; name: string }[] } }

/** Writes the pipeline through `t` (open local mode or an editor key); returns the ids. */
export async function seedTfxPipeline(t: TestServer, headers: Record<string, string> = {}): Promise<TfxSeed> {
  const send = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await t.gql<T>(query, variables, headers);
    if (res.errors?.length || !res.data) throw new Error(`seed failed: ${JSON.stringify(res.errors)}`);
    return res.data;
  };
  await send(TYPES);
  const seed: { pipeline?: string; artifacts: Record<string, string>[]; executions: Record<string, string>[] } = { artifacts: [], executions: [] };
  let raw: string | null = null;
  const runs: string[] = [];
  for (const [index, rate] of [[1, 0.01], [2, 0.02]] as const) {
    const contexts = [{ type: 'Pipeline', name: 'taxi' }, { type: 'PipelineRun', name: `taxi-run-${index}` }];
    const art: Record<string, string> = {};
    const exe: Record<string, string> = {};
    const step = async (
      component: string, inputs: ({ id: string } | { artifact: Record<string, unknown> })[],
      outputs: [string, Record<string, unknown>][], properties: Record<string, unknown> = {},
    ): Promise<void> => {
      const data = await send<Recorded>(RECORD, { input: {
        execution: { type: component, name: `${component}-${index}`, lastKnownState: 'COMPLETE', properties },
        inputs, outputs: outputs.map(([, artifact]) => ({ artifact })), contexts,
      } });
      exe[component] = data.recordExecution.execution.id;
      data.recordExecution.outputs.forEach((o, i) => { art[outputs[i]![0]] = o.id; });
      seed.pipeline = data.recordExecution.contexts[0]!.id;
      if (!runs.includes(data.recordExecution.contexts[1]!.id)) runs.push(data.recordExecution.contexts[1]!.id);
    };
    await step('ExampleGen', [raw ? { id: raw } : { artifact: { type: 'ExternalArtifact', name: 'raw-span-1', uri: 'gs://taxi/raw/span-1' } }],
      [['examples', { type: 'Examples', name: `examples-${index}`, uri: `gs://taxi/run-${index}/examples`, properties: { span: 1 } }]]);
    if (!raw) {
      const found = await send<{ artifactByName: { id: string } }>('query Raw { artifactByName(type: "ExternalArtifact", name: "raw-span-1") { id } }');
      raw = found.artifactByName.id;
    }
    await step('StatisticsGen', [{ id: art.examples! }], [['statistics', { type: 'ExampleStatistics', name: `statistics-${index}` }]]);
    await step('SchemaGen', [{ id: art.statistics! }], [['schema', { type: 'Schema', name: `schema-${index}` }]]);
    await step('Transform', [{ id: art.examples! }, { id: art.schema! }], [
      ['transformGraph', { type: 'TransformGraph', name: `transform-graph-${index}` }],
      ['transformed', { type: 'Examples', name: `transformed-examples-${index}`, properties: { span: 1 } }],
    ]);
    await step('Trainer', [{ id: art.transformed! }, { id: art.transformGraph! }], [['model', { type: 'Model', name: `taxi-model-${index}`, uri: `gs://taxi/run-${index}/model` }]],
      { learning_rate: rate, train_steps: 1000 });
    await step('Evaluator', [{ id: art.model! }, { id: art.examples! }],
      [['evaluation', { type: 'ModelEvaluation', name: `evaluation-${index}`, properties: { accuracy: index === 1 ? 0.81 : 0.86 } }]]);
    await step('Pusher', [{ id: art.model! }, { id: art.evaluation! }], [['pushed', { type: 'PushedModel', name: `pushed-model-${index}` }]]);
    seed.artifacts.push(art);
    seed.executions.push(exe);
  }
  const parent = await send<{ putParentContexts: number }>('mutation Parents($l: [ParentContextInput!]!) { putParentContexts(links: $l) }', {
    l: runs.map((childId) => ({ childId, parentId: seed.pipeline })),
  });
  void parent;
  const hostile = await send<Recorded>(RECORD, { input: {
    execution: { type: 'Notebook', name: 'exploration', lastKnownState: 'COMPLETE' },
    inputs: [{ id: seed.artifacts[1]!.examples }],
    outputs: [{ artifact: { type: 'Examples', name: HOSTILE_NAME, uri: 'javascript:alert(1)', properties: { span: 1 } } }],
    contexts: [{ type: 'PipelineRun', name: 'taxi-run-2' }],
  } });
  return {
    pipeline: seed.pipeline!, runs: runs as [string, string], raw: raw!,
    artifacts: seed.artifacts as TfxSeed['artifacts'], executions: seed.executions as TfxSeed['executions'],
    hostile: hostile.recordExecution.outputs[0]!.id,
  };
}
