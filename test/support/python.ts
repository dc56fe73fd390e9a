/**
 * The Python half of the test counterparts: ML Metadata's real client and store, from the
 * git-ignored `.venv/` that scripts/python/python-env.mjs makes (pinned in
 * scripts/python/requirements.txt). Outside CI a machine without python3 skips the tests
 * that need it, loudly; with CI=true it fails them (test/support/requirements.ts).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandRuns, toolAvailable } from './requirements.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = path.join(root, 'scripts', 'python', 'python-env.mjs');

let ready: string | null | undefined;
const readyDbt: { python?: string | null } = {};

/**
 * The virtualenv's interpreter with ml-metadata and pytest installed (installing them on
 * first use), or null when python3 is missing outside CI. Call it in a `beforeAll` or at
 * collection; `what` names the tests that would be skipped.
 */
export function pythonWithMlmd(what: string): string | null {
  if (ready !== undefined) return ready;
  if (!toolAvailable(commandRuns('python3', ['--version']), 'python3 is not on PATH', what)) return (ready = null);
  const install = spawnSync(process.execPath, [script, 'install'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (install.status !== 0) throw new Error(`scripts/python/python-env.mjs install failed (exit ${install.status}): ${what} need ml-metadata`);
  const printed = spawnSync(process.execPath, [script, 'path'], { encoding: 'utf8' });
  return (ready = printed.stdout.trim());
}

/**
 * The interpreter of `.venv-dbt/` (dbt-core, dbt-duckdb and openlineage-dbt, pinned in
 * scripts/python/requirements-dbt.txt: their pins conflict with ml-metadata's), installing
 * it on first use; null when python3 is missing outside CI. Its bin/ holds `dbt` and `dbt-ol`.
 */
export function pythonWithDbt(what: string): string | null {
  if (readyDbt.python !== undefined) return readyDbt.python;
  if (!toolAvailable(commandRuns('python3', ['--version']), 'python3 is not on PATH', what)) return (readyDbt.python = null);
  const install = spawnSync(process.execPath, [script, 'install', 'dbt'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (install.status !== 0) throw new Error(`scripts/python/python-env.mjs install dbt failed (exit ${install.status}): ${what} need dbt`);
  const printed = spawnSync(process.execPath, [script, 'path', 'dbt'], { encoding: 'utf8' });
  return (readyDbt.python = printed.stdout.trim());
}
