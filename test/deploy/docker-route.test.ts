/**
 * The Docker route without Docker: the image's /app is laid out from the Dockerfile's
 * last stage (its COPY lines, after `npm run build`), and its exact command line (CMD)
 * runs there with the environment compose gives the api service (the image's ENV, the
 * env file, then `environment`, interpolated from a .env made from .env.example), against
 * the suite's real Neo4j. Only what Docker itself would change is mapped: the Neo4j
 * service's host name to the suite's Neo4j, the port to a free one, the volume to a
 * folder. Checks that it serves, that the first start's admin key works and is written
 * nowhere else, that the CLI works in the image, and that a bad configuration exits
 * rather than loops.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createNeo4jStore } from '../../src/graph/neo4j/index.js';
import { clearNeo4jDatabase } from '../support/neo4j-database.js';
import { suiteNeo4jUri } from '../support/requirements.js';
import { buildExplorer } from '../../scripts/web/build.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NEO4J_URI = suiteNeo4jUri();

interface Instruction { keyword: string; args: string }
interface Stage { name: string | null; workdir: string; instructions: Instruction[] }

/** The Dockerfile's stages, each with its instructions (continuation lines joined, comments dropped). */
function dockerStages(text: string): Stage[] {
  const logical = text.replace(/\\\r?\n(\s*#.*\r?\n)*/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      stages.push({ name: /\sAS\s+(\S+)$/i.exec(args)?.[1] ?? null, workdir: '/', instructions: [] });
      continue;
    }
    const stage = stages.at(-1)!;
    if (upper === 'WORKDIR') stage.workdir = path.posix.resolve(stage.workdir, args);
    stage.instructions.push({ keyword: upper, args });
  }
  return stages;
}

/** ENV's `A=b C=d` (or `A b`) pairs; the Dockerfile uses no quoting, and a quote here fails loudly. */
function envOf(args: string): Record<string, string> {
  if (/["']/.test(args)) throw new Error(`quoted ENV values are not read by this test: ${args}`);
  if (!args.includes('=')) {
    const [key, ...value] = args.split(/\s+/);
    return { [key!]: value.join(' ') };
  }
  return Object.fromEntries(args.split(/\s+/).map((pair) => pair.split(/=(.*)/s).slice(0, 2) as [string, string]));
}

/** KEY=VALUE lines of an env file. */
function envFile(text: string): Record<string, string> {
  return Object.fromEntries(text.split(/\r?\n/).filter((l) => /^\s*[A-Za-z_]\w*=/.test(l)).map((l) => {
    const [key, value] = l.trim().split(/=(.*)/s) as [string, string];
    return [key, value.trim()];
  }));
}

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?message}, $$. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (whole === '$$') return '$';
    const set = vars[name!];
    if (set !== undefined && set !== '') return set;
    if (op === '-') return arg!;
    if (op === '?') throw new Error(`compose would refuse: ${name} ${arg}`);
    return set ?? '';
  });
}

const stages = dockerStages(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const image = stages.at(-1)!;
const compose = parseYaml(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as Record<string, any>;
const api = compose.services.api as Record<string, any>;

/** The image's command line: ENTRYPOINT then CMD, both in exec (JSON) form. */
function imageCommand(): string[] {
  const json = (keyword: string): string[] => {
    const found = image.instructions.filter((i) => i.keyword === keyword).at(-1);
    return found ? JSON.parse(found.args) as string[] : [];
  };
  return [...json('ENTRYPOINT'), ...json('CMD')];
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'journey-docker-'));
const appDir = path.join(scratch, 'app');
const binDir = path.join(scratch, 'bin');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** /app as the last stage builds it: each COPY from the context or from a stage that built it from the context. */
function layOutImage(): void {
  mkdirSync(appDir, { recursive: true });
  for (const { args } of image.instructions.filter((i) => i.keyword === 'COPY')) {
    const words = args.split(/\s+/);
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
    const [dest, ...sources] = words.filter((w) => !w.startsWith('--')).reverse();
    const target = path.join(appDir, path.posix.relative(image.workdir, path.posix.resolve(image.workdir, dest!)));
    for (const source of sources.reverse()) {
      let relative = source;
      if (from !== undefined) {
        const stage = stages.find((s) => s.name === from);
        if (!stage) throw new Error(`COPY --from=${from}: no such stage`);
        relative = path.posix.relative(stage.workdir, source);
      }
      const copyTo = dest!.endsWith('/') ? path.join(target, path.basename(relative)) : target;
      mkdirSync(path.dirname(copyTo), { recursive: true });
      // The installed dependencies stand for the prod-deps stage's `npm ci --omit=dev`.
      if (relative === 'node_modules') symlinkSync(path.join(ROOT, 'node_modules'), copyTo);
      else cpSync(path.join(ROOT, relative), copyTo, { recursive: true });
    }
  }
  // The image's PATH: node, and the `journey` link the Dockerfile makes.
  mkdirSync(binDir);
  symlinkSync(process.execPath, path.join(binDir, 'node'));
  symlinkSync(path.join(appDir, 'bin', 'journey.js'), path.join(binDir, 'journey'));
}

/** Where a path inside the container lands here: the image's WORKDIR is appDir. */
const hostPath = (containerPath: string): string => (containerPath.startsWith(`${image.workdir}/`)
  ? path.join(appDir, path.posix.relative(image.workdir, containerPath)) : containerPath);

/** The api container's environment under compose, with what Docker maps mapped to this machine. */
function containerEnv(dotEnv: Record<string, string>): Record<string, string> {
  const imageEnv = Object.assign({}, ...image.instructions.filter((i) => i.keyword === 'ENV').map((i) => envOf(i.args))) as Record<string, string>;
  const envFiles = ([] as unknown[]).concat(api.env_file ?? []).map((f) => (typeof f === 'string' ? f : (f as { path: string }).path));
  expect(envFiles).toEqual(['.env']);
  const environment = Object.fromEntries(Object.entries(api.environment as Record<string, string>).map(([k, v]) => [k, interpolate(String(v), dotEnv)]));
  const env: Record<string, string> = { ...imageEnv, ...dotEnv, ...environment };
  // Compose's NEO4J_URI names the neo4j service on the compose network; here that is the suite's Neo4j.
  expect(Object.keys(compose.services)).toContain(new URL(env.NEO4J_URI!).hostname);
  // The published port is the one the server listens on; here any free one will do.
  expect(api.ports).toContain(`${env.JOURNEY_PORT}:${env.JOURNEY_PORT}`);
  // ML Metadata's gRPC API is published on the port it listens on as well.
  expect(env.JOURNEY_GRPC_PORT).toBeDefined();
  expect(api.ports).toContain(`${env.JOURNEY_GRPC_PORT}:${env.JOURNEY_GRPC_PORT}`);
  for (const volume of api.volumes as string[]) mkdirSync(hostPath(volume.split(':')[1]!), { recursive: true });
  const mapped = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, hostPath(v)]));
  return { ...mapped, NEO4J_URI: NEO4J_URI!, JOURNEY_PORT: '0', JOURNEY_GRPC_PORT: '0', PATH: binDir, HOME: scratch };
}

/** .env as a user makes it: .env.example with its blanks filled in. */
function dotEnvFromExample(): Record<string, string> {
  const example = envFile(readFileSync(path.join(ROOT, '.env.example'), 'utf8'));
  expect(Object.keys(example).sort()).toEqual(['JOURNEY_SUBJECT_SECRET', 'NEO4J_PASSWORD']);
  return { ...example, JOURNEY_SUBJECT_SECRET: 'docker-route-test-secret-0123456789abcdef', NEO4J_PASSWORD: 'docker-route-test' };
}

interface Running { child: ChildProcess; origin: string; lines: Record<string, any>[]; output: () => string; exited: Promise<number | null> }

/** Runs the image's command in appDir; resolves once it serves. */
function runImage(env: Record<string, string>): Promise<Running> {
  const [command, ...args] = imageCommand();
  const child = spawn(command!, args, { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, any>[] = [];
  let text = '';
  child.stderr!.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      text += `${line}\n`;
      const entry = JSON.parse(line) as Record<string, any>;
      lines.push(entry);
      if (typeof entry.url === 'string') {
        const url = new URL(entry.url as string);
        resolve({ child, origin: `http://127.0.0.1:${url.port}`, lines, output: () => text, exited });
      }
    });
    void exited.then((code) => reject(new Error(`the image's command exited with ${code} before serving:\n${text}`)));
  });
}

async function gql(origin: string, query: string, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: await res.json() };
}

describe.skipIf(!NEO4J_URI)('the Docker route (Dockerfile + docker-compose.yml)', () => {
  let env: Record<string, string>;

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
    // The build stage's `npm ci` builds the web explorer (prepare); here, when web/ changed since.
    await buildExplorer({ quiet: true });
    layOutImage();
    env = containerEnv(dotEnvFromExample());
    // A fresh deployment: no API key in the store yet.
    const store = await createNeo4jStore({ uri: NEO4J_URI! });
    await clearNeo4jDatabase(store);
    await store.close();
  }, 180_000);

  it('runs compiled code only: node dist/..., no tsx among the production dependencies', () => {
    expect(imageCommand()[0]).toBe('node');
    expect(imageCommand()[1]).toMatch(/^dist\/.*\.js$/);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(existsSync(path.join(appDir, 'src'))).toBe(false);
  });

  it('serves on its first start with a bootstrap admin key written to the volume, never logged; the CLI works in the image', async () => {
    const first = await runImage(env);
    const keyFile = env.JOURNEY_BOOTSTRAP_ADMIN_KEY_FILE!;
    expect(keyFile.startsWith(appDir)).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(keyFile, 'utf8').trim();
    expect(token).toMatch(/^djk_/);
    const created = first.lines.find((l) => typeof l.keyId === 'string');
    expect(created?.msg).toContain(keyFile);

    expect((await gql(first.origin, '{ __typename }')).status).toBe(401);
    const keys = await gql(first.origin, '{ apiKeys { id name role } }', token);
    expect(keys).toEqual({ status: 200, body: { data: { apiKeys: [{ id: created!.keyId, name: 'bootstrap admin', role: 'ADMIN' }] } } });
    expect((await fetch(`${first.origin}/readyz`)).status).toBe(200);
    // The web explorer is in the image and served under NODE_ENV=production, with its CSP.
    const page = await fetch(`${first.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${first.origin}${script!}`)).status).toBe(200);
    // The OpenLineage intake finds its vendored spec (spec/openlineage/) in the image.
    const event = {
      eventType: 'START', eventTime: '2026-03-01T02:00:00Z', producer: 'https://example.com/p', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json',
      run: { runId: '0176a8c2-fe01-7439-87e6-56a1a1b4029f' }, job: { namespace: 'image', name: 'check' },
    };
    const intake = await fetch(`${first.origin}/api/v1/lineage`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(event),
    });
    expect(intake.status).toBe(201);
    // ML Metadata's gRPC API started too: its .proto files are in the image.
    expect(first.lines.find((l) => typeof l.grpc === 'string')?.msg).toContain('ml_metadata.MetadataStoreService');

    // `docker compose run api journey keys ...`: the same environment, the `journey` on the image's PATH.
    const cli = spawnSync('journey', ['keys', 'create', '--role', 'viewer', '--name', 'dashboard'], { cwd: appDir, env, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    const viewerToken = cli.stdout.trim().split('\n').at(-1)!;
    expect((await gql(first.origin, '{ artifacts(first: 1) { totalCount } }', viewerToken)).body).toEqual({ data: { artifacts: { totalCount: 0 } } });

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).not.toContain(token);
    expect(first.output()).not.toContain(token.slice(-20));

    // A second start finds keys: no new key, the file and the key unchanged.
    const second = await runImage(env);
    expect(second.lines.some((l) => typeof l.keyId === 'string')).toBe(false);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(token);
    expect((await gql(second.origin, '{ apiKeys { name } }', token)).body.data.apiKeys).toHaveLength(2);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(readdirSync(path.dirname(keyFile))).toEqual([path.basename(keyFile)]);
  }, 120_000);

  it('exits with code 1 and a message on a configuration error, and compose restarts it a bounded number of times', async () => {
    const [command, ...args] = imageCommand();
    const run = spawnSync(command!, args, { cwd: appDir, env: { ...env, JOURNEY_SUBJECT_SECRET: '' }, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('JOURNEY_SUBJECT_SECRET');
    expect(api.restart).toMatch(/^on-failure:\d+$/);
  }, 60_000);
});
