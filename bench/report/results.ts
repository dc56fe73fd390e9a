/** The shape of bench/results/<size>-<workload>.json: everything one run measured about one workload. */
import type { IngestPath } from '../ingest/our-ingest.js';
import type { LoadRun, ProbeRun, RecordRun } from '../http/http-bench.js';
import type { MlmdIngestMode } from '../mlmd/mlmd-process.js';
import type { CellResult } from '../query/measure-queries.js';
import type { SystemName } from '../query/lineage-targets.js';
import type { StartNode } from '../query/query-plan.js';
import type { GraphCounts, WorkloadName } from '../workload/bench-graph.js';
import type { SizeName } from '../workload/sizes.js';
import type { LatencySummary } from './stats.js';

export interface MachineInfo {
  nproc: number;
  memoryGiB: number;
  cpuModel: string;
  os: string;
}

export interface Versions {
  node: string;
  sqlite: string;
  betterSqlite3: string;
  neo4j: string;
  neo4jDriver: string;
  mlmd: string;
  python: string;
  autocannon: string;
}

export interface IngestResult {
  /** `service` or `store` for ours; the ML Metadata call for MLMD. */
  path: IngestPath | MlmdIngestMode;
  seconds: number;
  nodes: number;
  edges: number;
  itemsPerSecond: number;
}

/** OpenLineage runs posted to `POST /api/v1/lineage` from concurrent clients (bench/phases/openlineage-phase.ts). */
export interface OpenLineageRun {
  clients: number;
  runs: number;
  /** Two per run: START and COMPLETE. */
  events: number;
  seconds: number;
  eventsPerSecond: number;
  runsPerSecond: number;
  /** Per event, in milliseconds. */
  latency: LatencySummary;
}

export interface SystemResult {
  system: SystemName;
  /** The bulk load whose data the queries ran on. */
  ingest: IngestResult;
  /** The other bulk path, into a scratch database, when measured. */
  ingestAlternative?: IngestResult;
  /** One execution at a time, one client, in-process, after a warm-up segment: our service's recordExecution or ML Metadata's put_execution. */
  recordInProcess: RecordRun;
  /** recordExecution over GraphQL/HTTP from concurrent clients (ours only). */
  recordGraphql: RecordRun[];
  /** OpenLineage runs (START + COMPLETE, 2 inputs, 1 output) posted to the intake, into a store of its own (ours only; absent in results from before it). */
  openLineage?: OpenLineageRun[];
  queries: CellResult[];
  /** A typical lineage query over GraphQL/HTTP under autocannon (ours only). */
  httpLineage: LoadRun[];
  /** A small artifact lookup timed while 8 clients run the lineage query (ours only; absent in results from before it). */
  httpProbe?: ProbeRun;
  /** Why the HTTP lineage figures are missing, when they are. */
  httpNote?: string;
  /** Peak RSS (VmHWM) in KiB: the API process (ours), the database process (Neo4j's JVM), the driver process (ML Metadata, in-process database). */
  memory: { apiPeakRssKb: number | null; databasePeakRssKb: number | null };
  diskBytes: number | null;
  /** Ours: p50 of GraphStore.ping() (a trivial round trip), taken before the queries: how busy the machine and database were. */
  pingMs: number | null;
  loadAverage: { before: number[]; after: number[] };
  wallSeconds: number;
  /** Ours only: the personal-data phase (bench/phases/privacy-phase.ts), run after the lineage queries. */
  privacy?: PrivacyResult;
  /** ML Metadata only: get_artifacts with a filter_query, in-process (absent in results from before it). */
  filters?: FilterCellResult[];
  /** Ours only: ML Metadata's client over our gRPC face (bench/phases/grpc-phase.ts), into a store of its own. */
  grpc?: GrpcResult;
  /** Ours only: `journey import mlmd` of ML Metadata's store of this workload (bench/phases/import-phase.ts). */
  importMlmd?: ImportResult;
  /** Ours only: `journey export` of the loaded store and `journey import jsonl` of it into SQLite (bench/phases/transfer-phase.ts). */
  transfer?: TransferResult;
}

/** `journey export` of one loaded store, and the import of its file into a new SQLite file. */
export interface TransferResult {
  /** Nodes in the store (the export's header). */
  nodes: number;
  /** Records the import wrote (every kind). */
  records: number;
  exportSeconds: number;
  importSeconds: number;
  /** The gzip file's size. */
  fileBytes: number;
  /** Peak resident memory of each command's process, KiB (absent in results from before the commands ran as processes). */
  exportPeakRssKb?: number | null;
  importPeakRssKb?: number | null;
  /** The 1-minute load average before the export and after the import (absent in older results). */
  loadAverage?: number[];
}

/** get_artifacts with one kind of filter_query from each start, checked against the generated graph, then timed. */
export interface FilterCellResult {
  /** What the filter asks, e.g. `by name`. */
  name: string;
  /** One of its filter_query texts. */
  example: string;
  /** Timed repetitions per query (0 when an answer was wrong). */
  reps: number;
  latency: LatencySummary;
  /** Artifacts per answer. */
  resultNodes: { min: number; median: number; max: number };
  checked: number;
  mismatches: number;
  firstMismatch?: string;
}

/**
 * ML Metadata's own Python client (the `ml-metadata` package) pointed at our gRPC face in a
 * process of its own, over a fresh store of the backend: the same graph and calls as ML
 * Metadata in-process, so each figure has its in-process counterpart in the mlmd result.
 */
export interface GrpcResult {
  /** The bulk load: put_lineage_subgraph (put_execution where the server answers that UNIMPLEMENTED: see notes). */
  ingest: IngestResult;
  /** put_execution one at a time after an untimed warm-up segment: 1 client, then 8 client threads. */
  record: RecordRun[];
  /** get_lineage_subgraph from the plan's starts (lineage cells only), checked like the in-process ones. */
  queries: CellResult[];
  /** get_artifacts with a filter_query. */
  filters: FilterCellResult[];
  /** What was not measured and why (a call the server does not answer yet). */
  notes: string[];
  serverPeakRssKb: number | null;
  loadAverage: { before: number[]; after: number[] };
  wallSeconds: number;
}

/** `journey import mlmd` (the CLI's code, bench/phases/import-phase.ts) of ML Metadata's store of the workload into an empty store. */
export interface ImportResult {
  /** Nodes (artifacts, executions, contexts) and edges (events, attributions, associations, parent links) in the source. */
  nodes: number;
  edges: number;
  /** The import itself, without verification. */
  seconds: number;
  nodesPerSecond: number;
  /** CPU time of the harness process (the importer and its store), for a shared machine's wait for a core. */
  cpuSeconds: number;
  /** The verification the command ends with: its checks and how many were equal. */
  verifySeconds: number;
  checks: number;
  checksEqual: number;
  sourceBytes: number;
}

/** One personal-data query, checked against bench/privacy/privacy-reference.ts, then timed. */
export interface PrivacyQueryResult {
  /** Timed repetitions per sample (0 when an answer was wrong: no time is reported then). */
  reps: number;
  latency: LatencySummary;
  checked: number;
  mismatches: number;
  firstMismatch?: string;
  /** Samples the service refused (a status walk above the node ceiling, or past the query time budget); not timed. */
  refused: number;
  /** The refusals by error code (FAILED_PRECONDITION: node ceiling; DEADLINE_EXCEEDED: time budget). */
  refusedBy: Record<string, number>;
  /** Sizes of the answers (or of the samples) by name, e.g. affected and models. */
  sizes: Record<string, { min: number; median: number; max: number }>;
}

/** The personal-data phase of one backend. ML Metadata has no equivalent. */
export interface PrivacyResult {
  /** What was declared on the loaded graph (bench/privacy/privacy-plan.ts), and how long it took. */
  declaration: {
    artifactTypes: string[];
    sourceArtifacts: number;
    executions: number;
    transforms: Record<string, string>;
    seconds: number;
  };
  registration: {
    subjects: number;
    registrations: number;
    batches: number;
    batchSize: number;
    /** Distinct source artifacts the batches went to. */
    holders: number;
    seconds: number;
    subjectsPerSecond: number;
    /** Milliseconds per registerDataSubjects call. */
    batchSeconds: LatencySummary;
  };
  /** dataSubjectLineage with the default maxHops (100). */
  subjectLineage: PrivacyQueryResult;
  /** personalDataStatus of one artifact: what Artifact.personalData resolves to. */
  personalDataStatus: PrivacyQueryResult;
  loadAverage: { before: number[]; after: number[] };
}

export interface WorkloadResult {
  schema: 1;
  command: string;
  date: string;
  size: SizeName;
  seed: number;
  machine: MachineInfo;
  versions: Versions;
  workload: WorkloadName;
  params: Record<string, number>;
  counts: GraphCounts;
  /** Steps bulk-loaded, then recorded one at a time in TAIL_SEGMENTS segments of `tailSegment` steps (bench/phases/workload-context.ts). */
  bulkSteps: number;
  tailSegment: number;
  starts: { UPSTREAM: StartNode[]; DOWNSTREAM: StartNode[] };
  systems: SystemResult[];
}

export type { LatencySummary };
