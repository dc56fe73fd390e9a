/**
 * ML Metadata's wire values and Data Journey's records, each way: int64 texts and the
 * core's ids, Value messages and property values, google.protobuf.Struct and JSON. Pure
 * translation: what a value may be is the service's to decide (src/service/shared/validate.ts);
 * only what the core cannot hold at all (an int64 past 2^53 - 1, a Struct of a PROTO
 * value's shape) is refused here, naming the field, before digits would be lost.
 */
import { InvalidArgumentError } from '../../graph/errors.js';
import type { EventType, JsonValue, PathStep, PropertyMap, PropertyType, PropertyValue, ProtoValue } from '../../graph/model.js';
import { isProtoValue } from '../../graph/model.js';

/** An int64 as proto-loader hands it (a decimal string, LOADER_OPTIONS.longs) or a number. */
export type Int64 = string | number;

const INT64_TEXT = /^-?[0-9]+$/;

/** An int64 the core can hold exactly (±(2^53 - 1)); INVALID_ARGUMENT naming `field` beyond it. */
export function exactInt(value: Int64, field: string): number {
  const text = String(value);
  const n = Number(text);
  if (!INT64_TEXT.test(text) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`${field} is ${text}: Data Journey holds integers from -(2^53-1) to 2^53-1 exactly and refuses others`, field);
  }
  return n;
}

/**
 * The ids of a list to look up: ids beyond what the core holds are refused (naming the
 * field), while 0 and negative ids, which nothing has, are dropped so the look-up finds
 * nothing for them, as ML Metadata's does.
 */
export function lookupIds(values: readonly Int64[] | undefined, field: string): number[] {
  return (values ?? []).map((v, i) => exactInt(v, `${field}[${i}]`)).filter((id) => id >= 1);
}

/** google.protobuf.Value as proto-loader decodes it (protobufjs ships the well-known types with JSON names). */
interface StructValueMsg {
  kind?: string;
  nullValue?: string; numberValue?: number; stringValue?: string; boolValue?: boolean;
  structValue?: StructMsg; listValue?: { values?: StructValueMsg[] };
}
export interface StructMsg { fields?: Record<string, StructValueMsg> }

/** ml_metadata.Value: one of the kinds, named by `value` (LOADER_OPTIONS.oneofs). */
export interface ValueMsg {
  value?: string;
  int_value?: Int64; double_value?: number; string_value?: string; bool_value?: boolean;
  struct_value?: StructMsg; proto_value?: AnyMsg;
}

/** google.protobuf.Any as proto-loader decodes it (bytes as a Buffer); proto3 leaves empty fields out. */
export interface AnyMsg { type_url?: string; value?: Uint8Array | string }

function jsonOfStructValue(v: StructValueMsg | undefined, field: string): JsonValue {
  switch (v?.kind) {
    case 'numberValue': return v.numberValue!;
    case 'stringValue': return v.stringValue!;
    case 'boolValue': return v.boolValue!;
    case 'structValue': return jsonOfStruct(v.structValue, field);
    case 'listValue': return (v.listValue?.values ?? []).map((x, i) => jsonOfStructValue(x, `${field}[${i}]`));
    default: return null;
  }
}

/** A google.protobuf.Struct as a JSON object. */
export function jsonOfStruct(struct: StructMsg | undefined, field: string): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, v] of Object.entries(struct?.fields ?? {})) out[key] = jsonOfStructValue(v, `${field}.${key}`);
  return out;
}

function structValueOf(v: JsonValue): StructValueMsg {
  if (v === null) return { nullValue: 'NULL_VALUE' };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map(structValueOf) } };
  return { structValue: structOf(v) };
}

/** A JSON object as a google.protobuf.Struct. */
export function structOf(json: { [key: string]: JsonValue }): StructMsg {
  return { fields: Object.fromEntries(Object.entries(json).map(([k, v]) => [k, structValueOf(v)])) };
}

/** A Value message as a property value; absent (no kind set) is undefined, and the property is left out. */
export function propertyValueOf(v: ValueMsg | undefined, field: string): PropertyValue | undefined {
  switch (v?.value) {
    case 'int_value': return exactInt(v.int_value!, `${field}.int_value`);
    case 'double_value': return v.double_value!;
    case 'string_value': return v.string_value!;
    case 'bool_value': return v.bool_value!;
    case 'struct_value': {
      const json = jsonOfStruct(v.struct_value, `${field}.struct_value`);
      // The core tells a PROTO value from a STRUCT by this shape alone (model.ts, ProtoValue).
      if (isProtoValue(json)) {
        throw new InvalidArgumentError(`${field}.struct_value: a Struct of exactly the string fields typeUrl and value reads as a PROTO value in Data Journey; add or rename a field`, `${field}.struct_value`);
      }
      return json;
    }
    // The service checks the type_url and the bytes (validate.ts, requireProtoValue).
    case 'proto_value': return protoValueOf(v.proto_value);
    default: return undefined;
  }
}

/** An Any message as a PROTO value: its type_url and its bytes as standard base64. */
export function protoValueOf(any: AnyMsg | undefined): ProtoValue {
  const bytes = any?.value ?? new Uint8Array();
  return { typeUrl: any?.type_url ?? '', value: typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('base64') };
}

/**
 * A map of Value messages as a property map (the service validates names and kinds). A
 * Value with no kind set is left out of custom properties; among declared properties it is
 * INVALID_ARGUMENT, as ML Metadata refuses it ("Found unmatched property type").
 */
export function propertyMapOf(map: Record<string, ValueMsg> | undefined, field: string, unsetRefused = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(map ?? {})) {
    const value = propertyValueOf(v, `${field}.${name}`);
    if (value === undefined && unsetRefused) {
      throw new InvalidArgumentError(`${field}.${name}: the Value sets no kind, so it matches no property type`, `${field}.${name}`);
    }
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * A property value as a Value message: of its declared type for a typed property, and for
 * a custom one (which the core keeps without a kind) by its JavaScript kind, a whole
 * number as int_value, a ProtoValue as proto_value (its bytes decoded from base64). A JSON array (only GraphQL can write one) has no Struct form and
 * goes as its JSON text.
 */
export function valueMsgOf(value: PropertyValue, declared: PropertyType | undefined): ValueMsg {
  if (typeof value === 'boolean') return { bool_value: value };
  if (typeof value === 'string') return { string_value: value };
  if (typeof value === 'number') {
    if (declared === 'DOUBLE' || (declared === undefined && !Number.isInteger(value))) return { double_value: value };
    return { int_value: value };
  }
  if (Array.isArray(value)) return { string_value: JSON.stringify(value) };
  if (isProtoValue(value)) return { proto_value: { type_url: value.typeUrl, value: Buffer.from(value.value, 'base64') } };
  return { struct_value: structOf(value) };
}

/** A property map as Value messages, typed ones by their definitions. */
export function valueMapOf(map: PropertyMap, declared?: ReadonlyMap<string, PropertyType>): Record<string, ValueMsg> {
  return Object.fromEntries(Object.entries(map).map(([name, v]) => [name, valueMsgOf(v, declared?.get(name))]));
}

/** Text that proto2 leaves unset when empty: '' and absent both mean none. */
export const textOrNull = (text: string | undefined): string | null => (text === undefined || text === '' ? null : text);

/** An Event message. */
export interface EventMsg {
  artifact_id?: Int64; execution_id?: Int64; type?: string;
  path?: { steps?: { value?: string; index?: Int64; key?: string }[] };
  milliseconds_since_epoch?: Int64;
}

/** An event message's type, path and time (its ends are the call's own nodes). */
export function eventPartsOf(e: EventMsg, field: string): { type: EventType; path: PathStep[]; time: number | null } {
  return {
    type: (e.type ?? 'UNKNOWN') as EventType,
    path: (e.path?.steps ?? []).map((s, j) => (s.value === 'index' ? { index: exactInt(s.index!, `${field}.path.steps[${j}].index`) } : { key: s.key ?? '' })),
    time: e.milliseconds_since_epoch === undefined ? null : exactInt(e.milliseconds_since_epoch, `${field}.milliseconds_since_epoch`),
  };
}
