#!/usr/bin/env node
/**
 * The git-ignored virtualenv `.venv/` that the tests use for ML Metadata's real client and
 * store, made from scripts/python/requirements.txt (pinned), the way scripts/neo4j fetches
 * Neo4j: `npm run python:install` makes or refreshes it; `node scripts/python/python-env.mjs
 * path` prints its interpreter. A requirements file newer than the environment's stamp
 * installs again, so a changed pin reaches every checkout. A second argument names another
 * environment: `install dbt` makes `.venv-dbt/` from requirements-dbt.txt (dbt's pins
 * conflict with ml-metadata's).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The environments by name: the default one, and those whose pins conflict with it.
const ENVIRONMENTS = new Set(['default', 'dbt']);
const environment = process.argv[3] ?? 'default';
if (!ENVIRONMENTS.has(environment)) {
  console.error(`python-env.mjs: unknown environment ${environment} (known: ${[...ENVIRONMENTS].join(', ')})`);
  process.exit(2);
}
const suffix = environment === 'default' ? '' : `-${environment}`;
const venv = environment === 'default' && process.env.JOURNEY_PYTHON_VENV
  ? path.resolve(process.env.JOURNEY_PYTHON_VENV) : path.join(root, `.venv${suffix}`);
const python = path.join(venv, 'bin', 'python');
const requirements = path.join(root, 'scripts', 'python', `requirements${suffix}.txt`);
const stamp = path.join(venv, '.journey-requirements');

function run(command, args) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

/** Whether the environment holds exactly the pinned requirements (by the stamp written after install). */
function upToDate() {
  return existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === readFileSync(requirements, 'utf8');
}

function install() {
  if (upToDate()) return;
  console.log(`python: installing ${path.relative(root, requirements)} into ${path.relative(root, venv) || venv} ...`);
  if (!existsSync(python)) run('python3', ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  writeFileSync(stamp, readFileSync(requirements, 'utf8'));
}

const command = process.argv[2] ?? 'install';
if (command === 'install') install();
else if (command === 'path') console.log(python);
else {
  console.error(`usage: python-env.mjs install|path [default|dbt] (got ${command})`);
  process.exit(2);
}
