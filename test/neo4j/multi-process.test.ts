/**
 * Several API processes on one Neo4j (docs/deploy.md, "Several API processes on one
 * Neo4j"): three real servers (src/main.ts) on the suite's database, eight writers each
 * recording overlapping TFX-like pipelines through GraphQL for a bounded time: shared
 * contexts and shared inputs reused by (type, name), parent links that two processes try
 * to close into cycles, personal-data declarations, subject registrations and erasure
 * requests. Afterwards every invariant is checked against what the writers were told:
 * one node per (type, name), every acknowledged write present, ML Metadata ids unique per
 * kind, no parent-context cycle, every kept personal-data status equal to a fresh
 * derivation, registrations counted once, no duplicate audit entry; then an API key
 * revoked through one process is refused by the other two at their next request, and
 * the three processes together grant no more than one shared rate.
 * Neo4j only: it is about one database shared by processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import type { Neo4jStore } from '../../src/graph/neo4j/neo4j-store.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { computeStatusesInTx } from '../../src/service/privacy/personal-data-status.js';
import { createServices } from '../../src/service/services.js';
import { startMain, post, acknowledged, type Answer, type MainProcess } from '../hardening/hardening-support.js';
import { personalDataService, TEST_SUBJECT_SECRET } from '../privacy/fixtures.js';
import { BACKENDS } from '../support/backends.js';
import { RETRY_REASONS } from '../../src/graph/transaction-pool.js';
import { parseExposition, valueOf } from '../observability/exposition.js';

const neo4j = BACKENDS.find((b) => b.name === 'neo4j');
const PROCESSES = 3;
const WRITERS_PER_PROCESS = 8;
/** How long the writers write. */
const WRITE_MS = 20_000;
/** The contexts two processes link in both directions: every pair is tried both ways at once. */
const RING = ['ring-0', 'ring-1', 'ring-2', 'ring-3'];

/** Three servers on the suite's Neo4j, with the same subject secret and settings, gRPC off. */
async function startServers(env: Record<string, string> = {}): Promise<MainProcess[]> {
  return Promise.all(Array.from({ length: PROCESSES }, () => startMain({
    JOURNEY_BACKEND: 'neo4j', NEO4J_URI: process.env.NEO4J_URI!, JOURNEY_GRPC_PORT: 'off',
    JOURNEY_SUBJECT_SECRET: TEST_SUBJECT_SECRET, ...env,
  })));
}

async function stopServers(servers: readonly MainProcess[]): Promise<void> {
  for (const s of servers) s.child.kill('SIGTERM');
  await Promise.all(servers.map((s) => s.exited));
}

const RECORD = `mutation Record($in: RecordExecutionInput!) {
  recordExecution(input: $in) { execution { id } inputs { id name } outputs { id } contexts { id name } }
}`;
const LINK = 'mutation Link($links: [ParentContextInput!]!) { putParentContexts(links: $links) }';
const REGISTER = 'mutation Register($a: ID!, $s: [String!]!) { registerDataSubjects(artifactId: $a, subjectIds: $s) }';
const DECLARE = 'mutation Declare($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }';
const ERASE = 'mutation Erase($s: String!) { requestErasure(subjectId: $s) { id } }';

/** What the writers were told was stored. */
interface Acknowledged {
  steps: { executionId: string; inputIds: string[]; outputId: string; contextIds: string[]; sharedNames: string[] }[];
  parentLinks: { parentId: string; childId: string }[];
  /** The new registrations each acknowledged registerDataSubjects reported. */
  newRegistrations: number;
  erasureRequestIds: string[];
  declared: number;
  /** Refusals that are the rules working (a link closing a cycle). */
  cycleRefusals: number;
  /** Anything else that was not acknowledged: must stay empty. */
  unexpected: string[];
  /** How long each recordExecution took, acknowledged or not (ms). */
  stepMs: number[];
}

/** Writer `tag` against `url` until `deadline`: a step of its pipeline each round, and now and then one of the other writes. */
async function writer(url: string, tag: string, offset: number, headers: Record<string, string>, ring: Map<string, string>, deadline: number, out: Acknowledged): Promise<void> {
  let previousOutput: string | null = null;
  const rawIds = new Map<string, string>();
  const note = (what: string, answer: Answer): void => { out.unexpected.push(`${what}: ${answer.status} ${answer.text.slice(0, 300)}`); };
  for (let i = 0; Date.now() < deadline; i += 1) {
    // Shared inputs and contexts by name: every writer of every process reuses raw-0..5, pipeline-0..2, run-0..4.
    const raw = `raw-${(i + offset) % 6}`;
    const stepStarted = performance.now();
    const step = await post(url, RECORD, { in: {
      execution: { type: 'Trainer', name: `${tag}-x${i}`, lastKnownState: 'COMPLETE' },
      inputs: [
        { artifact: { type: 'Patients', name: raw, uri: `s3://raw/${raw}` } },
        ...(previousOutput ? [{ id: previousOutput }] : []),
      ],
      outputs: [{ artifact: { type: 'Examples', name: `${tag}-t${i}`, uri: `s3://out/${tag}/${i}` } }],
      contexts: [{ type: 'Pipeline', name: `pipeline-${i % 3}` }, { type: 'PipelineRun', name: `run-${Math.floor(i / 3) % 5}` }],
    } }, headers);
    out.stepMs.push(performance.now() - stepStarted);
    if (acknowledged(step)) {
      const r = step.data.recordExecution;
      out.steps.push({
        executionId: r.execution.id, inputIds: r.inputs.map((a: any) => a.id), outputId: r.outputs[0].id,
        contextIds: r.contexts.map((c: any) => c.id), sharedNames: [raw, ...r.contexts.map((c: any) => c.name)],
      });
      previousOutput = r.outputs[0].id;
      rawIds.set(raw, r.inputs[0].id);
    } else note('recordExecution', step);

    if (i % 3 === 1) {
      // Both directions of a pair are tried by different writers at about the same time.
      const a = RING[(i + offset) % RING.length]!;
      const b = RING[(i + offset + 1 + (i % 2)) % RING.length]!;
      const [parent, child] = (offset + i) % 2 === 0 ? [a, b] : [b, a];
      const link = await post(url, LINK, { links: [{ parentId: ring.get(parent), childId: ring.get(child) }] }, headers);
      if (acknowledged(link)) out.parentLinks.push({ parentId: ring.get(parent)!, childId: ring.get(child)! });
      else if (link.errors?.[0]?.extensions?.code === 'FAILED_PRECONDITION' && /cycle/.test(link.errors[0].message)) out.cycleRefusals += 1;
      else note('putParentContexts', link);
    }
    // Any shared dataset this writer has seen stored (the one of this round may have been refused).
    const rawId = rawIds.get(raw) ?? [...rawIds.values()][0];
    if (i % 2 === 0 && rawId) {
      const subjects = [`subject-${(i * 7) % 40}`, `subject-${(i * 11 + offset) % 40}`];
      const registered = await post(url, REGISTER, { a: rawId, s: subjects }, headers);
      if (acknowledged(registered)) out.newRegistrations += registered.data.registerDataSubjects;
      else note('registerDataSubjects', registered);
    }
    if (i % 2 === 1 && previousOutput) {
      // A declaration on this writer's own output, turned on and off: statuses downstream follow.
      const personalData = i % 4 === 1 ? { categories: ['contact'], specialCategories: [] } : { categories: [], specialCategories: [] };
      const declared = await post(url, DECLARE, { a: [{ id: previousOutput, type: 'Examples', personalData }] }, headers);
      if (acknowledged(declared)) out.declared += 1;
      else note('putArtifacts', declared);
    }
    // Every fourth writer files one at once, and every writer one in five rounds after.
    if ((i === 0 && offset % 4 === 0) || i % 5 === 2) {
      const erased = await post(url, ERASE, { s: `subject-${i % 40}` }, headers);
      if (acknowledged(erased)) out.erasureRequestIds.push(erased.data.requestErasure.id);
      else note('requestErasure', erased);
    }
  }
}

/**
 * Where the writers' time went, from the three servers' own metrics (docs/deploy.md,
 * "Metrics and tracing"): transactions run again by reason, the wait for a connection,
 * and the store calls that took the most time in all (count, seconds), the transactions
 * (`tx:`) and each StoreTx method (one round trip, lock waits included).
 */
async function profileOf(servers: readonly MainProcess[], headers: Record<string, string>): Promise<Record<string, unknown>> {
  const samples = (await Promise.all(servers.map(async (s) =>
    parseExposition(await (await fetch(new URL('/metrics', s.url), { headers })).text())))).flat();
  const calls = new Map<string, [number, number]>();
  for (const sample of samples) {
    if (!sample.name.startsWith('journey_store_call_duration_seconds_') || sample.name.endsWith('_bucket')) continue;
    const key = `${sample.labels.kind === 'transaction' ? 'tx:' : ''}${sample.labels.method}`;
    const entry = calls.get(key) ?? [0, 0];
    if (sample.name.endsWith('_count')) entry[0] += sample.value;
    else entry[1] += sample.value;
    calls.set(key, entry);
  }
  const round = (seconds: number): number => Math.round(seconds * 10) / 10;
  return {
    retries: Object.fromEntries(RETRY_REASONS.map((reason) => [reason, valueOf(samples, 'journey_neo4j_transaction_retries_total', { mode: 'write', reason }) ?? 0])),
    writeTransactions: valueOf(samples, 'journey_neo4j_transaction_wait_seconds_count', { mode: 'write' }),
    poolWaitSeconds: round(valueOf(samples, 'journey_neo4j_transaction_wait_seconds_sum') ?? 0),
    storeSeconds: Object.fromEntries([...calls].sort((a, b) => b[1][1] - a[1][1]).slice(0, 10).map(([k, [n, sec]]) => [k, [n, round(sec)]])),
  };
}

/** The value at fraction `q` of the sorted `values`. */
const percentile = (values: readonly number[], q: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0;

/** Whether the parent links form a cycle (a depth-first walk from every context). */
function hasCycle(links: readonly { parentId: string; childId: string }[]): boolean {
  const children = new Map<string, string[]>();
  for (const l of links) children.set(l.parentId, [...(children.get(l.parentId) ?? []), l.childId]);
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): boolean => {
    if (state.get(id) === 'open') return true;
    if (state.get(id) === 'done') return false;
    state.set(id, 'open');
    const found = (children.get(id) ?? []).some(visit);
    state.set(id, 'done');
    return found;
  };
  return [...children.keys()].some(visit);
}

describe.runIf(neo4j)('several API processes on one Neo4j', () => {
  let store: GraphStore;
  let executor: Neo4jStore['executor'];
  let admin: Record<string, string>;
  let doomedToken: string;
  let doomedId: string;
  let servers: MainProcess[] = [];
  const ring = new Map<string, string>();

  beforeAll(async () => {
    store = await neo4j!.open();
    executor = (store as Neo4jStore).executor;
    const { metadata: api } = createServices(store);
    await api.putType('ARTIFACT_TYPE', { name: 'Patients', baseType: 'DATASET', personalData: { categories: ['contact'], specialCategories: ['HEALTH'] } });
    await api.putType('ARTIFACT_TYPE', { name: 'Examples', baseType: 'DATASET' });
    await api.putType('EXECUTION_TYPE', { name: 'Trainer', baseType: 'TRAIN' });
    await api.putType('CONTEXT_TYPE', { name: 'Pipeline' });
    await api.putType('CONTEXT_TYPE', { name: 'PipelineRun' });
    await api.putType('CONTEXT_TYPE', { name: 'Group' });
    for (const c of await api.putContexts(RING.map((name) => ({ type: 'Group', name })))) ring.set(c.name, c.id);
    const keys = createApiKeyService(store);
    admin = { authorization: `Bearer ${(await keys.create({ name: 'writers', role: 'admin' })).token}` };
    const doomed = await keys.create({ name: 'doomed', role: 'viewer' });
    doomedToken = doomed.token;
    doomedId = doomed.key.id;
    // Rate limits off here: this part is about correctness; the last test is about the limit.
    servers = await startServers({ JOURNEY_RATE_LIMIT: '0' });
  }, 120_000);

  afterAll(async () => {
    await stopServers(servers);
    await store?.close();
  });

  const out: Acknowledged = { steps: [], parentLinks: [], newRegistrations: 0, erasureRequestIds: [], declared: 0, cycleRefusals: 0, unexpected: [], stepMs: [] };

  it(`keeps every invariant with ${PROCESSES} processes and ${WRITERS_PER_PROCESS} writers each for ${WRITE_MS / 1000} s`, async () => {
    const started = Date.now();
    const deadline = started + WRITE_MS;
    await Promise.all(servers.flatMap((server, p) => Array.from({ length: WRITERS_PER_PROCESS }, (_, w) =>
      writer(server.url, `p${p}w${w}`, p * WRITERS_PER_PROCESS + w, admin, ring, deadline, out))));
    const seconds = (Date.now() - started) / 1000;
    console.info(JSON.stringify({
      processes: PROCESSES, writers: PROCESSES * WRITERS_PER_PROCESS, seconds, steps: out.steps.length, parentLinks: out.parentLinks.length,
      stepMsMedian: Math.round(percentile(out.stepMs, 0.5)), stepMsP95: Math.round(percentile(out.stepMs, 0.95)),
      cycleRefusals: out.cycleRefusals, newRegistrations: out.newRegistrations, declarations: out.declared, erasureRequests: out.erasureRequestIds.length,
    }));
    console.info(JSON.stringify({ profile: await profileOf(servers, admin) }));
    expect(out.unexpected).toEqual([]);
    expect(out.steps.length).toBeGreaterThan(PROCESSES * WRITERS_PER_PROCESS);
    expect(out.newRegistrations).toBeGreaterThan(0);
    expect(out.declared).toBeGreaterThan(0);
    expect(out.erasureRequestIds.length).toBeGreaterThan(0);

    // One node per (kind, type, name): the shared inputs and contexts were reused, never doubled.
    const doubled = await executor.read((r) => r.run(
      'MATCH (n:Node) WHERE n.name IS NOT NULL WITH labels(n) AS kind, n.typeId AS typeId, n.name AS name, count(*) AS copies WHERE copies > 1 RETURN kind, name, copies'));
    expect(doubled).toEqual([]);
    // And each shared name the writers were told of is one node, whichever process made it first.
    const sharedNames = [...new Set(out.steps.flatMap((s) => s.sharedNames))];
    const shared = await executor.read((r) => r.run('MATCH (n:Node) WHERE n.name IN $names RETURN count(n) AS n', { names: sharedNames }));
    expect(shared[0]!.n).toBe(sharedNames.length);
    expect(sharedNames.length).toBeGreaterThanOrEqual(6 + 3);

    // Every acknowledged step is there whole: its execution, its events, its contexts.
    const { metadata: api } = createServices(store);
    const executions = out.steps.map((s) => s.executionId);
    const events = await api.eventsByExecutions(executions);
    const contexts = await api.contextsOfNodes(executions);
    out.steps.forEach((s, i) => {
      expect(events[i]!.map((e) => `${e.type}:${e.artifactId}`).sort()).toEqual(
        [...s.inputIds.map((id) => `INPUT:${id}`), `OUTPUT:${s.outputId}`].sort());
      expect(contexts[i]!.map((c) => c.id).sort()).toEqual([...s.contextIds].sort());
    });

    // ML Metadata ids unique per kind (each process allocates blocks from the shared counters).
    for (const label of ['Artifact', 'Execution', 'Context']) {
      const [row] = await executor.read((r) => r.run(`MATCH (n:Node:${label}) RETURN count(n) AS nodes, count(DISTINCT n.mlmdId) AS ids`));
      expect(row!.ids).toBe(row!.nodes);
    }

    // No parent-context cycle, and every acknowledged link stored.
    const links = await executor.read((r) => r.run('MATCH (p:Context)-[:PARENT_CONTEXT]->(c:Context) RETURN p.id AS parentId, c.id AS childId'));
    expect(hasCycle(links as { parentId: string; childId: string }[])).toBe(false);
    const stored = new Set(links.map((l) => `${l.parentId}>${l.childId}`));
    for (const l of out.parentLinks) expect(stored.has(`${l.parentId}>${l.childId}`)).toBe(true);

    // Registrations: each counted as new exactly once, whichever process stored it.
    const rawIds = [...new Set(out.steps.map((s) => s.inputIds[0]!))];
    const counts = await store.read((tx) => tx.registrationCounts(rawIds));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(out.newRegistrations);
    const [pairs] = await executor.read((r) => r.run(
      'MATCH (a:Artifact)-[h:HOLDS_RECORDS_OF]->(s:DataSubject) RETURN count(h) AS links, count(DISTINCT [a.id, s.hash]) AS pairs'));
    expect(pairs!.links).toBe(pairs!.pairs);
    const requests = await store.read((tx) => tx.getErasureRequests(out.erasureRequestIds));
    expect(requests.every((r) => r !== null)).toBe(true);

    // Kept personal-data statuses equal a fresh derivation over the whole graph.
    const artifactIds = (await executor.read((r) => r.run('MATCH (a:Node:Artifact) RETURN a.id AS id ORDER BY id'))).map((row) => row.id as string);
    const kept = [];
    const derived = [];
    // In slices: one call takes a bounded list of ids.
    for (let at = 0; at < artifactIds.length; at += 2000) {
      const slice = artifactIds.slice(at, at + 2000);
      kept.push(...await personalDataService(store).personalDataStatus(slice, 'test'));
      derived.push(...await store.read((tx) => computeStatusesInTx(tx, slice, { minK: 10, maxNodes: 100_000 })));
    }
    expect(kept).toEqual(derived);
    expect(kept.filter((s) => s !== null).length).toBeGreaterThan(6);
    const derivationStates = await executor.read((r) => r.run('MATCH (s:PersonalDataDerivation) RETURN count(s) AS n'));
    expect(derivationStates[0]!.n).toBeLessThanOrEqual(1);

    // The audit log: no entry twice, and at least one per audited write acknowledged.
    const [audit] = await executor.read((r) => r.run('MATCH (e:AuditEntry) RETURN count(e) AS entries, count(DISTINCT e.id) AS ids'));
    expect(audit!.ids).toBe(audit!.entries);
    expect(audit!.entries as number).toBeGreaterThanOrEqual(out.erasureRequestIds.length);
  }, 180_000);

  it('refuses a key revoked through one process on the other two at their next request', async () => {
    const viewer = { authorization: `Bearer ${doomedToken}` };
    const query = '{ contextTypes { name } }';
    for (const s of servers) expect((await post(s.url, query, undefined, viewer)).status).toBe(200);
    const revoked = await post(servers[0]!.url, 'mutation R($id: ID!) { revokeApiKey(id: $id) { revokeTime } }', { id: doomedId }, admin);
    expect(acknowledged(revoked)).toBe(true);
    for (const s of servers.slice(1)) {
      const refused = await post(s.url, query, undefined, viewer);
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('grants no more than one shared rate across the three processes', async () => {
    await stopServers(servers);
    const BURST = 30;
    // One token a second: over the burst's few seconds, at most a handful come back.
    servers = await startServers({ JOURNEY_RATE_LIMIT: '1', JOURNEY_RATE_BURST: String(BURST) });
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 3 * BURST }, (_, i) =>
      post(servers[i % PROCESSES]!.url, '{ contextTypes { name } }', undefined, admin)));
    const seconds = (Date.now() - started) / 1000;
    const granted = answers.filter((a) => a.status === 200).length;
    const refused = answers.filter((a) => a.status === 429).length;
    console.info(JSON.stringify({ requests: answers.length, granted, refused, seconds }));
    expect(granted + refused).toBe(answers.length);
    // Each process alone would grant its own 30 (90 in all); together they grant the one burst,
    // plus what refilled meanwhile, minus at most a lease left unused per process (leases of 1 here).
    expect(granted).toBeGreaterThanOrEqual(BURST);
    expect(granted).toBeLessThanOrEqual(BURST + Math.ceil(seconds) + 1);
    expect(answers.filter((a) => a.status === 200).every((a) => acknowledged(a))).toBe(true);
  }, 120_000);
});
