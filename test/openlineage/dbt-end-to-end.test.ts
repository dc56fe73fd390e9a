/**
 * Issue 15: dbt end to end. A two-model dbt project on DuckDB (test/openlineage/dbt-project:
 * a seed read as a source, a staging model over it, a mart over the staging model) run with
 * OpenLineage's dbt integration, `dbt-ol run` (openlineage-dbt 1.54.0, in .venv-dbt/ with
 * dbt-core 1.11 and dbt-duckdb), pointed at a running server by its standard variables
 * (OPENLINEAGE_URL, OPENLINEAGE_API_KEY, OPENLINEAGE_NAMESPACE). The graph then holds the
 * jobs, the runs and the dataset versions, and the lineage seed → staging → mart. Both backends.
 *
 *   main.raw_orders (seed) ──stg_orders──▶ main.stg_orders ──orders_summary──▶ main.orders_summary
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeKey, startSecureServer, useServiceWithKeys } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';
import { pythonWithDbt } from '../support/python.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const python = pythonWithDbt('the dbt end-to-end test of the OpenLineage intake');
const project = mkdtempSync(path.join(os.tmpdir(), 'journey-dbt-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs dbt's `command` in the project copy with `env`; dbt-ol runs `dbt`, so the venv's bin/ goes first on PATH. */
async function dbt(command: 'dbt' | 'dbt-ol', args: string[], env: Record<string, string> = {}): Promise<string> {
  const bin = path.dirname(python!);
  const { stdout } = await run(path.join(bin, command), args, {
    cwd: project, maxBuffer: 16 << 20, timeout: 300_000,
    env: {
      ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, DBT_PROFILES_DIR: project,
      DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DO_NOT_TRACK: '1', ...env,
    },
  });
  return stdout;
}

const DATASET = (table: string): string => `duckdb://shop.duckdb/shop.main.${table}`;

describe.skipIf(python === null)('dbt-ol run against the intake', () => {
  beforeAll(async () => {
    cpSync(path.join(here, 'dbt-project'), project, { recursive: true });
    // The seed's table, loaded by plain dbt: it emits nothing.
    await dbt('dbt', ['seed']);
  }, 300_000);

  describe.each(BACKENDS)('($name)', { timeout: 300_000 }, (backend) => {
    const h = useServiceWithKeys(backend);

    it('records the jobs, runs and dataset versions of the two models, and the lineage seed → staging → mart', async () => {
      const editor = await makeKey(h.store, 'editor');
      const t = await startSecureServer(h.api);
      try {
        await dbt('dbt-ol', ['run'], { OPENLINEAGE_URL: t.origin, OPENLINEAGE_API_KEY: editor, OPENLINEAGE_NAMESPACE: 'dbt-test' });
        const gql = async (q: string, v: Record<string, unknown> = {}) => {
          const res = await t.gql(q, v, bearer(editor));
          expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
          return res.data!;
        };
        const jobs = await gql(`{
          stg: contextByName(type: "openlineage.Job", name: "dbt-test/shop.main.shop.stg_orders") { executions(first: 10) { nodes { lastKnownState } } parents { name } }
          mart: contextByName(type: "openlineage.Job", name: "dbt-test/shop.main.shop.orders_summary") { executions(first: 10) { nodes { lastKnownState } } }
        }`);
        expect(jobs.stg).toEqual({ executions: { nodes: [{ lastKnownState: 'COMPLETE' }] }, parents: [{ name: 'dbt-test' }] });
        expect(jobs.mart).toEqual({ executions: { nodes: [{ lastKnownState: 'COMPLETE' }] } });

        const datasets = await gql(`query ($raw: String!, $stg: String!, $mart: String!) {
          raw: contextByName(type: "openlineage.Dataset", name: $raw) { artifacts(first: 10) { nodes { id name } } }
          stg: contextByName(type: "openlineage.Dataset", name: $stg) { artifacts(first: 10) { nodes { id name customProperties } } }
          mart: contextByName(type: "openlineage.Dataset", name: $mart) { artifacts(first: 10) { nodes { id name } } }
        }`, { raw: DATASET('raw_orders'), stg: DATASET('stg_orders'), mart: DATASET('orders_summary') });
        const versions = (d: string): string[] => datasets[d].artifacts.nodes.map((a: { name: string }) => a.name);
        const stgRun = (await gql('query ($n: String!) { contextByName(type: "openlineage.Job", name: $n) { executions(first: 1) { nodes { name } } } }',
          { n: 'dbt-test/shop.main.shop.stg_orders' })).contextByName.executions.nodes[0].name as string;
        const martRun = (await gql('query ($n: String!) { contextByName(type: "openlineage.Job", name: $n) { executions(first: 1) { nodes { name } } } }',
          { n: 'dbt-test/shop.main.shop.orders_summary' })).contextByName.executions.nodes[0].name as string;
        // Each model's completed run wrote a version of its table, named by the run; the seed was only read.
        expect(versions('stg')).toContain(`${DATASET('stg_orders')}@${stgRun}`);
        expect(versions('mart')).toEqual([`${DATASET('orders_summary')}@${martRun}`]);
        expect(versions('raw')).toHaveLength(1);
        // dbt's facets kept on the version: its columns' lineage among them.
        const written = datasets.stg.artifacts.nodes.find((a: { name: string }) => a.name.endsWith(`@${stgRun}`));
        expect(Object.keys(written.customProperties)).toEqual(expect.arrayContaining(['facet:columnLineage', 'facet:dataSource', 'facet:dbt_model']));
        expect(written.customProperties['facet:columnLineage'].fields.email.inputFields).toEqual([
          expect.objectContaining({ namespace: 'duckdb://shop.duckdb', name: 'shop.main.raw_orders', field: 'email' }),
        ]);

        // The lineage upstream of the mart: the mart's run read the version the staging run wrote, which read the seed.
        const lineage = (await gql(`query ($id: ID!) { lineage(start: [$id], direction: UPSTREAM, maxHops: 10) {
          nodes { kind distance artifact { name } execution { name } } } }`, { id: datasets.mart.artifacts.nodes[0].id })).lineage;
        const seen = lineage.nodes.map((n: { distance: number; artifact: { name: string } | null; execution: { name: string } | null }) =>
          `${n.distance} ${n.artifact?.name ?? n.execution!.name}`);
        expect(seen).toEqual(expect.arrayContaining([
          `0 ${DATASET('orders_summary')}@${martRun}`, `1 ${martRun}`, `2 ${DATASET('stg_orders')}@${stgRun}`, `3 ${stgRun}`, `4 ${versions('raw')[0]}`,
        ]));
      } finally {
        await t.close();
      }
    });
  });
});
