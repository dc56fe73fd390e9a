/**
 * Our ML Metadata .proto files against the descriptors the ml-metadata package itself
 * ships: every message, field (name, number, type, label, oneof, default, packed), enum
 * value and method (input, output, streaming) reachable from MetadataStoreService must
 * be equal. test/grpc/python/dump_descriptors.py prints the package's side; this side
 * is protobufjs, the parser @grpc/proto-loader runs, over the very files the server loads.
 * (Checked by hand once: changing Artifact.uri from 3 to 13 fails this test.)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { PROTO_ROOT, SERVICE_NAME, SERVICE_PROTO } from '../../src/server/grpc/mlmd-protos.js';
import { pythonWithMlmd } from '../support/python.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const python = pythonWithMlmd('the proto descriptor comparison');

interface FieldShape { name: string; number: number; type: string; label: string; oneof?: string; default?: unknown; packed?: true }
interface Shapes {
  service: string;
  methods: { name: string; input: string; output: string; clientStreaming: boolean; serverStreaming: boolean }[];
  messages: Record<string, { fields: FieldShape[] }>;
  enums: Record<string, Record<string, number>>;
}

const strip = (name: string): string => name.replace(/^\./, '');

/** The same shapes as the Python script prints, read from protobufjs's reflection of our files. */
function ourShapes(): Shapes {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : path.join(PROTO_ROOT, target));
  root.loadSync(SERVICE_PROTO, { keepCase: true });
  root.resolveAll();
  const service = root.lookupService(SERVICE_NAME);
  const messages: Shapes['messages'] = {};
  const enums: Shapes['enums'] = {};
  const pending: protobuf.Type[] = [];
  const methods = service.methodsArray.map((m) => {
    pending.push(m.resolvedRequestType!, m.resolvedResponseType!);
    return {
      name: m.name, input: strip(m.resolvedRequestType!.fullName), output: strip(m.resolvedResponseType!.fullName),
      clientStreaming: m.requestStream === true, serverStreaming: m.responseStream === true,
    };
  });
  while (pending.length > 0) {
    const type = pending.pop()!;
    const full = strip(type.fullName);
    if (messages[full]) continue;
    messages[full] = { fields: type.fieldsArray.map((f) => fieldShape(type, f, pending, enums)) };
  }
  return { service: strip(service.fullName), methods, messages, enums };
}

const SCALAR_NAMES = new Set(['double', 'float', 'int64', 'uint64', 'int32', 'fixed64', 'fixed32', 'bool', 'string', 'bytes',
  'uint32', 'sfixed32', 'sfixed64', 'sint32', 'sint64']);

function fieldShape(owner: protobuf.Type, f: protobuf.Field, pending: protobuf.Type[], enums: Shapes['enums']): FieldShape {
  let type: string;
  let label = f.repeated ? 'repeated' : f.required ? 'required' : 'optional';
  if (f instanceof protobuf.MapField) {
    // protobuf writes a map as a repeated nested entry message named after the field.
    const entry = `${strip(owner.fullName)}.${f.name.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}Entry`;
    type = entry;
    label = 'repeated';
    const value = f.resolvedType;
    if (value instanceof protobuf.Type) pending.push(value);
    if (value instanceof protobuf.Enum) enums[strip(value.fullName)] = { ...value.values };
    const key = { name: 'key', number: 1, type: f.keyType, label: 'optional' };
    const valueShape = { name: 'value', number: 2, type: value ? strip(value.fullName) : f.type, label: 'optional' };
    mapEntries.set(entry, [key, valueShape]);
  } else if (f.resolvedType instanceof protobuf.Type) {
    type = strip(f.resolvedType.fullName);
    pending.push(f.resolvedType);
  } else if (f.resolvedType instanceof protobuf.Enum) {
    type = strip(f.resolvedType.fullName);
    enums[type] = { ...f.resolvedType.values };
  } else {
    if (!SCALAR_NAMES.has(f.type)) throw new Error(`${owner.fullName}.${f.name}: unresolved type ${f.type}`);
    type = f.type;
  }
  // protobufjs ships the well-known types (google.protobuf.*) with their JSON names; the
  // wire knows only numbers, so those names are compared in their .proto spelling.
  const name = owner.fullName.startsWith('.google.protobuf.') ? f.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : f.name;
  const shape: FieldShape = { name, number: f.id, type, label };
  if (f.partOf) shape.oneof = f.partOf.name;
  const options = f.options ?? {};
  if ('default' in options && !f.repeated) shape.default = options.default;
  if (options.packed === true) shape.packed = true;
  return shape;
}

/** Map entry messages met while walking (protobufjs has no type for them). */
const mapEntries = new Map<string, FieldShape[]>();

function theirShapes(): Shapes {
  const run = spawnSync(python!, [path.join(here, 'python', 'dump_descriptors.py')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`dump_descriptors.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Shapes;
}

describe.skipIf(python === null)('ML Metadata .proto files', () => {
  const theirs = python === null ? null : theirShapes();
  const ours = python === null ? null : ourShapes();
  for (const [full, entry] of mapEntries) ours!.messages[full] = { fields: entry };

  it('serve the same service with the same 52 methods, inputs, outputs and streaming', () => {
    expect(ours!.service).toBe(theirs!.service);
    expect(theirs!.methods).toHaveLength(52);
    expect(ours!.methods).toEqual(theirs!.methods);
  });

  it('reach the same messages', () => {
    expect(Object.keys(ours!.messages).sort()).toEqual(Object.keys(theirs!.messages).sort());
  });

  it('give every reachable message the same fields: name, number, type, label, oneof, default, packed', () => {
    const sortByNumber = (fields: FieldShape[]): FieldShape[] => [...fields].sort((a, b) => a.number - b.number);
    for (const [name, message] of Object.entries(theirs!.messages)) {
      expect({ name, fields: sortByNumber(ours!.messages[name]?.fields ?? []) }).toEqual({ name, fields: sortByNumber(message.fields) });
    }
  });

  it('give every reachable enum the same values', () => {
    expect(ours!.enums).toEqual(theirs!.enums);
  });
});
