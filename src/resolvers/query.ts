/** Query resolvers: arguments in, one service call (or loader), result out. */
import type { NodeKind, NodeRecord } from '../graph/model.js';
import { TYPE_KIND_OF } from '../graph/model.js';
import type { NodeFilterInput, OrderByInput } from '../service/metadata/inputs.js';
import type { RequestContext } from './context.js';
import { primed } from './connections.js';

interface IdArgs { id: string }
interface ByNameArgs { type: string; name: string; typeVersion?: string | null }
interface TypeByNameArgs { name: string; version?: string | null }
interface ListArgs { filter?: NodeFilterInput | null; orderBy?: OrderByInput | null; first?: number | null; after?: string | null }

/** The node with `id` when it is of `kind`; null otherwise, as for a missing id. */
async function nodeOfKind(kind: NodeKind, id: string, ctx: RequestContext): Promise<NodeRecord | null> {
  const node = await ctx.loaders.nodes.load(id);
  return node?.kind === kind ? node : null;
}

const byId = (kind: NodeKind) => (_: unknown, args: IdArgs, ctx: RequestContext) => nodeOfKind(kind, args.id, ctx);

const byName = (kind: NodeKind) => (_: unknown, args: ByNameArgs, ctx: RequestContext) =>
  ctx.api.findNodeByName(kind, args.type, args.name, args.typeVersion);

const list = (kind: NodeKind) => async (_: unknown, args: ListArgs, ctx: RequestContext) =>
  primed(await ctx.api.listNodes(kind, { filter: args.filter, orderBy: args.orderBy, first: args.first, after: args.after }), ctx);

const typeByName = (kind: NodeKind) => (_: unknown, args: TypeByNameArgs, ctx: RequestContext) =>
  ctx.api.findType(TYPE_KIND_OF[kind], args.name, args.version);

const types = (kind: NodeKind) => (_: unknown, _args: unknown, ctx: RequestContext) => ctx.api.listTypes(TYPE_KIND_OF[kind]);

export const queryResolvers = {
  Query: {
    node: (_: unknown, args: IdArgs, ctx: RequestContext) => ctx.loaders.nodes.load(args.id),
    artifact: byId('ARTIFACT'),
    execution: byId('EXECUTION'),
    context: byId('CONTEXT'),
    artifactByName: byName('ARTIFACT'),
    executionByName: byName('EXECUTION'),
    contextByName: byName('CONTEXT'),
    artifacts: list('ARTIFACT'),
    executions: list('EXECUTION'),
    contexts: list('CONTEXT'),
    artifactType: typeByName('ARTIFACT'),
    executionType: typeByName('EXECUTION'),
    contextType: typeByName('CONTEXT'),
    artifactTypes: types('ARTIFACT'),
    executionTypes: types('EXECUTION'),
    contextTypes: types('CONTEXT'),
  },
};
