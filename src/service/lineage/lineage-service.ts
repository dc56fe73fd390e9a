/**
 * The lineage service: upstream/downstream walks, impact analysis, provenance paths and
 * run comparison over any GraphStore. Every query validates its arguments against the
 * configured ceilings, then runs in one read transaction with a store round trip per
 * hop (never per node), and assembles its answer in memory.
 */
import type { EventType } from '../../graph/model.js';
import type { GraphStore } from '../../graph/store.js';
import { compareContextsInTx, validateComparedIds, type ContextComparison } from './compare-contexts.js';
import type { ImpactReport } from './impact.js';
import {
  checkLimits, hopsArg, requireLineageNodes, validateLineageQuery, type LineageLimits, type LineageQuery,
} from './lineage-args.js';
import { startDeadline, type Deadline } from '../shared/deadline.js';
import { edgeOf, type LineageEdge, type LineageGraph } from './lineage-graph.js';
import { impactReadWork, lineageReadWork } from './lineage-read.js';
import { shortestPath } from './provenance-path.js';
import { lineageSubgraphInTx, validateSubgraphQuery, type LineageSubgraph, type LineageSubgraphQuery } from './lineage-subgraph.js';
import { describe, isPresent, MAX_TEXT_LENGTH, requireEnum, requireName } from '../shared/validate.js';
import { NotFoundError } from '../../graph/errors.js';
import { COLUMN_DIRECTIONS, walkColumns, type ColumnDirection, type ColumnWalk } from './column-lineage.js';

export type { LineageDirection, LineageLimits, LineageQuery, LineageStopInput } from './lineage-args.js';
export type { LineageEdge, LineageGraph, LineageNode } from './lineage-graph.js';
export type { ImpactReport } from './impact.js';
export type { ContextComparison } from './compare-contexts.js';
export type { LineageSubgraph, LineageSubgraphQuery } from './lineage-subgraph.js';
export type { ColumnDirection, ColumnEdge, ColumnNode, ColumnWalk } from './column-lineage.js';

/** Defaults of `lineage` (and the Artifact/Execution upstream and downstream fields). */
export const LINEAGE_DEFAULTS = { maxHops: 20, maxNodes: 10_000 } as const;
/** Defaults of `impact`: a blast radius is usually wanted whole. */
export const IMPACT_DEFAULTS = { maxHops: 50, maxNodes: 100_000 } as const;
/** Default bound of `columnLineage`: the lineage walk's. */
export const COLUMN_LINEAGE_DEFAULT_MAX_HOPS = 20;
/** Default bound of `path`. */
export const PATH_DEFAULT_MAX_HOPS = 100;

export interface ImpactQuery {
  start: readonly string[];
  /** Default 50 (or the ceiling, if lower). */
  maxHops?: number | null;
  /** Default 100,000 (or the ceiling, if lower). */
  maxNodes?: number | null;
  /** Milliseconds since the epoch. */
  asOf?: number | null;
}

export interface PathQuery {
  from: string;
  to: string;
  /** Default 100 (or the ceiling, if lower). */
  maxHops?: number | null;
}

/** What every lineage query may be given besides its arguments. */
export interface ColumnLineageQuery {
  /** A dataset version (an artifact). */
  artifact: string;
  field: string;
  /** Default UPSTREAM. */
  direction?: ColumnDirection | null;
  /** Runs to follow: default 20 (or the ceiling, if lower). */
  maxHops?: number | null;
}

export interface LineageCallOptions {
  /**
   * The budget to spend: one operation passes the same one to every query it makes, so
   * thirty aliases (or walks nested under walks) share one budget. Default: a fresh one
   * of the configured queryTimeoutMs.
   */
  deadline?: Deadline;
}

export interface LineageReadOptions extends LineageCallOptions {
  /** Read every returned node's record and type (default true); false leaves them null for a caller that loads them only when asked. */
  records?: boolean;
}

export interface LineageApi {
  readonly limits: LineageLimits;
  /** A budget of the configured queryTimeoutMs from now, for one operation to pass to each of its queries. */
  startDeadline(): Deadline;
  /**
   * The nodes upstream and/or downstream of `start`, each once at its smallest distance,
   * with the walked events among them. Defaults: UPSTREAM, 20 hops, 10,000 nodes, INPUT
   * and OUTPUT events. Start nodes are expanded even when they match `stopAt`.
   */
  lineage(query: LineageQuery, options?: LineageReadOptions): Promise<LineageGraph>;
  /** Everything downstream of `start` (50 hops, 100,000 nodes by default), with models, counts and contexts. */
  impact(query: ImpactQuery, options?: LineageCallOptions): Promise<ImpactReport>;
  /** One shortest chain of INPUT/OUTPUT events leading from `from` to `to` along the data flow; null when none within maxHops. */
  path(query: PathQuery, options?: LineageCallOptions): Promise<LineageEdge[] | null>;
  /** Contexts (1 to 20) side by side: executions, inputs and metrics aligned by type. */
  compareContexts(ids: readonly string[]): Promise<ContextComparison>;
  /** ML Metadata's GetLineageSubgraph, by its rules (lineage-subgraph.ts): 100 hops by default and at most. */
  mlmdSubgraph(query: LineageSubgraphQuery, options?: LineageCallOptions): Promise<LineageSubgraph>;
  /**
   * The fields a field of a dataset version derives from (UPSTREAM, the default) or that
   * derive from it (DOWNSTREAM), by its `facet:columnLineage` and its runs' events
   * (column-lineage.ts); default 20 hops. A field no facet names answers the start alone.
   */
  columnLineage(query: ColumnLineageQuery, options?: LineageCallOptions): Promise<ColumnWalk>;
}

/** Builds the lineage service over a store; `limits` default to 100 hops, 100,000 nodes and 30 s a query. */
export function createLineageService(store: GraphStore, limits: Partial<LineageLimits> = {}): LineageApi {
  return new LineageService(store, checkLimits(limits));
}

const IMPACT_EVENT_TYPES: readonly EventType[] = ['INPUT', 'OUTPUT'];

class LineageService implements LineageApi {
  constructor(private readonly store: GraphStore, readonly limits: LineageLimits) {}

  startDeadline(): Deadline {
    return startDeadline(this.limits.queryTimeoutMs);
  }

  /** The caller's budget or a fresh one, checked now: a query asked past it answers at once, before any store call. */
  private budget(options: LineageCallOptions): Deadline {
    const deadline = options.deadline ?? this.startDeadline();
    deadline.check();
    return deadline;
  }

  lineage(query: LineageQuery, options: LineageReadOptions = {}): Promise<LineageGraph> {
    const valid = validateLineageQuery(query, this.limits, LINEAGE_DEFAULTS);
    const deadline = this.budget(options);
    return this.store.read(lineageReadWork({
      query: valid, records: options.records !== false, budgetMs: deadline.budgetMs, remainingMs: deadline.remainingMs(),
    }));
  }

  impact(query: ImpactQuery, options: LineageCallOptions = {}): Promise<ImpactReport> {
    const valid = validateLineageQuery({
      start: query?.start,
      direction: 'DOWNSTREAM',
      maxHops: query.maxHops,
      maxNodes: query.maxNodes,
      eventTypes: IMPACT_EVENT_TYPES,
      asOf: query.asOf,
    }, this.limits, IMPACT_DEFAULTS);
    const deadline = this.budget(options);
    return this.store.read(impactReadWork({ query: valid, budgetMs: deadline.budgetMs, remainingMs: deadline.remainingMs() }));
  }

  async path(query: PathQuery, options: LineageCallOptions = {}): Promise<LineageEdge[] | null> {
    const from = requireName(query?.from, 'from', MAX_TEXT_LENGTH);
    const to = requireName(query.to, 'to', MAX_TEXT_LENGTH);
    const maxHops = hopsArg(query.maxHops, this.limits, PATH_DEFAULT_MAX_HOPS);
    const deadline = this.budget(options);
    const events = await this.store.read(async (tx) => {
      await requireLineageNodes(tx, [from, to], (i) => (i === 0 ? 'from' : 'to'));
      return shortestPath(tx, from, to, maxHops, this.limits.maxNodesCeiling, deadline);
    });
    return events === null ? null : events.map(edgeOf);
  }

  compareContexts(ids: readonly string[]): Promise<ContextComparison> {
    const valid = validateComparedIds(ids);
    return this.store.read((tx) => compareContextsInTx(tx, valid));
  }

  mlmdSubgraph(query: LineageSubgraphQuery, options: LineageCallOptions = {}): Promise<LineageSubgraph> {
    const valid = validateSubgraphQuery(query);
    const deadline = this.budget(options);
    return this.store.read((tx) => lineageSubgraphInTx(tx, valid, deadline));
  }

  columnLineage(query: ColumnLineageQuery, options: LineageCallOptions = {}): Promise<ColumnWalk> {
    const artifact = requireName(query?.artifact, 'artifact', MAX_TEXT_LENGTH);
    const field = requireName(query.field, 'field', MAX_TEXT_LENGTH);
    const direction = isPresent(query.direction) ? requireEnum(query.direction, COLUMN_DIRECTIONS, 'direction') : 'UPSTREAM';
    const maxHops = hopsArg(query.maxHops, this.limits, COLUMN_LINEAGE_DEFAULT_MAX_HOPS);
    const deadline = this.budget(options);
    return this.store.read(async (tx) => {
      const [start] = await tx.getNodes([artifact]);
      if (start?.kind !== 'ARTIFACT') throw new NotFoundError(`artifact: no artifact ${describe(artifact)}`, 'artifact');
      return walkColumns(tx, [{ record: start, fields: [field] }], direction, { maxHops, maxNodes: this.limits.maxNodesCeiling, deadline });
    });
  }
}
