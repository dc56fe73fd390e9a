/**
 * Resolvers of the column lineage part of schema.graphql: arguments in, one lineage
 * service call, result out. The walk read every version it reached, so those records
 * prime the request's node loader; the runs load through it, one batch per answer.
 */
import type { ColumnEdge, ColumnNode, ColumnWalk } from '../service/lineage/lineage-service.js';
import type { ColumnDirection } from '../service/lineage/lineage-service.js';
import type { RequestContext } from './context.js';

interface ColumnLineageArgs {
  artifact: string;
  field: string;
  direction?: ColumnDirection | null;
  maxHops?: number | null;
}

const nodeOf = (id: string, ctx: RequestContext) => ctx.loaders.nodes.load(id);

/** The resolver map for the column lineage types and fields. */
export const columnLineageResolvers = {
  Query: {
    columnLineage: async (_: unknown, args: ColumnLineageArgs, ctx: RequestContext): Promise<ColumnWalk> => {
      const walk = await ctx.lineage.columnLineage(args, { deadline: ctx.deadline });
      for (const [id, record] of walk.artifacts) ctx.loaders.nodes.prime(id, record);
      return walk;
    },
  },
  ColumnLineageField: {
    artifact: (n: ColumnNode, _args: unknown, ctx: RequestContext) => nodeOf(n.artifactId, ctx),
  },
  ColumnLineageEdge: {
    input: (e: ColumnEdge, _args: unknown, ctx: RequestContext) => nodeOf(e.input.artifactId, ctx),
    inputField: (e: ColumnEdge) => e.input.field,
    output: (e: ColumnEdge, _args: unknown, ctx: RequestContext) => nodeOf(e.output.artifactId, ctx),
    outputField: (e: ColumnEdge) => e.output.field,
    run: (e: ColumnEdge, _args: unknown, ctx: RequestContext) => nodeOf(e.runId, ctx),
  },
  ColumnLineage: {
    fields: (w: ColumnWalk) => w.nodes,
  },
};
