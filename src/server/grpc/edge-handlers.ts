/**
 * MetadataStoreService's edge methods: PutEvents, GetEventsByArtifactIDs and
 * ...ByExecutionIDs; PutAttributionsAndAssociations, GetContextsByArtifact and
 * ...ByExecution, GetArtifactsByContext and GetExecutionsByContext; PutParentContexts and
 * the parent and child reads by context(s).
 */
import { NotFoundError } from '../../graph/errors.js';
import type { ContextRecord, EventRecord, NodeKind, NodeRecord, PathStep } from '../../graph/model.js';
import type { EdgeOptions } from '../../service/metadata/inputs.js';
import type { GrpcCallContext, HandlerGroup, UnaryHandler } from './grpc-handler.js';
import { listPage, nodeMsgsOf, nodesOf, type ListOptionsMsg } from './node-handlers.js';
import { eventPartsOf, exactInt, lookupIds, type EventMsg, type Int64 } from './wire-values.js';

const MLMD: EdgeOptions = { mlmdSemantics: true };

/**
 * The server ids of `kind` for these ML Metadata ids: a map for the ids that name a node
 * of the kind (ids that name none are left to the service, which refuses them by field).
 */
async function serverIds(ctx: GrpcCallContext, kind: NodeKind, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const nodes = await nodesOf(ctx, kind, ids.filter((id): id is number => id !== null && id >= 1));
  return new Map(nodes.map((n) => [n.mlmdId, n.id]));
}

/** A missing or unknown id as the service sees it: an id no node has, so it refuses it naming the field. */
const UNKNOWN_NODE = 'unknown';

const idOf = (value: Int64 | undefined, field: string): number | null => (value === undefined ? null : exactInt(value, field));

const putEvents: UnaryHandler<{ events?: EventMsg[] }> = async (req, ctx) => {
  const events = req.events ?? [];
  const artifactIds = events.map((e, i) => idOf(e.artifact_id, `events[${i}].artifact_id`));
  const executionIds = events.map((e, i) => idOf(e.execution_id, `events[${i}].execution_id`));
  const [artifacts, executions] = [await serverIds(ctx, 'ARTIFACT', artifactIds), await serverIds(ctx, 'EXECUTION', executionIds)];
  await ctx.api.putEvents(events.map((e, i) => ({
    artifactId: artifacts.get(artifactIds[i]!) ?? UNKNOWN_NODE,
    executionId: executions.get(executionIds[i]!) ?? UNKNOWN_NODE,
    ...eventPartsOf(e, `events[${i}]`),
  })), MLMD);
  return {};
};

/** An event as its message, its ends as ML Metadata ids (`mlmdIdOf` knows both ends' server ids). */
export function eventMsgOf(e: EventRecord, mlmdIdOf: ReadonlyMap<string, number>): EventMsg {
  const msg: EventMsg = {
    artifact_id: mlmdIdOf.get(e.artifactId)!, execution_id: mlmdIdOf.get(e.executionId)!, type: e.type, milliseconds_since_epoch: e.time,
  };
  if (e.path.length > 0) msg.path = { steps: e.path.map((s: PathStep) => (s.key === undefined ? { index: s.index } : { key: s.key })) };
  return msg;
}

/** Events as messages, their ends as ML Metadata ids. */
async function eventMsgsOf(ctx: GrpcCallContext, events: readonly EventRecord[]): Promise<EventMsg[]> {
  const ids = [...new Set(events.flatMap((e) => [e.artifactId, e.executionId]))];
  const nodes = ids.length === 0 ? [] : await ctx.api.getNodes(ids);
  const mlmdIdOf = new Map(nodes.filter((n): n is NodeRecord => n !== null).map((n) => [n.id, n.mlmdId]));
  return events.map((e) => eventMsgOf(e, mlmdIdOf));
}

function eventsBy(kind: 'ARTIFACT' | 'EXECUTION', field: string): UnaryHandler<Record<string, Int64[] | undefined>> {
  return async (req, ctx) => {
    const nodes = await nodesOf(ctx, kind, lookupIds(req[field], field));
    const ids = nodes.map((n) => n.id);
    if (ids.length === 0) return {};
    const lists = kind === 'ARTIFACT' ? await ctx.api.eventsByArtifacts(ids) : await ctx.api.eventsByExecutions(ids);
    return { events: await eventMsgsOf(ctx, lists.flat()) };
  };
}

interface LinksRequest {
  attributions?: { artifact_id?: Int64; context_id?: Int64 }[];
  associations?: { execution_id?: Int64; context_id?: Int64 }[];
}

const putAttributionsAndAssociations: UnaryHandler<LinksRequest> = async (req, ctx) => {
  const attributions = req.attributions ?? [];
  const associations = req.associations ?? [];
  const contextIds = [...attributions, ...associations].map((l, i) => idOf(l.context_id, `links[${i}].context_id`));
  const artifactIds = attributions.map((l, i) => idOf(l.artifact_id, `attributions[${i}].artifact_id`));
  const executionIds = associations.map((l, i) => idOf(l.execution_id, `associations[${i}].execution_id`));
  const contexts = await serverIds(ctx, 'CONTEXT', contextIds);
  const artifacts = await serverIds(ctx, 'ARTIFACT', artifactIds);
  const executions = await serverIds(ctx, 'EXECUTION', executionIds);
  const known = (map: Map<number, string>, id: number | null): string => (id === null ? UNKNOWN_NODE : map.get(id) ?? UNKNOWN_NODE);
  if (attributions.length > 0) {
    await ctx.api.putAttributions(attributions.map((_, i) => ({ contextId: known(contexts, contextIds[i]!), artifactId: known(artifacts, artifactIds[i]!) })), MLMD);
  }
  if (associations.length > 0) {
    await ctx.api.putAssociations(associations.map((_, i) => ({
      contextId: known(contexts, contextIds[attributions.length + i]!), executionId: known(executions, executionIds[i]!),
    })), MLMD);
  }
  return {};
};

const putParentContexts: UnaryHandler<{ parent_contexts?: { child_id?: Int64; parent_id?: Int64 }[] }> = async (req, ctx) => {
  const links = req.parent_contexts ?? [];
  const childIds = links.map((l, i) => idOf(l.child_id, `parent_contexts[${i}].child_id`));
  const parentIds = links.map((l, i) => idOf(l.parent_id, `parent_contexts[${i}].parent_id`));
  const contexts = await serverIds(ctx, 'CONTEXT', [...childIds, ...parentIds]);
  await ctx.api.putParentContexts(links.map((_, i) => ({
    childId: contexts.get(childIds[i]!) ?? UNKNOWN_NODE, parentId: contexts.get(parentIds[i]!) ?? UNKNOWN_NODE,
  })), MLMD);
  return {};
};

/** GetContextsByArtifact and ...ByExecution: MLMD answers NOT_FOUND for a node in no context (or no node at all). */
function contextsOf(kind: 'ARTIFACT' | 'EXECUTION', field: 'artifact_id' | 'execution_id'): UnaryHandler<Record<string, Int64 | undefined>> {
  return async (req, ctx) => {
    const [node] = await nodesOf(ctx, kind, lookupIds(req[field] === undefined ? [] : [req[field]!], field));
    const [contexts] = node ? await ctx.api.contextsOfNodes([node.id]) : [[]];
    if (!contexts || contexts.length === 0) throw new NotFoundError(`no contexts found for ${field} ${req[field] ?? '(none)'}`, field);
    return { contexts: await nodeMsgsOf(ctx, [...contexts].sort((a, b) => a.mlmdId - b.mlmdId)) };
  };
}

/** GetArtifactsByContext and GetExecutionsByContext, paged as the listings are; an unknown context has none. */
function membersOf(kind: 'ARTIFACT' | 'EXECUTION', many: string): UnaryHandler<{ context_id?: Int64; options?: ListOptionsMsg }> {
  return async (req, ctx) => {
    const [context] = await nodesOf(ctx, 'CONTEXT', lookupIds(req.context_id === undefined ? [] : [req.context_id], 'context_id'));
    if (!context) return {};
    const { nodes, next } = await listPage(ctx, kind, { contextId: context.id }, req.options);
    return { [many]: await nodeMsgsOf(ctx, nodes), ...(next === null ? {} : { next_page_token: next }) };
  };
}

type Related = (ids: readonly string[]) => Promise<ContextRecord[][]>;

/** The parents or children of one context; an unknown context has none. */
function relativesOf(related: (ctx: GrpcCallContext) => Related): UnaryHandler<{ context_id?: Int64 }> {
  return async (req, ctx) => {
    const [context] = await nodesOf(ctx, 'CONTEXT', lookupIds(req.context_id === undefined ? [] : [req.context_id], 'context_id'));
    if (!context) return {};
    const [contexts] = await related(ctx)([context.id]);
    return { contexts: await nodeMsgsOf(ctx, [...contexts!].sort((a, b) => a.mlmdId - b.mlmdId)) };
  };
}

/** The parents or children of many contexts, as a map from each context's id. */
function relativesOfMany(related: (ctx: GrpcCallContext) => Related, entry: string): UnaryHandler<{ context_ids?: Int64[] }> {
  return async (req, ctx) => {
    const contexts = await nodesOf(ctx, 'CONTEXT', lookupIds(req.context_ids, 'context_ids'));
    if (contexts.length === 0) return {};
    const lists = await related(ctx)(contexts.map((c) => c.id));
    const out: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < contexts.length; i++) {
      // MLMD leaves out a context with none.
      if (lists[i]!.length === 0) continue;
      out[String(contexts[i]!.mlmdId)] = { [entry]: await nodeMsgsOf(ctx, [...lists[i]!].sort((a, b) => a.mlmdId - b.mlmdId)) };
    }
    return { contexts: out };
  };
}

const parents = (ctx: GrpcCallContext): Related => (ids) => ctx.api.parentContexts(ids);
const children = (ctx: GrpcCallContext): Related => (ids) => ctx.api.childContexts(ids);

/** The edge methods by name. */
export const EDGE_HANDLERS: HandlerGroup = {
  PutEvents: putEvents,
  GetEventsByArtifactIDs: eventsBy('ARTIFACT', 'artifact_ids'),
  GetEventsByExecutionIDs: eventsBy('EXECUTION', 'execution_ids'),
  PutAttributionsAndAssociations: putAttributionsAndAssociations,
  GetContextsByArtifact: contextsOf('ARTIFACT', 'artifact_id'),
  GetContextsByExecution: contextsOf('EXECUTION', 'execution_id'),
  GetArtifactsByContext: membersOf('ARTIFACT', 'artifacts'),
  GetExecutionsByContext: membersOf('EXECUTION', 'executions'),
  PutParentContexts: putParentContexts,
  GetParentContextsByContext: relativesOf(parents),
  GetChildrenContextsByContext: relativesOf(children),
  GetParentContextsByContexts: relativesOfMany(parents, 'parent_contexts'),
  GetChildrenContextsByContexts: relativesOfMany(children, 'children_contexts'),
};
