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
