/**
 * putType: insert a type, or re-put it under ML Metadata's evolution rules.
 */
import { AlreadyExistsError, FailedPreconditionError, InvalidArgumentError } from '../../graph/errors.js';
import type { PersonalDataDeclaration, PropertyDef, TypeKind, TypeRecord } from '../../graph/model.js';
import { ARTIFACT_BASE_TYPES, EXECUTION_BASE_TYPES } from '../../graph/model.js';
import type { TypeInput, TypePutOptions } from './inputs.js';
import { describe, isPresent, optionalName, requireEnum, requireName, requirePropertyDefs, MAX_TEXT_LENGTH } from '../shared/validate.js';
import { sameJson } from '../shared/canonical-json.js';
import { noteTrackingChange, type WriteContext } from './write-context.js';
import { typePersonalData, withTypePersonalData } from '../privacy/declarations.js';
import { typeDeclarationChange } from '../privacy/tracking-changes.js';

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
  baseType: string | null; properties: PropertyDef[];
  /** undefined: leave the stored default; null: remove it. */
  personalData: PersonalDataDeclaration | null | undefined;
}

function validateTypeInput(kind: TypeKind, input: TypeInput, field: string): ValidType {
  const allowed = BASE_TYPES[kind];
  let baseType: string | null = null;
  if (isPresent(input.baseType)) {
    if (!allowed) throw new InvalidArgumentError(`${field}.baseType is not defined for context types`, `${field}.baseType`);
    baseType = requireEnum(input.baseType, allowed, `${field}.baseType`);
  }
  return {
    name: requireName(input.name, `${field}.name`),
    version: optionalName(input.version, `${field}.version`),
    description: optionalName(input.description, `${field}.description`, MAX_TEXT_LENGTH),
    externalId: optionalName(input.externalId, `${field}.externalId`, MAX_TEXT_LENGTH),
    baseType,
    properties: requirePropertyDefs(input.properties, `${field}.properties`),
    personalData: typePersonalData(kind, input.personalData, `${field}.personalData`),
  };
}

/** The stored type's properties evolved by the input's, or the refusal that the rules demand. */
function evolveProperties(stored: TypeRecord, given: PropertyDef[], options: TypePutOptions, field: string): PropertyDef[] {
  const storedByName = new Map(stored.properties.map((p) => [p.name, p.type]));
  const givenNames = new Set(given.map((p) => p.name));
  for (const p of given) {
    const before = storedByName.get(p.name);
    if (before && before !== p.type) {
      throw new FailedPreconditionError(
        `${field}.properties.${p.name} is ${before} in the stored type ${describe(stored.name)}; a property's type never changes (got ${p.type})`,
        `${field}.properties.${p.name}`);
    }
    if (!before && !options.canAddFields) {
      throw new FailedPreconditionError(
        `${field}.properties.${p.name} is not in the stored type ${describe(stored.name)}; adding a property needs canAddFields`,
        `${field}.properties.${p.name}`);
    }
  }
  const omitted = stored.properties.filter((p) => !givenNames.has(p.name)).map((p) => p.name);
  if (omitted.length > 0 && !options.canOmitFields) {
    throw new FailedPreconditionError(
      `${field}.properties leaves out ${omitted.join(', ')} of the stored type ${describe(stored.name)}; omitting properties needs canOmitFields`,
      `${field}.properties`);
  }
  const merged = new Map(storedByName);
  for (const p of given) merged.set(p.name, p.type);
  return [...merged].map(([name, type]) => ({ name, type })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
  const valid = validateTypeInput(kind, input, field);
  const [stored] = await ctx.tx.findTypes(kind, [{ name: valid.name, version: valid.version }]);
  if (!stored) {
    await assertExternalIdFree(ctx, kind, valid.externalId, null, field);
    const { personalData, ...fields } = valid;
    const unstamped = withTypePersonalData({ id: ctx.newId(), mlmdId: 0, kind, ...fields }, personalData);
    const change = typeDeclarationChange(unstamped.id, `${field}.personalData`, null, unstamped.personalData ?? null);
    if (change) noteTrackingChange(ctx, change);
    // Allocated once the change is allowed: a refused put takes no id.
    const [mlmdId] = await ctx.tx.allocateMlmdIds('type', 1);
    const created = { ...unstamped, mlmdId: mlmdId! };
    await ctx.tx.insertTypes([created]);
    return created;
  }
  const next = withTypePersonalData({
    ...stored,
    description: valid.description ?? stored.description,
    externalId: valid.externalId ?? stored.externalId,
    baseType: valid.baseType ?? stored.baseType,
    properties: evolveProperties(stored, valid.properties, options, field),
  }, valid.personalData);
  if (sameJson(stored, next)) return stored;
  await assertExternalIdFree(ctx, kind, next.externalId, stored.id, field);
  const change = typeDeclarationChange(stored.id, `${field}.personalData`, stored.personalData ?? null, next.personalData ?? null);
  if (change) noteTrackingChange(ctx, change);
  await ctx.tx.updateTypes([next]);
  if (!sameJson(stored.personalData ?? null, next.personalData ?? null)) ctx.derived.artifactTypes.add(next.id);
  return next;
}
