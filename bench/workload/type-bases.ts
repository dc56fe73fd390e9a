/**
 * The base type (ML Metadata's SystemDefinedBaseType) of each generated type name, given
 * to both ML Metadata and our backends, so impact analysis finds the same models in both.
 */
const ARTIFACT_BASES: Record<string, string> = {
  RawDataSpan: 'DATASET', Examples: 'DATASET', Dataset: 'DATASET', Features: 'DATASET', Rung: 'DATASET', Half: 'DATASET',
  ExampleStatistics: 'STATISTICS',
  Model: 'MODEL', PushedModel: 'MODEL',
  ModelEvaluation: 'METRICS', Report: 'METRICS',
};

const EXECUTION_BASES: Record<string, string> = {
  Trainer: 'TRAIN', Train: 'TRAIN',
  Transform: 'TRANSFORM', Process: 'TRANSFORM',
  Evaluator: 'EVALUATE', Evaluate: 'EVALUATE', ExampleValidator: 'EVALUATE',
  Pusher: 'DEPLOY',
};

/** The base type of a generated artifact type, or null. */
export const artifactBaseType = (name: string): string | null => ARTIFACT_BASES[name] ?? null;
/** The base type of a generated execution type: PROCESS unless it is one of the named kinds. */
export const executionBaseType = (name: string): string => EXECUTION_BASES[name] ?? 'PROCESS';
