/**
 * Types over HTTP: putArtifactType, putExecutionType, putContextType with their evolution
 * flags, and the artifactType(s), executionType(s), contextType(s) queries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { onlyError, startTestServer, type TestServer } from './harness.js';

const TYPE_FIELDS = 'id name version description externalId baseType properties { name type }';

describe.each(BACKENDS)('types over HTTP ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => { t = await startTestServer(h.api); });
  afterEach(async () => { await t?.close(); });

  it('putArtifactType returns every field, properties sorted by name; artifactTypes and artifactType find it', async () => {
    const { putArtifactType: put } = await t.data(`mutation {
      putArtifactType(input: { name: "Model", version: "1.0", description: "a trained model", externalId: "ext-model",
        baseType: MODEL, properties: [{ name: "lr", type: DOUBLE }, { name: "config", type: STRUCT }] }) { ${TYPE_FIELDS} }
    }`);
    const expected = {
      id: put.id, name: 'Model', version: '1.0', description: 'a trained model', externalId: 'ext-model', baseType: 'MODEL',
      properties: [{ name: 'config', type: 'STRUCT' }, { name: 'lr', type: 'DOUBLE' }],
    };
    expect(put).toEqual(expected);
    const read = await t.data(`query { artifactTypes { ${TYPE_FIELDS} }
      found: artifactType(name: "Model", version: "1.0") { id }
      unversioned: artifactType(name: "Model") { id }
      otherKind: executionType(name: "Model", version: "1.0") { id } }`);
    expect(read).toEqual({ artifactTypes: [expected], found: { id: put.id }, unversioned: null, otherKind: null });
  });

  it('putExecutionType and executionTypes, ordered by name then version (unversioned first)', async () => {
    const put = await t.data(`mutation {
      b: putExecutionType(input: { name: "Trainer", version: "2", baseType: TRAIN, properties: [{ name: "epochs", type: INT }] }) { id }
      a: putExecutionType(input: { name: "Trainer" }) { id }
      c: putExecutionType(input: { name: "Evaluator", baseType: EVALUATE }) { id }
    }`);
    const { executionTypes, executionType } = await t.data(`query {
      executionTypes { id name version baseType properties { name type } }
      executionType(name: "Trainer", version: "2") { id }
    }`);
    expect(executionTypes).toEqual([
      { id: put.c.id, name: 'Evaluator', version: null, baseType: 'EVALUATE', properties: [] },
      { id: put.a.id, name: 'Trainer', version: null, baseType: null, properties: [] },
      { id: put.b.id, name: 'Trainer', version: '2', baseType: 'TRAIN', properties: [{ name: 'epochs', type: 'INT' }] },
    ]);
    expect(executionType).toEqual({ id: put.b.id });
  });

  it('putContextType and contextTypes, contextType; a context type has no baseType field', async () => {
    const { putContextType: put } = await t.data(`mutation {
      putContextType(input: { name: "Pipeline", description: "a pipeline", properties: [{ name: "owner", type: STRING }] }) {
        id name version description externalId properties { name type } }
    }`);
    expect(put).toEqual({ id: put.id, name: 'Pipeline', version: null, description: 'a pipeline', externalId: null, properties: [{ name: 'owner', type: 'STRING' }] });
    expect(await t.data('{ contextTypes { id name } contextType(name: "Pipeline") { id } missing: contextType(name: "Nope") { id } }'))
      .toEqual({ contextTypes: [{ id: put.id, name: 'Pipeline' }], contextType: { id: put.id }, missing: null });
    const noBase = onlyError(await t.gql('{ contextTypes { baseType } }'));
    expect(noBase.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(noBase.message).toContain('baseType');
  });

  it('a re-put adds properties only with canAddFields and leaves some out only with canOmitFields', async () => {
    await t.data('mutation { putArtifactType(input: { name: "DataSet", properties: [{ name: "split", type: STRING }] }) { id } }');
    const adding = 'mutation Add($add: Boolean) { putArtifactType(input: { name: "DataSet", properties: [{ name: "split", type: STRING }, { name: "rows", type: INT }] }, canAddFields: $add) { properties { name } } }';
    const refused = onlyError(await t.gql(adding, { add: false }));
    expect(refused.extensions).toEqual({ code: 'FAILED_PRECONDITION', field: 'input.properties.rows' });
    expect(refused.message).toContain('canAddFields');
    expect((await t.data(adding, { add: true })).putArtifactType.properties).toEqual([{ name: 'rows' }, { name: 'split' }]);

    const omitting = 'mutation Omit($omit: Boolean) { putArtifactType(input: { name: "DataSet", properties: [{ name: "rows", type: INT }] }, canOmitFields: $omit) { properties { name } } }';
    expect(onlyError(await t.gql(omitting)).extensions).toEqual({ code: 'FAILED_PRECONDITION', field: 'input.properties' });
    expect((await t.data(omitting, { omit: true })).putArtifactType.properties).toEqual([{ name: 'rows' }, { name: 'split' }]);
  });

  it('refuses changing a property type, naming the property', async () => {
    await t.data('mutation { putExecutionType(input: { name: "Trainer", properties: [{ name: "epochs", type: INT }] }) { id } }');
    const res = await t.gql('mutation { putExecutionType(input: { name: "Trainer", properties: [{ name: "epochs", type: STRING }] }) { id } }');
    expect(onlyError(res).extensions).toEqual({ code: 'FAILED_PRECONDITION', field: 'input.properties.epochs' });
    expect(res.data).toBeNull();
  });
});
