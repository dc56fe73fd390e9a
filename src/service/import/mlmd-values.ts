/**
 * ML Metadata's stored encodings, decoded to the core's kinds: enum numbers (from its
 * metadata_store.proto), property rows (one column set per value), STRUCT values (a
 * serialised google.protobuf.Struct, base64 after a `mlmd-struct::` prefix), PROTO values
 * (a serialised google.protobuf.Any, base64 in the proto_value column) and event path steps. What the core cannot hold exactly is refused here, naming the node and the
 * property, before anything is written.
 */
import type {
  ArtifactState, EventType, ExecutionState, JsonValue, PathStep, PropertyType, PropertyValue, ProtoValue, TypeKind,
} from '../../graph/model.js';

/** A value ML Metadata holds that the core cannot keep as it is; the import stops on it. */
export class UnimportableError extends Error {}

/** Type.type_kind. */
export const TYPE_KINDS: Readonly<Record<number, TypeKind>> = { 0: 'EXECUTION_TYPE', 1: 'ARTIFACT_TYPE', 2: 'CONTEXT_TYPE' };

/** PropertyType: 0 UNKNOWN has no kind in the core. */
const PROPERTY_TYPES: Readonly<Record<number, PropertyType>> = { 1: 'INT', 2: 'DOUBLE', 3: 'STRING', 4: 'STRUCT', 5: 'PROTO', 6: 'BOOLEAN' };
const UNKEPT_PROPERTY_TYPES: Readonly<Record<number, string>> = { 0: 'UNKNOWN' };

/** Artifact.State, Execution.State and Event.Type: the core's lists are ML Metadata's values from 1 (0 is UNKNOWN). */
const ARTIFACT_STATES: readonly ArtifactState[] = ['UNKNOWN', 'PENDING', 'LIVE', 'MARKED_FOR_DELETION', 'DELETED', 'ABANDONED', 'REFERENCE'];
const EXECUTION_STATES: readonly ExecutionState[] = ['UNKNOWN', 'NEW', 'RUNNING', 'COMPLETE', 'FAILED', 'CACHED', 'CANCELED'];
const EVENT_TYPES: readonly (EventType | null)[] = [
  null, 'DECLARED_OUTPUT', 'DECLARED_INPUT', 'INPUT', 'OUTPUT', 'INTERNAL_INPUT', 'INTERNAL_OUTPUT', 'PENDING_OUTPUT',
];

/** ML Metadata's simple types: a user type's ParentType names one, and that is its base type. */
export const SIMPLE_TYPE_BASES: Readonly<Record<string, string>> = {
  'mlmd.Dataset': 'DATASET', 'mlmd.Model': 'MODEL', 'mlmd.Metrics': 'METRICS', 'mlmd.Statistics': 'STATISTICS',
  'mlmd.Train': 'TRAIN', 'mlmd.Transform': 'TRANSFORM', 'mlmd.Process': 'PROCESS', 'mlmd.Evaluate': 'EVALUATE', 'mlmd.Deploy': 'DEPLOY',
};

export function propertyTypeOf(dataType: number | null, where: string): PropertyType {
  const type = dataType === null ? undefined : PROPERTY_TYPES[dataType];
  if (type) return type;
  const name = dataType === null ? 'no data type' : UNKEPT_PROPERTY_TYPES[dataType] ?? `data type ${dataType}`;
  throw new UnimportableError(`${where} is of ${name}, which Data Journey cannot hold yet`);
}

function enumOf<T>(values: readonly (T | null)[], n: number | null, what: string, where: string): T | null {
  if (n === null) return null;
  const value = values[n];
  if (value === undefined || value === null) throw new UnimportableError(`${where} has ${what} ${n}, which Data Journey cannot hold`);
  return value;
}

export const artifactStateOf = (n: number | null, where: string): ArtifactState | null => enumOf(ARTIFACT_STATES, n, 'state', where);
export const executionStateOf = (n: number | null, where: string): ExecutionState | null => enumOf(EXECUTION_STATES, n, 'last_known_state', where);
export const eventTypeOf = (n: number, where: string): EventType => enumOf(EVENT_TYPES, n, 'event type', where)!;

/** An int64 as the core keeps it: a number, refused beyond ±(2^53−1), where a double would round it. */
export function exactInt(value: bigint | number | string, where: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || BigInt(n) !== BigInt(value)) {
    throw new UnimportableError(`${where} is the int64 ${value}, beyond what Data Journey keeps exactly (±(2^53−1))`);
  }
  return n;
}

/** One row of ArtifactProperty, ExecutionProperty or ContextProperty. */
export interface PropertyRow {
  name: string;
  is_custom_property: number | bigint;
  int_value: bigint | number | null;
  double_value: number | null;
  string_value: string | null;
  byte_value: Uint8Array | string | null;
  proto_value: Uint8Array | string | null;
  bool_value: number | bigint | null;
}

const STRUCT_PREFIX = 'mlmd-struct::';

/** The value of a property row, by the column that holds it (ML Metadata fills exactly one). */
export function propertyValueOf(row: PropertyRow, where: string): PropertyValue {
  if (row.proto_value !== null) return decodeProtoColumn(row.proto_value, where);
  if (row.byte_value !== null) throw new UnimportableError(`${where} is a bytes value, which Data Journey cannot hold`);
  if (row.int_value !== null) return exactInt(row.int_value, where);
  if (row.double_value !== null) {
    if (!Number.isFinite(row.double_value)) throw new UnimportableError(`${where} is the double ${row.double_value}, which Data Journey cannot hold`);
    return row.double_value;
  }
  if (row.bool_value !== null) return Number(row.bool_value) !== 0;
  if (row.string_value !== null) {
    // ML Metadata writes a STRUCT as a string with this prefix and reads any such string back as one.
    if (row.string_value.startsWith(STRUCT_PREFIX)) return decodeStruct(Buffer.from(row.string_value.slice(STRUCT_PREFIX.length), 'base64'), where);
    return row.string_value;
  }
  throw new UnimportableError(`${where} has no value`);
}

/** An event path's steps in their stored order: an index step or a key step each. */
export function pathStepOf(row: { is_index_step: number | bigint | string; step_index: number | bigint | string | null; step_key: string | null }, where: string): PathStep {
  if (Number(row.is_index_step) !== 0) return { index: exactInt(row.step_index ?? 0, where) };
  return { key: row.step_key ?? '' };
}

// ---- google.protobuf.Struct and Any, from their wire format ----

class WireReader {
  private at = 0;
  constructor(
    private readonly bytes: Uint8Array, private readonly where: string,
    private readonly what = 'a STRUCT whose stored bytes are not a google.protobuf.Struct',
  ) {}

  get done(): boolean { return this.at >= this.bytes.length; }

  varint(): number {
    let result = 0;
    let shift = 1;
    for (;;) {
      if (this.at >= this.bytes.length) throw this.broken();
      const b = this.bytes[this.at++]!;
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
      if (shift > 2 ** 63) throw this.broken();
    }
  }

  bytesField(): Uint8Array {
    const length = this.varint();
    if (this.at + length > this.bytes.length) throw this.broken();
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  double(): number {
    if (this.at + 8 > this.bytes.length) throw this.broken();
    const value = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.at, 8).readDoubleLE(0);
    this.at += 8;
    return value;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.at += 8;
    else if (wireType === 2) this.bytesField();
    else if (wireType === 5) this.at += 4;
    else throw this.broken();
  }

  broken(): UnimportableError {
    return new UnimportableError(`${this.where} is ${this.what}`);
  }
}

/**
 * The proto_value column: ML Metadata writes the serialised Any as base64 text (its
 * EncodeBytes, on SQLite and MySQL alike); a BLOB is read as the bytes themselves.
 */
function decodeProtoColumn(column: Uint8Array | string, where: string): ProtoValue {
  const bytes = typeof column === 'string' ? Buffer.from(column, 'base64') : column;
  if (typeof column === 'string' && bytes.toString('base64').replace(/=+$/, '') !== column.replace(/=+$/, '')) {
    throw new UnimportableError(`${where} is a PROTO value whose stored text is not base64`);
  }
  return decodeAny(bytes, where);
}

/** Any { string type_url = 1; bytes value = 2 }, its value as standard base64. */
export function decodeAny(bytes: Uint8Array, where: string): ProtoValue {
  const reader = new WireReader(bytes, where, 'a PROTO value whose stored bytes are not a google.protobuf.Any');
  let typeUrl = '';
  let value: Uint8Array = new Uint8Array();
  while (!reader.done) {
    const tag = reader.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) typeUrl = Buffer.from(reader.bytesField()).toString('utf8');
    else if (tag >>> 3 === 2 && (tag & 7) === 2) value = reader.bytesField();
    else reader.skip(tag & 7);
  }
  // ML Metadata itself fails to read a stored Any without one.
  if (typeUrl === '') throw new UnimportableError(`${where} is a PROTO value without a type_url`);
  return { typeUrl, value: Buffer.from(value).toString('base64') };
}

/** Struct { map<string, Value> fields = 1 }. */
export function decodeStruct(bytes: Uint8Array, where: string): { [key: string]: JsonValue } {
  const reader = new WireReader(bytes, where);
  const out: { [key: string]: JsonValue } = {};
  while (!reader.done) {
    const tag = reader.varint();
    if (tag >>> 3 !== 1 || (tag & 7) !== 2) { reader.skip(tag & 7); continue; }
    const entry = new WireReader(reader.bytesField(), where);
    let key = '';
    let value: JsonValue = null;
    while (!entry.done) {
      const t = entry.varint();
      if (t >>> 3 === 1 && (t & 7) === 2) key = Buffer.from(entry.bytesField()).toString('utf8');
      else if (t >>> 3 === 2 && (t & 7) === 2) value = decodeValue(entry.bytesField(), where);
      else entry.skip(t & 7);
    }
    // A plain object would take `__proto__` as its prototype; define the key instead.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Value { null_value = 1; number_value = 2; string_value = 3; bool_value = 4; struct_value = 5; list_value = 6 }. */
function decodeValue(bytes: Uint8Array, where: string): JsonValue {
  const reader = new WireReader(bytes, where);
  let value: JsonValue = null;
  while (!reader.done) {
    const tag = reader.varint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === 0) { reader.varint(); value = null; }
    else if (field === 2 && wire === 1) value = reader.double();
    else if (field === 3 && wire === 2) value = Buffer.from(reader.bytesField()).toString('utf8');
    else if (field === 4 && wire === 0) value = reader.varint() !== 0;
    else if (field === 5 && wire === 2) value = decodeStruct(reader.bytesField(), where);
    else if (field === 6 && wire === 2) value = decodeList(reader.bytesField(), where);
    else reader.skip(wire);
  }
  return value;
}

/** ListValue { repeated Value values = 1 }. */
function decodeList(bytes: Uint8Array, where: string): JsonValue[] {
  const reader = new WireReader(bytes, where);
  const out: JsonValue[] = [];
  while (!reader.done) {
    const tag = reader.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) out.push(decodeValue(reader.bytesField(), where));
    else reader.skip(tag & 7);
  }
  return out;
}
