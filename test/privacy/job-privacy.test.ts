/**
 * Issue 15: a privacy transform set on a context (a job's setting, since OpenLineage runs
 * carry none) is what its executions that set none do; an execution's own transform wins.
 * The statuses kept at write time follow every way the inherited transform can change:
 * the job's setting changed or removed, an existing run joined to the job, the job
 * deleted. Setting it is audited as Context.privacy and a weakening one needs the admin
 * role. Over HTTP, on both backends.
 *
 *   Raw (Patients: contact, alice) ──clean (in job etl/clean)──▶ Clean ──train──▶ Model
 */
import { describe, expect, it } from 'vitest';
import { createPersonalDataService } from '../../src/service/privacy/personal-data-service.js';
import { onlyError, type GqlResponse } from '../api/harness.js';
import { bearer, makeKey, startSecureServer, useServiceWithKeys, type TestServer } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';
import { testSubjectKey } from './fixtures.js';

interface Pipeline {
  t: TestServer;
  as(role: 'editor' | 'admin'): (q: string, v?: Record<string, unknown>) => Promise<GqlResponse>;
  ok(q: string, v?: Record<string, unknown>): Promise<Record<string, any>>;
  ids: Record<string, string>;
}

const SET_JOB = 'mutation ($c: [ContextInput!]!) { putContexts(contexts: $c) { id privacy { transform categories k } } }';
const REPORT = `{ dataSubjectLineage(subjectId: "alice") {
  affected { artifact { name } pseudonymized } models { artifact { name } } anonymizedBoundary { name } } }`;
const STATUS = 'query ($id: ID!) { artifact(id: $id) { personalData { categories pseudonymized } } }';

// Neo4j's first derivations on a loaded machine take their time.
describe.each(BACKENDS)('privacy transforms set per job ($name)', { timeout: 120_000 }, (backend) => {
  const h = useServiceWithKeys(backend);

  /** The pipeline; `jobFirst`: the job's transform is set before the run is recorded in it. */
  async function pipeline(options: { inJob: boolean } = { inJob: true }): Promise<Pipeline> {
    const admin = await makeKey(h.store, 'admin');
    const editor = await makeKey(h.store, 'editor');
    const t = await startSecureServer(h.api, { privacy: createPersonalDataService(h.store, { subjectKey: testSubjectKey() }) });
    const as = (role: 'editor' | 'admin') => (q: string, v?: Record<string, unknown>): Promise<GqlResponse> => t.gql(q, v, bearer(role === 'admin' ? admin : editor));
    const ok = async (q: string, v?: Record<string, unknown>) => {
      const res = await as('admin')(q, v);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      return res.data!;
    };
    await ok(`mutation {
      p: putArtifactType(input: { name: "Patients", baseType: DATASET, personalData: { categories: ["contact"] } }) { id }
      d: putArtifactType(input: { name: "DataSet", baseType: DATASET }) { id }
      m: putArtifactType(input: { name: "Model", baseType: MODEL }) { id }
      s: putExecutionType(input: { name: "Step" }) { id }
      j: putContextType(input: { name: "Job" }) { id }
    }`);
    const ids: Record<string, string> = {};
    ids.job = (await ok('mutation { putContexts(contexts: [{ type: "Job", name: "etl/clean" }]) { id } }')).putContexts[0].id;
    ids.Raw = (await ok('mutation { putArtifacts(artifacts: [{ type: "Patients", name: "Raw" }]) { id } }')).putArtifacts[0].id;
    const step = async (name: string, input: string, output: { type: string; name: string }, contexts: unknown[] = []) => {
      const r = (await ok('mutation ($i: RecordExecutionInput!) { recordExecution(input: $i) { execution { id } outputs { id } } }', {
        i: { execution: { type: 'Step', name }, inputs: [{ id: ids[input] }], outputs: [{ artifact: output }], contexts },
      })).recordExecution;
      ids[name] = r.execution.id;
      ids[output.name] = r.outputs[0].id;
    };
    await step('clean', 'Raw', { type: 'DataSet', name: 'Clean' }, options.inJob ? [{ type: 'Job', name: 'etl/clean' }] : []);
    await step('train', 'Clean', { type: 'Model', name: 'Model' });
    await ok('mutation ($a: ID!) { registerDataSubjects(artifactId: $a, subjectIds: ["alice"]) }', { a: ids.Raw });
    return { t, as, ok, ids };
  }

  const setJob = (p: Pipeline, privacy: Record<string, unknown>, role: 'admin' | 'editor' = 'admin') =>
    p.as(role)(SET_JOB, { c: [{ id: p.ids.job, type: 'Job', name: 'etl/clean', privacy }] });

  it('an ANONYMIZE job stops the data at its runs; removing it lets the data reach the model again', async () => {
    const p = await pipeline();
    try {
      expect((await p.ok(REPORT)).dataSubjectLineage.models).toEqual([{ artifact: { name: 'Model' } }]);
      expect((await setJob(p, { transform: 'ANONYMIZE' })).data).toEqual({ putContexts: [{ id: p.ids.job, privacy: { transform: 'ANONYMIZE', categories: [], k: null } }] });
      expect((await p.ok(REPORT)).dataSubjectLineage).toEqual({
        affected: [{ artifact: { name: 'Raw' }, pseudonymized: false }], models: [], anonymizedBoundary: [{ name: 'Clean' }],
      });
      // The statuses kept at write time follow: Clean and Model hold nothing now.
      expect((await p.ok(STATUS, { id: p.ids.Clean })).artifact.personalData).toBeNull();
      expect((await p.ok(STATUS, { id: p.ids.Model })).artifact.personalData).toBeNull();
      // The run's own field still says it sets none; the job's says what it inherits.
      expect((await p.ok('query ($x: ID!, $j: ID!) { execution(id: $x) { privacy { transform } } context(id: $j) { privacy { transform } } }', { x: p.ids.clean, j: p.ids.job })))
        .toEqual({ execution: { privacy: null }, context: { privacy: { transform: 'ANONYMIZE' } } });

      expect((await setJob(p, { transform: 'NONE' })).errors).toBeUndefined();
      expect((await p.ok(REPORT)).dataSubjectLineage.models).toEqual([{ artifact: { name: 'Model' } }]);
      expect((await p.ok(STATUS, { id: p.ids.Model })).artifact.personalData).toEqual({ categories: ['contact'], pseudonymized: false });
    } finally {
      await p.t.close();
    }
  });

  it("a run's own transform wins over its job's, and a PSEUDONYMIZE job passes the data pseudonymised", async () => {
    const p = await pipeline();
    try {
      expect((await setJob(p, { transform: 'PSEUDONYMIZE' })).errors).toBeUndefined();
      expect((await p.ok(STATUS, { id: p.ids.Model })).artifact.personalData).toEqual({ categories: ['contact'], pseudonymized: true });
      expect((await setJob(p, { transform: 'ANONYMIZE' })).errors).toBeUndefined();
      await p.ok('mutation ($x: [ExecutionInput!]!) { putExecutions(executions: $x) { id } }', { x: [{ id: p.ids.clean, type: 'Step', privacy: { transform: 'PSEUDONYMIZE' } }] });
      expect((await p.ok(REPORT)).dataSubjectLineage.models).toEqual([{ artifact: { name: 'Model' } }]);
      expect((await p.ok(STATUS, { id: p.ids.Model })).artifact.personalData).toEqual({ categories: ['contact'], pseudonymized: true });
    } finally {
      await p.t.close();
    }
  });

  it('a run already recorded that joins an anonymising job inherits its transform; deleting the job takes it away', async () => {
    const p = await pipeline({ inJob: false });
    try {
      expect((await setJob(p, { transform: 'ANONYMIZE' })).errors).toBeUndefined();
      expect((await p.ok(STATUS, { id: p.ids.Model })).artifact.personalData).toEqual({ categories: ['contact'], pseudonymized: false });
      await p.ok('mutation ($l: [AssociationInput!]!) { putAssociations(links: $l) }', { l: [{ contextId: p.ids.job, executionId: p.ids.clean }] });
      expect((await p.ok(STATUS, { id: p.ids.Clean })).artifact.personalData).toBeNull();
      expect((await p.ok(STATUS, { id: p.ids.Model })).artifact.personalData).toBeNull();
      expect((await p.ok(REPORT)).dataSubjectLineage.models).toEqual([]);

      await p.ok('mutation ($ids: [ID!]!) { deleteNodes(ids: $ids) }', { ids: [p.ids.job] });
      expect((await p.ok(STATUS, { id: p.ids.Model })).artifact.personalData).toEqual({ categories: ['contact'], pseudonymized: false });
      expect((await p.ok(REPORT)).dataSubjectLineage.models).toEqual([{ artifact: { name: 'Model' } }]);
    } finally {
      await p.t.close();
    }
  });

  it("refuses an editor joining an existing run to an anonymising job (the run's data would go untracked); an admin may, audited", async () => {
    const p = await pipeline({ inJob: false });
    try {
      expect((await setJob(p, { transform: 'ANONYMIZE' })).errors).toBeUndefined();
      const link = { l: [{ contextId: p.ids.job, executionId: p.ids.clean }] };
      const PUT = 'mutation ($l: [AssociationInput!]!) { putAssociations(links: $l) }';
      const refused = onlyError(await p.as('editor')(PUT, link));
      expect(refused.extensions).toEqual({ code: 'FORBIDDEN', field: 'links[0].contextId' });
      expect(refused.message).toBe('links[0].contextId: setting transform ANONYMIZE (was NONE) weakens personal-data tracking and needs the admin role; this request has editor');
      expect((await p.ok('query ($x: ID!) { execution(id: $x) { contexts { id } } }', { x: p.ids.clean })).execution.contexts).toEqual([]);
      expect((await p.ok(STATUS, { id: p.ids.Model })).artifact.personalData).toEqual({ categories: ['contact'], pseudonymized: false });

      expect((await p.as('admin')(PUT, link)).data).toEqual({ putAssociations: 1 });
      expect((await p.ok(STATUS, { id: p.ids.Model })).artifact.personalData).toBeNull();
      // A re-put of the same link changes nothing: an editor may make it.
      expect((await p.as('editor')(PUT, link)).data).toEqual({ putAssociations: 0 });
      const audit = (await p.ok('{ auditLog(first: 1000) { nodes { operation target after } } }')).auditLog.nodes
        .filter((e: { operation: string; target: string }) => e.operation === 'Execution.privacy' && e.target === p.ids.clean);
      expect(audit).toEqual([{ operation: 'Execution.privacy', target: p.ids.clean, after: { transform: 'ANONYMIZE', categories: [], specialCategories: [], k: null } }]);
    } finally {
      await p.t.close();
    }
  });

  it('a run recorded in a job after its transform was set inherits it', async () => {
    const p = await pipeline();
    try {
      expect((await setJob(p, { transform: 'DROP', categories: ['contact'] })).errors).toBeUndefined();
      await p.ok('mutation ($i: RecordExecutionInput!) { recordExecution(input: $i) { execution { id } } }', {
        i: { execution: { type: 'Step', name: 'clean2' }, inputs: [{ id: p.ids.Raw }], outputs: [{ artifact: { type: 'DataSet', name: 'Clean2' } }], contexts: [{ type: 'Job', name: 'etl/clean' }] },
      });
      const clean2 = (await p.ok('{ artifactByName(type: "DataSet", name: "Clean2") { personalData { categories } } }')).artifactByName;
      expect(clean2).toEqual({ personalData: null });
      expect((await p.ok(REPORT)).dataSubjectLineage.affected.map((a: { artifact: { name: string } }) => a.artifact.name)).toEqual(['Raw']);
    } finally {
      await p.t.close();
    }
  });

  it("refuses an editor a job transform that weakens tracking, naming the field; audits the admin's as Context.privacy", async () => {
    const p = await pipeline();
    try {
      const refused = onlyError(await setJob(p, { transform: 'ANONYMIZE' }, 'editor'));
      expect(refused.extensions).toEqual({ code: 'FORBIDDEN', field: 'contexts[0].privacy' });
      expect(refused.message).toBe('contexts[0].privacy: setting transform ANONYMIZE (was NONE) weakens personal-data tracking and needs the admin role; this request has editor');
      expect((await p.ok('query ($j: ID!) { context(id: $j) { privacy { transform } } }', { j: p.ids.job })).context.privacy).toBeNull();
      // PSEUDONYMIZE keeps the data traced: an editor may.
      expect((await setJob(p, { transform: 'PSEUDONYMIZE' }, 'editor')).errors).toBeUndefined();
      expect((await setJob(p, { transform: 'ANONYMIZE' })).errors).toBeUndefined();
      const audit = (await p.ok('{ auditLog(first: 1000) { nodes { operation target before after } } }')).auditLog.nodes
        .filter((e: { operation: string }) => e.operation === 'Context.privacy');
      expect(audit).toEqual([
        { operation: 'Context.privacy', target: p.ids.job, before: null, after: { transform: 'PSEUDONYMIZE', categories: [], specialCategories: [], k: null } },
        {
          operation: 'Context.privacy', target: p.ids.job,
          before: { transform: 'PSEUDONYMIZE', categories: [], specialCategories: [], k: null }, after: { transform: 'ANONYMIZE', categories: [], specialCategories: [], k: null },
        },
      ]);
      // Bad input names the field.
      const bad = onlyError(await setJob(p, { transform: 'AGGREGATE' }));
      expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contexts[0].privacy.k' });
    } finally {
      await p.t.close();
    }
  });
});
