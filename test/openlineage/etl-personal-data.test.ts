/**
 * Issue 15: personal data through ETL. A data subject registered on a raw table's version;
 * a Spark-shaped chain of OpenLineage runs posted over HTTP (raw → cleaned → features); a
 * training run recorded through GraphQL reading the features version and writing a model.
 * dataSubjectLineage follows the person from the raw table into the model. With the
 * cleaning job set to ANONYMIZE (a job setting: OpenLineage events carry no transform),
 * the data stops at the job's runs, those posted later included, as the rules for
 * executions say: its outputs are the anonymised boundary. Both backends.
 *
 *   raw.users@v ──clean_users──▶ cleaned/users@r1 ──build_features──▶ features/users@r2 ──train (GraphQL)──▶ churn-model
 */
import { describe, expect, it } from 'vitest';
import { createPersonalDataService } from '../../src/service/privacy/personal-data-service.js';
import { bearer, makeKey, startSecureServer, useServiceWithKeys, type TestServer } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';
import { testSubjectKey } from '../privacy/fixtures.js';

const PRODUCER = 'https://github.com/OpenLineage/OpenLineage/tree/1.54.0/integration/spark';
const RAW = { namespace: 'postgres://db:5432', name: 'raw.users' };
const CLEANED = { namespace: 's3://lake', name: 'cleaned/users' };
const FEATURES = { namespace: 's3://lake', name: 'features/users' };
const RUNS = {
  clean: '0190a8c2-fe01-7439-87e6-56a1a1b40001',
  features: '0190a8c2-fe01-7439-87e6-56a1a1b40002',
  cleanAgain: '0190a8c2-fe01-7439-87e6-56a1a1b40003',
};

/** START and COMPLETE of one Spark run, a minute apart from `minute`. */
function sparkRun(runId: string, job: string, minute: number, input: typeof RAW, output: typeof RAW): Record<string, unknown>[] {
  const at = (m: number) => new Date(Date.UTC(2026, 2, 1, 9, m)).toISOString();
  const event = (eventType: string, m: number) => ({
    eventType, eventTime: at(m), producer: PRODUCER, schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId, facets: {} }, job: { namespace: 'spark', name: job, facets: {} }, inputs: [input], outputs: [output],
  });
  return [event('START', minute), event('COMPLETE', minute + 1)];
}

const REPORT = `query ($s: String!) { dataSubjectLineage(subjectId: $s) {
  affected { artifact { name } } models { artifact { name } } anonymizedBoundary { name } } }`;
const names = (list: { artifact: { name: string } }[]) => list.map((a) => a.artifact.name);

describe.each(BACKENDS)('personal data through an OpenLineage ETL into a model ($name)', { timeout: 180_000 }, (backend) => {
  const h = useServiceWithKeys(backend);

  async function setUp(): Promise<{ t: TestServer; admin: string; editor: string; ok: (q: string, v?: Record<string, unknown>) => Promise<Record<string, any>> }> {
    const admin = await makeKey(h.store, 'admin');
    const editor = await makeKey(h.store, 'editor');
    const t = await startSecureServer(h.api, { privacy: createPersonalDataService(h.store, { subjectKey: testSubjectKey() }) });
    const ok = async (q: string, v?: Record<string, unknown>) => {
      const res = await t.gql(q, v, bearer(admin));
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      return res.data!;
    };
    return { t, admin, editor, ok };
  }

  /**
   * Posts events one by one as an editor's pipeline would; each must be accepted. A 503
   * (the store busy past the request's deadline, as a cold Neo4j on a loaded machine may
   * be) is tried again, as OpenLineage's clients do; any other refusal fails the test.
   */
  async function post(t: TestServer, editor: string, events: Record<string, unknown>[]): Promise<void> {
    for (const event of events) {
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(`${t.origin}/api/v1/lineage`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(editor) }, body: JSON.stringify(event) });
        const text = await res.text();
        if (res.status === 503 && attempt < 4) continue;
        expect({ status: res.status, text }).toEqual({ status: 201, text: expect.any(String) });
        break;
      }
    }
  }

  /** The chain, the raw version declared and alice registered on it, and the training run. */
  async function chain(s: Awaited<ReturnType<typeof setUp>>): Promise<void> {
    await post(s.t, s.editor, [
      ...sparkRun(RUNS.clean, 'clean_users', 0, RAW, CLEANED),
      ...sparkRun(RUNS.features, 'build_features', 10, CLEANED, FEATURES),
    ]);
    const raw = (await s.ok(`{ contextByName(type: "openlineage.Dataset", name: "postgres://db:5432/raw.users") { artifacts(first: 10) { nodes { id } } } }`))
      .contextByName.artifacts.nodes as { id: string }[];
    expect(raw).toHaveLength(1);
    await s.ok('mutation ($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }', {
      a: [{ id: raw[0]!.id, type: 'openlineage.DatasetVersion', personalData: { categories: ['email'] } }],
    });
    await s.ok('mutation ($a: ID!) { registerDataSubjects(artifactId: $a, subjectIds: ["alice@example.org"]) }', { a: raw[0]!.id });
    const features = (await s.ok('query ($n: String!) { artifactByName(type: "openlineage.DatasetVersion", name: $n) { id } }', { n: `s3://lake/features/users@${RUNS.features}` })).artifactByName;
    await s.ok(`mutation ($i: RecordExecutionInput!) { recordExecution(input: $i) { execution { id } } }`, {
      i: {
        execution: { type: 'Trainer', name: 'train-churn' }, inputs: [{ id: features.id }],
        outputs: [{ artifact: { type: 'Model', name: 'churn-model' } }],
      },
    });
  }

  it('dataSubjectLineage follows a person from the raw table through the Spark runs into the model', async () => {
    const s = await setUp();
    try {
      await s.ok('mutation { putArtifactType(input: { name: "Model", baseType: MODEL }) { id } putExecutionType(input: { name: "Trainer" }) { id } }');
      await chain(s);
      const report = (await s.ok(REPORT, { s: 'alice@example.org' })).dataSubjectLineage;
      expect(names(report.models)).toEqual(['churn-model']);
      expect(names(report.affected)).toEqual([
        expect.stringMatching(/^postgres:\/\/db:5432\/raw\.users@/), `s3://lake/cleaned/users@${RUNS.clean}`, `s3://lake/features/users@${RUNS.features}`, 'churn-model',
      ]);
      expect(report.anonymizedBoundary).toEqual([]);
      // What the model holds, derived at write time, says the same.
      expect((await s.ok('{ artifactByName(type: "Model", name: "churn-model") { personalData { categories pseudonymized } } }')).artifactByName)
        .toEqual({ personalData: { categories: ['email'], pseudonymized: false } });
    } finally {
      await s.t.close();
    }
  });

  it('with the cleaning job set to ANONYMIZE the data stops at its runs, those posted later too, and the job keeps its setting', async () => {
    const s = await setUp();
    try {
      await s.ok('mutation { putArtifactType(input: { name: "Model", baseType: MODEL }) { id } putExecutionType(input: { name: "Trainer" }) { id } }');
      await chain(s);
      await s.ok('mutation ($c: [ContextInput!]!) { putContexts(contexts: $c) { id } }', {
        c: [{ type: 'openlineage.Job', name: 'spark/clean_users', privacy: { transform: 'ANONYMIZE' } }],
      });
      let report = (await s.ok(REPORT, { s: 'alice@example.org' })).dataSubjectLineage;
      expect(names(report.affected)).toEqual([expect.stringMatching(/^postgres:\/\/db:5432\/raw\.users@/)]);
      expect(report.models).toEqual([]);
      expect(report.anonymizedBoundary).toEqual([{ name: `s3://lake/cleaned/users@${RUNS.clean}` }]);
      expect((await s.ok('{ artifactByName(type: "Model", name: "churn-model") { personalData { categories } } }')).artifactByName.personalData).toBeNull();

      // A later run of the job, posted by the pipeline: the intake's write of the job keeps its setting, and the run inherits it.
      await post(s.t, s.editor, sparkRun(RUNS.cleanAgain, 'clean_users', 30, RAW, CLEANED));
      expect((await s.ok('{ contextByName(type: "openlineage.Job", name: "spark/clean_users") { privacy { transform } } }')).contextByName)
        .toEqual({ privacy: { transform: 'ANONYMIZE' } });
      report = (await s.ok(REPORT, { s: 'alice@example.org' })).dataSubjectLineage;
      expect(names(report.affected)).toEqual([expect.stringMatching(/^postgres:\/\/db:5432\/raw\.users@/)]);
      expect(report.anonymizedBoundary.map((a: { name: string }) => a.name).sort())
        .toEqual([`s3://lake/cleaned/users@${RUNS.clean}`, `s3://lake/cleaned/users@${RUNS.cleanAgain}`].sort());
    } finally {
      await s.t.close();
    }
  });
});
