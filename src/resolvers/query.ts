/** Query resolvers: arguments in, one service call (or loader), result out. */
import type { NodeKind, NodeRecord, TypeRecord } from '../graph/model.js';
import { TYPE_KIND_OF } from '../graph/model.js';
import type { NodeFilterInput, OrderByInput } from '../service/metadata/inputs.js';
import { nodeKey, typeKey } from '../service/shared/lookup-keys.js';
import type { RequestContext } from './context.js';
import { primed } from './connections.js';

/** A node lookup: `id` or `mlmdId` (an MlmdId argument arrives as sent: the service checks it). */
interface NodeKeyArgs { id?: string | null; mlmdId?: unknown }
interface ByNameArgs { type: string; name: string; typeVersion?: string | null }
interface TypeKeyArgs { name?: string | null; version?: string | null; mlmdId?: unknown }
interface ListArgs { filter?: NodeFilterInput | null; where?: string | null; orderBy?: OrderByInput | null; first?: number | null; after?: string | null }

/**
 * The node of `kind` that `field` asks for by id or by mlmdId (unique within a kind only),
 * through the request's loaders (so sibling lookups share one store call); null when there
 * is none, or when the id names a node of another kind, as for a missing id.
 */
const byKey = (field: string, kind: NodeKind) => async (_: unknown, args: NodeKeyArgs, ctx: RequestContext): Promise<NodeRecord | null> => {
  const key = nodeKey(args, field);
  const node = key.id !== undefined ? await ctx.loaders.nodes.load(key.id) : await ctx.loaders.nodesByMlmdId[kind].load(key.mlmdId);
  return node?.kind === kind ? node : null;
};

/**
 * Any node by id: an mlmdId names a node only with its kind, which `artifact`, `execution`
 * and `context` take. With asOf (milliseconds, the DateTime scalar's inside value), as it stood then.
 */
const nodeById = (_: unknown, args: { id: string; asOf?: number | null }, ctx: RequestContext): Promise<NodeRecord | null> =>
  args.asOf === undefined || args.asOf === null ? ctx.loaders.nodes.load(args.id) : ctx.loaders.nodesAsOf.load({ id: args.id, asOf: args.asOf });

const byName = (kind: NodeKind) => (_: unknown, args: ByNameArgs, ctx: RequestContext) =>
  ctx.api.findNodeByName(kind, args.type, args.name, args.typeVersion);

const list = (kind: NodeKind) => async (_: unknown, args: ListArgs, ctx: RequestContext) =>
  primed(await ctx.api.listNodes(kind, { filter: args.filter, where: args.where, orderBy: args.orderBy, first: args.first, after: args.after }), ctx);

/** The type `field` asks for by name (and version) or by mlmdId; null when there is none of this kind. */
const typeByKey = (field: string, kind: NodeKind) => async (_: unknown, args: TypeKeyArgs, ctx: RequestContext): Promise<TypeRecord | null> => {
  const key = typeKey(args, field);
  if (key.name !== undefined) return ctx.api.findType(TYPE_KIND_OF[kind], key.name, key.version);
  const type = await ctx.loaders.typesByMlmdId.load(key.mlmdId);
  return type?.kind === TYPE_KIND_OF[kind] ? type : null;
};

const types = (kind: NodeKind) => (_: unknown, _args: unknown, ctx: RequestContext) => ctx.api.listTypes(TYPE_KIND_OF[kind]);

export const queryResolvers = {
  Query: {
    node: nodeById,
    artifact: byKey('artifact', 'ARTIFACT'),
    execution: byKey('execution', 'EXECUTION'),
    context: byKey('context', 'CONTEXT'),
    artifactByName: byName('ARTIFACT'),
    executionByName: byName('EXECUTION'),
    contextByName: byName('CONTEXT'),
    artifacts: list('ARTIFACT'),
    executions: list('EXECUTION'),
    contexts: list('CONTEXT'),
    artifactType: typeByKey('artifactType', 'ARTIFACT'),
    executionType: typeByKey('executionType', 'EXECUTION'),
    contextType: typeByKey('contextType', 'CONTEXT'),
    artifactTypes: types('ARTIFACT'),
    executionTypes: types('EXECUTION'),
    contextTypes: types('CONTEXT'),
  },
};
