/**
 * MetadataStoreService's artifact, execution and context methods: Put{Artifacts,
 * Executions,Contexts} (a put by id replaces the node, or the paths of update_mask), and
 * the reads by id, by type, by type and name, by external id, by URI, and the listings
 * with ListOperationOptions (its filter_query waits for the filter compiler).
 */
import { InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import type { ArtifactRecord, ExecutionRecord, NodeKind, NodeRecord, PropertyType, TypeRecord } from '../../graph/model.js';
import { TYPE_KIND_OF } from '../../graph/model.js';
import type { NodeInput } from '../../service/metadata/node-writes.js';
import type { OrderByInput, PageInput } from '../../service/metadata/inputs.js';
import type { GrpcCallContext, HandlerGroup, UnaryHandler } from './grpc-handler.js';
import { typeMsgOf } from './type-handlers.js';
import { exactInt, lookupIds, propertyMapOf, textOrNull, valueMapOf, type Int64, type ValueMsg } from './wire-values.js';

/** An Artifact, Execution or Context message, the fields of all three. */
export interface NodeMsg {
  id?: Int64; name?: string; type_id?: Int64; type?: string; uri?: string; external_id?: string;
  properties?: Record<string, ValueMsg>; custom_properties?: Record<string, ValueMsg>;
  state?: string; last_known_state?: string;
  create_time_since_epoch?: Int64; last_update_time_since_epoch?: Int64;
}

/** ML Metadata's ListOperationOptions. */
export interface ListOptionsMsg {
  max_result_size?: number;
  order_by_field?: { field?: string; is_asc?: boolean };
  next_page_token?: string;
  filter_query?: string;
}

const WORD: Record<NodeKind, { one: string; many: string; ids: string; Many: string }> = {
  ARTIFACT: { one: 'artifact', many: 'artifacts', ids: 'artifact_ids', Many: 'Artifacts' },
  EXECUTION: { one: 'execution', many: 'executions', ids: 'execution_ids', Many: 'Executions' },
  CONTEXT: { one: 'context', many: 'contexts', ids: 'context_ids', Many: 'Contexts' },
};

/**
 * The nodes of `kind` with these ML Metadata ids, each once, by id as MLMD answers; misses
 * left out. Ids are unique per kind only (as MLMD's), so the lookup is by kind.
 */
export async function nodesOf(ctx: GrpcCallContext, kind: NodeKind, ids: readonly number[]): Promise<NodeRecord[]> {
  const distinct = [...new Set(ids)];
  const found = distinct.length === 0 ? [] : await ctx.api.getNodesByMlmdId(kind, distinct);
  return found.filter((n): n is NodeRecord => n !== null).sort((a, b) => a.mlmdId - b.mlmdId);
}

/** Every type the records refer to, by their server ids. */
async function typesOf(ctx: GrpcCallContext, nodes: readonly NodeRecord[]): Promise<Map<string, TypeRecord>> {
  const ids = [...new Set(nodes.map((n) => n.typeId))];
  const types = ids.length === 0 ? [] : await ctx.api.getTypes(ids);
  return new Map(types.filter((t): t is TypeRecord => t !== null).map((t) => [t.id, t]));
}

/**
 * A node record as its message. MLMD leaves an UNKNOWN state out, as one never set, and
 * gives every artifact a uri, empty when it has none.
 */
export function nodeMsgOf(node: NodeRecord, type: TypeRecord): NodeMsg {
  const declared = new Map<string, PropertyType>(type.properties.map((p) => [p.name, p.type]));
  const msg: NodeMsg = {
    id: node.mlmdId, type_id: type.mlmdId, type: type.name,
    properties: valueMapOf(node.properties, declared), custom_properties: valueMapOf(node.customProperties),
    create_time_since_epoch: node.createTime, last_update_time_since_epoch: node.updateTime,
  };
  if (node.name !== null) msg.name = node.name;
  if (node.externalId !== null) msg.external_id = node.externalId;
  if (node.kind === 'ARTIFACT') {
    const a = node as ArtifactRecord;
    msg.uri = a.uri ?? '';
    if (a.state !== 'UNKNOWN') msg.state = a.state;
  }
  if (node.kind === 'EXECUTION' && (node as ExecutionRecord).lastKnownState !== 'UNKNOWN') {
    msg.last_known_state = (node as ExecutionRecord).lastKnownState;
  }
  return msg;
}

/** Records as messages, with their types read in one call. */
export async function nodeMsgsOf(ctx: GrpcCallContext, nodes: readonly NodeRecord[]): Promise<NodeMsg[]> {
  const types = await typesOf(ctx, nodes);
  return nodes.map((n) => nodeMsgOf(n, types.get(n.typeId)!));
}

/**
 * The service's inputs of node messages: type_id and id as the core's type names and
 * node ids, each list read in one call. An unknown type_id is NOT_FOUND and a missing
 * one INVALID_ARGUMENT, as in MLMD; a put by id may leave type_id out (the node's own).
 */
export async function nodeInputsOf(ctx: GrpcCallContext, kind: NodeKind, msgs: readonly NodeMsg[], field: string): Promise<NodeInput[]> {
  const nodeIds = msgs.map((m, i) => (m.id === undefined ? null : exactInt(m.id, `${field}[${i}].id`)));
  const stored = await nodesOf(ctx, kind, nodeIds.filter((id): id is number => id !== null && id >= 1));
  const byMlmdId = new Map(stored.map((n) => [n.mlmdId, n]));
  const typeIds = msgs.map((m, i) => (m.type_id === undefined ? null : exactInt(m.type_id, `${field}[${i}].type_id`)));
  const given = typeIds.filter((id): id is number => id !== null && id >= 1);
  const found = given.length === 0 ? [] : await ctx.api.getTypesByMlmdId([...new Set(given)]);
  const types = new Map(found.filter((t): t is TypeRecord => t?.kind === TYPE_KIND_OF[kind]).map((t) => [t.mlmdId, t]));
  const storedTypes = await typesOf(ctx, stored);
  return msgs.map((m, i) => {
    const at = `${field}[${i}]`;
    const node = nodeIds[i] === null ? undefined : byMlmdId.get(nodeIds[i]!);
    if (nodeIds[i] !== null && node === undefined) throw new InvalidArgumentError(`${at}.id: no ${WORD[kind].one} has id ${nodeIds[i]}`, `${at}.id`);
    let type: TypeRecord | undefined;
    if (typeIds[i] !== null) {
      type = types.get(typeIds[i]!);
      if (!type) throw new NotFoundError(`${at}.type_id: no ${WORD[kind].one} type has id ${typeIds[i]}`, `${at}.type_id`);
    } else if (node) {
      type = storedTypes.get(node.typeId);
    }
    if (!type) throw new InvalidArgumentError(`${at}.type_id is required`, `${at}.type_id`);
    return {
      id: node?.id ?? null,
      type: type.name,
      typeVersion: type.version,
      name: textOrNull(m.name),
      externalId: textOrNull(m.external_id),
      uri: m.uri ?? null,
      state: m.state ?? null,
      lastKnownState: m.last_known_state ?? null,
      properties: propertyMapOf(m.properties, `${at}.properties`),
      customProperties: propertyMapOf(m.custom_properties, `${at}.custom_properties`),
    } as NodeInput;
  });
}

const ORDER_FIELD: Record<string, OrderByInput['field']> = { CREATE_TIME: 'CREATE_TIME', LAST_UPDATE_TIME: 'UPDATE_TIME', ID: 'ID' };
/** MLMD's largest page, whatever max_result_size asks. */
const MLMD_MAX_PAGE = 100;
/** Pages of this many nodes make up an answer without list options, which MLMD gives whole. */
const WHOLE_LIST_PAGE = 1000;

/**
 * One page of nodes as ListOperationOptions ask (MLMD's defaults: 20 a page, at most
 * 100, by id ascending), or every node when the request has no options, as MLMD answers.
 */
export async function listPage(ctx: GrpcCallContext, kind: NodeKind, filter: PageInput['filter'], options: ListOptionsMsg | undefined): Promise<{ nodes: NodeRecord[]; next: string | null }> {
  if (options?.filter_query !== undefined && options.filter_query !== '') {
    throw new InvalidArgumentError('options.filter_query is not supported yet', 'options.filter_query');
  }
  if (options === undefined) {
    const nodes: NodeRecord[] = [];
    let after: string | null = null;
    do {
      const page = await ctx.api.listNodes(kind, { filter, orderBy: { field: 'ID' }, first: WHOLE_LIST_PAGE, after });
      nodes.push(...page.nodes);
      after = page.hasNextPage ? page.endCursor : null;
    } while (after !== null);
    return { nodes, next: null };
  }
  const size = options.max_result_size ?? 20;
  if (size < 1) throw new InvalidArgumentError(`options.max_result_size must be at least 1, got ${size}`, 'options.max_result_size');
  const orderBy: OrderByInput = { field: ORDER_FIELD[options.order_by_field?.field ?? 'ID'] ?? 'ID', ascending: options.order_by_field?.is_asc ?? true };
  const page = await ctx.api.listNodes(kind, {
    filter, orderBy, first: Math.min(size, MLMD_MAX_PAGE), after: textOrNull(options.next_page_token),
  });
  return { nodes: page.nodes, next: page.hasNextPage ? page.endCursor : null };
}

function kindHandlers(kind: NodeKind): HandlerGroup {
  const w = WORD[kind];
  const api = (ctx: GrpcCallContext) => ({
    ARTIFACT: (inputs: NodeInput[], o: object) => ctx.api.putArtifacts(inputs as never, o, ctx.writer),
    EXECUTION: (inputs: NodeInput[], o: object) => ctx.api.putExecutions(inputs as never, o, ctx.writer),
    CONTEXT: (inputs: NodeInput[], o: object) => ctx.api.putContexts(inputs as never, o),
  })[kind];
  const put: UnaryHandler<Record<string, unknown> & { update_mask?: { paths?: string[] } }> = async (req, ctx) => {
    const inputs = await nodeInputsOf(ctx, kind, (req[w.many] as NodeMsg[] | undefined) ?? [], w.many);
    const written = await api(ctx)(inputs, { reuseByName: false, mlmdReplace: { updateMask: req.update_mask?.paths ?? [] } });
    return { [w.ids]: written.map((n) => n.mlmdId) };
  };
  const byId: UnaryHandler<Record<string, Int64[] | boolean | undefined>> = async (req, ctx) => {
    const nodes = await nodesOf(ctx, kind, lookupIds(req[w.ids] as Int64[] | undefined, w.ids));
    const types = await typesOf(ctx, nodes);
    const answer: Record<string, unknown> = { [w.many]: nodes.map((n) => nodeMsgOf(n, types.get(n.typeId)!)) };
    // GetArtifactsByID's populate_artifact_types: the types of the artifacts answered, each
    // once (ML Metadata's client asks for them so when it reads a lineage subgraph).
    if (kind === 'ARTIFACT' && req.populate_artifact_types === true) answer.artifact_types = [...types.values()].map(typeMsgOf);
    return answer;
  };
  const byType: UnaryHandler<{ type_name?: string; type_version?: string; options?: ListOptionsMsg }> = async (req, ctx) => {
    const type = await ctx.api.findType(TYPE_KIND_OF[kind], req.type_name ?? '', textOrNull(req.type_version));
    // MLMD answers an empty list for a type that does not exist.
    if (!type) return { [w.many]: [] };
    const { nodes, next } = await listPage(ctx, kind, { type: type.name, typeVersion: type.version }, req.options);
    return { [w.many]: await nodeMsgsOf(ctx, nodes), ...(next === null ? {} : { next_page_token: next }) };
  };
  const byTypeAndName: UnaryHandler<Record<string, string | undefined>> = async (req, ctx) => {
    const found = await ctx.api.findNodeByName(kind, req.type_name ?? '', req[`${w.one}_name`] ?? '', textOrNull(req.type_version));
    return found ? { [w.one]: (await nodeMsgsOf(ctx, [found]))[0] } : {};
  };
  const byExternalIds: UnaryHandler<{ external_ids?: string[] }> = async (req, ctx) => {
    const found = (await ctx.api.findNodesByExternalId(kind, req.external_ids ?? [])).filter((n): n is NodeRecord => n !== null);
    if (found.length === 0 && (req.external_ids ?? []).length > 0) throw new NotFoundError(`no ${w.one} has any of the external_ids given`, 'external_ids');
    return { [w.many]: await nodeMsgsOf(ctx, found) };
  };
  const list: UnaryHandler<{ options?: ListOptionsMsg }> = async (req, ctx) => {
    const { nodes, next } = await listPage(ctx, kind, {}, req.options);
    return { [w.many]: await nodeMsgsOf(ctx, nodes), ...(next === null ? {} : { next_page_token: next }) };
  };
  const Kind = w.Many.slice(0, -1);
  return {
    [`Put${w.Many}`]: put,
    [`Get${w.Many}ByID`]: byId,
    [`Get${w.Many}ByType`]: byType,
    [`Get${Kind}ByTypeAndName`]: byTypeAndName,
    [`Get${w.Many}ByExternalIds`]: byExternalIds,
    [`Get${w.Many}`]: list,
  };
}

/** GetArtifactsByURI: artifacts whose uri is any of those given. */
const artifactsByUri: UnaryHandler<{ uris?: string[] }> = async (req, ctx) => {
  const nodes: NodeRecord[] = [];
  for (const uri of new Set(req.uris ?? [])) nodes.push(...(await listPage(ctx, 'ARTIFACT', { uri }, undefined)).nodes);
  return { artifacts: await nodeMsgsOf(ctx, nodes) };
};

/** The node methods by name. */
export const NODE_HANDLERS: HandlerGroup = {
  ...kindHandlers('ARTIFACT'),
  ...kindHandlers('EXECUTION'),
  ...kindHandlers('CONTEXT'),
  GetArtifactsByURI: artifactsByUri,
};
