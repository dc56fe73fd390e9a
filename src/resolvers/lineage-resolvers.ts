/**
 * Resolvers of lineage.graphql: arguments in, one lineage service call, result out.
 * A lineage walk reads its nodes' records and types only when the operation selects
 * them (a node's artifact or execution, the DOT or Mermaid text), in the walk's own read
 * transaction, and primes the request's loaders with them, so the nested fields find
 * them there: one read for the whole answer, and a query for ids and distances costs the
 * walk alone. Records the service read anyway (impact's models) prime the loader too.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { EventType, NodeRecord, TypeRecord } from '../graph/model.js';
import type { ImpactListName, ImpactReport } from '../service/lineage/impact.js';
import { pageImpactList } from '../service/lineage/impact.js';
import type { LineageDirection, LineageStopInput } from '../service/lineage/lineage-args.js';
import type { LineageGraph, LineageNode } from '../service/lineage/lineage-graph.js';
import { renderDot, renderMermaid } from '../service/lineage/lineage-render.js';
import type { PageArgs } from '../service/shared/paging.js';
import type { RequestContext } from './context.js';
import { selectsAny } from './selection.js';

interface WalkArgs {
  maxHops?: number | null;
  maxNodes?: number | null;
  eventTypes?: EventType[] | null;
  stopAt?: LineageStopInput | null;
  artifactTypes?: string[] | null;
  executionTypes?: string[] | null;
  /** Milliseconds (the DateTime scalar's inside value). */
  asOf?: number | null;
}

interface LineageArgs extends WalkArgs {
  start: string[];
  direction?: LineageDirection | null;
}

/**
 * Seeds the node loader with the records a lineage answer carries; records read as of a
 * time go to the nodesAsOf loader instead, so a field asking for the node as it is now
 * never gets its old record.
 */
function primeNodes(nodes: readonly LineageNode[], asOf: number | null, ctx: RequestContext): void {
  for (const n of nodes) {
    if (!n.record) continue;
    if (asOf === null) ctx.loaders.nodes.prime(n.id, n.record);
    else ctx.loaders.nodesAsOf.prime({ id: n.id, asOf }, n.record);
  }
}

/** A lineage node of an answer read as of a time: its record, when asked for later, is read as of that time too. */
type TimedNode = LineageNode & { asOf?: number };

/** The nodes of an answer read as of `asOf`, marked so (the nodes as they are when it is null). */
const timed = (nodes: LineageNode[], asOf: number | null): TimedNode[] => (asOf === null ? nodes : nodes.map((n) => ({ ...n, asOf })));

/** The record of a lineage node through the loaders: as of its answer's time when it has one. */
const loadRecord = (n: TimedNode, ctx: RequestContext): Promise<NodeRecord | null> =>
  n.asOf === undefined ? ctx.loaders.nodes.load(n.id) : ctx.loaders.nodesAsOf.load({ id: n.id, asOf: n.asOf });

/** What of a LineageGraph needs its nodes' records: a node's record fields, and the renderings (their labels). */
const RECORD_FIELDS = [['nodes', 'artifact'], ['nodes', 'execution'], ['dot'], ['mermaid']] as const;

/**
 * The walk, with its nodes' records and types read in the same transaction when the
 * operation asks for them (then primed into the loaders, which the fields read from).
 */
async function lineageOf(args: LineageArgs, ctx: RequestContext, info: GraphQLResolveInfo): Promise<LineageGraph> {
  const records = selectsAny(info, RECORD_FIELDS);
  const graph = await ctx.lineage.lineage(args, { records, deadline: ctx.deadline });
  if (records) {
    primeNodes(graph.nodes, graph.asOf, ctx);
    for (const [id, type] of graph.types) ctx.loaders.types.prime(id, type);
  }
  return { ...graph, nodes: timed(graph.nodes, graph.asOf) };
}

/** The graph with every node's record and type, read through the loaders (one batch each), for rendering. */
async function withRecords(graph: LineageGraph, ctx: RequestContext): Promise<LineageGraph> {
  const records = await Promise.all(graph.nodes.map((n) => loadRecord(n, ctx).catch((error: unknown) => error as Error)));
  const nodes = graph.nodes.map((n, i) => {
    const r = records[i];
    return r && !(r instanceof Error) && r.kind === n.kind ? { ...n, record: r as LineageNode['record'] } : n;
  });
  const typeIds = [...new Set(graph.nodes.map((n) => n.typeId))];
  const types = new Map<string, TypeRecord>();
  for (const t of await ctx.loaders.types.loadMany(typeIds)) if (t && !(t instanceof Error)) types.set(t.id, t);
  return { ...graph, nodes, types };
}

/** Artifact.upstream and the like: the walk from the parent node. */
const walkFrom = (direction: LineageDirection) => (node: NodeRecord, args: WalkArgs, ctx: RequestContext, info: GraphQLResolveInfo) =>
  lineageOf({ ...args, start: [node.id], direction }, ctx, info);

/** The record of a lineage node of `kind`: the one carried along, else through the loader. */
const recordOf = (kind: LineageNode['kind']) => (n: TimedNode, _args: unknown, ctx: RequestContext) =>
  n.kind !== kind ? null : n.record ?? loadRecord(n, ctx);

const impactList = (list: ImpactListName) => (report: ImpactReport, args: PageArgs) => pageImpactList(report, list, args);

/** The resolver map for lineage.graphql. */
export const lineageResolvers = {
  Query: {
    lineage: (_: unknown, args: LineageArgs, ctx: RequestContext, info: GraphQLResolveInfo) => lineageOf(args, ctx, info),
    impact: async (_: unknown, args: { start: string[]; maxHops?: number | null; maxNodes?: number | null; asOf?: number | null }, ctx: RequestContext) => {
      const report = await ctx.lineage.impact(args, { deadline: ctx.deadline });
      primeNodes(report.models, report.asOf, ctx);
      if (report.asOf === null) return report;
      // Every listed node's record, when asked for, as of the report's time.
      return {
        ...report, start: timed(report.start, report.asOf), models: timed(report.models, report.asOf),
        artifacts: timed(report.artifacts, report.asOf), executions: timed(report.executions, report.asOf),
      };
    },
    path: (_: unknown, args: { from: string; to: string; maxHops?: number | null }, ctx: RequestContext) => ctx.lineage.path(args, { deadline: ctx.deadline }),
    compareContexts: (_: unknown, args: { ids: string[] }, ctx: RequestContext) => ctx.lineage.compareContexts(args.ids),
  },
  Artifact: {
    upstream: walkFrom('UPSTREAM'),
    downstream: walkFrom('DOWNSTREAM'),
  },
  Execution: {
    upstream: walkFrom('UPSTREAM'),
    downstream: walkFrom('DOWNSTREAM'),
  },
  LineageGraph: {
    dot: async (graph: LineageGraph, _args: unknown, ctx: RequestContext) => renderDot(await withRecords(graph, ctx)),
    mermaid: async (graph: LineageGraph, _args: unknown, ctx: RequestContext) => renderMermaid(await withRecords(graph, ctx)),
  },
  LineageNode: {
    artifact: recordOf('ARTIFACT'),
    execution: recordOf('EXECUTION'),
  },
  ImpactReport: {
    models: impactList('models'),
    artifacts: impactList('artifacts'),
    executions: impactList('executions'),
    contexts: impactList('contexts'),
    artifactCount: (report: ImpactReport) => report.artifacts.length,
    executionCount: (report: ImpactReport) => report.executions.length,
    modelCount: (report: ImpactReport) => report.models.length,
    countsByType: (report: ImpactReport) => report.countsByType.map((c) => ({
      kind: c.kind, typeId: c.type.id, typeName: c.type.name, typeVersion: c.type.version, baseType: c.type.baseType, count: c.count,
    })),
  },
};
