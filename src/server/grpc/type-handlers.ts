/**
 * MetadataStoreService's type methods: Put{Artifact,Execution,Context}Type, PutTypes, and
 * the Get*Type(s) reads by name, by id and by external id, for the three kinds.
 */
import { NotFoundError } from '../../graph/errors.js';
import type { TypeKind, TypeRecord } from '../../graph/model.js';
import type { TypeInput, TypePutOptions } from '../../service/metadata/inputs.js';
import type { GrpcCallContext, HandlerGroup, UnaryHandler } from './grpc-handler.js';
import { lookupIds, textOrNull, type Int64 } from './wire-values.js';

/** An ArtifactType, ExecutionType or ContextType message (context types carry no base_type). */
export interface TypeMsg {
  id?: Int64; name?: string; version?: string; description?: string; external_id?: string;
  properties?: Record<string, string>; base_type?: string;
}

/** The evolution flags every type put carries (all_fields_match and can_delete_fields are deprecated and ignored, as in MLMD). */
interface EvolutionFlags { can_add_fields?: boolean; can_omit_fields?: boolean }

/**
 * The service's input of a type message. Empty text is no text, as for version and
 * external_id: an empty description is taken (MLMD takes it) and reads back as none.
 */
export function typeInputOf(msg: TypeMsg | undefined): TypeInput {
  return {
    name: msg?.name ?? '',
    version: textOrNull(msg?.version),
    description: textOrNull(msg?.description),
    externalId: textOrNull(msg?.external_id),
    baseType: msg?.base_type ?? null,
    properties: Object.entries(msg?.properties ?? {}).map(([name, type]) => ({ name, type: type as never })),
  };
}

/** A type record as its message. */
export function typeMsgOf(type: TypeRecord): TypeMsg {
  const msg: TypeMsg = { id: type.mlmdId, name: type.name, properties: Object.fromEntries(type.properties.map((p) => [p.name, p.type])) };
  if (type.version !== null) msg.version = type.version;
  if (type.description !== null) msg.description = type.description;
  if (type.externalId !== null) msg.external_id = type.externalId;
  if (type.baseType !== null) msg.base_type = type.baseType;
  return msg;
}

const evolutionOf = (flags: EvolutionFlags): TypePutOptions => ({
  canAddFields: flags.can_add_fields === true, canOmitFields: flags.can_omit_fields === true, mlmdSemantics: true,
});

/** The message field that holds each kind's type, in requests and responses. */
const FIELD: Record<TypeKind, { one: string; many: string; ids: string }> = {
  ARTIFACT_TYPE: { one: 'artifact_type', many: 'artifact_types', ids: 'artifact_type_ids' },
  EXECUTION_TYPE: { one: 'execution_type', many: 'execution_types', ids: 'execution_type_ids' },
  CONTEXT_TYPE: { one: 'context_type', many: 'context_types', ids: 'context_type_ids' },
};

const byMlmdId = (a: TypeRecord, b: TypeRecord): number => a.mlmdId - b.mlmdId;

async function putType(ctx: GrpcCallContext, kind: TypeKind, msg: TypeMsg | undefined, flags: EvolutionFlags): Promise<number> {
  const type = await ctx.api.putType(kind, typeInputOf(msg), evolutionOf(flags), ctx.writer);
  return type.mlmdId;
}

function kindHandlers(kind: TypeKind, method: string): HandlerGroup {
  const f = FIELD[kind];
  const put: UnaryHandler<Record<string, unknown> & EvolutionFlags> = async (req, ctx) =>
    ({ type_id: await putType(ctx, kind, req[f.one] as TypeMsg | undefined, req) });
  const getOne: UnaryHandler<{ type_name?: string; type_version?: string }> = async (req, ctx) => {
    const found = await ctx.api.findType(kind, req.type_name ?? '', textOrNull(req.type_version));
    // ML Metadata's answer for a type that does not exist.
    if (!found) throw new NotFoundError(`no ${method} named ${JSON.stringify(req.type_name ?? '')} (version ${JSON.stringify(req.type_version ?? null)})`, 'type_name');
    return { [f.one]: typeMsgOf(found) };
  };
  // MLMD's list of every type leaves out external ids, and its read by external id leaves
  // out base types; clients see exactly that, so it is said so here.
  const getAll: UnaryHandler<object> = async (_req, ctx) =>
    ({ [f.many]: (await ctx.api.listTypes(kind)).sort(byMlmdId).map((t) => typeMsgOf({ ...t, externalId: null })) });
  const getById: UnaryHandler<{ type_ids?: Int64[] }> = async (req, ctx) => {
    const found = await ctx.api.getTypesByMlmdId(lookupIds(req.type_ids, 'type_ids'));
    return { [f.many]: found.filter((t): t is TypeRecord => t?.kind === kind).map(typeMsgOf) };
  };
  const getByExternalId: UnaryHandler<{ external_ids?: string[] }> = async (req, ctx) => {
    // Each type once, however often its external id is asked for, as in MLMD.
    const found = (await ctx.api.findTypesByExternalId(kind, [...new Set(req.external_ids ?? [])])).filter((t): t is TypeRecord => t !== null);
    if (found.length === 0 && (req.external_ids ?? []).length > 0) throw new NotFoundError(`no ${method} has any of the external_ids given`, 'external_ids');
    return { [f.many]: found.map((t) => typeMsgOf({ ...t, baseType: null })) };
  };
  return {
    [`Put${method}`]: put,
    [`Get${method}`]: getOne,
    [`Get${method}s`]: getAll,
    [`Get${method}sByID`]: getById,
    [`Get${method}sByExternalIds`]: getByExternalId,
  };
}

interface PutTypesRequest extends EvolutionFlags { artifact_types?: TypeMsg[]; execution_types?: TypeMsg[]; context_types?: TypeMsg[] }

/** PutTypes: every type of every kind, in the one transaction the server gives each Put* call. */
const putTypes: UnaryHandler<PutTypesRequest> = async (req, ctx) => {
  const response: Record<string, number[]> = {};
  for (const kind of ['ARTIFACT_TYPE', 'EXECUTION_TYPE', 'CONTEXT_TYPE'] as const) {
    const ids: number[] = [];
    // One after another: a later type of the same name sees the earlier one, as in MLMD.
    for (const msg of (req[FIELD[kind].many as keyof PutTypesRequest] as TypeMsg[] | undefined) ?? []) ids.push(await putType(ctx, kind, msg, req));
    response[FIELD[kind].ids] = ids;
  }
  return response;
};

/** The type methods by name. */
export const TYPE_HANDLERS: HandlerGroup = {
  ...kindHandlers('ARTIFACT_TYPE', 'ArtifactType'),
  ...kindHandlers('EXECUTION_TYPE', 'ExecutionType'),
  ...kindHandlers('CONTEXT_TYPE', 'ContextType'),
  PutTypes: putTypes,
};
