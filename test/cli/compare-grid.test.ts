/**
 * `journey compare`'s table (src/cli/compare/compare-grid.ts): one column per run in the
 * order asked, a row per step with its parameters under it, then the inputs, then the
 * metrics with their values; rows that differ are marked. Drawn from this comparison:
 *
 *   run-1: Trainer "train-1" (learning_rate 0.01), reads gs://raw/1, metrics eval-1 (accuracy 0.8)
 *   run-2: Trainer "train-2" (learning_rate 0.02), a second Trainer, reads gs://raw/1, no metrics
 */
import { describe, expect, it } from 'vitest';
import { compareGrid, pathText, valueText, type GridComparison } from '../../src/cli/compare/compare-grid.js';

const COMPARISON: GridComparison = {
  truncated: false,
  contexts: [{ id: 'r1', name: 'run-1', type: { name: 'PipelineRun' } }, { id: 'r2', name: 'run-2', type: { name: 'PipelineRun' } }],
  executions: [
    { type: { name: 'Trainer', version: null }, position: 1,
      executions: [{ id: 't1', name: 'train-1', lastKnownState: 'COMPLETE' }, { id: 't2', name: 'train-2', lastKnownState: 'FAILED' }],
      properties: [
        { name: 'learning_rate', custom: false, values: [0.01, 0.02], differs: true },
        { name: 'steps', custom: true, values: [1000, 1000], differs: false },
      ] },
    { type: { name: 'Trainer', version: '2' }, position: 2,
      executions: [null, { id: 't3', name: null, lastKnownState: 'COMPLETE' }], properties: [{ name: 'opts', custom: true, values: [null, { a: [1] }], differs: true }] },
  ],
  inputs: [{ type: { name: 'Examples' }, path: [{ key: 'examples', index: null }, { index: 0, key: null }], position: 1,
    artifacts: [{ id: 'a1', name: 'raw' }, { id: 'a1', name: 'raw' }], uris: ['gs://raw/1', 'gs://raw/1'], differs: false }],
  metrics: [{ type: { name: 'ModelEvaluation' }, position: 1, artifacts: [{ id: 'm1', name: 'eval-1' }, null],
    properties: [{ name: 'accuracy', custom: false, values: [0.8, null], differs: true }] }],
};

describe('the compare table', () => {
  it('puts the runs in columns and steps, parameters, inputs and metrics in rows, marking those that differ', () => {
    const grid = compareGrid(COMPARISON);
    expect(grid.columns).toEqual(['PipelineRun/run-1', 'PipelineRun/run-2']);
    expect(grid.rows.map((r) => [r.label, ...r.cells, r.differs ? 'differs' : 'same'])).toEqual([
      ['Trainer', 'train-1 COMPLETE', 'train-2 FAILED', 'same'],
      ['  learning_rate', '0.01', '0.02', 'differs'],
      ['  steps (custom)', '1000', '1000', 'same'],
      ['Trainer (2) #2', 'none', '#t3 COMPLETE', 'differs'],
      ['  opts (custom)', '—', '{"a":[1]}', 'differs'],
      ['input Examples at examples[0]', 'gs://raw/1', 'gs://raw/1', 'same'],
      ['metrics ModelEvaluation', 'eval-1', 'none', 'differs'],
      ['  accuracy', '0.8', '—', 'differs'],
    ]);
    expect(grid.rows.filter((r) => r.heading).map((r) => r.label)).toEqual(['Trainer', 'Trainer (2) #2', 'input Examples at examples[0]', 'metrics ModelEvaluation']);
  });

  it('writes values as text: strings as they are, absence as —, the rest as compact JSON', () => {
    expect([valueText('x'), valueText(null), valueText(undefined), valueText(false), valueText(-1.5), valueText([1, 'a'])]).toEqual(['x', '—', '—', 'false', '-1.5', '[1,"a"]']);
    expect(pathText([])).toBe('');
    expect(pathText([{ index: 2 }, { key: 'k' }])).toBe('[2].k');
  });

  it('gives an empty grid for runs with nothing recorded', () => {
    expect(compareGrid({ ...COMPARISON, executions: [], inputs: [], metrics: [] })).toEqual({ columns: ['PipelineRun/run-1', 'PipelineRun/run-2'], rows: [] });
  });
});
