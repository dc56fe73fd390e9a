/**
 * The personal-data API through real HTTP, on every backend: declarations, derived
 * status, data-subject lineage, the inventory, the erasure lifecycle, access reports and
 * the audit log. One pipeline, drawn here, with expectations worked out by hand:
 *
 *   Raw (Patients: type default {contact; HEALTH}) --clean--> Clean --pseudo(PSEUDONYMIZE)--> Tokens --train--> ModelA (Model)
 *                                                   Clean --stats(AGGREGATE k=20)--> Stats
 *   Survey {opinion; POLITICAL_OPINIONS} --drop(DROP POLITICAL_OPINIONS)--> Answers
 *
 * clean and train run in the context "nightly". alice is registered in Raw; bob in Raw and Survey.
 */
import { describe, expect, it } from 'vitest';
import { buildApiSchema } from '../../src/resolvers/index.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { createPersonalDataService } from '../../src/service/privacy/personal-data-service.js';
import { TEST_SUBJECT_SECRET, testSubjectKey } from '../privacy/fixtures.js';
import { bearer, startSecureServer, useServiceWithKeys } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';
import { onlyError, type GqlResponse, type TestServer } from './harness.js';

interface Client {
  t: TestServer;
  keyId: string;
  /** Runs one operation with the admin key, failing on any error. */
  data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Runs one operation with the admin key. */
  gql(query: string, variables?: Record<string, unknown>): Promise<GqlResponse>;
  ids: Record<string, string>;
  /** Ids back to names, for readable expectations. */
  name(id: string): string;
}

const BUILD = `mutation Build {
  dataSet: putArtifactType(input: { name: "DataSet", baseType: DATASET }) { id }
  patients: putArtifactType(input: { name: "Patients", baseType: DATASET,
    personalData: { categories: ["contact"], specialCategories: [HEALTH] } }) { id personalData { categories specialCategories } }
  model: putArtifactType(input: { name: "Model", baseType: MODEL }) { id }
  step: putExecutionType(input: { name: "Step", baseType: TRANSFORM }) { id }
  pipeline: putContextType(input: { name: "Pipeline" }) { id }
}`;

const RECORD = `mutation Record($input: RecordExecutionInput!) {
  recordExecution(input: $input) { execution { id name privacy { transform categories specialCategories k } } outputs { id name } }
}`;

async function buildPipeline(t: TestServer, token: string, keyId: string): Promise<Client> {
  const gql = (query: string, variables?: Record<string, unknown>) => t.gql(query, variables, bearer(token));
  const data = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const res = await gql(query, variables);
    if (res.errors) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data as T;
  };
  const ids: Record<string, string> = {};
  const built = await data<{ patients: { personalData: unknown } }>(BUILD);
  expect(built.patients.personalData).toEqual({ categories: ['contact'], specialCategories: ['HEALTH'] });
  const record = async (name: string, inputs: string[], outputs: { name: string; type: string; personalData?: unknown }[], extra: Record<string, unknown> = {}) => {
    const r = await data<{ recordExecution: { execution: { id: string }; outputs: { id: string; name: string }[] } }>(RECORD, {
      input: {
        execution: { type: 'Step', name, ...extra },
        inputs: inputs.map((n) => ({ id: ids[n] })),
        outputs: outputs.map((o) => ({ artifact: o })),
        contexts: ['clean', 'train'].includes(name) ? [{ type: 'Pipeline', name: 'nightly' }] : [],
      },
    });
    ids[name] = r.recordExecution.execution.id;
    for (const o of r.recordExecution.outputs) ids[o.name] = o.id;
  };
  const [raw, survey] = (await data<{ putArtifacts: { id: string }[] }>(`mutation { putArtifacts(artifacts: [
    { type: "Patients", name: "Raw" },
    { type: "DataSet", name: "Survey", personalData: { categories: ["opinion"], specialCategories: [POLITICAL_OPINIONS] } }
  ]) { id } }`)).putArtifacts;
  ids.Raw = raw!.id;
  ids.Survey = survey!.id;
  await record('clean', ['Raw'], [{ name: 'Clean', type: 'DataSet' }]);
  await record('pseudo', ['Clean'], [{ name: 'Tokens', type: 'DataSet' }], { privacy: { transform: 'PSEUDONYMIZE' } });
  await record('train', ['Tokens'], [{ name: 'ModelA', type: 'Model' }]);
  await record('stats', ['Clean'], [{ name: 'Stats', type: 'DataSet' }], { privacy: { transform: 'AGGREGATE', k: 20 } });
  await record('drop', ['Survey'], [{ name: 'Answers', type: 'DataSet' }], { privacy: { transform: 'DROP', specialCategories: ['POLITICAL_OPINIONS'] } });
  const names = new Map(Object.entries(ids).map(([n, id]) => [id, n]));
  const registered = await data<{ alice: number; bob: number; bobSurvey: number }>(`mutation Register($raw: ID!, $survey: ID!, $a: [String!]!, $b: [String!]!) {
    alice: registerDataSubjects(artifactId: $raw, subjectIds: $a)
    bob: registerDataSubjects(artifactId: $raw, subjectIds: $b)
    bobSurvey: registerDataSubjects(artifactId: $survey, subjectIds: $b)
  }`, { raw: ids.Raw, survey: ids.Survey, a: ['alice'], b: ['bob', 'bob'] });
  expect(registered).toEqual({ alice: 1, bob: 1, bobSurvey: 1 });
  return { t, keyId, data, gql, ids, name: (id) => names.get(id) ?? id };
}

const LINEAGE = `query Lineage($subject: String!) {
  dataSubjectLineage(subjectId: $subject) {
    found truncated
    sources { id name }
    affected { artifact { id name } distance categories specialCategories pseudonymized route }
    models { artifact { name } distance pseudonymized }
    executions { name }
    contexts { name }
    anonymizedBoundary { name }
  }
}`;

describe.each(BACKENDS)('personal data over GraphQL on $name', (backend) => {
  const svc = useServiceWithKeys(backend);

  async function client(): Promise<Client> {
    const created = await createApiKeyService(svc.store).create({ name: 'dpo', role: 'admin' });
    const privacy = createPersonalDataService(svc.store, { subjectKey: testSubjectKey() });
    const t = await startSecureServer(svc.api, { privacy });
    return buildPipeline(t, created.token, created.key.id);
  }

  it('declares personal data on types, artifacts and executions, and reads the declarations back', async () => {
    const c = await client();
    try {
      const got = await c.data(`query ($raw: ID!, $survey: ID!, $drop: ID!, $stats: ID!) {
        raw: artifact(id: $raw) { personalDataDeclared { categories } type { personalData { categories specialCategories } } }
        survey: artifact(id: $survey) { personalDataDeclared { categories specialCategories } }
        drop: execution(id: $drop) { privacy { transform categories specialCategories k } }
        stats: execution(id: $stats) { privacy { transform k } }
      }`, { raw: c.ids.Raw, survey: c.ids.Survey, drop: c.ids.drop, stats: c.ids.stats });
      expect(got).toEqual({
        raw: { personalDataDeclared: null, type: { personalData: { categories: ['contact'], specialCategories: ['HEALTH'] } } },
        survey: { personalDataDeclared: { categories: ['opinion'], specialCategories: ['POLITICAL_OPINIONS'] } },
        drop: { privacy: { transform: 'DROP', categories: [], specialCategories: ['POLITICAL_OPINIONS'], k: null } },
        stats: { privacy: { transform: 'AGGREGATE', k: 20 } },
      });
      const refused = await c.gql(`mutation { putExecutions(executions: [{ type: "Step", name: "bad", privacy: { transform: AGGREGATE } }]) { id } }`);
      expect(onlyError(refused).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'executions[0].privacy.k' });
    } finally {
      await c.t.close();
    }
  });

  it('derives Artifact.personalData with its evidence, for a whole list in one audited call', async () => {
    const c = await client();
    try {
      const got = await c.data<{ artifacts: { nodes: { name: string; personalData: any }[] } }>(`{
        artifacts(orderBy: { field: ID }) { nodes { name personalData {
          categories specialCategories declared pseudonymized sources { name }
          evidence { category specialCategory pseudonymized source { name } route }
        } } }
      }`);
      const byName = Object.fromEntries(got.artifacts.nodes.map((n) => [n.name, n.personalData]));
      expect(byName.Stats).toBeNull();
      expect(byName.Raw).toMatchObject({ categories: ['contact'], specialCategories: ['HEALTH'], declared: true, pseudonymized: false });
      expect(byName.Tokens).toEqual({
        categories: ['contact'], specialCategories: ['HEALTH'], declared: false, pseudonymized: true, sources: [{ name: 'Raw' }],
        evidence: [
          { category: 'contact', specialCategory: null, pseudonymized: true, source: { name: 'Raw' }, route: [c.ids.Raw, c.ids.clean, c.ids.Clean, c.ids.pseudo, c.ids.Tokens] },
          { category: null, specialCategory: 'HEALTH', pseudonymized: true, source: { name: 'Raw' }, route: [c.ids.Raw, c.ids.clean, c.ids.Clean, c.ids.pseudo, c.ids.Tokens] },
        ],
      });
      expect(byName.Answers).toMatchObject({ categories: ['opinion'], specialCategories: [], sources: [{ name: 'Survey' }] });
      const audit = await c.data<{ auditLog: { nodes: { operation: string; resultCount: number }[] } }>('{ auditLog { nodes { operation resultCount } } }');
      // Seven artifacts asked in one response: one walk, one entry, counting the six that hold personal data.
      expect(audit.auditLog.nodes.filter((e) => e.operation === 'personalDataStatus')).toEqual([{ operation: 'personalDataStatus', resultCount: 6 }]);
    } finally {
      await c.t.close();
    }
  });

  it("answers dataSubjectLineage with the subject's sources, affected artifacts, models, processing and boundary", async () => {
    const c = await client();
    try {
      const { dataSubjectLineage: r } = await c.data<{ dataSubjectLineage: any }>(LINEAGE, { subject: 'alice' });
      expect(r).toEqual({
        found: true,
        truncated: false,
        sources: [{ id: c.ids.Raw, name: 'Raw' }],
        affected: [
          { artifact: { id: c.ids.Raw, name: 'Raw' }, distance: 0, categories: ['contact'], specialCategories: ['HEALTH'], pseudonymized: false, route: [c.ids.Raw] },
          { artifact: { id: c.ids.Clean, name: 'Clean' }, distance: 2, categories: ['contact'], specialCategories: ['HEALTH'], pseudonymized: false, route: [c.ids.Raw, c.ids.clean, c.ids.Clean] },
          { artifact: { id: c.ids.Tokens, name: 'Tokens' }, distance: 4, categories: ['contact'], specialCategories: ['HEALTH'], pseudonymized: true, route: [c.ids.Raw, c.ids.clean, c.ids.Clean, c.ids.pseudo, c.ids.Tokens] },
          { artifact: { id: c.ids.ModelA, name: 'ModelA' }, distance: 6, categories: ['contact'], specialCategories: ['HEALTH'], pseudonymized: true, route: [c.ids.Raw, c.ids.clean, c.ids.Clean, c.ids.pseudo, c.ids.Tokens, c.ids.train, c.ids.ModelA] },
        ],
        models: [{ artifact: { name: 'ModelA' }, distance: 6, pseudonymized: true }],
        executions: [{ name: 'clean' }, { name: 'pseudo' }, { name: 'train' }, { name: 'stats' }],
        contexts: [{ name: 'nightly' }],
        anonymizedBoundary: [{ name: 'Stats' }],
      });
      const unknown = await c.data<{ dataSubjectLineage: any }>(LINEAGE, { subject: 'nobody-we-know' });
      expect(unknown.dataSubjectLineage).toEqual({
        found: false, truncated: false, sources: [], affected: [], models: [], executions: [], contexts: [], anonymizedBoundary: [],
      });
    } finally {
      await c.t.close();
    }
  });

  it('lists the personal-data inventory, filtered and paged', async () => {
    const c = await client();
    try {
      const INVENTORY = `query ($category: String, $special: SpecialCategory, $first: Int, $after: String) {
        personalDataInventory(category: $category, specialCategory: $special, first: $first, after: $after) {
          totalCount nodes { name } pageInfo { hasNextPage endCursor }
        }
      }`;
      const byId = (names: string[]) => names.sort((a, b) => (c.ids[a]! < c.ids[b]! ? -1 : 1)).map((name) => ({ name }));
      const all = await c.data<{ personalDataInventory: any }>(INVENTORY, {});
      expect(all.personalDataInventory).toMatchObject({ totalCount: 6, nodes: byId(['Raw', 'Survey', 'Clean', 'Tokens', 'ModelA', 'Answers']) });
      const opinion = await c.data<{ personalDataInventory: any }>(INVENTORY, { category: 'opinion' });
      expect(opinion.personalDataInventory.nodes).toEqual(byId(['Survey', 'Answers']));
      const health = await c.data<{ personalDataInventory: any }>(INVENTORY, { special: 'HEALTH' });
      expect(health.personalDataInventory.nodes).toEqual(byId(['Raw', 'Clean', 'Tokens', 'ModelA']));
      const first = await c.data<{ personalDataInventory: any }>(INVENTORY, { first: 4 });
      expect(first.personalDataInventory.pageInfo.hasNextPage).toBe(true);
      const rest = await c.data<{ personalDataInventory: any }>(INVENTORY, { first: 4, after: first.personalDataInventory.pageInfo.endCursor });
      expect([...first.personalDataInventory.nodes, ...rest.personalDataInventory.nodes]).toEqual(all.personalDataInventory.nodes);
      expect(rest.personalDataInventory.pageInfo.hasNextPage).toBe(false);
    } finally {
      await c.t.close();
    }
  });

  it('runs the erasure lifecycle: a snapshot of PENDING items, operators close them, completion removes the registrations', async () => {
    const c = await client();
    try {
      const REQUEST = 'id reason complete createdAt items { artifact { id name } status note updatedAt }';
      const made = await c.data<{ requestErasure: any }>(`mutation ($s: String!) { requestErasure(subjectId: $s, reason: "Art. 17 request by e-mail") { ${REQUEST} } }`, { s: 'alice' });
      const request = made.requestErasure;
      expect(request).toMatchObject({
        reason: 'Art. 17 request by e-mail', complete: false,
        items: ['Raw', 'Clean', 'Tokens', 'ModelA'].map((name) => ({ artifact: { id: c.ids[name], name }, status: 'PENDING', note: null })),
      });
      expect(request.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

      const UPDATE = `mutation ($r: ID!, $a: ID!, $s: ErasureStatus!, $n: String) { updateErasureItem(requestId: $r, artifactId: $a, status: $s, note: $n) { ${REQUEST} } }`;
      const update = (artifact: string, status: string, note?: string) => c.gql(UPDATE, { r: request.id, a: c.ids[artifact], s: status, n: note ?? null });
      expect(onlyError(await update('Tokens', 'EXEMPT')).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
      expect(onlyError(await update('Tokens', 'PENDING')).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
      expect(onlyError(await update('Stats', 'ERASED')).extensions).toMatchObject({ code: 'NOT_FOUND', field: 'artifactId' });
      expect(onlyError(await c.gql(UPDATE, { r: 'no-such-request', a: c.ids.Raw, s: 'ERASED' })).extensions).toMatchObject({ code: 'NOT_FOUND', field: 'requestId' });

      expect((await update('Raw', 'ERASED')).data?.updateErasureItem.complete).toBe(false);
      await update('Clean', 'ERASED');
      await update('Tokens', 'EXEMPT', 'legal hold until 2031');
      // Still PENDING: ModelA. The subject is still found until the request completes.
      expect((await c.data<{ dataSubjectLineage: { found: boolean } }>(LINEAGE, { subject: 'alice' })).dataSubjectLineage.found).toBe(true);
      const done = (await update('ModelA', 'RETRAINED')).data?.updateErasureItem;
      expect(done).toMatchObject({
        complete: true,
        items: [
          { artifact: { name: 'Raw' }, status: 'ERASED', note: null },
          { artifact: { name: 'Clean' }, status: 'ERASED', note: null },
          { artifact: { name: 'Tokens' }, status: 'EXEMPT', note: 'legal hold until 2031' },
          { artifact: { name: 'ModelA' }, status: 'RETRAINED', note: null },
        ],
      });
      expect((await c.data<{ dataSubjectLineage: { found: boolean } }>(LINEAGE, { subject: 'alice' })).dataSubjectLineage.found).toBe(false);
      const bob = await c.data<{ dataSubjectLineage: { sources: { name: string }[] } }>(LINEAGE, { subject: 'bob' });
      expect(bob.dataSubjectLineage.sources.map((s) => s.name).sort()).toEqual(['Raw', 'Survey']);

      // The request outlives the artifacts it lists: once Raw is deleted, its item shows the copy taken with the request.
      await c.data('mutation ($ids: [ID!]!) { deleteNodes(ids: $ids) }', { ids: [c.ids.Raw] });
      const read = await c.data<{ erasureRequest: any; missing: null }>(`query ($id: ID!) { erasureRequest(id: $id) { ${REQUEST} } missing: erasureRequest(id: "no-such-request") { id } }`, { id: request.id });
      expect(read.erasureRequest).toEqual(done);
      expect(read.missing).toBeNull();
    } finally {
      await c.t.close();
    }
  });

  it('completes an erasure request by removing only the registrations it covers; a later one stays and is shown as not covered', async () => {
    // Issue 12 item 7: alice is registered in Raw; the request snapshots Raw, Clean, Tokens,
    // ModelA; then alice is registered in Survey (another source). Completing the request
    // must leave Survey's registration, and the request must say Survey is not covered.
    const c = await client();
    try {
      const REQUEST = 'id complete items { artifact { name } } notCovered { id name }';
      const made = (await c.data<{ requestErasure: any }>(`mutation ($s: String!) { requestErasure(subjectId: $s) { ${REQUEST} } }`, { s: 'alice' })).requestErasure;
      expect(made.items.map((i: { artifact: { name: string } }) => i.artifact.name)).toEqual(['Raw', 'Clean', 'Tokens', 'ModelA']);
      expect(made.notCovered).toEqual([]);
      await c.data('mutation ($a: ID!, $s: [String!]!) { registerDataSubjects(artifactId: $a, subjectIds: $s) }', { a: c.ids.Survey, s: ['alice'] });
      const READ = `query ($id: ID!) { erasureRequest(id: $id) { ${REQUEST} } }`;
      expect((await c.data<{ erasureRequest: any }>(READ, { id: made.id })).erasureRequest.notCovered).toEqual([{ id: c.ids.Survey, name: 'Survey' }]);

      const UPDATE = `mutation ($r: ID!, $a: ID!) { updateErasureItem(requestId: $r, artifactId: $a, status: ERASED) { ${REQUEST} } }`;
      let last: any;
      for (const name of ['Raw', 'Clean', 'Tokens', 'ModelA']) last = (await c.data<{ updateErasureItem: any }>(UPDATE, { r: made.id, a: c.ids[name] })).updateErasureItem;
      expect(last).toMatchObject({ complete: true, notCovered: [{ id: c.ids.Survey, name: 'Survey' }] });
      // The subject is still traceable through what the request never covered, and only through that.
      const lineage = (await c.data<{ dataSubjectLineage: any }>(LINEAGE, { subject: 'alice' })).dataSubjectLineage;
      expect(lineage.found).toBe(true);
      expect(lineage.sources.map((s: { name: string }) => s.name)).toEqual(['Survey']);
      // bob, registered in Raw and Survey, was never part of the request.
      const bob = (await c.data<{ dataSubjectLineage: any }>(LINEAGE, { subject: 'bob' })).dataSubjectLineage;
      expect(bob.sources.map((s: { name: string }) => s.name).sort()).toEqual(['Raw', 'Survey']);
    } finally {
      await c.t.close();
    }
  });

  it('refuses an erasure reason that holds the subject identifier, without quoting it', async () => {
    const c = await client();
    try {
      const res = await c.gql('mutation ($s: String!, $r: String) { requestErasure(subjectId: $s, reason: $r) { id } }', { s: 'alice@example.org', r: 'asked by alice@example.org' });
      const error = onlyError(res);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      expect(res.text).not.toContain('alice@example.org');
    } finally {
      await c.t.close();
    }
  });

  it('answers an access request in JSON and in Markdown', async () => {
    const c = await client();
    try {
      const REPORT = 'query ($s: String!, $f: ReportFormat) { accessReport(subjectId: $s, format: $f) }';
      const json = JSON.parse((await c.data<{ accessReport: string }>(REPORT, { s: 'bob' })).accessReport) as Record<string, any>;
      expect(json).toMatchObject({
        found: true,
        categories: ['contact', 'opinion'],
        specialCategories: ['HEALTH', 'POLITICAL_OPINIONS'],
        models: [{ id: c.ids.ModelA, name: 'ModelA', type: 'Model', pseudonymized: true }],
        processing: [{ name: 'nightly', type: 'Pipeline' }],
        truncated: false,
      });
      expect(json.artifacts.map((a: { name: string; distance: number }) => [a.name, a.distance]).sort()).toEqual(
        [['Answers', 2], ['Clean', 2], ['ModelA', 6], ['Raw', 0], ['Survey', 0], ['Tokens', 4]],
      );
      expect(json.artifacts.find((a: { name: string }) => a.name === 'Answers')).toMatchObject({ categories: ['opinion'], specialCategories: [], type: 'DataSet' });
      expect(json.executions.map((x: { name: string }) => x.name).sort()).toEqual(['clean', 'drop', 'pseudo', 'stats', 'train']);

      const markdown = (await c.data<{ accessReport: string }>(REPORT, { s: 'bob', f: 'MARKDOWN' })).accessReport;
      expect(markdown).toContain('# Personal data access report (GDPR Art. 15)');
      expect(markdown).toContain('- Categories: contact, opinion');
      expect(markdown).toContain('- Special categories (Art. 9): HEALTH, POLITICAL_OPINIONS');
      expect(markdown).toContain('## Where it is held (6 artifacts)');
      expect(markdown).toContain(`| ${c.ids.Tokens} | Tokens | DataSet |  | contact | HEALTH | yes | 4 |`);
      expect(markdown).toContain(`| ${c.ids.ModelA} | ModelA | Model |  | yes |`);
      expect(markdown).toContain(`| ${c.ids.clean} | clean | Step |`);
      expect(markdown).toContain('| nightly | Pipeline |');
      expect(markdown).not.toContain('bob');

      const none = (await c.data<{ accessReport: string }>(REPORT, { s: 'nobody-we-know', f: 'MARKDOWN' })).accessReport;
      expect(none).toContain('No records of this data subject are held.');
      expect(JSON.parse((await c.data<{ accessReport: string }>(REPORT, { s: 'nobody-we-know' })).accessReport)).toMatchObject({ found: false, artifacts: [] });
    } finally {
      await c.t.close();
    }
  });

  it('appends an audit entry for every operation, readable in pages and never editable', async () => {
    const c = await client();
    try {
      await c.data(LINEAGE, { subject: 'alice' });
      await c.data(LINEAGE, { subject: 'nobody-we-know' });
      await c.data('{ personalDataInventory(first: 2) { nodes { id } } }');
      await c.data('query ($s: String!) { accessReport(subjectId: $s) }', { s: 'alice' });
      const made = await c.data<{ requestErasure: { id: string } }>('mutation ($s: String!) { requestErasure(subjectId: $s) { id } }', { s: 'alice' });
      await c.data('mutation ($r: ID!, $a: ID!) { updateErasureItem(requestId: $r, artifactId: $a, status: ERASED) { id } }', { r: made.requestErasure.id, a: c.ids.Raw });
      await c.data('query ($id: ID!) { erasureRequest(id: $id) { id } }', { id: made.requestErasure.id });
      await c.data('mutation ($a: ID!, $s: [String!]!) { unregisterDataSubjects(artifactId: $a, subjectIds: $s) }', { a: c.ids.Survey, s: ['bob'] });

      const AUDIT = `query ($first: Int, $after: String) { auditLog(first: $first, after: $after) {
        nodes { id time caller operation subjectHash target resultCount } pageInfo { hasNextPage endCursor } edges { cursor node { id } }
      } }`;
      const log = (await c.data<{ auditLog: any }>(AUDIT, {})).auditLog;
      const hash = (s: string) => testSubjectKey().hash(s);
      expect(TEST_SUBJECT_SECRET.length).toBeGreaterThanOrEqual(32);
      expect(log.nodes.map((e: any) => [e.operation, e.subjectHash, e.target === null ? null : c.name(e.target), e.resultCount])).toEqual([
        // The pipeline's build set the Patients default, Survey's declaration and three transforms: tracking changes, audited (issue 12 item 8).
        ['ArtifactType.personalData', null, expect.any(String), 1],
        ['Artifact.personalDataDeclared', null, 'Survey', 1],
        ['Execution.privacy', null, 'pseudo', 1],
        ['Execution.privacy', null, 'stats', 1],
        ['Execution.privacy', null, 'drop', 1],
        ['registerDataSubjects', hash('alice'), 'Raw', 1],
        ['registerDataSubjects', hash('bob'), 'Raw', 1],
        ['registerDataSubjects', hash('bob'), 'Survey', 1],
        ['dataSubjectLineage', hash('alice'), null, 4],
        ['dataSubjectLineage', hash('nobody-we-know'), null, 0],
        ['personalDataInventory', null, null, 2],
        ['accessReport', hash('alice'), null, 4],
        ['requestErasure', hash('alice'), made.requestErasure.id, 4],
        ['updateErasureItem', hash('alice'), made.requestErasure.id, 1],
        ['erasureRequest', hash('alice'), made.requestErasure.id, 1],
        ['unregisterDataSubjects', hash('bob'), 'Survey', 1],
      ]);
      expect(new Set(log.nodes.map((e: any) => e.caller))).toEqual(new Set([c.keyId]));
      expect(log.nodes.every((e: any) => /^\d{4}-\d{2}-\d{2}T/.test(e.time))).toBe(true);
      expect(log.pageInfo.hasNextPage).toBe(false);

      // Paging, and reading the log is itself logged.
      const page1 = (await c.data<{ auditLog: any }>(AUDIT, { first: 5 })).auditLog;
      const page2 = (await c.data<{ auditLog: any }>(AUDIT, { first: 100, after: page1.pageInfo.endCursor })).auditLog;
      expect([...page1.nodes, ...page2.nodes].map((e: any) => e.id).slice(0, 16)).toEqual(log.nodes.map((e: any) => e.id));
      expect([...page1.nodes, ...page2.nodes].slice(16).map((e: any) => [e.operation, e.resultCount])).toEqual([['auditLog', 16], ['auditLog', 5]]);
      expect(page1.edges[4].cursor).toBe(page1.pageInfo.endCursor);
      expect(onlyError(await c.gql(AUDIT, { after: 'not-a-cursor' })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });

      // Not editable: no mutation names the log, and entries are not nodes a node mutation could reach.
      const mutations = Object.keys(buildApiSchema().getMutationType()!.getFields());
      expect(mutations.filter((m) => /audit/i.test(m))).toEqual([]);
      expect((await c.data<{ deleteNodes: number }>('mutation ($ids: [ID!]!) { deleteNodes(ids: $ids) }', { ids: log.nodes.map((e: any) => e.id) })).deleteNodes).toBe(0);
      const after = (await c.data<{ auditLog: any }>(AUDIT, { first: 16 })).auditLog;
      expect(after.nodes).toEqual(log.nodes);
    } finally {
      await c.t.close();
    }
  });
});
