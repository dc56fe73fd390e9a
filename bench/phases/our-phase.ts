/**
 * One of our backends on a workload: the bulk load (service or store path), the tail
 * recorded one execution at a time in-process and then over GraphQL from concurrent
 * clients, the GraphQL lineage load test, and the lineage and impact queries through the
 * lineage service, checked and timed.
 */
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GraphStore } from '../../src/graph/store.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { createServices } from '../../src/service/services.js';
import { javaAvailable, neo4jSizing, startNeo4j, type Neo4jInstance } from '../backends/neo4j-instance.js';
import { runGrpcPhase } from './grpc-phase.js';
import { runHttpPhase } from './http-phase.js';
import { runImportPhase } from './import-phase.js';
import { runOpenLineagePhase } from './openlineage-phase.js';
import { mlmdStoreFile } from './mlmd-phase.js';
import { runPrivacyPhase } from './privacy-phase.js';
import { runTransferPhase } from './transfer-phase.js';
import { ingestGraph, noteRecorded, NodeIds, recordInputOf, type IngestPath } from '../ingest/our-ingest.js';
import { recordConcurrently } from '../http/http-bench.js';
import { OurTarget } from '../query/lineage-targets.js';
import { measureQueries } from '../query/measure-queries.js';
import { bytesOnDisk, peakRssKb, sqliteBytes } from '../report/process-stats.js';
import type { GrpcResult, ImportResult, IngestResult, PrivacyResult, SystemResult, TransferResult } from '../report/results.js';
import { summarize } from '../report/stats.js';
import { TAIL, type WorkloadContext } from './workload-context.js';

/** The Neo4j transaction limit of the bench's stores: a declaration over the whole graph derives every status at once. */
const PRIVACY_DECLARATION_TIMEOUT_MS = 30 * 60_000;

type OurBackend = 'sqlite' | 'neo4j';

/** How to reach one backend's database: open a store on it, wipe it, and what the API process needs. */
interface Backend {
  open(): Promise<GraphStore>;
  wipe(): Promise<void>;
  apiEnv: Record<string, string>;
  /** What the `journey` command needs to reach the store (the server's variables). */
  cliEnv: Record<string, string>;
  diskBytes(): number | null;
  databasePid: number | null;
  stop(): Promise<void>;
}

async function sqliteBackend(file: string): Promise<Backend> {
  const { createSqliteStore } = await import('../../src/graph/sqlite/index.js');
  const wipe = async (): Promise<void> => { for (const x of ['', '-wal', '-shm', '-journal']) rmSync(file + x, { force: true }); };
  await wipe();
  return {
    // In-process reads in the caller's thread, as ML Metadata's are: the figures of the
    // service itself. The API process (apiEnv) runs with the server's default readers.
    open: () => createSqliteStore({ path: file, readers: 0 }),
    wipe,
    apiEnv: { BENCH_BACKEND: 'sqlite', BENCH_SQLITE_PATH: file },
    cliEnv: { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: file },
    diskBytes: () => sqliteBytes(file),
    databasePid: null,
    stop: async () => undefined,
  };
}

async function neo4jBackend(ctx: WorkloadContext): Promise<Backend> {
  const { createNeo4jStore } = await import('../../src/graph/neo4j/index.js');
  const { clearNeo4jDatabase } = await import('../../test/support/neo4j-database.js');
  let instance: Neo4jInstance | null = null;
  let uri = ctx.options.neo4jUri;
  if (!uri) {
    if (!javaAvailable()) throw new Error('neo4j: java is not on PATH');
    const dataDir = path.join(ctx.workDir, `neo4j-${ctx.g.workload}`);
    rmSync(dataDir, { recursive: true, force: true });
    instance = await startNeo4j(dataDir, neo4jSizing(ctx.g.artifactType.length + ctx.g.steps.length));
    uri = instance.uri;
    ctx.log(`  neo4j started on ${uri} in ${instance.startupMs} ms`);
  }
  const open = async (): Promise<GraphStore> => {
    // The personal-data phase declares a default over the whole loaded graph, which derives
    // every status in one transaction: minutes at 1m, past the usual 30 s limit.
    const store = await createNeo4jStore({ uri: uri!, transactionTimeoutMs: PRIVACY_DECLARATION_TIMEOUT_MS });
    await store.init();
    return store;
  };
  const wipe = async (): Promise<void> => {
    const store = await open();
    try {
      await clearNeo4jDatabase(store);
    } finally {
      await store.close();
    }
  };
  if (!instance) await wipe();
  return {
    open,
    wipe,
    apiEnv: { BENCH_BACKEND: 'neo4j', BENCH_NEO4J_URI: uri },
    cliEnv: { JOURNEY_BACKEND: 'neo4j', NEO4J_URI: uri },
    // The whole data folder: store files and transaction logs (Neo4j keeps the logs of a bulk load).
    diskBytes: () => (instance ? bytesOnDisk(path.join(instance.dataDir, 'data')) : null),
    databasePid: instance?.pid ?? null,
    stop: async () => { await instance?.stop(); },
  };
}

/** p50 of 50 pings: the cost of the smallest round trip to the database at that moment. */
async function pingLatency(store: GraphStore): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await store.ping();
    ms.push(performance.now() - t0);
  }
  return summarize(ms).p50;
}

async function timedIngest(backend: Backend, ctx: WorkloadContext, ingestPath: IngestPath, ids: NodeIds): Promise<IngestResult> {
  const store = await backend.open();
  try {
    const out = await ingestGraph(createServices(store).metadata, ctx.g, ctx.bulkSteps, ingestPath, ids);
    return { path: ingestPath, seconds: out.seconds, nodes: out.nodes, edges: out.edges, itemsPerSecond: (out.nodes + out.edges) / out.seconds };
  } finally {
    await store.close();
  }
}

/** Runs one of our backends through the workload. */
export async function runOurBackend(name: OurBackend, ctx: WorkloadContext): Promise<SystemResult> {
  const started = performance.now();
  const before = os.loadavg();
  const log = (line: string): void => ctx.log(`  ${name} ${line}`);
  mkdirSync(ctx.workDir, { recursive: true });
  const sqliteFile = path.join(ctx.workDir, `journey-${ctx.g.workload}.sqlite`);
  const backend = name === 'sqlite' ? await sqliteBackend(sqliteFile) : await neo4jBackend(ctx);
  try {
    // The import and the gRPC client each fill an empty store of their own, wiped after them.
    const beforeOwn = performance.now();
    let importMlmd: ImportResult | undefined;
    if (ctx.options.importInto.includes(name)) {
      importMlmd = await runImportPhase(backend.open, mlmdStoreFile(ctx), log);
      await backend.wipe();
    }
    let grpc: GrpcResult | undefined;
    if (ctx.options.grpc) {
      grpc = await runGrpcPhase(ctx, backend.apiEnv, log);
      await backend.wipe();
    }
    // The OpenLineage intake beside recordExecution, into an empty store of its own too.
    const openLineage = await runOpenLineagePhase(ctx, backend.apiEnv, log);
    await backend.wipe();
    // The phase's wall time stays that of its own parts, as before these.
    const ownStarted = started + (performance.now() - beforeOwn);
    const other: IngestPath = ctx.options.ingestPath === 'service' ? 'store' : 'service';
    let ingestAlternative: IngestResult | undefined;
    if (ctx.options.compareIngest) {
      ingestAlternative = await timedIngest(backend, ctx, other, new NodeIds(ctx.g));
      log(`ingest ${other}: ${ingestAlternative.seconds.toFixed(1)} s, ${ingestAlternative.itemsPerSecond.toFixed(0)} items/s (then wiped)`);
      await backend.wipe();
    }
    const ids = new NodeIds(ctx.g);
    const ingest = await timedIngest(backend, ctx, ctx.options.ingestPath, ids);
    log(`ingest ${ingest.path}: ${ingest.seconds.toFixed(1)} s, ${ingest.itemsPerSecond.toFixed(0)} items/s`);

    const segment = (n: number): number => ctx.bulkSteps + n * ctx.tailSegment;
    let store = await backend.open();
    const api = createServices(store).metadata;
    const record = async (x: number): Promise<void> => {
      noteRecorded(ctx.g, x, ids, await api.recordExecution(recordInputOf(ctx.g, x, ids)));
    };
    await recordConcurrently(record, ctx.g, segment(TAIL.warmInProcess), segment(TAIL.warmInProcess + 1), 1);
    const recordInProcess = await recordConcurrently(record, ctx.g, segment(TAIL.inProcess), segment(TAIL.inProcess + 1), 1);
    log(`recordExecution in-process x${ctx.tailSegment}: ${recordInProcess.executionsPerSecond.toFixed(0)} executions/s`);
    await store.close();

    const http = await runHttpPhase(ctx, backend.apiEnv, ids, segment(TAIL.warmGraphql), log);

    store = await backend.open();
    let queries;
    let pingMs: number | null = null;
    let privacy: PrivacyResult;
    try {
      pingMs = await pingLatency(store);
      log(`ping p50 ${pingMs} ms`);
      queries = await measureQueries(new OurTarget(name, createLineageService(store), ids), ctx.cells, ctx.expected, ctx.options.measure, ctx.log);
      privacy = await runPrivacyPhase(store, ctx, ids, log);
    } finally {
      await store.close();
    }
    // Last: the store as every phase left it, the whole of what a deployment would move, by the commands in processes of their own.
    const transfer: TransferResult = await runTransferPhase(backend.cliEnv, name, ctx.workDir, log);
    const result: SystemResult = {
      system: name, ingest, ...(ingestAlternative ? { ingestAlternative } : {}), recordInProcess,
      recordGraphql: http.record, openLineage, queries, httpLineage: http.lineage, ...(http.probe ? { httpProbe: http.probe } : {}),
      ...(http.note ? { httpNote: http.note } : {}),
      memory: { apiPeakRssKb: http.apiPeakRssKb, databasePeakRssKb: backend.databasePid === null ? null : peakRssKb(backend.databasePid) },
      diskBytes: null,
      pingMs,
      loadAverage: { before, after: os.loadavg() },
      wallSeconds: 0,
      privacy,
      transfer,
      ...(grpc ? { grpc } : {}),
      ...(importMlmd ? { importMlmd } : {}),
    };
    // Measured stopped: Neo4j flushes its store files on shutdown.
    await backend.stop();
    result.diskBytes = backend.diskBytes();
    result.wallSeconds = (performance.now() - ownStarted) / 1000;
    return result;
  } finally {
    await backend.stop();
  }
}
