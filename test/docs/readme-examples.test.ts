/**
 * The README's worked examples are real: scripts/readme-examples.sh runs every one of
 * them against a fresh server, and this test runs the script, checks each answer is the
 * one the README shows in kind (no error but the two the README means to show), and that
 * every GraphQL operation the README's `gql` lines send is one the script sends.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandRuns, toolAvailable } from '../support/requirements.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/readme-examples.sh');

const HAS_TOOLS = toolAvailable(commandRuns('jq', ['--version']) && commandRuns('curl', ['--version']),
  'jq or curl is not on PATH', 'the README examples test');

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resolve(port));
  });
});

/** The answers the script printed, by the section name it gave each (`### name`). */
function sections(output: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of output.split(/^### /m).slice(1)) {
    const newline = part.indexOf('\n');
    map.set(part.slice(0, newline).trim(), part.slice(newline + 1).trim());
  }
  return map;
}

/** The first single-quoted argument of every `gql '...'` line: the operation it sends. */
const gqlOperations = (text: string): string[] =>
  [...text.matchAll(/^\s*(?:[A-Z]+=\$\()?gql '([^']+)'/gm)].map((m) => m[1]!);

describe.skipIf(!HAS_TOOLS)('the README\'s worked examples', () => {
  it('send only operations the examples script runs', () => {
    const readme = gqlOperations(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    const script = new Set(gqlOperations(readFileSync(SCRIPT, 'utf8')));
    expect(readme.length).toBeGreaterThanOrEqual(12);
    expect(readme.filter((op) => !script.has(op))).toEqual([]);
  });

  it('answer as the README shows when run for real', async () => {
    const port = await freePort();
    const run = spawnSync('bash', [SCRIPT], { cwd: ROOT, env: { ...process.env, JOURNEY_PORT: String(port) }, encoding: 'utf8', timeout: 400_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const answers = sections(run.stdout);
    const json = (name: string) => JSON.parse(answers.get(name) ?? 'null') as { data?: any; errors?: { extensions: { code: string } }[] };
    for (const name of ['types', 'step1', 'step2', 'step3', 'lineage', 'impact', 'path', 'compare', 'with-key', 'declare', 'register', 'subject-lineage', 'after-erasure', 'audit']) {
      expect(json(name)?.errors, `${name}: ${answers.get(name)}`).toBeUndefined();
    }
    expect(json('reuse-refused').errors?.[0]?.extensions.code).toBe('ALREADY_EXISTS');
    expect(json('no-key').errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(json('lineage').data.lineage.nodes.map((n: any) => (n.artifact ?? n.execution).name))
      .toEqual(['churn-model', 'train-1', 'clean', 'clean-1', 'raw']);
    expect(json('impact').data.impact.models.nodes.map((n: any) => n.artifact.name)).toEqual(['churn-model', 'churn-model-2']);
    expect(json('path').data.path).toHaveLength(4);
    const lr = json('compare').data.compareContexts.executions[1].properties[0];
    expect(lr).toEqual({ name: 'lr', custom: true, values: [0.01, 0.05], differs: true });
    expect(json('subject-lineage').data.dataSubjectLineage.models.map((m: any) => m.artifact.name)).toEqual(['churn-model', 'churn-model-2']);
    expect(answers.get('access-report')).toContain('# Personal data access report');
    expect(answers.get('erasure')).toMatch(/"complete": ?true/);
    expect(json('after-erasure').data.dataSubjectLineage.found).toBe(false);
    // The subject's identifier is in the commands, never in what the server keeps or says back.
    expect(answers.get('audit')).not.toContain('customer-4711');

    // The command line (the README's "The command line" section), run at the end of the script.
    expect(answers.get('cli-impact')).toMatch(/^Downstream of DataSet\/raw: 2 models, 3 artifacts, 3 executions and 2 contexts affected\n/);
    expect(answers.get('cli-impact-gate')).toContain('**Gate failed:** the change reaches Model, Pipeline/churn-tuned.');
    expect(answers.get('cli-impact-gate')).toMatch(/\njourney: gate tripped: the impact reaches "Model", "Pipeline\/churn-tuned" \(--fail-if-affected\)\n\(exit 3\)$/);
    expect(answers.get('cli-impact-pass')).toBe('(exit 0)');
    expect(answers.get('cli-compare')).toMatch(/│ ≠ {3}lr \(custom\) │ 0\.01 +│ 0\.05 +│/);
    expect(answers.get('cli-subject')).toMatch(/^The data reached 4 artifacts \(2 models\) from 1 registered source/);
    expect(answers.get('cli-erasure')).toContain('(ticket 815): open; 3 pending, 0 erased, 1 retrained, 0 exempt of 4.');
    expect(answers.get('cli-viewer')).toBe('journey: FORBIDDEN: Query.erasureRequests needs the privacy or admin role; this request has viewer\n(exit 5)');
  }, 450_000);

  it('show in the command line section only commands the examples script runs', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The command line: impact'), readme.indexOf('## Impact analysis in CI'));
    const commands = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.trim().split('\n'));
    expect(commands.length).toBeGreaterThanOrEqual(9);
    const script = readFileSync(SCRIPT, 'utf8').split('\n').map((l) => l.trim());
    expect(commands.filter((c) => !script.some((line) => line.startsWith(c)))).toEqual([]);
  });
});
