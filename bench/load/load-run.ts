/**
 * One load run against one backend: API keys made (one editor key per client, as an
 * operator would with `journey keys create`), the real server started as its own process
 * (src/main.ts, so the load generator does not share its event loop), the clients run,
 * and afterwards the stored executions and artifacts counted against the acknowledged
 * writes: a lost write would show as a missing execution.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openStore, type StoreConfig } from '../../src/graph/open-store.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { summarize, type LatencySummary } from '../report/stats.js';
import { LOAD_TYPES, OP_KINDS, runLoad, type LoadResult, type OpKind } from './load-workload.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface LoadRunOptions {
  store: StoreConfig;
  clients: number;
  durationMs: number;
  seed?: number;
}

export interface OpFigures extends LatencySummary {
  errors: number;
  perSecond: number;
}

export interface LoadReport {
  backend: StoreConfig['backend'];
  clients: number;
  seconds: number;
  ops: Record<OpKind, OpFigures>;
  totalRequests: number;
  totalErrors: number;
  requestsPerSecond: number;
  errorSamples: string[];
  acknowledgedWrites: number;
  /** What the store holds afterwards, and what the acknowledged writes imply it must hold. */
  stored: { executions: number; artifacts: number };
  expected: { executions: number; artifacts: number };
}

function serverEnv(store: StoreConfig): Record<string, string> {
  const common = {
    NODE_ENV: 'development', JOURNEY_HOST: '127.0.0.1', JOURNEY_PORT: '0', JOURNEY_LOG_LEVEL: 'info',
    // The load measures capacity: every client would otherwise share its key's 100 requests a second.
    JOURNEY_RATE_LIMIT: '0',
  };
  return store.backend === 'neo4j'
    ? { ...common, JOURNEY_BACKEND: 'neo4j', NEO4J_URI: store.uri }
    : { ...common, JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: store.sqlitePath };
}

/** Starts src/main.ts; resolves with its URL and a stop function. */
function startServerProcess(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let found = false;
    // Every operation logs a line; only the first with a URL is parsed, the rest drained.
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (found || !line.includes('"url"')) return;
      found = true;
      const url = (JSON.parse(line) as { url: string }).url;
      resolve({ url, stop: async () => { child.kill('SIGTERM'); await exited; } });
    });
    void exited.then(() => { if (!found) reject(new Error(`the server exited before serving: ${stderr}`)); });
  });
}

async function gql(url: string, token: string, query: string): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  if (body.errors) throw new Error(`load setup failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Runs the load against a fresh server over `options.store`, which should hold no executions or artifacts yet. */
export async function runLoadAgainst(options: LoadRunOptions): Promise<LoadReport> {
  const keyStore = await openStore(options.store);
  let tokens: string[];
  try {
    const keys = createApiKeyService(keyStore);
    tokens = [];
    for (let c = 0; c <= options.clients; c++) tokens.push((await keys.create({ name: `load client ${c}`, role: 'editor' })).token);
  } finally {
    await keyStore.close();
  }
  const setupToken = tokens.pop()!;
  const server = await startServerProcess(serverEnv(options.store));
  let result: LoadResult;
  let stored: { executions: number; artifacts: number };
  try {
    await gql(server.url, setupToken, LOAD_TYPES);
    result = await runLoad({ url: server.url, clients: options.clients, durationMs: options.durationMs, tokens, seed: options.seed });
    const counts = await gql(server.url, setupToken, '{ executions(first: 1) { totalCount } artifacts(first: 1) { totalCount } }');
    stored = { executions: counts.executions.totalCount, artifacts: counts.artifacts.totalCount };
  } finally {
    await server.stop();
  }
  const seconds = result.elapsedMs / 1000;
  const ops = Object.fromEntries(OP_KINDS.map((k) => {
    const tally = result.ops[k];
    return [k, { ...summarize(tally.latenciesMs), errors: tally.errors, perSecond: Math.round((tally.count / seconds) * 10) / 10 }];
  })) as Record<OpKind, OpFigures>;
  const totalRequests = OP_KINDS.reduce((n, k) => n + result.ops[k].count, 0);
  return {
    backend: options.store.backend,
    clients: options.clients,
    seconds: Math.round(seconds * 10) / 10,
    ops,
    totalRequests,
    totalErrors: OP_KINDS.reduce((n, k) => n + result.ops[k].errors, 0),
    requestsPerSecond: Math.round((totalRequests / seconds) * 10) / 10,
    errorSamples: result.errorSamples,
    acknowledgedWrites: result.acknowledgedWrites,
    stored,
    expected: { executions: result.acknowledgedWrites, artifacts: result.acknowledgedWrites + result.writingClients },
  };
}

/** The report as a Markdown table. */
export function loadReportMarkdown(reports: readonly LoadReport[]): string {
  const lines = [
    '| backend | clients | seconds | requests | req/s | errors | writes acked | executions stored | op | count/s | p50 ms | p95 ms | p99 ms | max ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of reports) {
    for (const k of OP_KINDS) {
      const o = r.ops[k];
      const head = k === OP_KINDS[0]
        ? [r.backend, r.clients, r.seconds, r.totalRequests, r.requestsPerSecond, r.totalErrors, r.acknowledgedWrites, r.stored.executions]
        : ['', '', '', '', '', '', '', ''];
      lines.push(`| ${[...head, k, o.perSecond, o.p50, o.p95, o.p99, o.max].join(' | ')} |`);
    }
  }
  return lines.join('\n');
}
