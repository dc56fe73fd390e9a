/**
 * What the hardening tests share: src/main.ts as a child process, a GraphQL client with
 * no retries, one pipeline step written by recordExecution, and the check that a step is
 * either wholly in the store or wholly absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface MainProcess {
  child: ChildProcess;
  url: string;
  /** The JSON log lines written so far. */
  lines: Record<string, any>[];
  exited: Promise<number | null>;
}

/** Starts src/main.ts with `env` on 127.0.0.1 and a free port; resolves once it logs the URL it serves. */
export function startMain(env: Record<string, string>): Promise<MainProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // A local development server (vitest's NODE_ENV=test would ask for production secrets).
    env: { ...process.env, NODE_ENV: 'development', JOURNEY_HOST: '127.0.0.1', JOURNEY_PORT: '0', JOURNEY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, any>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, any>;
      lines.push(entry);
      if (typeof entry.url === 'string') resolve({ child, url: entry.url, lines, exited });
    });
    void exited.then((code) => reject(new Error(`main exited with ${code} before serving: ${stderr}`)));
  });
}

export interface Answer {
  status: number;
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
  /** The raw body, to check that no internals leaked. */
  text: string;
}

/** POSTs one operation; a connection failure is an Answer with status 0 (never thrown). */
export async function post(url: string, query: string, variables?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    const text = await res.text();
    let body: { data?: unknown; errors?: Answer['errors'] } = {};
    try { body = JSON.parse(text) as typeof body; } catch { /* a non-JSON body is kept in text */ }
    return { status: res.status, data: body.data, errors: body.errors, text };
  } catch (error) {
    return { status: 0, text: String((error as Error).message) };
  }
}

/** The types of a step: artifact type Dataset, execution type Step, context type Pipeline. */
export const STEP_TYPES = `mutation {
  d: putArtifactType(input: { name: "Dataset", baseType: DATASET, properties: [{ name: "rows", type: INT }] }) { id }
  s: putExecutionType(input: { name: "Step", baseType: TRANSFORM }) { id }
  p: putContextType(input: { name: "Pipeline" }) { id }
}`;

const RECORD = `mutation Step($in: RecordExecutionInput!) { recordExecution(input: $in) { execution { id } } }`;

/** The variables of step `name`: `name-in` read, `name-out` written, in pipeline `pipeline`. */
export function stepInput(name: string, pipeline = 'main'): Record<string, unknown> {
  return { in: {
    execution: { type: 'Step', name, lastKnownState: 'COMPLETE' },
    inputs: [{ artifact: { type: 'Dataset', name: `${name}-in`, uri: `s3://in/${name}` } }],
    outputs: [{ artifact: { type: 'Dataset', name: `${name}-out`, uri: `s3://out/${name}`, properties: { rows: 7 } } }],
    contexts: [{ type: 'Pipeline', name: pipeline }],
  } };
}

/** Records step `name` through the API. */
export const recordStep = (url: string, name: string, headers: Record<string, string> = {}): Promise<Answer> =>
  post(url, RECORD, stepInput(name), headers);

/** An acknowledged write: 200 with data and no error. */
export const acknowledged = (a: Answer): boolean => a.status === 200 && a.errors === undefined && a.data != null;

/** Whether step `name` is wholly stored (execution, both artifacts, both events, the context links), wholly absent, or partial. */
export async function stepState(api: MetadataApi, name: string): Promise<'complete' | 'absent' | 'partial'> {
  const execution = await api.findNodeByName('EXECUTION', 'Step', name);
  const input = await api.findNodeByName('ARTIFACT', 'Dataset', `${name}-in`);
  const output = await api.findNodeByName('ARTIFACT', 'Dataset', `${name}-out`);
  if (!execution && !input && !output) return 'absent';
  if (!execution || !input || !output) return 'partial';
  const [events] = await api.eventsByExecutions([execution.id]);
  const kinds = (events ?? []).map((e) => `${e.type}:${e.artifactId === input.id ? 'in' : e.artifactId === output.id ? 'out' : '?'}`).sort();
  const contexts = await api.contextsOfNodes([execution.id, input.id, output.id]);
  const linked = contexts.every((list) => list.some((c) => c.name === 'main'));
  return kinds.join() === 'INPUT:in,OUTPUT:out' && linked ? 'complete' : 'partial';
}

/** Words that must never reach a client: stack frames, drivers, query text. */
export const INTERNALS = /\bat [\w.<>]+ \(|node_modules|\.ts:\d+|SqliteError|SQLITE_|Neo4jError|Neo\.\w+Error|\bbolt:\/\/|\bMATCH\b|\bUNWIND\b|\bSELECT\b|\bINSERT INTO\b/;
