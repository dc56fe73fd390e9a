/**
 * Comparing runs through the service, on every backend: executions, inputs and metrics
 * of each context, aligned by type (and position) so that a table can be drawn.
 */
import { describe, expect, it } from 'vitest';
import { MAX_COMPARED_CONTEXTS } from '../../src/service/lineage/compare-contexts.js';
import { BACKENDS, useService } from '../support/backends.js';
import { expectStoreError } from '../conformance/fixtures.js';
import { lineageOf, putLineageTypes } from './lineage-fixtures.js';

describe.each(BACKENDS)('compareContexts on $name', (backend) => {
  const t = useService(backend);

  /**
   * Run r1:  train-data [train], eval-v1 [eval] -> train-1 (epochs 10, seed 1) -> model-1 -> eval-1 -> metrics-1 (0.9)
   * Run r2:  train-data [train], eval-v2 [eval] -> train-2 (epochs 20, seed 1) -> model-2 -> eval-2a -> metrics-2a (0.95)
   *                                                                                     \-> eval-2b -> metrics-2b (0.93, slice night)
   * Both runs read the same train-data; their eval sets differ. The models are written
   * inside each run, so they are not inputs of it.
   */
  async function twoRuns() {
    await putLineageTypes(t.api);
    const r1 = { type: 'Run', name: 'r1' };
    const r2 = { type: 'Run', name: 'r2' };
    const first = await t.api.recordExecution({
      execution: { type: 'Trainer', name: 'train-1', properties: { epochs: 10 }, customProperties: { seed: 1 } },
      inputs: [
        { artifact: { type: 'Dataset', name: 'train-data', uri: 's3://d/train' }, path: [{ key: 'train' }] },
        { artifact: { type: 'Dataset', name: 'eval-v1', uri: 's3://d/eval-v1' }, path: [{ key: 'eval' }] },
      ],
      outputs: [{ artifact: { type: 'Model', name: 'model-1', properties: { lr: 0.1 } } }],
      contexts: [r1],
    });
    t.clock.advance();
    await t.api.recordExecution({
      execution: { type: 'Evaluator', name: 'eval-1' },
      inputs: [{ id: first.outputs[0]!.id }],
      outputs: [{ artifact: { type: 'Metrics', name: 'metrics-1', properties: { accuracy: 0.9 } } }],
      contexts: [r1],
    });
    t.clock.advance();
    const second = await t.api.recordExecution({
      execution: { type: 'Trainer', name: 'train-2', properties: { epochs: 20 }, customProperties: { seed: 1 } },
      inputs: [
        { id: first.inputs[0]!.id, path: [{ key: 'train' }] },
        { artifact: { type: 'Dataset', name: 'eval-v2', uri: 's3://d/eval-v2' }, path: [{ key: 'eval' }] },
      ],
      outputs: [{ artifact: { type: 'Model', name: 'model-2', properties: { lr: 0.1 } } }],
      contexts: [r2],
    });
    for (const [name, metrics] of [['eval-2a', { accuracy: 0.95 }], ['eval-2b', { accuracy: 0.93 }]] as const) {
      t.clock.advance();
      await t.api.recordExecution({
        execution: { type: 'Evaluator', name },
        inputs: [{ id: second.outputs[0]!.id }],
        outputs: [{ artifact: { type: 'Metrics', name: `metrics-${name.slice(5)}`, properties: metrics, customProperties: name === 'eval-2b' ? { slice: 'night' } : {} } }],
        contexts: [r2],
      });
    }
    return { r1: first.contexts[0]!.id, r2: second.contexts[0]!.id };
  }

  const names = (list: readonly ({ name: string | null } | null)[]) => list.map((n) => n?.name ?? null);

  it('aligns executions by type and position, with their properties side by side', async () => {
    const { r1, r2 } = await twoRuns();
    const cmp = await lineageOf(t.store).compareContexts([r1, r2]);
    expect(cmp.contexts.map((c) => c.name)).toEqual(['r1', 'r2']);
    expect(cmp.executions.map((r) => ({ type: r.type.name, position: r.position, executions: names(r.executions), properties: r.properties }))).toEqual([
      { type: 'Evaluator', position: 1, executions: ['eval-1', 'eval-2a'], properties: [] },
      { type: 'Evaluator', position: 2, executions: [null, 'eval-2b'], properties: [] },
      {
        type: 'Trainer',
        position: 1,
        executions: ['train-1', 'train-2'],
        properties: [
          { name: 'epochs', custom: false, values: [10, 20], differs: true },
          { name: 'seed', custom: true, values: [1, 1], differs: false },
        ],
      },
    ]);
    expect(cmp.truncated).toBe(false);
  });

  it('lists the runs\' inputs by type and event path, marking those read from different uris', async () => {
    const { r1, r2 } = await twoRuns();
    const cmp = await lineageOf(t.store).compareContexts([r1, r2]);
    expect(cmp.inputs.map((r) => ({ type: r.type.name, path: r.path, position: r.position, artifacts: names(r.artifacts), uris: r.uris, differs: r.differs }))).toEqual([
      { type: 'Dataset', path: [{ key: 'eval' }], position: 1, artifacts: ['eval-v1', 'eval-v2'], uris: ['s3://d/eval-v1', 's3://d/eval-v2'], differs: true },
      { type: 'Dataset', path: [{ key: 'train' }], position: 1, artifacts: ['train-data', 'train-data'], uris: ['s3://d/train', 's3://d/train'], differs: false },
    ]);
    // The models are read by the evaluators but written in the same run: not inputs.
    expect(cmp.inputs.some((r) => r.type.name === 'Model')).toBe(false);
  });

  it('aligns the METRICS outputs by type, with their properties', async () => {
    const { r1, r2 } = await twoRuns();
    const cmp = await lineageOf(t.store).compareContexts([r1, r2]);
    expect(cmp.metrics.map((r) => ({ type: r.type.name, position: r.position, artifacts: names(r.artifacts), properties: r.properties }))).toEqual([
      { type: 'Metrics', position: 1, artifacts: ['metrics-1', 'metrics-2a'], properties: [{ name: 'accuracy', custom: false, values: [0.9, 0.95], differs: true }] },
      {
        type: 'Metrics',
        position: 2,
        artifacts: [null, 'metrics-2b'],
        properties: [
          { name: 'accuracy', custom: false, values: [null, 0.93], differs: true },
          { name: 'slice', custom: true, values: [null, 'night'], differs: true },
        ],
      },
    ]);
  });

  it('shows an empty context as a column of nulls', async () => {
    const { r1 } = await twoRuns();
    const [empty] = await t.api.putContexts([{ type: 'Run', name: 'r3' }]);
    const cmp = await lineageOf(t.store).compareContexts([empty!.id, r1]);
    const trainer = cmp.executions.find((r) => r.type.name === 'Trainer');
    expect(names(trainer!.executions)).toEqual([null, 'train-1']);
    expect(trainer!.properties[0]).toEqual({ name: 'epochs', custom: false, values: [null, 10], differs: true });
    expect(cmp.inputs.every((r) => r.artifacts[0] === null && r.differs)).toBe(true);
  });

  it('takes 1 to 20 distinct contexts and names the bad id', async () => {
    const { r1 } = await twoRuns();
    const lineage = lineageOf(t.store);
    const none = await expectStoreError(() => lineage.compareContexts([]), 'INVALID_ARGUMENT', 'ids');
    expect(none.message).toBe('ids must list from 1 to 20 contexts, got 0');
    const many = Array.from({ length: MAX_COMPARED_CONTEXTS + 1 }, (_, i) => `c${i}`);
    await expectStoreError(() => lineage.compareContexts(many), 'INVALID_ARGUMENT', 'ids');
    const twice = await expectStoreError(() => lineage.compareContexts([r1, r1]), 'INVALID_ARGUMENT', 'ids[1]');
    expect(twice.message).toBe(`ids[1] repeats ids[0] ("${r1}")`);
    const [artifact] = await t.api.putArtifacts([{ type: 'Dataset', name: 'not-a-context' }]);
    const wrong = await expectStoreError(() => lineage.compareContexts([r1, artifact!.id]), 'NOT_FOUND', 'ids[1]');
    expect(wrong.message).toBe(`ids[1]: no context "${artifact!.id}"`);
  });
});
