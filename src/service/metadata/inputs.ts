/**
 * What callers hand the services: the API's inputs, before validation. Values are
 * `unknown` where they come straight from JSON, so the validators are the only place
 * that decides what is acceptable.
 *
 * These are the core's fields. A layer over the core (write-hooks.ts) adds its own by
 * augmenting these interfaces, and validates them itself: the personal-data declarations
 * (personalData on artifact types and artifacts, privacy on executions) are added in
 * src/service/privacy/declarations.ts.
 */
import type { ArtifactState, EventType, ExecutionState, PropertyType } from '../../graph/model.js';

export interface PropertyDefInput { name: string; type: PropertyType }

export interface TypeInput {
  /** Only with TypePutOptions.withGivenMlmdId (trusted code): the type's ML Metadata id. */
  mlmdId?: number | string | null;
  name: string;
  version?: string | null;
  description?: string | null;
  externalId?: string | null;
  /** Artifact and execution types only. */
  baseType?: string | null;
  properties?: PropertyDefInput[] | null;
}

export interface TypePutOptions {
  /**
   * Trusted code only (the ML Metadata importer; GraphQL never sets it): the input carries
   * its `mlmdId`, which a new type keeps and a stored one must already have. See
   * given-mlmd-ids.ts for the rules.
   */
  withGivenMlmdId?: boolean;
  /** Allow a re-put to add properties the stored type lacks. Default false. */
  canAddFields?: boolean;
  /** Allow a re-put to leave out properties the stored type has (they are kept). Default false. */
  canOmitFields?: boolean;
}

interface NodeInputFields {
  /** Given: update this node. Absent: insert, or reuse per PutOptions (finding the node or adding to it only). */
  id?: string | null;
  /** Only with PutOptions.withGivenMlmdIds (trusted code): the node's ML Metadata id. */
  mlmdId?: number | string | null;
  /** The type's name; `typeVersion` picks a version (absent: the unversioned type). */
  type: string;
  typeVersion?: string | null;
  externalId?: string | null;
  properties?: Record<string, unknown> | null;
  customProperties?: Record<string, unknown> | null;
}

export interface ArtifactInput extends NodeInputFields {
  name?: string | null;
  uri?: string | null;
  state?: ArtifactState | null;
}

export interface ExecutionInput extends NodeInputFields {
  name?: string | null;
  lastKnownState?: ExecutionState | null;
}

export interface ContextInput extends NodeInputFields {
  name: string;
}

export interface PutOptions {
  /**
   * Trusted code only (the ML Metadata importer; GraphQL never sets it): every input
   * carries its `mlmdId`, which a new node keeps and a stored node it reaches must already
   * have. See given-mlmd-ids.ts for the rules.
   */
  withGivenMlmdIds?: boolean;
  /** Without an id, a node with the same (type, name) is reused: found, or added to (never changed). Default true. */
  reuseByName?: boolean;
  /** Without an id, a node with the same externalId is reused the same way. Default false. */
  reuseByExternalId?: boolean;
}

export interface PathStepInput { index?: number | null; key?: string | null }

export interface EventInput {
  artifactId: string;
  executionId: string;
  type: EventType;
  path?: PathStepInput[] | null;
}

/** An artifact taken by id, or described in full (inserted or reused); exactly one of the two. */
export interface ArtifactRefInput {
  id?: string | null;
  artifact?: ArtifactInput | null;
  path?: PathStepInput[] | null;
  /** Default INPUT for inputs and OUTPUT for outputs; must be of the matching kind. */
  eventType?: EventType | null;
}

export interface RecordExecutionInput {
  execution: ExecutionInput;
  inputs?: ArtifactRefInput[] | null;
  outputs?: ArtifactRefInput[] | null;
  /** Reused when (type, name) exists; every artifact and the execution are linked to each. */
  contexts?: ContextInput[] | null;
}

/** The bulk form for importers: edges refer to nodes by position in the lists. */
export interface LineageSubgraphInput {
  artifacts?: ArtifactInput[] | null;
  executions?: ExecutionInput[] | null;
  contexts?: ContextInput[] | null;
  events?: { artifactIndex: number; executionIndex: number; type: EventType; path?: PathStepInput[] | null }[] | null;
  attributions?: { contextIndex: number; artifactIndex: number }[] | null;
  associations?: { contextIndex: number; executionIndex: number }[] | null;
}

export interface PropertyPredicateInput {
  name: string;
  custom?: boolean | null;
  eq?: unknown; ne?: unknown; gt?: unknown; gte?: unknown; lt?: unknown; lte?: unknown;
  in?: unknown[] | null;
}

export interface NodeFilterInput {
  /** A type name: nodes of every version of it. */
  type?: string | null;
  name?: string | null;
  uri?: string | null;
  state?: ArtifactState | null;
  lastKnownState?: ExecutionState | null;
  externalId?: string | null;
  contextId?: string | null;
  parentId?: string | null;
  /** Milliseconds since the epoch. */
  createdAfter?: number | null;
  createdBefore?: number | null;
  properties?: PropertyPredicateInput[] | null;
}

export interface OrderByInput { field: 'CREATE_TIME' | 'UPDATE_TIME' | 'ID'; ascending?: boolean | null }

export interface PageInput {
  filter?: NodeFilterInput | null;
  orderBy?: OrderByInput | null;
  /** 1 to 1,000; default 100. */
  first?: number | null;
  /** An endCursor from an earlier page of the same query. */
  after?: string | null;
}
