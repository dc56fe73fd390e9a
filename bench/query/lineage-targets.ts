/**
 * The systems that answer lineage queries, behind one shape: ours through the lineage
 * service (the code the API runs), ML Metadata through its get_lineage_subgraph. Each
 * query starts at one artifact; answers come back as node indices of the generated graph.
 */
import type { LineageApi } from '../../src/service/lineage/lineage-service.js';
import type { MlmdProcess } from '../mlmd/mlmd-process.js';
import type { NodeIds } from '../ingest/our-ingest.js';
import type { Direction } from './query-plan.js';

export type SystemName = 'sqlite' | 'neo4j' | 'mlmd';

export interface LineageAsk {
  artifact: number;
  direction: Direction;
  hops: number;
}

export interface Answer {
  /** Milliseconds of each repetition. */
  ms: number[];
  /** Nodes returned (artifacts and executions, the start included). */
  nodes: number;
  /** Indices, when collected. */
  artifacts?: number[];
  executions?: number[];
  /** Ours only: whether the service reported that a bound cut the answer. */
  truncated?: boolean;
}

export type QueryKind = 'lineage' | 'impact';

export interface LineageTarget {
  /** For the log. */
  readonly name: string;
  ask(kind: QueryKind, asks: readonly LineageAsk[], reps: number, collect: boolean): Promise<Answer[]>;
}

/**
 * The service's own ceiling on maxNodes. Asked for explicitly: the default (10,000) would
 * cut the largest answers, and ML Metadata has no such cap, so answers would differ.
 */
export const OUR_MAX_NODES = 100_000;

const ascending = (a: number, b: number): number => a - b;

/** Our backend (SQLite or Neo4j) through the lineage service. */
export class OurTarget implements LineageTarget {
  private readonly byId: { artifacts: Map<string, number>; executions: Map<string, number> };

  constructor(readonly name: SystemName, private readonly api: LineageApi, private readonly ids: NodeIds) {
    this.byId = ids.reverse();
  }

  async ask(kind: QueryKind, asks: readonly LineageAsk[], reps: number, collect: boolean): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (const q of asks) {
      const start = [this.ids.artifacts[q.artifact]!];
      const ms: number[] = [];
      let nodes: { id: string; kind: string }[] = [];
      let truncated = false;
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        if (kind === 'lineage') {
          const g = await this.api.lineage({ start, direction: q.direction, maxHops: q.hops, maxNodes: OUR_MAX_NODES });
          nodes = g.nodes;
          truncated = g.truncated;
        } else {
          const report = await this.api.impact({ start, maxHops: q.hops, maxNodes: OUR_MAX_NODES });
          nodes = [...report.start, ...report.artifacts, ...report.executions];
          truncated = report.truncated;
        }
        ms.push(performance.now() - t0);
      }
      const answer: Answer = { ms, nodes: nodes.length, truncated };
      if (collect) {
        answer.artifacts = nodes.filter((n) => n.kind === 'ARTIFACT').map((n) => this.byId.artifacts.get(n.id) ?? -1).sort(ascending);
        answer.executions = nodes.filter((n) => n.kind === 'EXECUTION').map((n) => this.byId.executions.get(n.id) ?? -1).sort(ascending);
      }
      answers.push(answer);
    }
    return answers;
  }
}

/**
 * ML Metadata's client: lineage is get_lineage_subgraph reading nodes and events; impact the
 * same walk DOWNSTREAM reading nodes, contexts and types. In-process, or pointed at our gRPC face.
 */
export class MlmdTarget implements LineageTarget {
  constructor(private readonly mlmd: MlmdProcess, readonly name: string = 'mlmd') {}

  async ask(kind: QueryKind, asks: readonly LineageAsk[], reps: number, collect: boolean): Promise<Answer[]> {
    const { answers } = await this.mlmd.lineage(
      asks.map((q) => ({ kind: 'ARTIFACT' as const, index: q.artifact, direction: kind === 'impact' ? 'DOWNSTREAM' as const : q.direction, hops: q.hops })),
      reps, collect, kind,
    );
    return answers.map((a) => ({
      ms: a.ms,
      nodes: a.artifactCount + a.executionCount,
      ...(collect ? { artifacts: a.artifacts!, executions: a.executions! } : {}),
    }));
  }
}
