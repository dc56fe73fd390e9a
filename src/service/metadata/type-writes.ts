/**
 * putType: insert a type, or re-put it under ML Metadata's evolution rules.
 */
import { AlreadyExistsError, FailedPreconditionError, InvalidArgumentError, UnimplementedError } from '../../graph/errors.js';
import type { PropertyDef, TypeKind, TypeRecord } from '../../graph/model.js';
import { ARTIFACT_BASE_TYPES, EXECUTION_BASE_TYPES } from '../../graph/model.js';
import type { TypeInput, TypePutOptions } from './inputs.js';
import { describe, isPresent, optionalName, requireEnum, requireName, requirePropertyDefs, MAX_TEXT_LENGTH } from '../shared/validate.js';
import { sameJson } from '../shared/canonical-json.js';
import { claimGivenMlmdIds, givenMlmdIdOf, requireSameMlmdId } from './given-mlmd-ids.js';
import type { WriteContext } from './write-context.js';
import { patchOf, type RecordPatch } from './write-hooks.js';

const BASE_TYPES: Record<TypeKind, readonly string[] | null> = {
  ARTIFACT_TYPE: ARTIFACT_BASE_TYPES,
  EXECUTION_TYPE: EXECUTION_BASE_TYPES,
  CONTEXT_TYPE: null,
};

export const TYPE_WORD: Record<TypeKind, string> = {
  ARTIFACT_TYPE: 'artifact type', EXECUTION_TYPE: 'execution type', CONTEXT_TYPE: 'context type',
};

interface ValidType {
  name: string; version: string | null; description: string | null; externalId: string | null;
  /** null: none given; UNSET only under mlmdSemantics, where it asks to remove the stored one. */
  baseType: string | null; properties: PropertyDef[];
  /** What the layers' fields of the input do to the type (write-hooks.ts); null when it gives none. */
  layerPatch: RecordPatch<TypeRecord> | null;
}

function validateTypeInput(ctx: WriteContext, kind: TypeKind, input: TypeInput, field: string, options: TypePutOptions): ValidType {
  const allowed = BASE_TYPES[kind];
  let baseType: string | null = null;
  if (isPresent(input.baseType)) {
    if (!allowed) throw new InvalidArgumentError(`${field}.baseType is not defined for context types`, `${field}.baseType`);
    baseType = requireEnum(input.baseType, options.mlmdSemantics ? [...allowed, UNSET_BASE_TYPE] : allowed, `${field}.baseType`);
  }
  return {
    name: requireName(input.name, `${field}.name`),
    version: optionalName(input.version, `${field}.version`),
    description: optionalName(input.description, `${field}.description`, MAX_TEXT_LENGTH),
    externalId: optionalName(input.externalId, `${field}.externalId`, MAX_TEXT_LENGTH),
    baseType,
    properties: requirePropertyDefs(input.properties, `${field}.properties`),
    layerPatch: patchOf(ctx.layers.map((layer) => layer.typeInput?.(kind, input, field) ?? null)),
  };
}

/** ML Metadata's base type that is none; given on a re-put, it asks to remove the stored one. */
const UNSET_BASE_TYPE = 'UNSET';

/** The stored type's properties evolved by the input's, or the refusal that the rules demand. */
function evolveProperties(stored: TypeRecord, given: PropertyDef[], options: TypePutOptions, field: string): PropertyDef[] {
  // The GraphQL API calls a refused evolution a failed precondition; ML Metadata, an existing type.
  const Refusal = options.mlmdSemantics ? AlreadyExistsError : FailedPreconditionError;
  const storedByName = new Map(stored.properties.map((p) => [p.name, p.type]));
  const givenNames = new Set(given.map((p) => p.name));
  for (const p of given) {
    const before = storedByName.get(p.name);
    if (before && before !== p.type) {
      throw new Refusal(
        `${field}.properties.${p.name} is ${before} in the stored type ${describe(stored.name)}; a property's type never changes (got ${p.type})`,
        `${field}.properties.${p.name}`);
    }
    if (!before && !options.canAddFields) {
      throw new Refusal(
        `${field}.properties.${p.name} is not in the stored type ${describe(stored.name)}; adding a property needs canAddFields`,
        `${field}.properties.${p.name}`);
    }
  }
  const omitted = stored.properties.filter((p) => !givenNames.has(p.name)).map((p) => p.name);
  if (omitted.length > 0 && !options.canOmitFields) {
    throw new Refusal(
      `${field}.properties leaves out ${omitted.join(', ')} of the stored type ${describe(stored.name)}; omitting properties needs canOmitFields`,
      `${field}.properties`);
  }
  const merged = new Map(storedByName);
  for (const p of given) merged.set(p.name, p.type);
  return [...merged].map(([name, type]) => ({ name, type })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const unsetRefused = (name: string, field: string): UnimplementedError =>
  new UnimplementedError(`${field}.baseType: UNSET would remove the base type of ${describe(name)}, which is not supported`, `${field}.baseType`);

/** ML Metadata's base type on a re-put: set once, then kept; a change or an UNSET is not supported. */
function mlmdBaseType(stored: TypeRecord, given: string | null, field: string): string | null {
  if (given === null || given === stored.baseType) return stored.baseType;
  if (given === UNSET_BASE_TYPE) throw unsetRefused(stored.name, field);
  if (stored.baseType === null) return given;
  throw new UnimplementedError(
    `${field}.baseType: ${describe(stored.name)} has base type ${stored.baseType}; changing it (to ${given}) is not supported`, `${field}.baseType`);
}

async function assertExternalIdFree(ctx: WriteContext, kind: TypeKind, externalId: string | null, ownId: string | null, field: string): Promise<void> {
  if (externalId === null) return;
  const [holder] = await ctx.tx.findTypesByExternalId(kind, [externalId]);
  if (holder && holder.id !== ownId) {
    throw new AlreadyExistsError(`${field}.externalId ${describe(externalId)} already names another ${TYPE_WORD[kind]}`, `${field}.externalId`);
  }
}

/** Inserts the type or re-puts the stored one with the same (name, version). */
export async function putTypeInTx(ctx: WriteContext, kind: TypeKind, input: TypeInput, options: TypePutOptions, field = 'input'): Promise<TypeRecord> {
  const valid = validateTypeInput(ctx, kind, input, field, options);
  const givenMlmdId = givenMlmdIdOf(input, options.withGivenMlmdId ?? false, field);
  const apply = (type: TypeRecord): TypeRecord => (valid.layerPatch ? valid.layerPatch(type) : type);
  const [stored] = await ctx.tx.findTypes(kind, [{ name: valid.name, version: valid.version }]);
  if (!stored) {
    await assertExternalIdFree(ctx, kind, valid.externalId, null, field);
    const { layerPatch: _patch, ...given } = valid;
    if (given.baseType === UNSET_BASE_TYPE) throw unsetRefused(given.name, field);
    const fields = given;
    const unstamped = apply({ id: ctx.newId(), mlmdId: 0, kind, ...fields });
    await ctx.hooks.typeWritten({ before: null, after: unstamped, field });
    // Allocated (or a given one claimed) once the layers allowed the type: a refused put takes no id.
    let mlmdId: number;
    if (givenMlmdId === null) {
      [mlmdId] = await ctx.tx.allocateMlmdIds('type', 1) as [number];
    } else {
      mlmdId = givenMlmdId;
      await claimGivenMlmdIds(ctx, 'type', [{ mlmdId, field }], async (id) => {
        const [holder] = await ctx.tx.getTypesByMlmdId([id]);
        return holder ? `${TYPE_WORD[holder.kind]} ${describe(holder.name)}` : null;
      });
    }
    const created = { ...unstamped, mlmdId };
    await ctx.tx.insertTypes([created]);
    return created;
  }
  requireSameMlmdId(`${TYPE_WORD[kind]} ${describe(stored.name)}`, stored.mlmdId, givenMlmdId, field);
  const properties = evolveProperties(stored, valid.properties, options, field);
  const next = apply(options.mlmdSemantics ? {
    ...stored,
    externalId: valid.externalId ?? stored.externalId,
    baseType: mlmdBaseType(stored, valid.baseType, field),
    properties,
  } : {
    ...stored,
    description: valid.description ?? stored.description,
    externalId: valid.externalId ?? stored.externalId,
    baseType: valid.baseType ?? stored.baseType,
    properties,
  });
  if (sameJson(stored, next)) return stored;
  await assertExternalIdFree(ctx, kind, next.externalId, stored.id, field);
  await ctx.hooks.typeWritten({ before: stored, after: next, field });
  await ctx.tx.updateTypes([next]);
  return next;
}
