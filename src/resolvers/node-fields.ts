/**
 * Field resolvers of the node, event and type objects. Every edge is read through the
 * request's loaders, so sibling fields across a whole list share one backend call.
 */
import type { ArtifactRecord, ContextRecord, EventRecord, ExecutionRecord, NodeKind, NodeRecord } from '../graph/model.js';
import { isInputEvent } from '../graph/model.js';
import type { RequestContext } from './context.js';
import { primed } from './connections.js';
import { loadPresent } from './loaders.js';

const OBJECT_TYPE_OF: Record<NodeKind, string> = { ARTIFACT: 'Artifact', EXECUTION: 'Execution', CONTEXT: 'Context' };

const unique = (ids: string[]): string[] => [...new Set(ids)];

interface PageArgs { first?: number | null; after?: string | null }

// Fields every node kind shares; the rest resolve by their record's property of the same name.
const nodeFields = {
  type: (node: NodeRecord, _args: unknown, ctx: RequestContext) => ctx.loaders.types.now(node.typeId),
  contexts: (node: NodeRecord, _args: unknown, ctx: RequestContext) => ctx.loaders.contextsOfNode.load(node.id),
};

/** The executions at the other end of an artifact's events of one direction, in event order. */
async function executionsOf(artifact: ArtifactRecord, ctx: RequestContext, inputs: boolean): Promise<NodeRecord[]> {
  const events = await ctx.loaders.eventsByArtifact.load(artifact.id);
  const ids = unique(events.filter((e) => isInputEvent(e.type) === inputs).map((e) => e.executionId));
  return loadPresent(ctx.loaders.nodes, ids);
}

async function eventsOf(execution: ExecutionRecord, ctx: RequestContext, inputs: boolean): Promise<EventRecord[]> {
  const events = await ctx.loaders.eventsByExecution.load(execution.id);
  return events.filter((e) => isInputEvent(e.type) === inputs);
}

export const nodeResolvers = {
  Node: {
    __resolveType: (node: NodeRecord) => OBJECT_TYPE_OF[node.kind],
  },
  Artifact: {
    ...nodeFields,
    producedBy: (a: ArtifactRecord, _args: unknown, ctx: RequestContext) => executionsOf(a, ctx, false),
    consumedBy: (a: ArtifactRecord, _args: unknown, ctx: RequestContext) => executionsOf(a, ctx, true),
    events: (a: ArtifactRecord, _args: unknown, ctx: RequestContext) => ctx.loaders.eventsByArtifact.load(a.id),
  },
  Execution: {
    ...nodeFields,
    inputs: (x: ExecutionRecord, _args: unknown, ctx: RequestContext) => eventsOf(x, ctx, true),
    outputs: (x: ExecutionRecord, _args: unknown, ctx: RequestContext) => eventsOf(x, ctx, false),
  },
  Context: {
    type: nodeFields.type,
    // One page query per context: paging cannot be shared across parents the way a loader shares ids.
    artifacts: async (c: ContextRecord, args: PageArgs, ctx: RequestContext) =>
      primed(await ctx.api.listNodes('ARTIFACT', { filter: { contextId: c.id }, first: args.first, after: args.after }), ctx),
    executions: async (c: ContextRecord, args: PageArgs, ctx: RequestContext) =>
      primed(await ctx.api.listNodes('EXECUTION', { filter: { contextId: c.id }, first: args.first, after: args.after }), ctx),
    parents: (c: ContextRecord, _args: unknown, ctx: RequestContext) => ctx.loaders.parents.load(c.id),
    children: (c: ContextRecord, _args: unknown, ctx: RequestContext) => ctx.loaders.children.load(c.id),
  },
  Event: {
    artifact: (e: EventRecord, _args: unknown, ctx: RequestContext) => ctx.loaders.nodes.load(e.artifactId),
    execution: (e: EventRecord, _args: unknown, ctx: RequestContext) => ctx.loaders.nodes.load(e.executionId),
  },
};
