/**
 * How the model's records are laid out as Neo4j properties, and back.
 *
 * A node keeps its fields as plain properties (id, typeId, name, ...; a null field is an
 * absent property) and each of its property values under a reserved prefix:
 *   `prop.<name>` / `custom.<name>`               a scalar (INT, DOUBLE, STRING, BOOLEAN)
 *   `propStruct.<name>` / `customStruct.<name>`   a STRUCT or a PROTO value, as JSON text
 *                                                 (a PROTO value is a JSON object of its own shape, model.ts)
 * so a property predicate (which reads only the scalar key) never sees a STRUCT, typed
 * and custom properties of the same name never meet, and no property name can collide
 * with a field. Keys come only from record maps and are sent as parameter maps, never
 * spliced into Cypher. Neo4j refuses a property key holding a NUL character, which a
 * property name may hold, so names are escaped in keys: `%` as `%25`, NUL as `%00`.
 */
import type {
  ArtifactState, EventRecord, EventType, ExecutionState, NodeKind, NodeRecord, PathStep, PersonalDataDeclaration,
  PrivacyDeclaration, PropertyDef, PropertyMap, PropertyType, PropertyValue, TypeKind, TypeRecord,
} from '../model.js';
import { isInputEvent } from '../model.js';
import type { Row } from './neo4j-executor.js';

const SCALAR_PREFIX = { typed: 'prop.', custom: 'custom.' } as const;
const STRUCT_PREFIX = { typed: 'propStruct.', custom: 'customStruct.' } as const;

/** The node kind of each code in a record list (nodes/record.cypher). */
const KIND_OF_CODE: readonly NodeKind[] = ['ARTIFACT', 'EXECUTION', 'CONTEXT'];

/** A property name as it appears in a key; injective, so keys of distinct names never meet. */
const escapeName = (name: string): string => name.replace(/[%\u0000]/g, (c) => (c === '%' ? '%25' : '%00'));
const unescapeName = (escaped: string): string => escaped.replace(/%(25|00)/g, (_, code: string) => (code === '25' ? '%' : '\u0000'));

/** The stored key a scalar property predicate reads. */
export const scalarPropertyKey = (name: string, custom: boolean): string =>
  (custom ? SCALAR_PREFIX.custom : SCALAR_PREFIX.typed) + escapeName(name);

/** The stored key of a STRUCT or PROTO property (JSON text). */
export const structPropertyKey = (name: string, custom: boolean): string =>
  (custom ? STRUCT_PREFIX.custom : STRUCT_PREFIX.typed) + escapeName(name);

/** A STRUCT or a PROTO value: both are JSON objects (or arrays) and are kept as JSON text. */
const isStruct = (value: PropertyValue): boolean => typeof value === 'object';

function putProperties(target: Record<string, unknown>, values: PropertyMap, custom: boolean): void {
  for (const [name, value] of Object.entries(values)) {
    if (isStruct(value)) target[structPropertyKey(name, custom)] = JSON.stringify(value);
    else target[scalarPropertyKey(name, custom)] = value;
  }
}

/** Every stored property of a node; null fields are sent as null so that `SET n = row` removes them. */
export function nodeToFields(node: NodeRecord): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    id: node.id,
    mlmdId: node.mlmdId,
    typeId: node.typeId,
    name: node.name,
    externalId: node.externalId,
    createTime: node.createTime,
    updateTime: node.updateTime,
  };
  if (node.kind === 'ARTIFACT') {
    fields.uri = node.uri;
    fields.state = node.state;
    fields.personalData = declarationProperty(node.personalData);
  } else if (node.kind === 'EXECUTION') {
    fields.lastKnownState = node.lastKnownState;
    fields.privacy = declarationProperty(node.privacy);
  } else if (node.privacy !== undefined) {
    // A context's transform is rare (a job's setting): left out when absent, so the rows
    // of every other context stay as they were.
    fields.privacy = declarationProperty(node.privacy);
  }
  putProperties(fields, node.properties, false);
  putProperties(fields, node.customProperties, true);
  return fields;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Error(`stored ${field} is not a string`);
  return value;
}
const optionalText = (value: unknown, field: string): string | null =>
  value === undefined || value === null ? null : text(value, field);
function num(value: unknown, field: string): number {
  if (typeof value !== 'number') throw new Error(`stored ${field} is not a number`);
  return value;
}
const fieldsOf = (value: unknown): Record<string, unknown> => value as Record<string, unknown>;

/** A declaration as its property stores it: JSON text, or null, which removes the property. */
export const declarationProperty = (declaration: PersonalDataDeclaration | PrivacyDeclaration | undefined): string | null =>
  declaration === undefined ? null : JSON.stringify(declaration);

/** `{ personalData }` when the property holds one, else nothing: an absent field is the record's "none". */
export const personalDataField = (value: unknown): { personalData?: PersonalDataDeclaration } =>
  value === undefined || value === null ? {} : { personalData: JSON.parse(text(value, 'personalData')) as PersonalDataDeclaration };

/** `{ privacy }` when the property holds one, else nothing. */
export const privacyField = (value: unknown): { privacy?: PrivacyDeclaration } =>
  value === undefined || value === null ? {} : { privacy: JSON.parse(text(value, 'privacy')) as PrivacyDeclaration };

/** The typed and custom properties of a record's key, value, key, value, ... list (see nodeFromList). */
function propertiesOf(pairs: readonly unknown[]): { properties: PropertyMap; customProperties: PropertyMap } {
  const properties: PropertyMap = {};
  const customProperties: PropertyMap = {};
  for (let i = 0; i < pairs.length; i += 2) {
    const key = text(pairs[i], 'property key');
    const value = pairs[i + 1];
    if (key.startsWith(SCALAR_PREFIX.typed)) properties[unescapeName(key.slice(SCALAR_PREFIX.typed.length))] = value as PropertyValue;
    else if (key.startsWith(SCALAR_PREFIX.custom)) customProperties[unescapeName(key.slice(SCALAR_PREFIX.custom.length))] = value as PropertyValue;
    else if (key.startsWith(STRUCT_PREFIX.typed)) properties[unescapeName(key.slice(STRUCT_PREFIX.typed.length))] = JSON.parse(text(value, key)) as PropertyValue;
    else if (key.startsWith(STRUCT_PREFIX.custom)) customProperties[unescapeName(key.slice(STRUCT_PREFIX.custom.length))] = JSON.parse(text(value, key)) as PropertyValue;
  }
  return { properties, customProperties };
}

/** The record of a node listed as cypher/nodes/record.cypher lists it. */
export function nodeFromList(value: unknown): NodeRecord {
  const list = value as readonly unknown[];
  const kind = KIND_OF_CODE[list[2] as number];
  if (kind === undefined) throw new Error('a stored node has no node-kind label');
  const common = {
    id: text(list[0], 'id'),
    mlmdId: num(list[1], 'mlmdId'),
    typeId: text(list[3], 'typeId'),
    externalId: optionalText(list[5], 'externalId'),
    ...propertiesOf(list[13] as unknown[]),
    createTime: num(list[6], 'createTime'),
    updateTime: num(list[7], 'updateTime'),
  };
  const name = optionalText(list[4], 'name');
  switch (kind) {
    case 'ARTIFACT':
      return {
        ...common, kind, name, uri: optionalText(list[8], 'uri'), state: text(list[9], 'state') as ArtifactState,
        ...personalDataField(list[11]),
      };
    case 'EXECUTION':
      return {
        ...common, kind, name, lastKnownState: text(list[10], 'lastKnownState') as ExecutionState, ...privacyField(list[12]),
      };
    case 'CONTEXT':
      return { ...common, kind, name: text(name, 'name'), ...privacyField(list[12]) };
  }
}

/**
 * The key the type-key constraint holds: (kind, name, version) with a null version
 * written out, since a uniqueness constraint skips nodes whose property is null.
 */
export const typeKeyOf = (kind: TypeKind, name: string, version: string | null): string =>
  JSON.stringify([kind, name, version]);

/** Every stored property of a type node. */
export function typeToFields(type: TypeRecord): Record<string, unknown> {
  return {
    id: type.id,
    mlmdId: type.mlmdId,
    kind: type.kind,
    name: type.name,
    version: type.version,
    typeKey: typeKeyOf(type.kind, type.name, type.version),
    description: type.description,
    externalId: type.externalId,
    baseType: type.baseType,
    // Two aligned lists rather than JSON, so the definitions stay readable in the graph.
    propertyNames: type.properties.map((p) => p.name),
    propertyTypes: type.properties.map((p) => p.type),
    personalData: declarationProperty(type.personalData),
  };
}

/** The record of a row holding `fields` (the type node's properties). */
export function typeFromRow(row: Row): TypeRecord {
  const fields = fieldsOf(row.fields);
  const names = (fields.propertyNames ?? []) as string[];
  const types = (fields.propertyTypes ?? []) as PropertyType[];
  const properties: PropertyDef[] = names.map((name, i) => ({ name, type: types[i]! }));
  return {
    id: text(fields.id, 'id'),
    mlmdId: num(fields.mlmdId, 'mlmdId'),
    kind: text(fields.kind, 'kind') as TypeKind,
    name: text(fields.name, 'name'),
    version: optionalText(fields.version, 'version'),
    description: optionalText(fields.description, 'description'),
    externalId: optionalText(fields.externalId, 'externalId'),
    baseType: optionalText(fields.baseType, 'baseType'),
    properties,
    ...personalDataField(fields.personalData),
  };
}

/** The key the event constraint holds: one event per (artifact, execution, type). */
export const eventKeyOf = (e: { artifactId: string; executionId: string; type: EventType }): string =>
  JSON.stringify([e.artifactId, e.executionId, e.type]);

/** The parameter row that creates an event's relationship. */
export const eventToRow = (e: EventRecord): Record<string, unknown> => ({
  key: eventKeyOf(e),
  artifactId: e.artifactId,
  executionId: e.executionId,
  type: e.type,
  path: JSON.stringify(e.path),
  time: e.time,
});

/** The event of a row holding artifactId, executionId, type, path (JSON) and time. */
export function eventFromRow(row: Row): EventRecord {
  return {
    artifactId: text(row.artifactId, 'artifactId'),
    executionId: text(row.executionId, 'executionId'),
    type: text(row.type, 'type') as EventType,
    path: JSON.parse(text(row.path, 'path')) as PathStep[],
    time: num(row.time, 'time'),
  };
}

/** Whether an event of this type is stored artifact -> execution (an input) rather than the reverse. */
export const pointsIntoExecution = (type: EventType): boolean => isInputEvent(type);

/** The key a link constraint holds: its two ends, in the direction of the relationship. */
export const linkKeyOf = (from: string, to: string): string => JSON.stringify([from, to]);

/** A text read back from the database, checked: a wrong type is a damaged store, not user input. */
export function storedText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Error(`stored ${field} is not a string`);
  return value;
}

/** A number read back from the database, checked as storedText is. */
export function storedNumber(value: unknown, field: string): number {
  if (typeof value !== 'number') throw new Error(`stored ${field} is not a number`);
  return value;
}
