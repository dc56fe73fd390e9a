/**
 * Mutation resolvers: arguments in, one service call, result out. All fields of one
 * mutation operation share one transaction (src/server/mutation-transaction.ts). After
 * each write the request's loaders are cleared, since a later field of the same
 * operation must not be answered from what was read before the write.
 */
import type { NodeRecord, TypeKind } from '../graph/model.js';
import type {
  ArtifactInput, ContextInput, EventInput, ExecutionInput, LineageSubgraphInput, RecordExecutionInput, TypeInput,
} from '../service/metadata/inputs.js';
import type { RequestContext } from './context.js';

interface PutTypeArgs { input: TypeInput; canAddFields: boolean; canOmitFields: boolean }
interface ReuseArg { reuseByExternalId: boolean }

/** Runs a write, then forgets what the loaders read before it and seeds them with the written nodes. */
async function afterWrite<T>(ctx: RequestContext, write: Promise<T>, written: (result: T) => NodeRecord[] = () => []): Promise<T> {
  const result = await write;
  ctx.loaders.clearAll();
  for (const node of written(result)) ctx.loaders.nodes.prime(node.id, node);
  return result;
}

const putType = (kind: TypeKind) => (_: unknown, args: PutTypeArgs, ctx: RequestContext) =>
  afterWrite(ctx, ctx.api.putType(kind, args.input, { canAddFields: args.canAddFields, canOmitFields: args.canOmitFields }, ctx.writer));

const themselves = (written: NodeRecord[]): NodeRecord[] => written;

export const mutationResolvers = {
  Mutation: {
    putArtifactType: putType('ARTIFACT_TYPE'),
    putExecutionType: putType('EXECUTION_TYPE'),
    putContextType: putType('CONTEXT_TYPE'),
    putArtifacts: (_: unknown, args: { artifacts: ArtifactInput[] } & ReuseArg, ctx: RequestContext) =>
      afterWrite(ctx, ctx.api.putArtifacts(args.artifacts, { reuseByExternalId: args.reuseByExternalId }, ctx.writer), themselves),
    putExecutions: (_: unknown, args: { executions: ExecutionInput[] } & ReuseArg, ctx: RequestContext) =>
      afterWrite(ctx, ctx.api.putExecutions(args.executions, { reuseByExternalId: args.reuseByExternalId }, ctx.writer), themselves),
    putContexts: (_: unknown, args: { contexts: ContextInput[] } & ReuseArg, ctx: RequestContext) =>
      afterWrite(ctx, ctx.api.putContexts(args.contexts, { reuseByExternalId: args.reuseByExternalId }, ctx.writer), themselves),
    putEvents: (_: unknown, args: { events: EventInput[] }, ctx: RequestContext) =>
      afterWrite(ctx, ctx.api.putEvents(args.events)),
    putAttributions: (_: unknown, args: { links: { contextId: string; artifactId: string }[] }, ctx: RequestContext) =>
      afterWrite(ctx, ctx.api.putAttributions(args.links)),
    putAssociations: (_: unknown, args: { links: { contextId: string; executionId: string }[] }, ctx: RequestContext) =>
      afterWrite(ctx, ctx.api.putAssociations(args.links, {}, ctx.writer)),
    putParentContexts: (_: unknown, args: { links: { childId: string; parentId: string }[] }, ctx: RequestContext) =>
      afterWrite(ctx, ctx.api.putParentContexts(args.links)),
    recordExecution: (_: unknown, args: { input: RecordExecutionInput }, ctx: RequestContext) =>
      afterWrite(ctx, ctx.api.recordExecution(args.input, ctx.writer), (r) => [r.execution, ...r.inputs, ...r.outputs, ...r.contexts]),
    putLineageSubgraph: (_: unknown, args: { input: LineageSubgraphInput }, ctx: RequestContext) =>
      afterWrite(ctx, ctx.api.putLineageSubgraph(args.input, ctx.writer), (r) => [...r.artifacts, ...r.executions, ...r.contexts]),
    deleteNodes: (_: unknown, args: { ids: string[] }, ctx: RequestContext) =>
      afterWrite(ctx, ctx.api.deleteNodes(args.ids, ctx.writer)),
  },
};
