/**
 * Input validation shared by every service. Each check throws InvalidArgumentError with
 * the field path and the rule, e.g. `artifacts[0].properties.lr must be a DOUBLE (a
 * finite number), got "fast"`. Values are quoted through `describe`, which shortens
 * them, so a huge input never becomes a huge error.
 */
import { InvalidArgumentError } from '../graph/errors.js';
import type { PathStep, PropertyDef, PropertyMap, PropertyType, PropertyValue } from '../graph/model.js';
import { PROPERTY_TYPES } from '../graph/model.js';
import type { PathStepInput } from './inputs.js';

/** Longest name (types, nodes, properties): ML Metadata's VARCHAR(255). */
export const MAX_NAME_LENGTH = 255;
/** Longest free text (uri, description, externalId). */
export const MAX_TEXT_LENGTH = 4096;
/** Most items one write or read call takes. */
export const MAX_BATCH = 10_000;

/** A short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const invalid = (field: string, rule: string, value: unknown): InvalidArgumentError =>
  new InvalidArgumentError(`${field} ${rule}, got ${describe(value)}`, field);

export const isPresent = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/** A required string of 1..max characters. */
export function requireName(value: unknown, field: string, max = MAX_NAME_LENGTH): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalid(field, `must be a non-empty string of at most ${max} characters`, value);
  }
  return value;
}

/** An optional string of 1..max characters; null and undefined mean absent. */
export function optionalName(value: unknown, field: string, max = MAX_NAME_LENGTH): string | null {
  return isPresent(value) ? requireName(value, field, max) : null;
}

/** One of a closed set of words. */
export function requireEnum<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.join(', ')}`, value);
  }
  return value as T;
}

export function requireIdList(value: unknown, field: string): string[] {
  const list = requireBatch(value, field);
  return list.map((id, i) => requireName(id, `${field}[${i}]`, MAX_TEXT_LENGTH));
}

/** An array of at most MAX_BATCH items. */
export function requireBatch<T>(value: readonly T[] | unknown, field: string): T[] {
  if (!Array.isArray(value)) throw invalid(field, 'must be a list', value);
  if (value.length > MAX_BATCH) {
    throw new InvalidArgumentError(`${field} takes at most ${MAX_BATCH} items, got ${value.length}`, field);
  }
  return value as T[];
}

/** An integer within the safe range. */
export function requireInt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}`, value);
  }
  return value;
}

export function requirePropertyDefs(value: unknown, field: string): PropertyDef[] {
  if (!isPresent(value)) return [];
  const defs = requireBatch<unknown>(value, field);
  const seen = new Set<string>();
  const out: PropertyDef[] = [];
  defs.forEach((def, i) => {
    const d = def as { name?: unknown; type?: unknown } | null;
    const name = requireName(d?.name, `${field}[${i}].name`);
    if (seen.has(name)) throw invalid(`${field}[${i}].name`, 'must be unique within the type', name);
    seen.add(name);
    out.push({ name, type: requireEnum(d?.type, PROPERTY_TYPES, `${field}[${i}].type`) });
  });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` is JSON all the way down (no undefined, functions, NaN or Infinity). */
function isJson(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1));
  if (isPlainObject(value)) return Object.values(value).every((v) => isJson(v, depth + 1));
  return false;
}

const KIND_RULES: Record<PropertyType, { rule: string; test(v: unknown): boolean }> = {
  INT: { rule: 'must be an INT (a whole number within ±2^53)', test: (v) => typeof v === 'number' && Number.isSafeInteger(v) },
  DOUBLE: { rule: 'must be a DOUBLE (a finite number)', test: (v) => typeof v === 'number' && Number.isFinite(v) },
  STRING: { rule: 'must be a STRING', test: (v) => typeof v === 'string' && v.length <= MAX_TEXT_LENGTH * 16 },
  BOOLEAN: { rule: 'must be a BOOLEAN', test: (v) => typeof v === 'boolean' },
  STRUCT: { rule: 'must be a STRUCT (a JSON object or array)', test: (v) => (Array.isArray(v) || isPlainObject(v)) && isJson(v) },
};

/** Typed properties: every name defined by the type, every value of the declared kind. */
export function requireTypedProperties(value: unknown, defs: readonly PropertyDef[], typeName: string, field: string): PropertyMap {
  if (!isPresent(value)) return {};
  if (!isPlainObject(value)) throw invalid(field, 'must be a JSON object of property values', value);
  const byName = new Map(defs.map((d) => [d.name, d.type]));
  const out: PropertyMap = {};
  for (const [name, v] of Object.entries(value)) {
    const type = byName.get(name);
    const at = `${field}.${name}`;
    if (!type) {
      throw new InvalidArgumentError(`${at} is not a property of type ${describe(typeName)} (it defines: ${[...byName.keys()].join(', ') || 'none'})`, at);
    }
    const kind = KIND_RULES[type];
    if (!kind.test(v)) throw invalid(at, kind.rule, v);
    out[name] = v as PropertyValue;
  }
  return out;
}

/** Custom properties: any name, any scalar or JSON object/array value; null is no value. */
export function requireCustomProperties(value: unknown, field: string): PropertyMap {
  if (!isPresent(value)) return {};
  if (!isPlainObject(value)) throw invalid(field, 'must be a JSON object of property values', value);
  const out: PropertyMap = {};
  for (const [name, v] of Object.entries(value)) {
    const at = `${field}.${name}`;
    requireName(name, `${field} key`);
    if (v === null || !isJson(v) || (typeof v === 'string' && v.length > MAX_TEXT_LENGTH * 16)) {
      throw invalid(at, 'must be a number, string, boolean, or JSON object or array', v);
    }
    out[name] = v as PropertyValue;
  }
  return out;
}

/** An event path: each step is exactly one of an integer index or a string key. */
export function requirePath(value: unknown, field: string): PathStep[] {
  if (!isPresent(value)) return [];
  const steps = requireBatch<PathStepInput | null>(value, field);
  return steps.map((step, i) => {
    const at = `${field}[${i}]`;
    const hasIndex = isPresent(step?.index);
    const hasKey = isPresent(step?.key);
    if (hasIndex === hasKey) throw invalid(at, 'must have exactly one of index and key', step);
    return hasIndex
      ? { index: requireInt(step!.index, `${at}.index`, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) }
      : { key: requireName(step!.key, `${at}.key`, MAX_TEXT_LENGTH) };
  });
}
