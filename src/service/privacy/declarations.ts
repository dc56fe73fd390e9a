/**
 * Personal-data declarations as callers give them, validated, and applied to records.
 *
 * An absent (or null) input leaves the stored declaration as it is, like every other
 * node field. Given, it replaces the stored one:
 * - on an artifact, an empty declaration is kept: it says "holds none", overriding a
 *   default of its type (a synthetic table of a type that usually holds contact data);
 * - on an artifact type, an empty declaration removes the default;
 * - on an execution, transform NONE removes the transform (NONE is what none means).
 */
import { InvalidArgumentError } from '../../graph/errors.js';
import type {
  NodeRecord, PersonalDataDeclaration, PrivacyDeclaration, PrivacyTransform, SpecialCategory, TypeKind, TypeRecord,
} from '../../graph/model.js';
import { PRIVACY_TRANSFORMS, SPECIAL_CATEGORIES } from '../../graph/model.js';
import type { NodeDeclarations } from '../../graph/privacy-store.js';
import { isPresent, requireBatch, requireEnum, requireInt, requireName } from '../shared/validate.js';
import { keysOf, type CategoryKey } from './propagation.js';
import { compareText } from '../shared/compare-text.js';

/** Personal data an artifact holds, or an artifact type's default for its artifacts. */
export interface PersonalDataInput {
  categories?: string[] | null;
  specialCategories?: SpecialCategory[] | null;
}

/** What an execution does to the personal data flowing through it. */
export interface PrivacyInput {
  transform: PrivacyTransform;
  /** DROP only: the categories removed. */
  categories?: string[] | null;
  /** DROP only: the special categories removed. */
  specialCategories?: SpecialCategory[] | null;
  /** AGGREGATE only (and required there): the smallest group size, 1 or more. */
  k?: number | null;
}

/** Most names one list of categories takes. */
export const MAX_CATEGORIES = 100;
/** Largest k: GraphQL's Int. */
const MAX_K = 2_147_483_647;


function nameList(value: unknown, field: string): string[] {
  if (!isPresent(value)) return [];
  const list = requireBatch<unknown>(value, field);
  if (list.length > MAX_CATEGORIES) {
    throw new InvalidArgumentError(`${field} takes at most ${MAX_CATEGORIES} names, got ${list.length}`, field);
  }
  return [...new Set(list.map((name, i) => requireName(name, `${field}[${i}]`)))].sort(compareText);
}

function specialList(value: unknown, field: string): SpecialCategory[] {
  if (!isPresent(value)) return [];
  const list = requireBatch<unknown>(value, field);
  if (list.length > SPECIAL_CATEGORIES.length * 4) {
    throw new InvalidArgumentError(`${field} takes at most ${SPECIAL_CATEGORIES.length * 4} items, got ${list.length}`, field);
  }
  return [...new Set(list.map((v, i) => requireEnum(v, SPECIAL_CATEGORIES, `${field}[${i}]`)))].sort(compareText);
}

function declaration(value: unknown, field: string): PersonalDataDeclaration {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(`${field} must be an object with categories and specialCategories`, field);
  }
  const input = value as PersonalDataInput;
  return {
    categories: nameList(input.categories, `${field}.categories`),
    specialCategories: specialList(input.specialCategories, `${field}.specialCategories`),
  };
}

const isEmpty = (d: PersonalDataDeclaration): boolean => d.categories.length === 0 && d.specialCategories.length === 0;

/** An artifact's personalData input: undefined when absent (leave as is), else the declaration, empty meaning "holds none". */
export function artifactPersonalData(value: unknown, field: string): PersonalDataDeclaration | undefined {
  return isPresent(value) ? declaration(value, field) : undefined;
}

/** A type's personalData input: undefined when absent, null to remove the default (an empty declaration). */
export function typePersonalData(kind: TypeKind, value: unknown, field: string): PersonalDataDeclaration | null | undefined {
  if (!isPresent(value)) return undefined;
  if (kind !== 'ARTIFACT_TYPE') throw new InvalidArgumentError(`${field} is defined for artifact types only`, field);
  const d = declaration(value, field);
  return isEmpty(d) ? null : d;
}

/** An execution's privacy input: undefined when absent, null for NONE (no transform), else the transform. */
export function executionPrivacy(value: unknown, field: string): PrivacyDeclaration | null | undefined {
  if (!isPresent(value)) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError(`${field} must be an object with a transform`, field);
  const input = value as PrivacyInput;
  const transform = requireEnum(input.transform, PRIVACY_TRANSFORMS, `${field}.transform`);
  const categories = nameList(input.categories, `${field}.categories`);
  const specialCategories = specialList(input.specialCategories, `${field}.specialCategories`);
  if (transform !== 'DROP' && (categories.length > 0 || specialCategories.length > 0)) {
    const which = categories.length > 0 ? 'categories' : 'specialCategories';
    throw new InvalidArgumentError(`${field}.${which} applies to DROP only, got transform ${transform}`, `${field}.${which}`);
  }
  if (transform === 'DROP' && categories.length === 0 && specialCategories.length === 0) {
    throw new InvalidArgumentError(`${field} DROP must name at least one category or special category`, field);
  }
  let k: number | null = null;
  if (transform === 'AGGREGATE') {
    if (!isPresent(input.k)) throw new InvalidArgumentError(`${field}.k is required for AGGREGATE`, `${field}.k`);
    k = requireInt(input.k, `${field}.k`, 1, MAX_K);
  } else if (isPresent(input.k)) {
    throw new InvalidArgumentError(`${field}.k applies to AGGREGATE only, got transform ${transform}`, `${field}.k`);
  }
  if (transform === 'NONE') return null;
  return { transform, categories, specialCategories, k };
}

/** Declaration changes of one node input: undefined leaves a field as it is, null removes it. */
export interface DeclarationChanges {
  personalData: PersonalDataDeclaration | undefined;
  privacy: PrivacyDeclaration | null | undefined;
}

/** The record with `changes` applied (a copy; the same record when nothing applies to its kind). */
export function withDeclarations<T extends NodeRecord>(record: T, changes: DeclarationChanges): T {
  if (record.kind === 'ARTIFACT' && changes.personalData !== undefined) {
    return { ...record, personalData: changes.personalData };
  }
  if (record.kind === 'EXECUTION' && changes.privacy !== undefined) {
    const { privacy: _dropped, ...rest } = record;
    return (changes.privacy === null ? rest : { ...rest, privacy: changes.privacy }) as T;
  }
  return record;
}

/** The type with its personalData default set (a declaration), removed (null) or kept (undefined). */
export function withTypePersonalData(type: TypeRecord, change: PersonalDataDeclaration | null | undefined): TypeRecord {
  if (change === undefined) return type;
  const { personalData: _dropped, ...rest } = type;
  return change === null ? rest : { ...rest, personalData: change };
}

/** An artifact's declared keys: its own declaration when it has one (even empty), else its type's default. */
export function declaredKeys(declaration: NodeDeclarations, types: ReadonlyMap<string, TypeRecord>): CategoryKey[] {
  return keysOf(declaration.personalData ?? types.get(declaration.typeId)?.personalData ?? null);
}
