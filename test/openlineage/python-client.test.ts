/**
 * Issue 15: OpenLineage's own Python client (openlineage-python 1.54.0, in the project's
 * virtualenv) pointed at a running server, as Airflow's and Spark's integrations use it:
 * its HTTP transport with api_key auth and gzip sends START/COMPLETE/FAIL sequences of a
 * parent run and its child runs; a batch goes to /api/v1/lineage/batch gzip-compressed
 * (the client has no batch API: the script serialises the events with the client's Serde).
 * The graph is read back over GraphQL and checked against the shared mapping. Both backends.
 *
 *   users_dag (parent run) ─┬─ clean_users:  raw.users ──▶ cleaned/users   COMPLETE
 *                           └─ export_users: cleaned/users ──▶ (nothing)    FAIL "disk full"
 *   features (batch, two runs): cleaned/users ──▶ features/users, two versions
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bearer, makeKey, startSecureServer, useServiceWithKeys } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';
import { pythonWithMlmd } from '../support/python.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const python = pythonWithMlmd("the tests of OpenLineage's Python client");

/** Runs test/openlineage/python/emit_events.py; its stdout parsed as JSON. Asynchronous: the server answers from this process. */
async function emit<T>(origin: string, scenario: string, apiKey?: string): Promise<T> {
  const { stdout } = await run(python!, [path.join(here, 'python', 'emit_events.py'), origin, scenario, ...(apiKey ? [apiKey] : [])], { maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as T;
}

const RUN = `query ($name: String!) { executionByName(type: "openlineage.Run", name: $name) {
  name externalId lastKnownState customProperties
  contexts { name type { name } }
  inputs { artifact { name } } outputs { artifact { name } }
} }`;

describe.skipIf(python === null).each(BACKENDS)("OpenLineage's Python client against the intake ($name)", { timeout: 180_000 }, (backend) => {
  const h = useServiceWithKeys(backend);

  it('maps START/COMPLETE/FAIL of a parent run and its children, sent gzip-compressed with an API key', async () => {
    const editor = await makeKey(h.store, 'editor');
    const t = await startSecureServer(h.api);
    try {
      const ids = await emit<{ dag: string; clean: string; export: string }>(t.origin, 'sequences', editor);
      const gql = async (q: string, v: Record<string, unknown>) => {
        const res = await t.gql(q, v, bearer(editor));
        expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
        return res.data!;
      };
      const clean = (await gql(RUN, { name: ids.clean })).executionByName;
      expect(clean).toMatchObject({ name: ids.clean, externalId: `openlineage:${ids.clean}`, lastKnownState: 'COMPLETE' });
      expect(clean.contexts.map((c: { name: string; type: { name: string } }) => `${c.type.name}:${c.name}`))
        .toContain('openlineage.Job:spark-etl/users_dag.clean_users');
      expect(clean.inputs.map((e: { artifact: { name: string } }) => e.artifact.name)).toEqual([expect.stringMatching(/^postgres:\/\/db:5432\/raw\.users@/)]);
      expect(clean.outputs.map((e: { artifact: { name: string } }) => e.artifact.name)).toEqual([`s3://lake/cleaned/users@${ids.clean}`]);
      expect(Object.keys(clean.customProperties)).toContain('facet:parent');

      const failed = (await gql(RUN, { name: ids.export })).executionByName;
      expect(failed).toMatchObject({ externalId: `openlineage:${ids.export}`, lastKnownState: 'FAILED' });
      expect(JSON.stringify(failed.customProperties['facet:errorMessage'])).toContain('disk full');
      // The failed run read the version clean_users wrote.
      expect(failed.inputs.map((e: { artifact: { name: string } }) => e.artifact.name)).toEqual([`s3://lake/cleaned/users@${ids.clean}`]);

      const dag = (await gql(RUN, { name: ids.dag })).executionByName;
      expect(dag).toMatchObject({ lastKnownState: 'COMPLETE' });
      const job = (await gql(`{ contextByName(type: "openlineage.Job", name: "spark-etl/users_dag.clean_users") {
        parents { name type { name } } } }`, {})).contextByName;
      expect(job.parents).toContainEqual({ name: 'spark-etl', type: { name: 'openlineage.Namespace' } });
      // The version carries its schema facet as sent.
      const version = (await gql(`query ($n: String!) { artifactByName(type: "openlineage.DatasetVersion", name: $n) {
        uri customProperties contexts { name type { name } } } }`, { n: `s3://lake/cleaned/users@${ids.clean}` })).artifactByName;
      expect(version.contexts).toContainEqual({ name: 's3://lake/cleaned/users', type: { name: 'openlineage.Dataset' } });
      expect(version.customProperties).toMatchObject({ dataset: 's3://lake/cleaned/users', version: ids.clean });
      expect(JSON.stringify(version.customProperties['facet:schema'])).toContain('email_hash');
    } finally {
      await t.close();
    }
  });

  it('takes a gzip-compressed batch: each run a new version of its output, in order', async () => {
    const editor = await makeKey(h.store, 'editor');
    const t = await startSecureServer(h.api);
    try {
      const sent = await emit<{ first: string; second: string; status: number }>(t.origin, 'batch', editor);
      expect(sent.status).toBe(200);
      const runs = await Promise.all([sent.first, sent.second].map(async (name) => (await t.gql(RUN, { name }, bearer(editor))).data!.executionByName));
      expect(runs.map((r) => [r.lastKnownState, r.outputs.map((e: { artifact: { name: string } }) => e.artifact.name)])).toEqual([
        ['COMPLETE', [`s3://lake/features/users@${sent.first}`]],
        ['COMPLETE', [`s3://lake/features/users@${sent.second}`]],
      ]);
      const dataset = (await t.gql(`{ contextByName(type: "openlineage.Dataset", name: "s3://lake/features/users") {
        artifacts(first: 10) { nodes { name } } } }`, {}, bearer(editor))).data!.contextByName;
      expect(dataset.artifacts.nodes.map((a: { name: string }) => a.name).sort())
        .toEqual([`s3://lake/features/users@${sent.first}`, `s3://lake/features/users@${sent.second}`].sort());
    } finally {
      await t.close();
    }
  });

  it("the client's transport is refused without a key, and with a viewer's", async () => {
    const viewer = await makeKey(h.store, 'viewer');
    const t = await startSecureServer(h.api);
    try {
      expect(await emit<{ status: number }>(t.origin, 'refused')).toEqual({ status: 401 });
      expect(await emit<{ status: number }>(t.origin, 'refused', viewer)).toEqual({ status: 403 });
      expect(await emit<{ status: number }>(t.origin, 'refused', 'dj_not-a-real-key')).toEqual({ status: 401 });
    } finally {
      await t.close();
    }
  });
});
