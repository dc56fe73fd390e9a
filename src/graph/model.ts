/**
 * The records the store keeps: ML Metadata's data model, as plain data.
 * Both backends read and write exactly these shapes, so the service layer and the
 * conformance suite never see a driver type.
 */

export const PROPERTY_TYPES = ['INT', 'DOUBLE', 'STRING', 'BOOLEAN', 'STRUCT', 'PROTO'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export const ARTIFACT_BASE_TYPES = ['DATASET', 'MODEL', 'METRICS', 'STATISTICS'] as const;
export const EXECUTION_BASE_TYPES = ['TRAIN', 'TRANSFORM', 'PROCESS', 'EVALUATE', 'DEPLOY'] as const;

export const ARTIFACT_STATES = [
  'UNKNOWN', 'PENDING', 'LIVE', 'MARKED_FOR_DELETION', 'DELETED', 'ABANDONED', 'REFERENCE',
] as const;
export type ArtifactState = (typeof ARTIFACT_STATES)[number];

export const EXECUTION_STATES = [
  'UNKNOWN', 'NEW', 'RUNNING', 'COMPLETE', 'FAILED', 'CACHED', 'CANCELED',
] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];

export const EVENT_TYPES = [
  'DECLARED_OUTPUT', 'DECLARED_INPUT', 'INPUT', 'OUTPUT', 'INTERNAL_INPUT', 'INTERNAL_OUTPUT', 'PENDING_OUTPUT',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Event kinds whose data flows from the artifact into the execution; the rest flow out of it. */
export const INPUT_EVENT_TYPES: ReadonlySet<EventType> = new Set(['DECLARED_INPUT', 'INPUT', 'INTERNAL_INPUT']);
export const isInputEvent = (t: EventType): boolean => INPUT_EVENT_TYPES.has(t);

export type TypeKind = 'ARTIFACT_TYPE' | 'EXECUTION_TYPE' | 'CONTEXT_TYPE';
export type NodeKind = 'ARTIFACT' | 'EXECUTION' | 'CONTEXT';

/** The node kind whose nodes a type of this kind describes, and back. */
export const NODE_KIND_OF: Record<TypeKind, NodeKind> = {
  ARTIFACT_TYPE: 'ARTIFACT', EXECUTION_TYPE: 'EXECUTION', CONTEXT_TYPE: 'CONTEXT',
};
export const TYPE_KIND_OF: Record<NodeKind, TypeKind> = {
  ARTIFACT: 'ARTIFACT_TYPE', EXECUTION: 'EXECUTION_TYPE', CONTEXT: 'CONTEXT_TYPE',
};

// ---- personal data (GDPR) ----

/** GDPR Art. 9's special categories of personal data, kept apart from the free category names. */
export const SPECIAL_CATEGORIES = [
  'RACIAL_OR_ETHNIC_ORIGIN', 'POLITICAL_OPINIONS', 'RELIGIOUS_OR_PHILOSOPHICAL_BELIEFS', 'TRADE_UNION_MEMBERSHIP',
  'GENETIC', 'BIOMETRIC', 'HEALTH', 'SEX_LIFE_OR_ORIENTATION',
] as const;
export type SpecialCategory = (typeof SPECIAL_CATEGORIES)[number];

/** What an execution does to the personal data flowing through it; NONE (the default) passes it all. */
export const PRIVACY_TRANSFORMS = ['NONE', 'PSEUDONYMIZE', 'ANONYMIZE', 'DROP', 'AGGREGATE'] as const;
export type PrivacyTransform = (typeof PRIVACY_TRANSFORMS)[number];

/** Personal-data categories an artifact holds (on a type: the default of its artifacts). Both lists sorted, no repeats. */
export interface PersonalDataDeclaration {
  /** Free names such as contact, identifier, location, behavioural. */
  categories: string[];
  specialCategories: SpecialCategory[];
  /**
   * Per field of a dataset version (column lineage, issue 15), sorted by field, each once;
   * absent when none (so a declaration without fields is stored as before). Their
   * categories are in the two lists above as well: the artifact holds what its fields hold.
   */
  fields?: FieldPersonalDataDeclaration[];
}

/** The categories one field holds. Both lists sorted, no repeats. */
export interface FieldPersonalDataDeclaration {
  field: string;
  categories: string[];
  specialCategories: SpecialCategory[];
}

/** An execution's privacy transform (never NONE: an execution without one passes everything). */
export interface PrivacyDeclaration {
  transform: PrivacyTransform;
  /** What DROP removes; empty for the other transforms. Sorted, no repeats. */
  categories: string[];
  specialCategories: SpecialCategory[];
  /** AGGREGATE's smallest group size; null for the other transforms. */
  k: number | null;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/**
 * A PROTO value: ML Metadata's google.protobuf.Any, its type_url and its bytes in standard
 * base64 (with padding), kept byte for byte. A plain object of exactly these two keys, so it
 * is JSON as it stands (both stores keep property maps as JSON, GraphQL shows them as JSON);
 * a STRUCT of this very shape is refused on input (validate.ts), so the shape alone says
 * which it is, also for a custom property, which keeps no declared kind.
 */
export interface ProtoValue { typeUrl: string; value: string }

/** True for a value of ProtoValue's shape: exactly the keys typeUrl and value, both strings. */
export function isProtoValue(v: unknown): v is ProtoValue {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  const o = v as Record<string, unknown>;
  return keys.length === 2 && typeof o.typeUrl === 'string' && typeof o.value === 'string';
}

/** A property value: INT and DOUBLE are numbers, STRUCT is a JSON object or array, PROTO a ProtoValue. */
export type PropertyValue = boolean | number | string | JsonValue[] | { [key: string]: JsonValue } | ProtoValue;
export type PropertyMap = Record<string, PropertyValue>;

export interface PropertyDef {
  name: string;
  type: PropertyType;
}

export interface TypeRecord {
  id: string;
  /** ML Metadata's int64 id of the type: given once at insert, never changed, never given to another type. */
  mlmdId: number;
  kind: TypeKind;
  name: string;
  /** null when the type has no version; (name, version) identifies a type within its kind. */
  version: string | null;
  description: string | null;
  /** Unique within the kind when set. */
  externalId: string | null;
  /** Artifact and execution types only; always null on context types. */
  baseType: string | null;
  /** Sorted by name. */
  properties: PropertyDef[];
  /** Artifact types only: the personal data their artifacts hold unless they declare their own; absent when none. */
  personalData?: PersonalDataDeclaration;
}

interface NodeFields {
  id: string;
  /** ML Metadata's int64 id of the node, unique within its kind (artifacts, executions and contexts each count from 1, as ML Metadata's tables do): given once at insert, never changed, never reused. */
  mlmdId: number;
  typeId: string;
  name: string | null;
  externalId: string | null;
  properties: PropertyMap;
  customProperties: PropertyMap;
  /** Milliseconds since the epoch, from the server's clock. */
  createTime: number;
  updateTime: number;
}

export interface ArtifactRecord extends NodeFields {
  kind: 'ARTIFACT';
  uri: string | null;
  state: ArtifactState;
  /** The personal data it holds, overriding its type's default (an empty declaration: none); absent: the type's. */
  personalData?: PersonalDataDeclaration;
}

export interface ExecutionRecord extends NodeFields {
  kind: 'EXECUTION';
  lastKnownState: ExecutionState;
  /** What it does to personal data flowing through it; absent: NONE (everything passes). */
  privacy?: PrivacyDeclaration;
}

export interface ContextRecord extends NodeFields {
  kind: 'CONTEXT';
  /** Required on contexts. */
  name: string;
  /** What its executions that set no transform of their own do to personal data (a job's setting); absent: nothing. */
  privacy?: PrivacyDeclaration;
}

export type NodeRecord = ArtifactRecord | ExecutionRecord | ContextRecord;

/** One step of an event path: exactly one of index and key is set. */
export type PathStep = { index: number; key?: undefined } | { key: string; index?: undefined };

export interface EventRecord {
  artifactId: string;
  executionId: string;
  type: EventType;
  path: PathStep[];
  /** Milliseconds since the epoch. */
  time: number;
}

export interface AttributionLink { contextId: string; artifactId: string }
export interface AssociationLink { contextId: string; executionId: string }
export interface ParentContextLink { childId: string; parentId: string }

/**
 * ML Metadata's id spaces, one per table as in ML Metadata: artifacts, executions and
 * contexts each count from 1, and the three kinds of type share one (its Type table).
 */
export type MlmdIdSpace = 'artifact' | 'execution' | 'context' | 'type';
export const MLMD_ID_SPACES: readonly MlmdIdSpace[] = ['artifact', 'execution', 'context', 'type'];
/** The id space of each kind of node. */
export const MLMD_ID_SPACE_OF: Record<NodeKind, MlmdIdSpace> = { ARTIFACT: 'artifact', EXECUTION: 'execution', CONTEXT: 'context' };
