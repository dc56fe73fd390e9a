/**
 * `where` (ML Metadata's filter language) on the artifacts, executions and contexts
 * connections over HTTP: ANDed with `filter`, paged and counted like any listing, and a
 * malformed filter refused as BAD_USER_INPUT naming `where` and the column.
 *
 *   run-1 (Run) ── d0 (DataSet, LIVE, rows 100), m0 (Model, lr 0.1), train (Trainer, COMPLETE)
 *   run-2 (Run) ── d1 (DataSet, PENDING, rows 50)
 *   d2 (DataSet, LIVE, rows 300) in no context
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { onlyError, putCommonTypes, startTestServer, type TestServer } from './harness.js';

describe.each(BACKENDS)('where over HTTP ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;

  beforeEach(async () => {
    t = await startTestServer(h.api);
    await putCommonTypes(t);
    const { putArtifacts: [d0, d1, , m0] } = await t.data(`mutation { putArtifacts(artifacts: [
      { type: "DataSet", name: "d0", state: LIVE, properties: { rows: 100 } },
      { type: "DataSet", name: "d1", state: PENDING, properties: { rows: 50 } },
      { type: "DataSet", name: "d2", state: LIVE, properties: { rows: 300 } },
      { type: "Model", name: "m0", properties: { lr: 0.1 } }]) { id } }`);
    const { putContexts: [run1, run2] } = await t.data('mutation { putContexts(contexts: [{ type: "Run", name: "run-1" }, { type: "Run", name: "run-2" }]) { id } }');
    const { putExecutions: [train] } = await t.data('mutation { putExecutions(executions: [{ type: "Trainer", name: "train", lastKnownState: COMPLETE }]) { id } }');
    await t.data(`mutation L($a: [AttributionInput!]!, $s: [AssociationInput!]!) { putAttributions(links: $a) putAssociations(links: $s) }`, {
      a: [{ contextId: run1.id, artifactId: d0.id }, { contextId: run1.id, artifactId: m0.id }, { contextId: run2.id, artifactId: d1.id }],
      s: [{ contextId: run1.id, executionId: train.id }],
    });
  });
  afterEach(async () => { await t?.close(); });

  const names = async (field: 'artifacts' | 'executions' | 'contexts', where: string, extra = '') =>
    (await t.data(`query W($w: String) { ${field}(where: $w${extra}) { totalCount nodes { name } } }`, { w: where }))[field];

  it('selects artifacts, executions and contexts by ML Metadata filters, ANDed with filter, counted', async () => {
    expect(await names('artifacts', "type = 'DataSet' AND properties.rows.int_value >= 100")).toEqual({ totalCount: 2, nodes: [{ name: 'd0' }, { name: 'd2' }] });
    expect(await names('artifacts', "contexts_r.name = 'run-1'", ', filter: { type: "DataSet" }')).toEqual({ totalCount: 1, nodes: [{ name: 'd0' }] });
    expect(await names('artifacts', "name LIKE 'D%' AND state = LIVE", ', orderBy: { field: CREATE_TIME, ascending: false }, first: 1'))
      .toEqual({ totalCount: 2, nodes: [{ name: 'd2' }] });
    expect(await names('executions', "last_known_state = COMPLETE AND contexts_r.type = 'Run'")).toEqual({ totalCount: 1, nodes: [{ name: 'train' }] });
    expect(await names('contexts', "artifacts_a.type = 'Model' OR executions_e.name = 'nope'")).toEqual({ totalCount: 1, nodes: [{ name: 'run-1' }] });
  });

  it('refuses a malformed filter as BAD_USER_INPUT naming where and the column', async () => {
    const res = onlyError(await t.gql('{ artifacts(where: "name = \'d0\' AND (uri = ") { nodes { name } } }'));
    expect(res.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'where' });
    expect(res.message).toBe("where: at column 24, expected a quoted string for uri, got the end of the filter");
    const kind = onlyError(await t.gql('{ contexts(where: "state = LIVE") { nodes { name } } }'));
    expect(kind.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'where' });
    expect(kind.message).toMatch(/^where: at column 1, contexts have no attribute "state"/);
  });
});
