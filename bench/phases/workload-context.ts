/**
 * Everything the systems of one workload share: the generated graph, its expected
 * answers, the query plan, how the steps split into the bulk load and the one-at-a-time
 * tail, and the run's options.
 */
import { subgraphBatches } from '../ingest/subgraph-batches.js';
import type { IngestPath } from '../ingest/our-ingest.js';
import type { MlmdIngestMode } from '../mlmd/mlmd-process.js';
import { ExpectedAnswers, type MeasureOptions, type QueryCell } from '../query/measure-queries.js';
import { DIRECTIONS, HOPS, pickStarts, type StartNode } from '../query/query-plan.js';
import { ReferenceLineage } from '../query/reference-walk.js';
import type { SystemName } from '../query/lineage-targets.js';
import type { BenchGraph } from '../workload/bench-graph.js';

export interface RunOptions {
  systems: SystemName[];
  ingestPath: IngestPath;
  mlmdIngest: MlmdIngestMode;
  /** Also time the other bulk path of ours (into a scratch database). */
  compareIngest: boolean;
  /** Also time ML Metadata's other bulk call (into a scratch database). */
  compareMlmdIngest: boolean;
  httpSeconds: number;
  measure: MeasureOptions;
  /** Reuse this Neo4j (cleared before each workload) instead of starting one per workload. */
  neo4jUri?: string;
  /** Folder of ML Metadata's database (default: the workload's folder). */
  mlmdDir?: string;
  /** ML Metadata's client over our gRPC face, on each of our backends (bench/phases/grpc-phase.ts); needs mlmd among the systems. */
  grpc: boolean;
  /** Our backends that `journey import mlmd` of ML Metadata's store is timed into (bench/phases/import-phase.ts); needs mlmd first. */
  importInto: Exclude<SystemName, 'mlmd'>[];
}

export interface WorkloadContext {
  g: BenchGraph;
  ref: ReferenceLineage;
  expected: ExpectedAnswers;
  starts: { UPSTREAM: StartNode[]; DOWNSTREAM: StartNode[] };
  cells: QueryCell[];
  /** Steps [0, bulkSteps) are bulk-loaded; then TAIL_SEGMENTS segments of tailSegment steps are recorded one by one. */
  bulkSteps: number;
  tailSegment: number;
  /** What the bulk load writes: nodes (contexts included) and edges (events and context links). */
  bulkCount: { nodes: number; edges: number };
  graphFile: string;
  workDir: string;
  options: RunOptions;
  log(line: string): void;
}

/**
 * The tail, recorded one execution at a time after the bulk load, in segments of equal
 * length: an untimed warm-up in-process (first calls pay for JIT compilation and query
 * planning), the timed in-process segment, an untimed warm-up over GraphQL (a fresh API
 * process), then one timed GraphQL segment per client count.
 */
/** Concurrent clients of the GraphQL phases. */
export const HTTP_CLIENTS: readonly number[] = [1, 8, 32];
/** Lineage clients the small lookup is timed beside (the "while 8 clients run lineage queries"). */
export const PROBE_LOAD_CLIENTS = 8;
export const TAIL_SEGMENTS = 3 + HTTP_CLIENTS.length;
export const TAIL = { warmInProcess: 0, inProcess: 1, warmGraphql: 2, firstGraphql: 3 } as const;

/** Steps per tail segment. */
export function tailSegmentFor(steps: number): number {
  return Math.max(2, Math.min(200, Math.floor(steps / 150)));
}

/** Nodes and edges that loading steps [0, upTo) writes, counted the way the loaders count. */
export function bulkCountOf(g: BenchGraph, upTo: number): { nodes: number; edges: number } {
  let nodes = g.contextType.length;
  let edges = g.contextParent.filter((p) => p >= 0).length;
  for (const b of subgraphBatches(g, 0, upTo, new Uint8Array(g.artifactType.length), new Set())) {
    nodes += b.fresh.size + (b.to - b.from);
    edges += b.events.length + b.attributions.length + b.associations.length;
  }
  return { nodes, edges };
}

/** The plan: every start of a direction at every hop count, and impact (downstream, 50 hops) from the downstream starts. */
export function planCells(starts: { UPSTREAM: StartNode[]; DOWNSTREAM: StartNode[] }): QueryCell[] {
  const cells: QueryCell[] = [];
  for (const direction of DIRECTIONS) {
    for (const hops of HOPS) cells.push({ kind: 'lineage', direction, hops, starts: starts[direction].map((s) => s.artifact) });
  }
  cells.push({ kind: 'impact', direction: 'DOWNSTREAM', hops: 50, starts: starts.DOWNSTREAM.map((s) => s.artifact) });
  return cells;
}

export function makeStarts(g: BenchGraph, ref: ReferenceLineage, perDirection: number, seed: number): { UPSTREAM: StartNode[]; DOWNSTREAM: StartNode[] } {
  return {
    UPSTREAM: pickStarts(g, ref, 'UPSTREAM', perDirection, seed),
    DOWNSTREAM: pickStarts(g, ref, 'DOWNSTREAM', perDirection, seed),
  };
}
