/**
 * Putting artifacts, executions and contexts: validation against their types, then
 * insert, update by id, or reuse by (type, name) or externalId (which only finds a node
 * or adds to it: onlyAdditions), for a whole batch with a
 * fixed number of store calls (types, then ids, names and externalIds, then one insert
 * and one update).
 */
import { AlreadyExistsError, FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import type { NodeKind, NodeRecord, PropertyMap, TypeRecord } from '../../graph/model.js';
import { ARTIFACT_STATES, EXECUTION_STATES, MLMD_ID_SPACE_OF, TYPE_KIND_OF } from '../../graph/model.js';
import type { ArtifactInput, ExecutionInput, PutOptions } from './inputs.js';
import {
  describe, isPresent, MAX_TEXT_LENGTH, optionalName, requireCustomProperties, requireEnum, requireName,
  requireTypedProperties,
} from '../shared/validate.js';
import { sameJson } from '../shared/canonical-json.js';
import { claimGivenMlmdIds, givenMlmdIdOf, requireSameMlmdId } from './given-mlmd-ids.js';
import type { WriteContext } from './write-context.js';
import { patchOf, type NodeInput, type RecordPatch, type WriteLayer } from './write-hooks.js';

export type { NodeInput } from './write-hooks.js';

export const NODE_WORD: Record<NodeKind, string> = { ARTIFACT: 'artifact', EXECUTION: 'execution', CONTEXT: 'context' };

/** The fields an input sets; undefined means "leave as it is" (null in the input is absent too). */
interface NodeChanges {
  name: string | null;
  externalId: string | null;
  uri: string | null | undefined;
  state: string | undefined;
  properties: PropertyMap | undefined;
  customProperties: PropertyMap | undefined;
  /** What the layers' fields of the input do to the record (write-hooks.ts); null when it gives none. */
  layerPatch: RecordPatch<NodeRecord> | null;
}

const typeKey = (name: string, version: string | null): string => JSON.stringify([name, version]);
const nameKey = (typeId: string, name: string): string => JSON.stringify([typeId, name]);

/** Resolves every input's type in one store call; NOT_FOUND names the input's `type` field. */
async function resolveTypes(ctx: WriteContext, kind: NodeKind, inputs: readonly NodeInput[], fieldOf: (i: number) => string): Promise<TypeRecord[]> {
  const keys = inputs.map((input, i) => ({
    name: requireName(input.type, `${fieldOf(i)}.type`),
    version: optionalName(input.typeVersion, `${fieldOf(i)}.typeVersion`),
  }));
  const distinct = [...new Map(keys.map((k) => [typeKey(k.name, k.version), k])).values()];
  const found = await ctx.tx.findTypes(TYPE_KIND_OF[kind], distinct);
  const byKey = new Map(distinct.map((k, i) => [typeKey(k.name, k.version), found[i] ?? null]));
  return keys.map((k, i) => {
    const type = byKey.get(typeKey(k.name, k.version));
    if (!type) {
      const version = k.version === null ? '' : ` version ${describe(k.version)}`;
      throw new NotFoundError(`${fieldOf(i)}.type: no ${NODE_WORD[kind]} type ${describe(k.name)}${version}`, `${fieldOf(i)}.type`);
    }
    return type;
  });
}

function validateChanges(kind: NodeKind, input: NodeInput, type: TypeRecord, field: string, layers: readonly WriteLayer[]): NodeChanges {
  const a = input as ArtifactInput;
  const e = input as ExecutionInput;
  return {
    name: kind === 'CONTEXT' ? requireName(input.name, `${field}.name`) : optionalName(input.name, `${field}.name`),
    externalId: optionalName(input.externalId, `${field}.externalId`, MAX_TEXT_LENGTH),
    uri: kind === 'ARTIFACT' && isPresent(a.uri) ? requireName(a.uri, `${field}.uri`, MAX_TEXT_LENGTH) : undefined,
    state: kind === 'ARTIFACT' && isPresent(a.state)
      ? requireEnum(a.state, ARTIFACT_STATES, `${field}.state`)
      : kind === 'EXECUTION' && isPresent(e.lastKnownState)
        ? requireEnum(e.lastKnownState, EXECUTION_STATES, `${field}.lastKnownState`)
        : undefined,
    properties: isPresent(input.properties)
      ? requireTypedProperties(input.properties, type.properties, type.name, `${field}.properties`) : undefined,
    customProperties: isPresent(input.customProperties)
      ? requireCustomProperties(input.customProperties, `${field}.customProperties`) : undefined,
    layerPatch: patchOf(layers.map((layer) => layer.nodeInput?.(kind, input, type, field) ?? null)),
  };
}

/**
 * The mlmdId of a node made in a batch until the batch's one allocation stamps it
 * (stampMlmdIds): how many new nodes a batch makes is known only once every input has
 * been applied, since a later input may reuse a node an earlier one made.
 */
const UNSTAMPED = 0;

function newRecord(kind: NodeKind, id: string, type: TypeRecord, c: NodeChanges, now: number): NodeRecord {
  const common = {
    id, mlmdId: UNSTAMPED, typeId: type.id, externalId: c.externalId, properties: c.properties ?? {},
    customProperties: c.customProperties ?? {}, createTime: now, updateTime: now,
  };
  let record: NodeRecord;
  switch (kind) {
    case 'ARTIFACT': record = { ...common, kind, name: c.name, uri: c.uri ?? null, state: (c.state ?? 'UNKNOWN') as never }; break;
    case 'EXECUTION': record = { ...common, kind, name: c.name, lastKnownState: (c.state ?? 'UNKNOWN') as never }; break;
    case 'CONTEXT': record = { ...common, kind, name: c.name as string }; break;
  }
  return c.layerPatch ? c.layerPatch(record) : record;
}

/** The record with the given fields applied; the same object when nothing changes. */
function applyChanges(current: NodeRecord, c: NodeChanges, now: number): NodeRecord {
  let next = {
    ...current,
    name: c.name ?? current.name,
    externalId: c.externalId ?? current.externalId,
    properties: c.properties ?? current.properties,
    customProperties: c.customProperties ?? current.customProperties,
  } as NodeRecord;
  if (next.kind === 'ARTIFACT') {
    if (c.uri !== undefined) next.uri = c.uri;
    if (c.state !== undefined) next.state = c.state as never;
  } else if (next.kind === 'EXECUTION' && c.state !== undefined) {
    next.lastKnownState = c.state as never;
  }
  if (c.layerPatch) next = c.layerPatch(next);
  // An unchanged re-put keeps updateTime, so re-running pipeline code is truly idempotent.
  if (sameJson(next, current)) return current;
  return { ...next, updateTime: Math.max(now, current.updateTime) };
}

/**
 * ML Metadata's put by id (PutOptions.mlmdReplace): the node with the input's fields in
 * place of its own, all of them or those `mask` names; the name is kept once set.
 */
function replaced(current: NodeRecord, c: NodeChanges, mask: readonly string[], now: number): NodeRecord {
  const whole = mask.length === 0;
  const paths = new Set(mask);
  const has = (path: string): boolean => whole || paths.has(path);
  const map = (given: PropertyMap | undefined, stored: PropertyMap, prefix: string): PropertyMap => {
    if (has(prefix)) return given ?? {};
    const out = { ...stored };
    for (const path of paths) {
      if (!path.startsWith(`${prefix}.`)) continue;
      const name = path.slice(prefix.length + 1);
      if (given !== undefined && Object.hasOwn(given, name)) out[name] = given[name]!;
      else delete out[name];
    }
    return out;
  };
  let next = {
    ...current,
    name: current.name ?? (has('name') ? c.name : null),
    externalId: has('external_id') ? c.externalId : current.externalId,
    properties: map(c.properties, current.properties, 'properties'),
    customProperties: map(c.customProperties, current.customProperties, 'custom_properties'),
  } as NodeRecord;
  if (next.kind === 'ARTIFACT') {
    if (has('uri')) next.uri = c.uri ?? null;
    if (has('state')) next.state = (c.state ?? 'UNKNOWN') as never;
  } else if (next.kind === 'EXECUTION' && has('last_known_state')) {
    next.lastKnownState = (c.state ?? 'UNKNOWN') as never;
  }
  if (c.layerPatch) next = c.layerPatch(next);
  if (sameJson(next, current)) return current;
  return { ...next, updateTime: Math.max(now, current.updateTime) };
}

/**
 * What a put without an id may do to the node it found by (type, name) or externalId:
 * find it, or add to it. It may set a uri or externalId the node lacks, add properties
 * and custom properties the node does not have (the ones it has and the input leaves
 * out are kept), and move the state, which says where a node stands rather than what it
 * holds. Anything else would rewrite what consumers of the node already recorded
 * (a trained model's input would show data it never saw), so a different uri, externalId
 * or value of a property the node has is ALREADY_EXISTS naming the field. An update by
 * id is the way to change them.
 */
function onlyAdditions(kind: NodeKind, stored: NodeRecord, c: NodeChanges, type: TypeRecord, field: string): NodeChanges {
  const node = `${NODE_WORD[kind]} ${stored.name === null ? describe(stored.id) : `${describe(stored.name)} of type ${describe(type.name)}`}`;
  const refuse = (at: string, what: string, had: unknown, got: unknown): AlreadyExistsError => new AlreadyExistsError(
    `${at}: ${node} already has ${what} ${describe(had)}, got ${describe(got)}; a put without an id may only find a node `
    + 'or add to it: change it by id, or give the new data its own name', at);
  const storedUri = stored.kind === 'ARTIFACT' ? stored.uri : null;
  if (c.uri !== undefined && storedUri !== null && c.uri !== storedUri) {
    throw refuse(`${field}.uri`, 'uri', storedUri, c.uri);
  }
  if (c.externalId !== null && stored.externalId !== null && c.externalId !== stored.externalId) {
    throw refuse(`${field}.externalId`, 'externalId', stored.externalId, c.externalId);
  }
  const added = (given: PropertyMap | undefined, had: PropertyMap, at: string, what: string): PropertyMap | undefined => {
    if (given === undefined) return undefined;
    for (const [name, value] of Object.entries(given)) {
      if (Object.hasOwn(had, name) && !sameJson(had[name], value)) throw refuse(`${at}.${name}`, `${what} ${describe(name)} =`, had[name], value);
    }
    return { ...had, ...given };
  };
  return {
    ...c,
    properties: added(c.properties, stored.properties, `${field}.properties`, 'property'),
    customProperties: added(c.customProperties, stored.customProperties, `${field}.customProperties`, 'custom property'),
  };
}

/** What one input of the batch asks for, validated; `mlmdId` only when ids are given (given-mlmd-ids.ts). */
interface BatchInput { id: string | null; mlmdId: number | null; type: TypeRecord; changes: NodeChanges; field: string }

/** Every stored node the batch could collide with, by given id, (type, name) and externalId: three set reads. */
async function readCollisions(ctx: WriteContext, kind: NodeKind, batch: readonly BatchInput[]): Promise<(NodeRecord | null)[]> {
  const givenIds = [...new Set(batch.map((input) => input.id).filter(isPresent))];
  const names = [...new Map(batch.flatMap(({ type, changes: c }) => (
    c.name === null ? [] : [[nameKey(type.id, c.name), { typeId: type.id, name: c.name }] as const]))).values()];
  const externalIds = [...new Set(batch.map((input) => input.changes.externalId).filter(isPresent))];
  const [byId, byName, byExternalId] = await Promise.all([
    ctx.tx.getNodes(givenIds), ctx.tx.findNodesByName(kind, names), ctx.tx.findNodesByExternalId(kind, externalIds),
  ]);
  return byId.concat(byName, byExternalId);
}

/** The batch's view of the graph: stored nodes, then what earlier inputs did to them, indexed by name and externalId. */
class BatchView {
  readonly current = new Map<string, NodeRecord>();
  private readonly nameIndex = new Map<string, string>();
  private readonly externalIndex = new Map<string, string>();

  constructor(kind: NodeKind, stored: readonly (NodeRecord | null)[]) {
    for (const r of stored) if (r && r.kind === kind) this.remember(r);
  }

  remember(r: NodeRecord): void {
    const before = this.current.get(r.id);
    if (before?.externalId && before.externalId !== r.externalId) this.externalIndex.delete(before.externalId);
    this.current.set(r.id, r);
    if (r.name !== null) this.nameIndex.set(nameKey(r.typeId, r.name), r.id);
    if (r.externalId !== null) this.externalIndex.set(r.externalId, r.id);
  }

  nameOwner(type: TypeRecord, c: NodeChanges): string | undefined {
    return c.name === null ? undefined : this.nameIndex.get(nameKey(type.id, c.name));
  }

  externalOwner(c: NodeChanges): string | undefined {
    return c.externalId === null ? undefined : this.externalIndex.get(c.externalId);
  }
}

/**
 * The node an input writes: the one its id names, else the one holding its (type, name)
 * when reuse by name is on, else the one holding its externalId when reuse by externalId
 * is on; null for a new node. Refuses a taken name or externalId.
 */
function targetOf(kind: NodeKind, view: BatchView, input: BatchInput, options: PutOptions): string | null {
  const { type, changes: c, field } = input;
  const nameOwner = view.nameOwner(type, c);
  const externalOwner = view.externalOwner(c);
  let targetId = input.id;
  if (targetId !== null) {
    if (!view.current.has(targetId)) {
      // ML Metadata calls an id it cannot find an invalid argument.
      const Missing = options.mlmdReplace ? InvalidArgumentError : NotFoundError;
      throw new Missing(`${field}.id: no ${NODE_WORD[kind]} ${describe(targetId)}`, `${field}.id`);
    }
  } else if (nameOwner !== undefined) {
    if (!(options.reuseByName ?? true)) {
      throw new AlreadyExistsError(`${field}.name: a ${NODE_WORD[kind]} of type ${describe(type.name)} named ${describe(c.name)} exists`, `${field}.name`);
    }
    targetId = nameOwner;
  } else if (externalOwner !== undefined && (options.reuseByExternalId ?? false)) {
    targetId = externalOwner;
  }
  if (externalOwner !== undefined && externalOwner !== targetId) {
    throw new AlreadyExistsError(`${field}.externalId: ${describe(c.externalId)} already names another ${NODE_WORD[kind]}`, `${field}.externalId`);
  }
  return targetId;
}

/**
 * The stored node `targetId` after `input`: every change when the input named it by id,
 * only additions when it was found by name or externalId. Refuses a change of type or name.
 */
function updatedRecord(kind: NodeKind, view: BatchView, targetId: string, input: BatchInput, now: number, options: PutOptions): NodeRecord {
  const { type, changes: c, field } = input;
  const before = view.current.get(targetId)!;
  if (before.typeId !== type.id) {
    const Refusal = options.mlmdReplace ? InvalidArgumentError : FailedPreconditionError;
    throw new Refusal(`${field}.type: ${NODE_WORD[kind]} ${describe(targetId)} is of another type; a node's type never changes`, `${field}.type`);
  }
  // Under MLMD's rules a node found by externalId (the only reuse when reuse by name is off)
  // is replaced as if the input had named its id, as MLMD's reuse by external id does.
  if (options.mlmdReplace && (input.id !== null || options.reuseByName === false)) return replaced(before, c, options.mlmdReplace.updateMask, now);
  if (before.name !== null && c.name !== null && before.name !== c.name) {
    throw new FailedPreconditionError(`${field}.name: ${NODE_WORD[kind]} ${describe(targetId)} is named ${describe(before.name)}; a name never changes once set`, `${field}.name`);
  }
  const nameOwner = view.nameOwner(type, c);
  if (nameOwner !== undefined && nameOwner !== targetId) {
    throw new AlreadyExistsError(`${field}.name: a ${NODE_WORD[kind]} of type ${describe(type.name)} named ${describe(c.name)} exists`, `${field}.name`);
  }
  return applyChanges(before, input.id !== null ? c : onlyAdditions(kind, before, c, type, field), now);
}

/**
 * Every input validated against its type: every input's changes, then every id, so the
 * order in which errors are found stays the API's.
 */
async function validateBatch(
  ctx: WriteContext, kind: NodeKind, inputs: readonly NodeInput[], options: PutOptions, fieldOf: (i: number) => string,
): Promise<BatchInput[]> {
  const types = await resolveTypes(ctx, kind, inputs, fieldOf);
  const changes = inputs.map((input, i) => validateChanges(kind, input, types[i]!, fieldOf(i), ctx.layers));
  const ids = inputs.map((input, i) => optionalName(input.id, `${fieldOf(i)}.id`, MAX_TEXT_LENGTH));
  const mlmdIds = inputs.map((input, i) => givenMlmdIdOf(input, options.withGivenMlmdIds ?? false, fieldOf(i)));
  return inputs.map((_, i) => ({ id: ids[i] ?? null, mlmdId: mlmdIds[i]!, type: types[i]!, changes: changes[i]!, field: fieldOf(i) }));
}

/** What applying a batch to its view did: each input's node, and which nodes are new or changed. */
interface BatchOutcome {
  /** The id of the node each input wrote, in input order. */
  resultIds: string[];
  /** New nodes, in the order the inputs made them. */
  inserted: Set<string>;
  /** Stored nodes an input changed (and new ones a later input changed). */
  touched: Set<string>;
}

/** Applies the inputs in order to the view, so a later input may update or reuse a node an earlier one created. */
function applyBatch(ctx: WriteContext, kind: NodeKind, view: BatchView, batch: readonly BatchInput[], options: PutOptions): BatchOutcome {
  const outcome: BatchOutcome = { resultIds: [], inserted: new Set(), touched: new Set() };
  for (const input of batch) {
    const targetId = targetOf(kind, view, input, options);
    let record: NodeRecord;
    if (targetId === null) {
      record = newRecord(kind, ctx.newId(), input.type, input.changes, ctx.now);
      if (input.mlmdId !== null) record = { ...record, mlmdId: input.mlmdId };
      outcome.inserted.add(record.id);
    } else {
      const before = view.current.get(targetId)!;
      requireSameMlmdId(`${NODE_WORD[kind]} ${describe(targetId)}`, before.mlmdId, input.mlmdId, input.field);
      record = updatedRecord(kind, view, targetId, input, ctx.now, options);
      if (record !== before) outcome.touched.add(record.id);
    }
    view.remember(record);
    outcome.resultIds.push(record.id);
  }
  return outcome;
}

/**
 * Gives the batch's new nodes their ML Metadata ids, ascending in the order the inputs
 * made them, with one allocation for the whole batch; returns them stamped. With given
 * ids, they carry theirs: the space is claimed up to the highest, or the batch refused.
 */
async function stampMlmdIds(
  ctx: WriteContext, kind: NodeKind, view: BatchView, inserted: ReadonlySet<string>, fieldOf: (id: string) => string, given: boolean,
): Promise<NodeRecord[]> {
  if (inserted.size === 0) return [];
  if (given) {
    const nodes = [...inserted].map((id) => view.current.get(id)!);
    await claimGivenMlmdIds(ctx, MLMD_ID_SPACE_OF[kind], nodes.map((n) => ({ mlmdId: n.mlmdId, field: fieldOf(n.id) })), async (mlmdId) => {
      const [holder] = await ctx.tx.getNodesByMlmdId(kind, [mlmdId]);
      return holder ? `${NODE_WORD[kind]} ${describe(holder.id)}` : null;
    });
    return nodes;
  }
  const mlmdIds = await ctx.tx.allocateMlmdIds(MLMD_ID_SPACE_OF[kind], inserted.size);
  return [...inserted].map((id, i) => {
    const stamped = { ...view.current.get(id)!, mlmdId: mlmdIds[i]! };
    view.current.set(id, stamped);
    return stamped;
  });
}

/** Lets the write layers see (and refuse) the batch's changes before anything of it is stored or any id allocated. */
async function tellLayers(
  ctx: WriteContext, kind: NodeKind, batch: readonly BatchInput[], stored: readonly (NodeRecord | null)[],
  resultIds: readonly string[], newNodes: readonly NodeRecord[], toUpdate: readonly NodeRecord[],
): Promise<void> {
  if (newNodes.length === 0 && toUpdate.length === 0) return;
  const storedById = new Map(stored.flatMap((r) => (r ? [[r.id, r] as const] : [])));
  const fieldById = new Map(resultIds.map((id, i) => [id, batch[i]!.field]));
  const typeById = new Map(batch.map((input) => [input.type.id, input.type]));
  await ctx.hooks.nodesWritten({
    kind,
    inserted: newNodes,
    updated: toUpdate.map((after) => ({ before: storedById.get(after.id)!, after })),
    fieldOf: (id) => fieldById.get(id) ?? 'input',
    typeOf: (typeId) => typeById.get(typeId)!,
  });
}

/** What ML Metadata's puts ask of putNodesInTx: no reuse by name, replacement by id. */
export const MLMD_PUT: PutOptions = { reuseByName: false, mlmdReplace: { updateMask: [] } };

/**
 * Puts a batch of nodes of one kind; returns the records in input order. Inputs are
 * applied in order, so a later input may update or reuse a node an earlier one created.
 */
export async function putNodesInTx(
  ctx: WriteContext, kind: NodeKind, inputs: readonly NodeInput[], options: PutOptions, fieldOf: (i: number) => string,
): Promise<NodeRecord[]> {
  if (inputs.length === 0) return [];
  const batch = await validateBatch(ctx, kind, inputs, options, fieldOf);
  const stored = await readCollisions(ctx, kind, batch);
  const view = new BatchView(kind, stored);
  const { resultIds, inserted, touched } = applyBatch(ctx, kind, view, batch, options);

  const newNodes = [...inserted].map((id) => view.current.get(id)!);
  const toUpdate = [...touched].filter((id) => !inserted.has(id)).map((id) => view.current.get(id)!);
  await tellLayers(ctx, kind, batch, stored, resultIds, newNodes, toUpdate);
  // A new node's field is that of the input that made it (a later one may reuse it).
  const fieldById = new Map<string, string>();
  resultIds.forEach((id, i) => { if (!fieldById.has(id)) fieldById.set(id, batch[i]!.field); });
  const toInsert = await stampMlmdIds(ctx, kind, view, inserted, (id) => fieldById.get(id)!, options.withGivenMlmdIds ?? false);
  if (toInsert.length > 0) await ctx.tx.insertNodes(toInsert);
  if (toUpdate.length > 0) await ctx.tx.updateNodes(toUpdate);
  // Later inputs may have changed a node an earlier input returned: answer with the final state.
  return resultIds.map((id) => view.current.get(id)!);
}
