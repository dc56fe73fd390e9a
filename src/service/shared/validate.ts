/**
 * Input validation shared by every service. Each check throws InvalidArgumentError with
 * the field path and the rule, e.g. `artifacts[0].properties.lr must be a DOUBLE (a
 * finite number), got "fast"`. Values are quoted through `describe`, which shortens
 * them, so a huge input never becomes a huge error.
 */
import { InvalidArgumentError } from '../../graph/errors.js';
import type { PathStep, PropertyDef, PropertyMap, PropertyType, PropertyValue, ProtoValue } from '../../graph/model.js';
import { isProtoValue, PROPERTY_TYPES } from '../../graph/model.js';

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

/** A required string of 1..max characters of well-formed text. */
export function requireName(value: unknown, field: string, max = MAX_NAME_LENGTH): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalid(field, `must be a non-empty string of at most ${max} characters`, value);
  }
  return requireWellFormed(value, field);
}

// In `u` mode a paired surrogate reads as one code point, so only an unpaired half matches.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Text the stores can keep as sent: no unpaired UTF-16 surrogate, which SQLite would turn
 * into U+FFFD and Neo4j into a name no later lookup matches. Every name, id and text
 * checked here goes through this one rule.
 */
export function requireWellFormed(value: string, field: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw new InvalidArgumentError(`${field} must be well-formed Unicode text; it holds an unpaired UTF-16 surrogate`, field);
  }
  return value;
}

/**
 * Property names a JavaScript object cannot hold as data: `__proto__` set on a plain
 * object replaces its prototype, so the property would vanish instead of being stored.
 */
const RESERVED_PROPERTY_NAMES: ReadonlySet<string> = new Set(['__proto__']);

/** A property name (typed definition, value map or STRUCT key) that survives storage as given. */
function requirePropertyName(name: string, field: string): void {
  if (RESERVED_PROPERTY_NAMES.has(name)) {
    throw new InvalidArgumentError(`${field}: ${describe(name)} cannot be a property name (a JavaScript object would drop it); choose another name`, field);
  }
}

/**
 * The largest integer a JSON number carries exactly through JavaScript, whose numbers are
 * doubles: 2^53 − 1. Past it JSON.parse has already rounded the digits, so the only
 * honest answer is a refusal (store such a value as a string).
 */
const INTEGER_RULE = 'must be an integer from -(2^53-1) to 2^53-1: a whole number beyond that loses digits in a JSON number; store such a value as a string';

/** A number that stands for a whole number outside ±(2^53−1), whose digits are (or would be) rounded. */
const isInexactInteger = (v: number): boolean => Number.isInteger(v) && !Number.isSafeInteger(v);

/**
 * Walks a JSON value for what the store could not keep as sent, naming the part at fault
 * (`…customProperties.cfg.layers[1].seed`): integers beyond ±(2^53−1), a `__proto__` key,
 * an unpaired surrogate in a key or a string.
 */
export function requireExactJson(value: unknown, field: string): void {
  if (typeof value === 'string') requireWellFormed(value, field);
  else if (typeof value === 'number') {
    if (isInexactInteger(value)) throw invalid(field, INTEGER_RULE, value);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => requireExactJson(v, `${field}[${i}]`));
  } else if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      requireWellFormed(key, `${field} key`);
      requirePropertyName(key, `${field}.${key}`);
      requireExactJson(v, `${field}.${key}`);
    }
  }
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

/**
 * A point in time as the API takes it (the DateTime scalar's milliseconds since the epoch):
 * any exact integer. A time before anything existed or in the future is a valid question
 * (nothing existed then; the records as they are now), so no narrower range is imposed.
 */
export function requireTime(value: unknown, field: string): number {
  return requireInt(value, field, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}

/** A list of ML Metadata ids (each as requireMlmdId takes it), at most MAX_BATCH. */
export function requireMlmdIdList(value: unknown, field: string): number[] {
  return requireBatch<unknown>(value, field).map((id, i) => requireMlmdId(id, `${field}[${i}]`));
}

/** The largest ML Metadata id: int64 ids are kept within what a JSON number holds exactly. */
export const MAX_MLMD_ID = Number.MAX_SAFE_INTEGER;
const MLMD_ID_RULE = `must be a whole number from 1 to ${MAX_MLMD_ID}, as a number or a string of decimal digits`;
const DECIMAL_DIGITS = /^[0-9]{1,16}$/;

/**
 * An ML Metadata id given as a number or a string of decimal digits ("12"), as the
 * MlmdId scalar takes it: no sign, fraction or exponent ("1e3"), from 1 to 2^53 - 1.
 */
export function requireMlmdId(value: unknown, field: string): number {
  const id = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL_DIGITS.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw invalid(field, MLMD_ID_RULE, value);
  return id;
}

export function requirePropertyDefs(value: unknown, field: string): PropertyDef[] {
  if (!isPresent(value)) return [];
  const defs = requireBatch<unknown>(value, field);
  const seen = new Set<string>();
  const out: PropertyDef[] = [];
  defs.forEach((def, i) => {
    const d = def as { name?: unknown; type?: unknown } | null;
    const name = requireName(d?.name, `${field}[${i}].name`);
    requirePropertyName(name, `${field}[${i}].name`);
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

/** Most bytes one PROTO value holds (ML Metadata's MySQL column holds 16 MiB; one value this large is already an outlier). */
export const MAX_PROTO_BYTES = 1024 * 1024;

/** Standard base64 with padding, the one spelling of each byte string (Buffer also reads url-safe and unpadded text). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A PROTO value as it will be stored: a non-empty type_url (ML Metadata reads a stored
 * value without one as an internal error) and bytes in canonical base64, so the bytes read
 * back are exactly those written. Names the part at fault.
 */
export function requireProtoValue(v: ProtoValue, field: string): ProtoValue {
  if (v.typeUrl.length === 0 || v.typeUrl.length > MAX_TEXT_LENGTH) {
    throw invalid(`${field}.typeUrl`, `must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters (a PROTO value's type_url)`, v.typeUrl);
  }
  requireWellFormed(v.typeUrl, `${field}.typeUrl`);
  const tooLarge = (): InvalidArgumentError =>
    new InvalidArgumentError(`${field}.value holds more than ${MAX_PROTO_BYTES} bytes (${v.value.length} base64 characters)`, `${field}.value`);
  // The length first, so a huge value costs no regular expression.
  if (v.value.length > Math.ceil(MAX_PROTO_BYTES / 3) * 4) throw tooLarge();
  // A last character with bits past the bytes ("QR==") decodes like "QQ==": refused, so a value reads back as written.
  if (!BASE64.test(v.value) || Buffer.from(v.value, 'base64').toString('base64') !== v.value) {
    throw invalid(`${field}.value`, 'must be the bytes in standard base64 with padding (A-Z a-z 0-9 + /, =)', v.value);
  }
  const padding = v.value.endsWith('==') ? 2 : v.value.endsWith('=') ? 1 : 0;
  if ((v.value.length / 4) * 3 - padding > MAX_PROTO_BYTES) throw tooLarge();
  return v;
}

const KIND_RULES: Record<PropertyType, { rule: string; test(v: unknown): boolean }> = {
  INT: { rule: 'must be an INT (a whole number from -(2^53-1) to 2^53-1; store a larger one as a STRING)', test: (v) => typeof v === 'number' && Number.isSafeInteger(v) },
  DOUBLE: { rule: 'must be a DOUBLE (a finite number)', test: (v) => typeof v === 'number' && Number.isFinite(v) },
  STRING: { rule: 'must be a STRING', test: (v) => typeof v === 'string' && v.length <= MAX_TEXT_LENGTH * 16 },
  BOOLEAN: { rule: 'must be a BOOLEAN', test: (v) => typeof v === 'boolean' },
  STRUCT: {
    rule: 'must be a STRUCT (a JSON object or array; not an object of exactly the keys typeUrl and value, which is a PROTO value)',
    test: (v) => (Array.isArray(v) || isPlainObject(v)) && isJson(v) && !isProtoValue(v),
  },
  PROTO: { rule: 'must be a PROTO value ({"typeUrl": "...", "value": "<base64 bytes>"})', test: isProtoValue },
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
    if (type === 'PROTO') requireProtoValue(v as ProtoValue, at);
    // A DOUBLE is approximate by nature; every other kind must arrive exactly as sent.
    if (type !== 'DOUBLE') requireExactJson(v, at);
    out[name] = v as PropertyValue;
  }
  return out;
}

/**
 * Custom properties: any name, any scalar, JSON object/array or PROTO value (an object of
 * exactly the keys typeUrl and value is one); null is no value.
 */
export function requireCustomProperties(value: unknown, field: string): PropertyMap {
  if (!isPresent(value)) return {};
  if (!isPlainObject(value)) throw invalid(field, 'must be a JSON object of property values', value);
  const out: PropertyMap = {};
  for (const [name, v] of Object.entries(value)) {
    const at = `${field}.${name}`;
    requireName(name, `${field} key`);
    requirePropertyName(name, at);
    if (v === null || !isJson(v) || (typeof v === 'string' && v.length > MAX_TEXT_LENGTH * 16)) {
      throw invalid(at, 'must be a number, string, boolean, or JSON object or array', v);
    }
    requireExactJson(v, at);
    if (isProtoValue(v)) requireProtoValue(v, at);
    out[name] = v as PropertyValue;
  }
  return out;
}

/** An event path: each step is exactly one of an integer index or a string key. */
export function requirePath(value: unknown, field: string): PathStep[] {
  if (!isPresent(value)) return [];
  // The shape of inputs.ts's PathStepInput, spelled here so the shared checks import no service.
  const steps = requireBatch<{ index?: unknown; key?: unknown } | null>(value, field);
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
