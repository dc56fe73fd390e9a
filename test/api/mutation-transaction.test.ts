/**
 * One mutation operation is one transaction (issue 12, item 6), over HTTP on every
 * backend: when any field of the operation fails (a refused input, a FORBIDDEN field, a
 * nested field's TIMEOUT), nothing the operation wrote is kept and the answer is
 * `data: null` with the errors; when every field succeeds, a later field and every nested
 * field see the earlier fields' writes; concurrent operations racing for one name all
 * succeed and agree on one node.
 */
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { DeadlineExceededError } from '../../src/graph/errors.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { createPersonalDataService, type PersonalDataApi } from '../../src/service/privacy/personal-data-service.js';
import { testSubjectKey } from '../privacy/fixtures.js';
import { bearer, codesOf, makeKey, startSecureServer, useServiceWithKeys } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';
import { failingStore, type GqlResponse, type TestServer } from './harness.js';

/** Everything an operation could have left behind, as the admin sees it. */
const EVERYTHING = `{
  artifactTypes { name } executionTypes { name } contextTypes { name }
  artifacts { totalCount nodes { name } } executions { totalCount } contexts { totalCount nodes { name } }
  apiKeys { name }
}`;

const TYPES = `mutation Types {
  dataSet: putArtifactType(input: { name: "DataSet", baseType: DATASET }) { id }
  patients: putArtifactType(input: { name: "Patients", baseType: DATASET, personalData: { categories: ["contact"] } }) { id }
  trainer: putExecutionType(input: { name: "Trainer", baseType: TRAIN }) { id }
  pipeline: putContextType(input: { name: "Pipeline" }) { id }
}`;

describe.each(BACKENDS)('one mutation operation, one transaction ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  let t: TestServer;
  let privacy: PersonalDataApi;
  let admin: Record<string, string>;
  let editor: Record<string, string>;

  beforeEach(async () => {
    privacy = createPersonalDataService(h.store, { subjectKey: testSubjectKey() });
    admin = bearer(await makeKey(h.store, 'admin'));
    editor = bearer(await makeKey(h.store, 'editor'));
    t = await startSecureServer(h.api, { privacy });
  });
  afterEach(async () => { await t?.close(); });

  const asAdmin = (query: string, variables?: Record<string, unknown>): Promise<GqlResponse> => t.gql(query, variables, admin);
  async function everything(): Promise<Record<string, any>> {
    const res = await asAdmin(EVERYTHING);
    expect(res.errors).toBeUndefined();
    return res.data!;
  }
  const NOTHING = {
    artifactTypes: [], executionTypes: [], contextTypes: [],
    artifacts: { totalCount: 0, nodes: [] }, executions: { totalCount: 0 }, contexts: { totalCount: 0, nodes: [] },
    apiKeys: [{ name: 'admin key' }, { name: 'editor key' }],
  };

  it('keeps nothing of a: ok, b: ok, c: refused, and answers data null with c\'s error', async () => {
    const res = await asAdmin(`mutation ABC($c: ArtifactTypeInput!) {
      a: putArtifactType(input: { name: "A" }) { id }
      b: putArtifactType(input: { name: "B" }) { id }
      c: putArtifactType(input: $c) { id }
    }`, { c: { name: 'C', properties: [{ name: 'x', type: 'INT' }, { name: 'x', type: 'STRING' }] } });
    expect(res.data).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['c'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(await everything()).toEqual(NOTHING);
  });

  it('keeps nothing of the fields after a refused first field either', async () => {
    const res = await asAdmin(`mutation First($bad: String!) {
      c: putContextType(input: { name: $bad }) { id }
      a: putArtifactType(input: { name: "A" }) { id }
      x: putExecutionType(input: { name: "X" }) { id }
    }`, { bad: '' });
    expect(res.data).toBeNull();
    expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.path).toEqual(['c']);
    expect(await everything()).toEqual(NOTHING);
  });

  it('keeps nothing of a recordExecution followed by a refused field', async () => {
    await asAdmin(TYPES);
    const before = await everything();
    const res = await asAdmin(`mutation Run($input: RecordExecutionInput!) {
      run: recordExecution(input: $input) { execution { id } outputs { id } contexts { id } }
      bad: putArtifacts(artifacts: [{ type: "Nope", name: "x" }]) { id }
    }`, {
      input: {
        execution: { type: 'Trainer', name: 'train' },
        inputs: [{ artifact: { type: 'DataSet', name: 'raw' } }],
        outputs: [{ artifact: { type: 'DataSet', name: 'clean' } }],
        contexts: [{ type: 'Pipeline', name: 'nightly' }],
      },
    });
    expect(res.data).toBeNull();
    expect(codesOf(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0]!.path).toEqual(['bad']);
    expect(await everything()).toEqual(before);
    expect(before.artifacts.totalCount).toBe(0);
  });

  it('keeps nothing when a later root field is FORBIDDEN to the caller', async () => {
    const res = await t.gql(`mutation Sneak {
      a: putArtifactType(input: { name: "A" }) { id }
      key: createApiKey(input: { name: "mine", role: ADMIN }) { token }
    }`, undefined, editor);
    expect(res.data).toBeNull();
    expect(codesOf(res)).toEqual(['FORBIDDEN']);
    expect(await everything()).toEqual(NOTHING);
  });

  it('keeps nothing when a nested field of a written node is FORBIDDEN', async () => {
    await asAdmin(TYPES);
    const res = await t.gql(`mutation Peek {
      putArtifacts(artifacts: [{ type: "Patients", name: "people" }]) { id personalData { categories } }
    }`, undefined, editor);
    expect(res.data).toBeNull();
    expect(codesOf(res)).toEqual(['FORBIDDEN']);
    expect((await everything()).artifacts.totalCount).toBe(0);
  });

  it('keeps nothing when a nested field runs out of time', async () => {
    await asAdmin(TYPES);
    const slow = createMetadataService(failingStore(h.store, { lineageReach: () => new DeadlineExceededError('the lineage walk ran past its time budget') }));
    const s = await startSecureServer(slow, { privacy });
    try {
      const res = await s.gql(`mutation Walk {
        a: putArtifacts(artifacts: [{ type: "DataSet", name: "one" }]) { id }
        b: putArtifacts(artifacts: [{ type: "DataSet", name: "two" }]) { id upstream { truncated } }
      }`, undefined, admin);
      expect(res.data).toBeNull();
      expect(codesOf(res)).toEqual(['TIMEOUT']);
      expect(res.errors![0]!.path).toEqual(['b', 0, 'upstream']);
    } finally {
      await s.close();
    }
    expect((await everything()).artifacts.totalCount).toBe(0);
  });

  it('keeps no key, registration or audit entry of a privacy or key mutation followed by a refused field', async () => {
    await asAdmin(TYPES);
    const { data } = await asAdmin('mutation { putArtifacts(artifacts: [{ type: "Patients", name: "people" }]) { id } }');
    const people = data!.putArtifacts[0].id as string;
    const audited = (await asAdmin('{ auditLog(first: 1000) { nodes { operation } } }')).data!.auditLog.nodes.length as number;
    const res = await asAdmin(`mutation Mixed($people: ID!, $subjects: [String!]!) {
      reg: registerDataSubjects(artifactId: $people, subjectIds: $subjects)
      erase: requestErasure(subjectId: "alice@example.com") { id }
      key: createApiKey(input: { name: "pipeline", role: EDITOR }) { token }
      bad: putArtifacts(artifacts: [{ type: "DataSet", name: "x", properties: { nope: 1 } }]) { id }
    }`, { people, subjects: ['alice@example.com', 'bob@example.com'] });
    expect(res.data).toBeNull();
    expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.text).not.toContain('token');
    const after = await asAdmin('{ apiKeys { name } dataSubjectLineage(subjectId: "alice@example.com") { found } }');
    expect(after.data).toEqual({ apiKeys: NOTHING.apiKeys, dataSubjectLineage: { found: false } });
    // Since the count: that count's own entry, then the lineage query's; none of the mutation's.
    const log = await asAdmin('{ auditLog(first: 1000) { nodes { operation } } }');
    const operations = (log.data!.auditLog.nodes as { operation: string }[]).slice(audited).map((n) => n.operation);
    expect(operations).toEqual(['auditLog', 'dataSubjectLineage']);
  });

  it('lets every field, root and nested, see the writes of the fields before it', async () => {
    const res = await asAdmin(`mutation Build {
      type: putArtifactType(input: { name: "DataSet", baseType: DATASET }) { id }
      step: putExecutionType(input: { name: "Trainer" }) { id }
      run: recordExecution(input: {
        execution: { type: "Trainer", name: "train" }
        inputs: [{ artifact: { type: "DataSet", name: "raw" } }]
        outputs: [{ artifact: { type: "DataSet", name: "clean" } }]
      }) { outputs { name type { name } upstream { nodes { distance artifact { name } } } } }
      again: putArtifacts(artifacts: [{ type: "DataSet", name: "raw" }]) { name type { name } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.run.outputs).toEqual([{
      name: 'clean', type: { name: 'DataSet' },
      upstream: { nodes: [{ distance: 0, artifact: { name: 'clean' } }, { distance: 1, artifact: null }, { distance: 2, artifact: { name: 'raw' } }] },
    }]);
    expect(res.data!.again).toEqual([{ name: 'raw', type: { name: 'DataSet' } }]);
    expect((await everything()).artifacts.totalCount).toBe(2);
  });

  it('lets concurrent mutation operations racing for one new name all succeed on one node', async () => {
    await asAdmin(TYPES);
    const OPERATIONS = 8;
    const results = await Promise.all(Array.from({ length: OPERATIONS }, (_, i) => asAdmin(`mutation Race($i: String!, $run: RecordExecutionInput!) {
      ctx: putContexts(contexts: [{ type: "Pipeline", name: "shared" }]) { id }
      run: recordExecution(input: $run) { contexts { id } }
      mine: putArtifacts(artifacts: [{ type: "DataSet", name: $i }]) { id }
    }`, {
      i: `own-${i}`,
      run: { execution: { type: 'Trainer', name: `run-${i}` }, inputs: [{ artifact: { type: 'DataSet', name: 'shared-input' } }], contexts: [{ type: 'Pipeline', name: 'shared' }] },
    })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const contextIds = new Set(results.flatMap((r) => [r.data!.ctx[0].id, r.data!.run.contexts[0].id]));
    expect(contextIds.size).toBe(1);
    const all = await everything();
    expect(all.contexts).toEqual({ totalCount: 1, nodes: [{ name: 'shared' }] });
    expect(all.executions.totalCount).toBe(OPERATIONS);
    expect(all.artifacts.totalCount).toBe(OPERATIONS + 1);
  });

  it('leaves queries as they were: a failing field does not blank the others', async () => {
    await asAdmin(TYPES);
    const res = await asAdmin('query Q { artifactTypes { name } artifact(id: "") { id } }');
    expect(res.data?.artifactTypes).toHaveLength(2);
    expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
  });
});
