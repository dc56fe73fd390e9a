/**
 * The README's "Impact analysis in CI" job is real: its step's `run` script, read from the
 * README's YAML as written, runs under bash (as GitHub Actions runs it: `bash -e`) with the
 * step's environment, in a git repository whose last commit changes a dataset file, against
 * a real server on every backend over the seeded TFX pipeline. Only `gh` (which would post
 * the comment) and `npx` (which would find the package in node_modules) are stand-ins:
 * `journey` runs for real. Expected, by the job's rules: a changed dataset upstream of a
 * model fails the job unless signed off, and the comment is posted either way; a change
 * that reaches no model passes; no changed dataset posts nothing; an unreachable server
 * fails the job (exit 4), posting nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BACKENDS } from '../support/backends.js';
import { useCliServer } from '../cli/cli-server-harness.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Step { name?: string; env?: Record<string, string>; run?: string }

/** The "Impact of the changed datasets" step of the README's workflow. */
function readmeStep(): Step {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Impact analysis in CI'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
  const workflow = parse(block) as { jobs: { impact: { steps: Step[] } } };
  return workflow.jobs.impact.steps.find((s) => s.name === 'Impact of the changed datasets')!;
}

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** A git repository whose last commit changes `changed` (files under it made in the first commit, then edited). */
function repositoryChanging(changed: readonly string[]): { dir: string; base: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'journey-ci-'));
  dirs.push(dir);
  const git = (...args: string[]) => {
    const run = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    if (run.status !== 0) throw new Error(run.stderr);
    return run.stdout.trim();
  };
  git('init', '-q');
  const files = [...changed, 'datasets/Examples/untouched.csv', 'README.md'];
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), 'v1\n');
  }
  git('add', '-A');
  git('commit', '-qm', 'base');
  const base = git('rev-parse', 'HEAD');
  for (const f of changed) writeFileSync(path.join(dir, f), 'v2\n');
  writeFileSync(path.join(dir, 'README.md'), 'v2\n');
  git('commit', '-qam', 'change');
  return { dir, base };
}

/** A folder of stand-ins: `gh` records its arguments and the comment body; `npx journey` runs this checkout's bin/journey.js. */
function standIns(dir: string): string {
  const bin = path.join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'gh'), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" > "${dir}/.gh-args"\nwhile [ $# -gt 0 ]; do if [ "$1" = --body-file ]; then cp "$2" "${dir}/.gh-body"; fi; shift; done\n`);
  writeFileSync(path.join(bin, 'npx'), `#!/usr/bin/env bash\n[ "$1" = journey ] || exit 127\nshift\nexec "${process.execPath}" "${path.join(ROOT, 'bin/journey.js')}" "$@"\n`);
  chmodSync(path.join(bin, 'gh'), 0o755);
  chmodSync(path.join(bin, 'npx'), 0o755);
  return bin;
}

describe.each(BACKENDS)('the README\'s CI job ($name)', (backend) => {
  const s = useCliServer(backend);
  const step = readmeStep();

  /** Runs the step's script as Actions would, with its env filled in as GitHub would fill it. */
  async function runStep(changed: readonly string[], options: { signedOff?: boolean; url?: string } = {}) {
    const { dir, base } = repositoryChanging(changed);
    const bin = standIns(dir);
    const env: Record<string, string> = {
      ...process.env as Record<string, string>, PATH: `${bin}:${process.env.PATH}`,
      JOURNEY_URL: options.url ?? s.t.url, JOURNEY_API_KEY: s.viewerKey, BASE_SHA: base, PR_NUMBER: '42',
      SIGNED_OFF: String(options.signedOff ?? false), GH_TOKEN: 'unused',
    };
    // Not spawnSync: the server answers from this process, whose event loop must keep running.
    const child = spawn('bash', ['-e', '-c', step.run!], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const status = await new Promise<number | null>((resolve, reject) => { child.once('error', reject); child.once('close', resolve); });
    const posted = existsSync(path.join(dir, '.gh-body')) ? readFileSync(path.join(dir, '.gh-body'), 'utf8') : null;
    const ghArgs = existsSync(path.join(dir, '.gh-args')) ? readFileSync(path.join(dir, '.gh-args'), 'utf8').trim() : null;
    return { status, stdout, stderr, posted, ghArgs };
  }

  it('is the step the README shows: the env it names, journey impact with the gate, the comment, the label', () => {
    expect(Object.keys(step.env!)).toEqual(['JOURNEY_URL', 'JOURNEY_API_KEY', 'BASE_SHA', 'PR_NUMBER', 'SIGNED_OFF', 'GH_TOKEN']);
    expect(step.run).toContain('npx journey impact "${datasets[@]}" --format markdown --fail-if-affected Model > impact.md');
  });

  it('fails the job when a changed dataset reaches a model without sign-off, posting the report; passes with the label', async () => {
    const failed = await runStep(['datasets/ExternalArtifact/raw-span-1.csv']);
    expect(failed.status, failed.stderr).toBe(3); // the gate's code fails the job
    expect(failed.stdout).toContain('::error::This change affects a production model');
    expect(failed.stderr).toContain('journey: --fail-if-affected "Model": artifact "Model/taxi-model-1"');
    expect(failed.ghArgs).toMatch(/^pr comment 42 --body-file impact.md$/);
    expect(failed.posted).toContain('**Gate failed:** the change reaches Model.');
    expect(failed.posted).toContain('**4 models**, 17 artifacts, 15 executions and 3 contexts affected downstream of ExternalArtifact/raw-span-1.');

    const signed = await runStep(['datasets/ExternalArtifact/raw-span-1.csv'], { signedOff: true });
    expect(signed.status, signed.stderr).toBe(0);
    expect(signed.stdout).toContain('signed off');
    expect(signed.posted).toContain('**Gate failed:** the change reaches Model.');
  });

  it('passes a change that reaches no model, still posting the report; posts nothing when no dataset changed', async () => {
    // Downstream of evaluation-1: Pusher-1 and pushed-model-1, a PushedModel, not a Model.
    const pass = await runStep(['datasets/ModelEvaluation/evaluation-1.json']);
    expect(pass.status, pass.stderr).toBe(0);
    expect(pass.posted).toContain('**Gate passed:** the change reaches none of Model.');
    const none = await runStep([]);
    expect([none.status, none.stdout.trim(), none.posted]).toEqual([0, 'No dataset changed.', null]);
  });

  it('fails the job when the server cannot be reached, posting nothing', async () => {
    const down = await runStep(['datasets/ExternalArtifact/raw-span-1.csv'], { url: 'http://127.0.0.1:9/graphql' });
    expect(down.status).toBe(4);
    expect(down.stderr).toMatch(/^journey: cannot reach the server at http:\/\/127\.0\.0\.1:9\/graphql/);
    expect(down.posted).toBeNull();
  });
});
