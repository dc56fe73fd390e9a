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
  FieldPersonalDataDeclaration, NodeKind, NodeRecord, PersonalDataDeclaration, PrivacyDeclaration, PrivacyTransform, SpecialCategory, TypeKind, TypeRecord,
} from '../../graph/model.js';
import { PRIVACY_TRANSFORMS, SPECIAL_CATEGORIES } from '../../graph/model.js';
import type { NodeDeclarations } from '../../graph/privacy-store.js';
import { isPresent, MAX_TEXT_LENGTH, requireBatch, requireEnum, requireInt, requireName } from '../shared/validate.js';
import { keysOf, type CategoryKey } from './propagation.js';
import { compareText } from '../shared/compare-text.js';
import type { ArtifactInput, ContextInput, ExecutionInput, TypeInput } from '../metadata/inputs.js';
import type { NodeInput, RecordPatch } from '../metadata/write-hooks.js';

// The declarations are fields of the core's inputs that the core does not read: this
// layer adds them to the input types, validates them and applies them to the records
// (personal-data-layer.ts), which the store keeps as plain data (src/graph/model.ts).
declare module '../metadata/inputs.js' {
  interface TypeInput {
    /** Artifact types only: the personal data their artifacts hold by default; empty removes the default. */
    personalData?: PersonalDataInput | null;
  }
  interface ArtifactInput {
    /** The personal data it holds, overriding its type's default; empty: none. Absent: leave as is. */
    personalData?: PersonalDataInput | null;
  }
  interface ExecutionInput {
    /** What it does to personal data; NONE removes a transform. Absent: leave as is. */
    privacy?: PrivacyInput | null;
  }
  interface ContextInput {
    /** What its executions that set none do to personal data (a job's setting); NONE removes it. Absent: leave as is. */
    privacy?: PrivacyInput | null;
  }
}

/** Personal data an artifact holds, or an artifact type's default for its artifacts. */
export interface PersonalDataInput {
  categories?: string[] | null;
  specialCategories?: SpecialCategory[] | null;
  /** Per field of a dataset version; their categories are added to the two lists. */
  fields?: FieldPersonalDataInput[] | null;
}

/** The personal data one field holds. */
export interface FieldPersonalDataInput {
  field: string;
  categories?: string[] | null;
  specialCategories?: SpecialCategory[] | null;
}

/** Most fields one declaration names. */
export const MAX_DECLARED_FIELDS = 1000;

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
  const fields = fieldList(input.fields, `${field}.fields`);
  const union = <T extends string>(own: T[], pick: (f: FieldPersonalDataDeclaration) => T[]): T[] =>
    [...new Set([...own, ...fields.flatMap(pick)])].sort(compareText);
  return {
    categories: union(nameList(input.categories, `${field}.categories`), (f) => f.categories),
    specialCategories: union(specialList(input.specialCategories, `${field}.specialCategories`), (f) => f.specialCategories),
    // Absent rather than empty, so a declaration without fields is stored (and audited) exactly as before.
    ...(fields.length > 0 ? { fields } : {}),
  };
}

/** The per-field declarations, by field name; a field named twice is refused, naming the second. */
function fieldList(value: unknown, field: string): FieldPersonalDataDeclaration[] {
  if (!isPresent(value)) return [];
  const list = requireBatch<unknown>(value, field);
  if (list.length > MAX_DECLARED_FIELDS) {
    throw new InvalidArgumentError(`${field} takes at most ${MAX_DECLARED_FIELDS} fields, got ${list.length}`, field);
  }
  const seen = new Set<string>();
  return list.map((entry, i) => {
    const at = `${field}[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new InvalidArgumentError(`${at} must be an object with field, categories and specialCategories`, at);
    }
    const input = entry as FieldPersonalDataInput;
    const name = requireName(input.field, `${at}.field`, MAX_TEXT_LENGTH);
    if (seen.has(name)) throw new InvalidArgumentError(`${at}.field names a field declared before in this list`, `${at}.field`);
    seen.add(name);
    return {
      field: name,
      categories: nameList(input.categories, `${at}.categories`),
      specialCategories: specialList(input.specialCategories, `${at}.specialCategories`),
    };
  }).sort((a, b) => compareText(a.field, b.field));
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

/**
 * What a node input's declaration does to its record: an artifact's personalData, an
 * execution's or a context's privacy (a copy of the record; NONE removes the transform).
 * Null when the input gives none: the stored one is left as it is.
 */
export function nodeDeclarationPatch(kind: NodeKind, input: NodeInput, field: string): RecordPatch<NodeRecord> | null {
  if (kind === 'ARTIFACT') {
    const personalData = artifactPersonalData((input as ArtifactInput).personalData, `${field}.personalData`);
    return personalData === undefined ? null : (record) => ({ ...record, personalData }) as NodeRecord;
  }
  if (kind === 'EXECUTION' || kind === 'CONTEXT') {
    const privacy = executionPrivacy((input as ExecutionInput | ContextInput).privacy, `${field}.privacy`);
    if (privacy === undefined) return null;
    return (record) => {
      const { privacy: _dropped, ...rest } = record as NodeRecord & { privacy?: PrivacyDeclaration };
      return (privacy === null ? rest : { ...rest, privacy }) as NodeRecord;
    };
  }
  return null;
}

/** What a type input's personalData does to the type: sets the default, removes it (empty), or nothing (absent). */
export function typeDeclarationPatch(kind: TypeKind, input: TypeInput, field: string): RecordPatch<TypeRecord> | null {
  const change = typePersonalData(kind, input.personalData, `${field}.personalData`);
  if (change === undefined) return null;
  return (type) => {
    const { personalData: _dropped, ...rest } = type;
    return change === null ? rest : { ...rest, personalData: change };
  };
}

/** An artifact's declared keys: its own declaration when it has one (even empty), else its type's default. */
export function artifactKeys(own: PersonalDataDeclaration | null | undefined, type: TypeRecord | null | undefined): CategoryKey[] {
  return keysOf(own ?? type?.personalData ?? null);
}

/** declaredKeys of a node's stored declarations, its type looked up in `types`. */
export function declaredKeys(declaration: NodeDeclarations, types: ReadonlyMap<string, TypeRecord>): CategoryKey[] {
  return artifactKeys(declaration.personalData, types.get(declaration.typeId));
}
