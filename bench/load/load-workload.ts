/**
 * The load test's clients: each runs its own pipeline for the whole duration, one
 * request at a time, choosing each request by a seeded draw: a pipeline step written by
 * recordExecution (its input is the client's previous output, so lineage grows deeper),
 * an upstream or downstream lineage walk from one of its artifacts, or a page of
 * artifacts with their producers. Every answer is checked, every latency kept.
 */
import { Prng } from '../workload/prng.js';

export type OpKind = 'write' | 'upstream' | 'downstream' | 'list';
export const OP_KINDS: readonly OpKind[] = ['write', 'upstream', 'downstream', 'list'];

/** The share of each kind of request: 40% writes, 45% lineage, 15% listing. */
const MIX: readonly [OpKind, number][] = [['write', 0.4], ['upstream', 0.3], ['downstream', 0.15], ['list', 0.15]];

export interface LoadOptions {
  /** The server's GraphQL endpoint. */
  url: string;
  clients: number;
  durationMs: number;
  /** One API key per client (sent as Bearer); empty: anonymous (open local mode). */
  tokens: readonly string[];
  seed?: number;
}

export interface OpTally {
  count: number;
  errors: number;
  latenciesMs: number[];
}

export interface LoadResult {
  ops: Record<OpKind, OpTally>;
  /** Up to 20 distinct error texts, for the report. */
  errorSamples: string[];
  /** Writes answered with data: each stored one execution and one new artifact. */
  acknowledgedWrites: number;
  /** Clients that acknowledged at least one write: each also stored its seed artifact. */
  writingClients: number;
  elapsedMs: number;
}

/** The types every step uses; run once before the clients start. */
export const LOAD_TYPES = `mutation {
  d: putArtifactType(input: { name: "LoadData", baseType: DATASET, properties: [{ name: "rows", type: INT }] }) { id }
  s: putExecutionType(input: { name: "LoadStep", baseType: TRANSFORM }) { id }
  p: putContextType(input: { name: "LoadPipeline" }) { id }
}`;

const STEP = `mutation Step($in: RecordExecutionInput!) { recordExecution(input: $in) { outputs { id } } }`;
const WALK = `query Walk($s: [ID!]!, $d: Direction!) { lineage(start: $s, direction: $d, maxHops: 10) { truncated nodes { id distance } edges { type } } }`;
// One context by type and name: `first: 1` says so, and keeps the cost estimate to one page of 20 (an absent first prices as 100).
const LIST = `query List($c: String!) { contexts(filter: { type: "LoadPipeline", name: $c }, first: 1) { nodes { artifacts(first: 20) { nodes { id name producedBy { id name } } } } } }`;

/** POSTs one operation and returns an error text, or the data. */
async function call(url: string, query: string, variables: unknown, headers: Record<string, string>): Promise<{ data?: any; error?: string }> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
    if (res.status !== 200 || body.errors) return { error: `${res.status} ${JSON.stringify(body.errors ?? body)}` };
    return { data: body.data };
  } catch (error) {
    return { error: `network: ${(error as Error).message}` };
  }
}

/** Runs `clients` clients against `url` for `durationMs`; resolves when every client has finished its last request. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const ops = Object.fromEntries(OP_KINDS.map((k) => [k, { count: 0, errors: 0, latenciesMs: [] as number[] }])) as Record<OpKind, OpTally>;
  const errorSamples = new Set<string>();
  let acknowledgedWrites = 0;
  let writingClients = 0;
  const started = performance.now();
  const end = started + options.durationMs;

  const client = async (c: number): Promise<void> => {
    const prng = new Prng((options.seed ?? 1) * 1000 + c);
    const random = (): number => prng.float();
    const headers: Record<string, string> = options.tokens[c] ? { authorization: `Bearer ${options.tokens[c]}` } : {};
    const pipeline = `load-${c}`;
    const artifacts: string[] = [];
    let previous: string | null = null;
    let steps = 0;
    while (performance.now() < end) {
      const draw = random();
      let kind: OpKind = 'write';
      for (let acc = 0, i = 0; i < MIX.length; i++) {
        acc += MIX[i]![1];
        if (draw < acc) { kind = MIX[i]![0]; break; }
      }
      // Lineage and listing need something written first.
      if (artifacts.length === 0) kind = 'write';
      const pick = (): string => artifacts[Math.floor(random() * artifacts.length)]!;
      let query: string;
      let variables: unknown;
      if (kind === 'write') {
        const input = previous === null
          ? { artifact: { type: 'LoadData', name: `${pipeline}-seed`, uri: `s3://load/${pipeline}/seed` } }
          : { id: previous };
        query = STEP;
        variables = { in: {
          execution: { type: 'LoadStep', name: `${pipeline}-step-${steps}`, lastKnownState: 'COMPLETE' },
          inputs: [input],
          outputs: [{ artifact: { type: 'LoadData', name: `${pipeline}-out-${steps}`, uri: `s3://load/${pipeline}/${steps}`, properties: { rows: steps } } }],
          contexts: [{ type: 'LoadPipeline', name: pipeline }],
        } };
      } else if (kind === 'list') {
        query = LIST;
        variables = { c: pipeline };
      } else {
        query = WALK;
        variables = { s: [pick()], d: kind === 'upstream' ? 'UPSTREAM' : 'DOWNSTREAM' };
      }
      const t0 = performance.now();
      const answer = await call(options.url, query, variables, headers);
      const tally = ops[kind];
      tally.count++;
      tally.latenciesMs.push(performance.now() - t0);
      if (answer.error !== undefined) {
        tally.errors++;
        if (errorSamples.size < 20) errorSamples.add(`${kind}: ${answer.error.slice(0, 300)}`);
        continue;
      }
      if (kind === 'write') {
        const out = answer.data.recordExecution.outputs[0].id as string;
        if (previous === null) writingClients++;
        acknowledgedWrites++;
        previous = out;
        artifacts.push(out);
        steps++;
      }
    }
  };

  await Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));
  return { ops, errorSamples: [...errorSamples], acknowledgedWrites, writingClients, elapsedMs: performance.now() - started };
}
