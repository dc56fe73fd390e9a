/**
 * TFX-shaped pipelines over many runs: ExampleGen -> StatisticsGen -> SchemaGen ->
 * ExampleValidator -> Transform -> Trainer -> Evaluator -> Pusher.
 *
 * What makes lineage hard in real deployments is reproduced on purpose:
 * - raw data spans are shared by several runs and by a family of pipelines;
 * - SchemaGen runs only every `schemaEvery` runs, later runs re-use its schema;
 * - the Trainer warm-starts from the previous run's model and trains on a rolling window
 *   of the last `window` runs' transformed examples, so upstream chains get long and wide;
 * - the Evaluator compares with the previous model (the baseline);
 * - the Trainer also reads the latest models of `teachers` other pipelines of its family
 *   (distillation, shared embeddings), so lineage crosses pipelines.
 * Runs of different pipelines interleave, as they do on a shared orchestrator. Each run
 * is a `pipeline_run` context, a child of its `pipeline` context.
 */
import { GraphBuilder, type BenchGraph } from './bench-graph.js';

export interface TfxParams {
  pipelines: number;
  runsPerPipeline: number;
  /** Pipelines per family; a family reads the same raw data. */
  familySize: number;
  /** A new raw data span every this many runs. */
  spanEvery: number;
  schemaEvery: number;
  /** How many recent runs' transformed examples the Trainer reads. */
  window: number;
  /** How many other pipelines of the family the Trainer takes a model from. */
  teachers: number;
}

/** Nodes one run adds, on average, with the default knobs: for sizing. */
export const TFX_NODES_PER_RUN = 18.2;

interface PipelineState {
  context: number;
  schema: number;
  model: number;
  transformed: number[];
}

/** Generates the pipelines' runs; deterministic (it draws no random numbers: its shape is its knobs). */
export function generateTfxPipelines(p: TfxParams, seed: number): BenchGraph {
  const b = new GraphBuilder('tfx', seed, { ...p });
  const spans = new Map<string, number>();
  const state: PipelineState[] = Array.from({ length: p.pipelines }, () => ({
    context: b.context('pipeline'), schema: -1, model: -1, transformed: [],
  }));

  for (let run = 0; run < p.runsPerPipeline; run++) {
    state.forEach((s, pipeline) => {
      const ctx = [b.context('pipeline_run', s.context)];
      const spanKey = `${Math.floor(pipeline / p.familySize)}:${Math.floor(run / p.spanEvery)}`;
      let raw = spans.get(spanKey);
      if (raw === undefined) { raw = b.source('RawDataSpan'); spans.set(spanKey, raw); }

      const [examples] = b.step('ExampleGen', [raw], ['Examples'], ctx) as [number];
      const [stats] = b.step('StatisticsGen', [examples], ['ExampleStatistics'], ctx) as [number];
      if (s.schema < 0 || run % p.schemaEvery === 0) {
        [s.schema] = b.step('SchemaGen', [stats], ['Schema'], ctx) as [number];
      }
      b.step('ExampleValidator', [stats, s.schema], ['ExampleAnomalies'], ctx);
      const [graph, transformed] = b.step('Transform', [examples, s.schema], ['TransformGraph', 'Examples'], ctx) as [number, number];
      s.transformed.push(transformed);
      if (s.transformed.length > p.window) s.transformed.shift();
      const family = Math.floor(pipeline / p.familySize) * p.familySize;
      const members = Math.min(p.familySize, p.pipelines - family);
      const teacherModels = Array.from({ length: Math.min(p.teachers, members - 1) }, (_, t) => state[family + ((pipeline - family + t + 1) % members)]!.model)
        .filter((m) => m >= 0);
      const trainerInputs = [...s.transformed, graph, s.schema, ...(s.model >= 0 ? [s.model] : []), ...teacherModels];
      const [model] = b.step('Trainer', trainerInputs, ['Model', 'ModelRun'], ctx) as [number];
      const evaluatorInputs = [examples, model, ...(s.model >= 0 ? [s.model] : [])];
      const [, blessing] = b.step('Evaluator', evaluatorInputs, ['ModelEvaluation', 'ModelBlessing'], ctx) as [number, number];
      b.step('Pusher', [model, blessing], ['PushedModel'], ctx);
      s.model = model;
    });
  }
  return b.build();
}
