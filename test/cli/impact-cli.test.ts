/**
 * `journey impact` and `journey compare` against a real server on every backend, over the
 * seeded TFX pipeline (test/explorer/tfx-seed.ts): two runs of ExampleGen → StatisticsGen →
 * SchemaGen → Transform → Trainer → Evaluator → Pusher sharing raw-span-1, contexts
 * Pipeline/taxi (both runs) and PipelineRun/taxi-run-1, -2; a Notebook in run 2 reads
 * examples-2 and writes an Examples artifact with a hostile name (nothing reads it).
 * JSON outputs equal the GraphQL answers; the gate exits 0 or 3 where it must; one impact
 * request whatever the number of start nodes.
 */
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CompareRunsDocument, ImpactReportDocument } from '../../src/cli/generated/graphql.js';
import { markdownText } from '../../src/cli/output/text-escapes.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { createServices } from '../../src/service/services.js';
import { startTestServer } from '../api/harness.js';
import { HOSTILE_NAME } from '../explorer/tfx-seed.js';
import { BACKENDS } from '../support/backends.js';
import { runJourney, useCliServer } from './cli-server-harness.js';

const IMPACT = print(ImpactReportDocument);

describe.each(BACKENDS)('journey impact ($name)', (backend) => {
  const s = useCliServer(backend);
  const operationsDuring = async <T>(run: () => Promise<T>): Promise<{ result: T; operations: string[] }> => {
    const before = s.t.logs.operations().length;
    const result = await run();
    return { result, operations: s.t.logs.operations().slice(before).map((o) => o.operationName as string) };
  };

  it('prints the server\'s impact answer as JSON when piped, from one impact request for all the start nodes', async () => {
    const { result: run, operations } = await operationsDuring(() => s.journey(['impact', 'ExternalArtifact/raw-span-1']));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const answer = await s.gql<Record<string, any>>(IMPACT, { start: [s.seed.raw], first: 100, withTypes: false });
    expect(JSON.parse(run.stdout)).toEqual({ impact: answer.impact });
    expect(operations).toEqual(['ResolveNodes', 'ImpactReport']);
    // By hand: both runs downstream of the raw span: 4 models (a Model and a PushedModel per run),
    // 17 artifacts (8 per run and the notebook's), 15 executions (7 per run and the notebook), 3 contexts.
    const impact = answer.impact;
    expect([impact.modelCount, impact.artifactCount, impact.executionCount, impact.contexts.totalCount]).toEqual([4, 17, 15, 3]);
    expect(impact.models.nodes.map((n: any) => n.artifact.name).sort()).toEqual(['pushed-model-1', 'pushed-model-2', 'taxi-model-1', 'taxi-model-2']);
    expect(impact.start.map((n: any) => n.id)).toEqual([s.seed.raw]);

    const two = await operationsDuring(() => s.journey(['impact', 'Examples/examples-1', s.seed.artifacts[1].evaluation!, '--format', 'json']));
    expect(two.result.code).toBe(0);
    expect(two.operations).toEqual(['ResolveNodes', 'ImpactReport']);
    const both = await s.gql<Record<string, any>>(IMPACT, { start: [s.seed.artifacts[0].examples, s.seed.artifacts[1].evaluation], first: 100, withTypes: false });
    expect(JSON.parse(two.result.stdout)).toEqual({ impact: both.impact });
  });

  it('gates: exit 0 when no flag is reached, 3 when one is, with one stderr line per affected node that tripped it and the report still on stdout', async () => {
    // Nothing downstream of taxi-model-2 is a Trainer or in run 1.
    const pass = await s.journey(['impact', 'Model/taxi-model-2', '--fail-if-affected', 'Trainer', 'PipelineRun/taxi-run-1']);
    expect([pass.code, pass.stderr]).toEqual([0, '']);
    const plain = await s.journey(['impact', 'Model/taxi-model-2']);
    expect(pass.stdout).toBe(plain.stdout);

    const trip = await s.journey(['impact', 'ExternalArtifact/raw-span-1', '--fail-if-affected', 'Model']);
    expect(trip.code).toBe(3);
    const [m1, m2] = [s.seed.artifacts[0].model, s.seed.artifacts[1].model];
    expect(trip.stderr).toBe([
      `journey: --fail-if-affected "Model": artifact "Model/taxi-model-1" (id ${m1}, 6 hops) is affected`,
      `journey: --fail-if-affected "Model": artifact "Model/taxi-model-2" (id ${m2}, 6 hops) is affected`,
      'journey: gate tripped: the impact reaches "Model" (--fail-if-affected)',
      '',
    ].join('\n'));
    expect(JSON.parse(trip.stdout)).toEqual(JSON.parse((await s.journey(['impact', 'ExternalArtifact/raw-span-1'])).stdout));
  });

  it('gates with several start nodes and several flags: types and contexts, each reached flag named, the unreached passed over', async () => {
    // examples-1 reaches run 1's models; evaluation-2 reaches Pusher-2 and pushed-model-2 (run 2). Neither reaches the Notebook.
    const run = await s.journey(['impact', 'Examples/examples-1', 'ModelEvaluation/evaluation-2', '--format', 'markdown',
      '--fail-if-affected', 'PushedModel', 'PipelineRun/taxi-run-2', 'Notebook']);
    expect(run.code).toBe(3);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('"PushedModel"') && l.includes('is affected')).map((l) => /PushedModel\/([\w-]+)/.exec(l)![1]).sort())
      .toEqual(['pushed-model-1', 'pushed-model-2']);
    expect(lines.filter((l) => l.includes('--fail-if-affected "PipelineRun/taxi-run-2": context "PipelineRun/taxi-run-2"'))).toHaveLength(1);
    expect(run.stderr).not.toContain('Notebook');
    expect(lines.at(-1)).toBe('journey: gate tripped: the impact reaches "PushedModel", "PipelineRun/taxi-run-2" (--fail-if-affected)');
    expect(run.stdout).toContain('**Gate failed:** the change reaches PushedModel, PipelineRun/taxi-run-2 (not Notebook).');
  });

  it('gates within --hops when the caller bounds the walk: a model beyond them does not trip it', async () => {
    // raw → ExampleGen (1 hop) → examples (2): the models are 6 hops away.
    const run = await s.journey(['impact', 'ExternalArtifact/raw-span-1', '--hops', '2', '--fail-if-affected', 'Model', '--format', 'json']);
    expect([run.code, run.stderr]).toEqual([0, 'journey: the walk was cut short (--hops or the server\'s node ceiling): more may be affected\n']);
    expect(JSON.parse(run.stdout).impact).toMatchObject({ truncated: true, modelCount: 0, artifactCount: 2, executionCount: 2 });
  });

  it('fails closed when the server\'s own hop ceiling cut the walk short (no --hops): what lies beyond may be what a flag names', async () => {
    // A second server over the same store whose ceiling is 2 hops: the models, 6 hops away, lie beyond it.
    const capped = await startTestServer(createServices(s.store).metadata, {
      keys: createApiKeyService(s.store), lineage: createLineageService(s.store, { maxHopsCeiling: 2 }),
    });
    try {
      const env = { JOURNEY_URL: capped.url, JOURNEY_API_KEY: s.adminKey };
      const closed = await runJourney(['impact', 'ExternalArtifact/raw-span-1', '--fail-if-affected', 'Model', '--format', 'markdown'], env);
      expect(closed.code).toBe(3);
      expect(closed.stderr).toBe('journey: the walk was cut short (--hops or the server\'s node ceiling): more may be affected\n' +
        'journey: gate tripped: the walk was cut short by the server\'s ceiling, so the impact may reach what --fail-if-affected names beyond it (give --hops to gate within that many hops)\n');
      expect(closed.stdout).toContain('**Gate failed:** the walk was cut short by the server\'s limit, so the change may reach Model beyond it.');
      const bounded = await runJourney(['impact', 'ExternalArtifact/raw-span-1', '--hops', '2', '--fail-if-affected', 'Model'], env);
      expect(bounded.code, bounded.stderr).toBe(0);
    } finally {
      await capped.close();
    }
  });

  it('does not trip on a context only a start node belongs to, nor when nothing is affected', async () => {
    // The notebook's hostile output is in run 2 and nothing reads it.
    const run = await s.journey(['impact', s.seed.hostile, '--fail-if-affected', 'PipelineRun/taxi-run-2', 'Examples', '--format', 'json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const { impact } = JSON.parse(run.stdout);
    expect([impact.artifactCount, impact.executionCount, impact.contexts.totalCount]).toEqual([0, 0, 0]);
  });

  it('reads every page of contexts before it passes a context flag, and gives the same verdict whatever --limit', async () => {
    // From examples-2: run 2 and the pipeline; with one context a page, taxi-run-2 (the larger id) is on a later page.
    for (const limit of ['1', '100']) {
      const { result, operations } = await operationsDuring(() => s.journey(['impact', 'Examples/examples-2', '--limit', limit, '--fail-if-affected', 'PipelineRun/taxi-run-2']));
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain('--fail-if-affected "PipelineRun/taxi-run-2": context "PipelineRun/taxi-run-2"');
      expect(operations.filter((o) => o === 'ImpactContextsPage')).toHaveLength(limit === '1' ? 1 : 0);
      const missed = await s.journey(['impact', 'Examples/examples-2', '--limit', limit, '--fail-if-affected', 'PipelineRun/taxi-run-1']);
      expect([missed.code, missed.stderr]).toEqual([0, '']);
    }
  });

  it('refuses a flag that names no type and no context (exit 2, nothing on stdout), and a bad --limit', async () => {
    const run = await s.journey(['impact', 'ExternalArtifact/raw-span-1', '--fail-if-affected', 'Model', 'Modle', 'PipelineRun/nope']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('journey: --fail-if-affected "Modle", "PipelineRun/nope": name no artifact type, execution type or context (a type is Name or Name@version, a context an id, an mlmdId or Type/name) (see journey --help)\n');
    const limit = await s.journey(['impact', 'ExternalArtifact/raw-span-1', '--limit', '500']);
    expect([limit.code, limit.stderr]).toEqual([2, 'journey: --limit must be a whole number from 1 to 100, got "500" (see journey --help)\n']);
  });

  it('writes Markdown for a pull-request comment with the hostile name escaped, and the explorer\'s CSV', async () => {
    const md = await s.journey(['impact', 'ExternalArtifact/raw-span-1', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout.split('\n')[2]).toBe('**4 models**, 17 artifacts, 15 executions and 3 contexts affected downstream of ExternalArtifact/raw-span-1.');
    expect(md.stdout).toContain(`| ${markdownText(HOSTILE_NAME)} | Examples | UNKNOWN | 4 | ${s.seed.hostile} |`);
    expect(md.stdout).not.toMatch(/<img|<script|onerror="/);
    const csv = await s.journey(['impact', 'ExternalArtifact/raw-span-1', '--format', 'csv']);
    const rows = csv.stdout.trimEnd().split(/\r?\n/);
    expect(rows[0]).toBe('section,kind,id,type,name,uri,state,distance,artifactCount,executionCount');
    expect(rows.filter((r) => r.startsWith('model,'))).toHaveLength(4);
    expect(rows.filter((r) => r.startsWith('context,'))).toHaveLength(3);
    expect(csv.stdout).toContain(`artifact,ARTIFACT,${s.seed.hostile},Examples,"${HOSTILE_NAME.replace(/"/g, '""')}",javascript:alert(1),UNKNOWN,4,,`);
  });
});

describe.each(BACKENDS)('journey compare ($name)', (backend) => {
  const s = useCliServer(backend);

  it('prints the server\'s comparison as JSON when piped, and the runs side by side as a table', async () => {
    const json = await s.journey(['compare', 'PipelineRun/taxi-run-1', 'PipelineRun/taxi-run-2']);
    expect([json.code, json.stderr]).toEqual([0, '']);
    const answer = await s.gql(print(CompareRunsDocument), { ids: s.seed.runs });
    expect(JSON.parse(json.stdout)).toEqual(answer);

    const table = await s.journey(['compare', 'PipelineRun/taxi-run-1', 'PipelineRun/taxi-run-2', '--format', 'table']);
    const row = (label: string) => table.stdout.split('\n').find((l) => l.includes(label))!.split('│').map((c) => c.trim());
    expect(row('PipelineRun/taxi-run-1').slice(2, 4)).toEqual(['PipelineRun/taxi-run-1', 'PipelineRun/taxi-run-2']);
    expect(row('learning_rate').slice(1, 4)).toEqual(['≠   learning_rate', '0.01', '0.02']);
    expect(row('train_steps').slice(1, 4)).toEqual(['train_steps', '1000', '1000']);
    expect(row('accuracy').slice(1, 4)).toEqual(['≠   accuracy', '0.81', '0.86']);
    expect(row('Notebook').slice(1, 4)).toEqual(['≠ Notebook', 'none', 'exploration COMPLETE']);
  });

  it('refuses fewer than two runs, a run given twice, and a node that is not a context', async () => {
    expect((await s.journey(['compare', 'PipelineRun/taxi-run-1'])).code).toBe(2);
    const twice = await s.journey(['compare', 'PipelineRun/taxi-run-1', s.seed.runs[0]]);
    expect([twice.code, twice.stderr]).toEqual([2, 'journey: compare: "' + s.seed.runs[0] + '" names a context given before (see journey --help)\n']);
    const model = await s.journey(['compare', 'PipelineRun/taxi-run-1', 'Model/taxi-model-1']);
    expect(model.code).toBe(6);
    expect(model.stderr).toBe('journey: unknown node "Model/taxi-model-1": no context named "taxi-model-1" of the unversioned type "Model"\n');
  });
});
