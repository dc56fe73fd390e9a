/**
 * A cluster's URI (neo4j://, client-side routing) works against the suite's single Neo4j,
 * which answers routing requests as a cluster of one: the store migrates, writes and reads
 * through it, and lineage answers. And every read the API makes runs in a read
 * transaction (session access mode READ, `executeRead`), so a cluster's followers can serve
 * it, while a mutation runs in a write transaction: a driver wrapped in the test records
 * the access mode and the transaction function of every session the executor opens.
 */
import neo4j, { type Driver, type Session, type SessionConfig } from 'neo4j-driver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createNeo4jStore } from '../../src/graph/neo4j/index.js';
import { Neo4jExecutor } from '../../src/graph/neo4j/neo4j-executor.js';
import { sharedStatements } from '../../src/graph/neo4j/neo4j-statements.js';
import { Neo4jStore } from '../../src/graph/neo4j/neo4j-store.js';
import type { GraphStore } from '../../src/graph/store.js';
import { createServices } from '../../src/service/services.js';
import { putCommonTypes, startTestServer, type TestServer } from '../api/harness.js';
import { clearNeo4jDatabase } from '../support/neo4j-database.js';
import { suiteNeo4jUri } from '../support/requirements.js';

const boltUri = suiteNeo4jUri();
/** The suite's Neo4j under the routing scheme: bolt://127.0.0.1:7687 -> neo4j://127.0.0.1:7687. */
const routingUri = boltUri?.replace(/^bolt:/, 'neo4j:');

/** One session the executor opened: its access mode, and each call made on it. */
interface SessionUse { mode: string | undefined; calls: ('executeRead' | 'executeWrite' | 'run')[] }

/** A driver that records every session's access mode and transaction functions, passing each call to `real`. */
function recordingDriver(real: Driver, uses: SessionUse[]): Driver {
  return new Proxy(real, {
    get(target, key, receiver) {
      if (key !== 'session') return Reflect.get(target, key, receiver) as unknown;
      return (config: SessionConfig) => {
        const session = target.session(config);
        const use: SessionUse = { mode: config.defaultAccessMode, calls: [] };
        uses.push(use);
        return new Proxy(session, {
          get(s, name, r) {
            const value = Reflect.get(s, name, r) as unknown;
            if ((name === 'executeRead' || name === 'executeWrite' || name === 'run') && typeof value === 'function') {
              return (...args: unknown[]) => {
                use.calls.push(name);
                return (value as (...a: unknown[]) => unknown).apply(s, args);
              };
            }
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(s) : value;
          },
        }) as Session;
      };
    },
  });
}

/**
 *   raw -> train -> model        (DataSet, Trainer, Model), train in run r1
 */
const PIPELINE = `mutation {
  putLineageSubgraph(input: {
    artifacts: [{ type: "DataSet", name: "raw" }, { type: "Model", name: "model" }]
    executions: [{ type: "Trainer", name: "train" }]
    contexts: [{ type: "Run", name: "r1" }]
    events: [{ artifactIndex: 0, executionIndex: 0, type: INPUT }, { artifactIndex: 1, executionIndex: 0, type: OUTPUT }]
    associations: [{ contextIndex: 0, executionIndex: 0 }]
  }) { artifacts { id } executions { id } }
}`;

/** Records PIPELINE through `t`; returns the ids of raw, train and model. */
async function pipeline(t: TestServer): Promise<{ raw: string; train: string; model: string }> {
  await putCommonTypes(t);
  const put = await t.data(PIPELINE);
  const [raw, model] = put.putLineageSubgraph.artifacts.map((n: { id: string }) => n.id) as [string, string];
  return { raw, model, train: put.putLineageSubgraph.executions[0].id as string };
}

describe.skipIf(!routingUri)('neo4j:// routing URIs', () => {
  let store: GraphStore | undefined;
  let t: TestServer | undefined;
  // Opened (and migrated: constraints and indexes brought online) in a hook, whose time limit allows for a fresh database.
  beforeAll(async () => {
    store = await createNeo4jStore({ uri: routingUri! });
    await clearNeo4jDatabase(store);
    await store.init();
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  afterAll(async () => { await store?.close(); });

  it('migrates, writes, reads and walks lineage through a neo4j:// URI to a single server', async () => {
    t = await startTestServer(createServices(store!).metadata);
    const n = await pipeline(t);
    const res = await t.data(`query L($m: ID!) {
      artifactByName(type: "Model", name: "model") { id }
      lineage(start: [$m], direction: UPSTREAM) { nodes { id distance } }
    }`, { m: n.model });
    expect(res.artifactByName.id).toBe(n.model);
    // model <- train <- raw
    expect(res.lineage.nodes).toEqual([{ id: n.model, distance: 0 }, { id: n.train, distance: 1 }, { id: n.raw, distance: 2 }]);
   }, 120_000);

  it('reads the pool size from JOURNEY_NEO4J_POOL_SIZE (default 100) and refuses a bad one by name', () => {
    expect(loadConfig({}).neo4j.maxConnectionPoolSize).toBe(100);
    expect(loadConfig({ JOURNEY_NEO4J_POOL_SIZE: '12' }).neo4j.maxConnectionPoolSize).toBe(12);
    expect(() => loadConfig({ JOURNEY_NEO4J_POOL_SIZE: '0' })).toThrow(/JOURNEY_NEO4J_POOL_SIZE/);
  });
});

describe.skipIf(!routingUri)('access modes of the API\'s transactions (neo4j://)', () => {
  const uses: SessionUse[] = [];
  let real: Driver;
  let store: Neo4jStore;
  let t: TestServer;
  beforeAll(async () => {
    real = neo4j.driver(routingUri!, undefined, { disableLosslessIntegers: true });
    store = new Neo4jStore(Neo4jExecutor.forDriver(recordingDriver(real, uses)), await sharedStatements(), routingUri);
    await clearNeo4jDatabase(store);
    await store.init();
    const { metadata } = createServices(store);
    t = await startTestServer(metadata);
  });
  afterAll(async () => {
    await t?.close();
    await store?.close();
  });

  it('runs every query operation in READ sessions through executeRead, and each mutation in one WRITE executeWrite', async () => {
    const { raw, model } = await pipeline(t);

    uses.length = 0;
    await t.data(`mutation { putArtifactType(input: { name: "Report" }) { id } }`);
    // Open local mode's check that still no key exists (before every request, auth.ts), then the mutation's one transaction.
    expect(uses).toEqual([{ mode: 'READ', calls: ['executeRead'] }, { mode: 'WRITE', calls: ['executeWrite'] }]);

    uses.length = 0;
    const reads = await t.data(`query Q($raw: ID!, $model: ID!) {
      artifacts(first: 5) { totalCount nodes { id name } }
      executions(first: 5, where: "name = 'train'") { nodes { id } }
      contexts(first: 5) { nodes { name } }
      artifactTypes { name }
      node(id: $model) { id }
      lineage(start: [$model], direction: UPSTREAM) { nodes { id } }
      impact(start: [$raw]) { artifactCount }
      path(from: $raw, to: $model) { source target }
    }`, { raw, model });
    expect(reads.artifacts.totalCount).toBe(2);
    expect(reads.lineage.nodes).toHaveLength(3);
    expect(reads.path).toHaveLength(2);
    expect(uses.length).toBeGreaterThan(1);
    expect(uses.filter((u) => u.mode !== 'READ' || u.calls.some((c) => c !== 'executeRead'))).toEqual([]);
   }, 120_000);

  it('pings for readiness in a READ session', async () => {
    uses.length = 0;
    await store.ping();
    expect(uses).toEqual([{ mode: 'READ', calls: ['run'] }]);
  });
});
