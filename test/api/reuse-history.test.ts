/**
 * The scenario of issue 12, item 17, over HTTP on every backend: re-recording a step by
 * (type, name) with new data must not rewrite the history a trained model depends on.
 *
 *   raw(s3://raw/v1, rows 100) ─▶ prep ─▶ clean(s3://clean/v1, rows 90) ─▶ train ─▶ model
 *
 * Step 1 recorded again with raw and clean under new URIs and row counts is ALREADY_EXISTS
 * naming the first field at fault; the model's input, now and asOf its creation, still
 * shows the original URI and row count.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { onlyError, putCommonTypes, startTestServer, type TestServer } from './harness.js';

const STEP1 = `mutation Step1($rawUri: String, $rawRows: Int, $cleanUri: String, $cleanRows: Int) {
  recordExecution(input: {
    execution: { type: "Trainer", name: "prep", lastKnownState: COMPLETE }
    inputs: [{ artifact: { type: "DataSet", name: "raw", uri: $rawUri, properties: { rows: $rawRows } } }]
    outputs: [{ artifact: { type: "DataSet", name: "clean", uri: $cleanUri, properties: { rows: $cleanRows } } }]
    contexts: [{ type: "Pipeline", name: "churn" }]
  }) { outputs { id } }
}`;

describe.each(BACKENDS)('re-recording a step does not rewrite history ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(h.api);
    await putCommonTypes(t);
  });
  afterEach(async () => { await t?.close(); });

  it('step 1 again with new URIs and row counts is ALREADY_EXISTS; the model still shows its original input', async () => {
    const v1 = { rawUri: 's3://raw/v1', rawRows: 100, cleanUri: 's3://clean/v1', cleanRows: 90 };
    const step1 = await t.data(STEP1, v1);
    h.clock.advance(1000);
    const trained = await t.data(`mutation Train($clean: ID) { recordExecution(input: {
      execution: { type: "Trainer", name: "train", lastKnownState: COMPLETE }
      inputs: [{ id: $clean }]
      outputs: [{ artifact: { type: "Model", name: "model", uri: "s3://model/1" } }]
      contexts: [{ type: "Pipeline", name: "churn" }]
    }) { outputs { id createTime } } }`, { clean: step1.recordExecution.outputs[0].id });
    const model = trained.recordExecution.outputs[0];
    h.clock.advance(1000);

    const again = onlyError(await t.gql(STEP1, { rawUri: 's3://raw/v2', rawRows: 200, cleanUri: 's3://clean/v2', cleanRows: 180 }));
    expect(again.extensions).toEqual({ code: 'ALREADY_EXISTS', field: 'input.inputs[0].artifact.uri' });
    expect(again.message).toContain('s3://raw/v1');
    expect(again.message).toMatch(/change it by id, or give the new data its own name/);
    const rowsOnly = onlyError(await t.gql(STEP1, { ...v1, cleanRows: 180 }));
    expect(rowsOnly.extensions).toEqual({ code: 'ALREADY_EXISTS', field: 'input.outputs[0].artifact.properties.rows' });

    const input = await t.data(`query M($m: ID!) { artifact(id: $m) { producedBy { inputs { artifact { uri properties producedBy { inputs { artifact { uri properties } } } } } } } }`, { m: model.id });
    expect(input.artifact.producedBy).toEqual([{ inputs: [{ artifact: {
      uri: 's3://clean/v1', properties: { rows: 90 },
      producedBy: [{ inputs: [{ artifact: { uri: 's3://raw/v1', properties: { rows: 100 } } }] }],
    } }] }]);
    const asOf = await t.data(`query L($s: [ID!]!, $at: DateTime) { lineage(start: $s, asOf: $at) { nodes { artifact { name uri properties } } } }`, { s: [model.id], at: model.createTime });
    expect(asOf.lineage.nodes.flatMap((n: any) => (n.artifact ? [n.artifact] : []))).toEqual([
      { name: 'model', uri: 's3://model/1', properties: {} },
      { name: 'clean', uri: 's3://clean/v1', properties: { rows: 90 } },
      { name: 'raw', uri: 's3://raw/v1', properties: { rows: 100 } },
    ]);
    // Re-running step 1 unchanged still works, and so does giving the new data its own names.
    expect(await t.data(STEP1, v1)).toEqual(step1);
    const renamed = await t.data(STEP1.replace('"raw"', '"raw-v2"').replace('"clean"', '"clean-v2"'), { rawUri: 's3://raw/v2', rawRows: 200, cleanUri: 's3://clean/v2', cleanRows: 180 });
    expect(renamed.recordExecution.outputs[0].id).not.toBe(step1.recordExecution.outputs[0].id);
  });
});
