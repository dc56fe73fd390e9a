/**
 * The Git commit a DVC project's import is recorded under: HEAD of the repository the
 * project sits in, asked of the `git` command (no shell, so paths with spaces, quotes or
 * any Unicode pass as they are). A project made with `dvc init --no-scm`, a folder in no
 * repository, a repository without a commit, or a machine without git give no commit,
 * with the reason, and the import goes on without the commit's context.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** HEAD as the import records it. */
export interface GitCommit {
  sha: string;
  /** The author's name only: an email address is personal data the lineage does not need. */
  author: string;
  message: string;
  /** The commit time, ms since the epoch. */
  time: number;
  /** Whether dvc.yaml and dvc.lock are as committed (false: the lock records runs the commit does not hold). */
  lockCommitted: boolean;
}

export type GitLookup = { commit: GitCommit; reason: null } | { commit: null; reason: string };

/** A cap on what one git answer may print: a commit message is the only long one. */
const MAX_GIT_OUTPUT = 4 * 1024 * 1024;

function git(root: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd: root, encoding: 'utf8', maxBuffer: MAX_GIT_OUTPUT, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      const missing = (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      resolve({ ok: err === null, stdout, stderr, missing });
    });
  });
}

/** Whether `.dvc/config` (or `config.local`) says `no_scm = true` in `[core]`: DVC then ignores Git, and so does the import. */
async function noScm(root: string): Promise<boolean> {
  let found = false;
  for (const file of ['config', 'config.local']) {
    let text: string;
    try {
      text = await readFile(path.join(root, '.dvc', file), 'utf8');
    } catch {
      continue;
    }
    let section = '';
    for (const line of text.split(/\r?\n/)) {
      const header = /^\s*\[\s*(.+?)\s*\]\s*$/.exec(line);
      if (header) section = header[1]!.replace(/^'|'$/g, '').toLowerCase();
      const setting = /^\s*no_scm\s*=\s*(\S+)\s*$/i.exec(line);
      if (section === 'core' && setting) found = /^(true|yes|1)$/i.test(setting[1]!);
    }
  }
  return found;
}

/** HEAD of the repository holding `root`, or why there is none; see the file comment. */
export async function headCommit(root: string): Promise<GitLookup> {
  if (await noScm(root)) return { commit: null, reason: 'the DVC project was made with --no-scm' };
  const repo = await git(root, ['rev-parse', '--git-dir']);
  if (repo.missing) return { commit: null, reason: 'git is not on PATH' };
  if (!repo.ok) return { commit: null, reason: `not a Git repository (${firstLine(repo.stderr)})` };
  const head = await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (!head.ok) return { commit: null, reason: 'the Git repository has no commit yet' };
  const sha = head.stdout.trim();
  // NUL-separated: a name or a message may hold any other character.
  const log = await git(root, ['log', '-1', '--no-show-signature', '--format=%an%x00%ct%x00%B', sha, '--']);
  if (!log.ok) return { commit: null, reason: `git log failed (${firstLine(log.stderr)})` };
  const [author = '', seconds = '0', message = ''] = log.stdout.split('\0');
  const status = await git(root, ['status', '--porcelain', '-z', '--', 'dvc.yaml', 'dvc.lock']);
  return {
    commit: { sha, author, message: message.trimEnd(), time: Number(seconds) * 1000, lockCommitted: status.ok && status.stdout === '' },
    reason: null,
  };
}

const firstLine = (text: string): string => text.trim().split('\n')[0] ?? '';
