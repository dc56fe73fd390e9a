/**
 * Real DVC projects for the importer's tests, made by the `dvc` package from PyPI (pinned
 * in scripts/python/requirements.txt) and real Git, in a temporary folder:
 *
 *   data.csv ──prepare──▶ prepared.csv ──train (params.yaml: train.lr, train.epochs)──▶ model.pkl
 *
 * Three states of one repository, each in its own copy under the same folder name (the
 * pipeline's and datasets' names), each a commit at a fixed time: `first` (run once),
 * `changedData` (data.csv changed, `dvc repro`: both stages run again) and `changedParams`
 * (then train.lr changed, `dvc repro`: train alone runs again). `noGit` is the first state
 * without its .git folder; `noScm` a one-stage project made by `dvc init --no-scm`.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parse } from 'yaml';

/** The repository's folder name: spaces, quotes and non-ASCII, as users name folders. */
export const REPO_NAME = `my "repo" d'été`;

export const COMMIT_TIMES = {
  first: Date.parse('2024-01-02T03:04:05Z'),
  changedData: Date.parse('2024-02-03T04:05:06Z'),
  changedParams: Date.parse('2024-03-04T05:06:07Z'),
} as const;

export interface DvcFixture {
  first: string;
  changedData: string;
  changedParams: string;
  noGit: string;
  noScm: string;
  /** A stage with a wdir, a list of commands and a directory out, and a foreach stage of two items (no Git). */
  shapes: string;
}

const DVC_YAML = `stages:
  prepare:
    desc: upper-cases the raw rows
    cmd: python -c "open('prepared.csv','w').write(open('data.csv').read().upper())"
    deps: [data.csv]
    outs: [prepared.csv]
  train:
    cmd: >-
      python -c "import yaml; p = yaml.safe_load(open('params.yaml'))['train'];
      open('model.pkl','w').write(open('prepared.csv').read()[::-1] + str(p))"
    deps: [prepared.csv]
    params: [train.lr, train.epochs]
    outs: [model.pkl]
`;

const SHAPES_YAML = `stages:
  copy:
    wdir: sub
    cmd: [mkdir -p outdir, cp ../data.csv outdir/a, cp ../data.csv outdir/b]
    deps: [../data.csv]
    outs: [outdir]
  loop:
    foreach: [1, 2]
    do:
      desc: one of two
      cmd: echo \${item} > o\${item}.txt
      outs: ["o\${item}.txt"]
`;

function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`);
  return result.stdout;
}

/** Makes every state under `folder`; `python` is the virtualenv's interpreter (dvc beside it). */
export function makeDvcFixture(folder: string, python: string): DvcFixture {
  const bin = path.dirname(python);
  const env: NodeJS.ProcessEnv = {
    ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, DVC_NO_ANALYTICS: '1',
    GIT_AUTHOR_NAME: 'Ada Tester', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_COMMITTER_NAME: 'Ada Tester', GIT_COMMITTER_EMAIL: 'ada@example.org',
    GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
  };
  const dvc = path.join(bin, 'dvc');
  const commit = (dir: string, message: string, at: number) => {
    const date = new Date(at).toISOString();
    run(dir, 'git', ['add', '-A'], env);
    run(dir, 'git', ['commit', '-q', '-m', message], { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  };
  const state = (name: string) => path.join(folder, name, REPO_NAME);

  const first = state('first');
  mkdirSync(first, { recursive: true });
  run(first, 'git', ['init', '-q', '-b', 'main'], env);
  run(first, dvc, ['init', '-q'], env);
  writeFileSync(path.join(first, 'data.csv'), 'id,value\n1,a\n2,b\n');
  writeFileSync(path.join(first, 'params.yaml'), 'train:\n  lr: 0.1\n  epochs: 3\n');
  writeFileSync(path.join(first, 'dvc.yaml'), DVC_YAML);
  run(first, dvc, ['repro', '-q'], env);
  commit(first, 'first run\n\nprepare and train', COMMIT_TIMES.first);

  const changedData = state('changed-data');
  cpSync(first, changedData, { recursive: true });
  writeFileSync(path.join(changedData, 'data.csv'), 'id,value\n1,a\n2,b\n3,c\n');
  run(changedData, dvc, ['repro', '-q'], env);
  commit(changedData, 'more data', COMMIT_TIMES.changedData);

  const changedParams = state('changed-params');
  cpSync(changedData, changedParams, { recursive: true });
  writeFileSync(path.join(changedParams, 'params.yaml'), 'train:\n  lr: 0.01\n  epochs: 3\n');
  run(changedParams, dvc, ['repro', '-q'], env);
  commit(changedParams, 'smaller learning rate', COMMIT_TIMES.changedParams);

  const noGit = state('no-git');
  cpSync(first, noGit, { recursive: true });
  rmSync(path.join(noGit, '.git'), { recursive: true, force: true });

  const noScm = path.join(folder, 'no-scm', 'plain project');
  mkdirSync(noScm, { recursive: true });
  run(noScm, dvc, ['init', '-q', '--no-scm'], env);
  writeFileSync(path.join(noScm, 'in.txt'), 'hello\n');
  writeFileSync(path.join(noScm, 'dvc.yaml'), 'stages:\n  copy:\n    cmd: python -c "open(\'out.txt\',\'w\').write(open(\'in.txt\').read())"\n    deps: [in.txt]\n    outs: [out.txt]\n');
  run(noScm, dvc, ['repro', '-q'], env);

  const shapes = path.join(folder, 'shapes', 'shapes');
  mkdirSync(path.join(shapes, 'sub'), { recursive: true });
  run(shapes, dvc, ['init', '-q', '--no-scm'], env);
  writeFileSync(path.join(shapes, 'data.csv'), 'x\n');
  writeFileSync(path.join(shapes, 'dvc.yaml'), SHAPES_YAML);
  run(shapes, dvc, ['repro', '-q'], env);
  return { first, changedData, changedParams, noGit, noScm, shapes };
}

/** A lock file's stages as DVC wrote them: stage -> deps/outs as path -> md5. */
export function lockOf(dir: string): Record<string, { deps: Record<string, string>; outs: Record<string, string>; params?: Record<string, Record<string, unknown>> }> {
  const lock = parse(readFileSync(path.join(dir, 'dvc.lock'), 'utf8')) as { stages: Record<string, { deps?: { path: string; md5: string }[]; outs?: { path: string; md5: string }[]; params?: Record<string, Record<string, unknown>> }> };
  const byPath = (files: { path: string; md5: string }[] = []) => Object.fromEntries(files.map((f) => [f.path, f.md5]));
  return Object.fromEntries(Object.entries(lock.stages).map(([name, s]) => [name, { deps: byPath(s.deps), outs: byPath(s.outs), params: s.params }]));
}

/** HEAD's sha of the repository at `dir`. */
export function headOf(dir: string): string {
  return run(dir, 'git', ['rev-parse', 'HEAD'], process.env).trim();
}
