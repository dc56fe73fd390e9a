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
  /**
   * ML Metadata's re-put instead of the GraphQL API's (the gRPC face sets it): a refused
   * evolution is ALREADY_EXISTS, the description is never changed (an externalId given
   * is set, as in GraphQL), and a baseType may be set once, never changed or unset
   * (UNIMPLEMENTED). Default false.
   */
  mlmdSemantics?: boolean;
}

interface NodeInputFields {
  /** Given: update this node. Absent: insert, or reuse per PutOptions (finding the node or adding to it only). */
  id?: string | null;
  /** Only with PutOptions.withGivenMlmdIds (trusted code): the node's ML Metadata id. */
  mlmdId?: number | string | null;
  /** Only with PutOptions.withGivenTimes (trusted code): when a new node was made and last changed, ms since the epoch. */
  createTime?: number | null;
  updateTime?: number | null;
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
  /**
   * Trusted code only (the ML Metadata importer; GraphQL and gRPC never set it): every
   * input carries `createTime` and `updateTime`, which a new node keeps instead of the
   * write's time. See given-times.ts for the rules.
   */
  withGivenTimes?: boolean;
  /** Without an id, a node with the same (type, name) is reused: found, or added to (never changed). Default true. */
  reuseByName?: boolean;
  /** Without an id, a node with the same externalId is reused the same way. Default false. */
  reuseByExternalId?: boolean;
  /**
   * ML Metadata's put by id (the gRPC face sets it; reuseByName should then be false, as
   * MLMD has no reuse): an input with an id replaces the node's uri, externalId, state and
   * both property maps, clearing what it leaves out, or, when `updateMask` lists paths,
   * only those (`uri`, `external_id`, `state`, `last_known_state`, `properties`,
   * `custom_properties`, `properties.NAME`, `custom_properties.NAME`; a NAME the input
   * lacks is removed; other paths change nothing). With reuse by name off, a node found
   * by externalId is replaced the same way. A name once set never changes, and a
   * different one is ignored, as in MLMD. An unknown id or another type is
   * INVALID_ARGUMENT. Absent: the GraphQL API's update, which changes only what is given.
   */
  mlmdReplace?: { updateMask: readonly string[] } | null;
}

export interface PathStepInput { index?: number | null; key?: string | null }

export interface EventInput {
  artifactId: string;
  executionId: string;
  type: EventType;
  path?: PathStepInput[] | null;
  /** Milliseconds since the epoch; absent: the time of the write. */
  time?: number | null;
}

/**
 * ML Metadata's edge writes instead of the GraphQL API's (the gRPC face sets it): an end
 * that is no node of its kind is INVALID_ARGUMENT; any event again (same artifact,
 * execution and type) and any parent link again are ALREADY_EXISTS; a parent cycle,
 * a context its own parent included, is INVALID_ARGUMENT. Default false.
 */
export interface EdgeOptions { mlmdSemantics?: boolean }

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

/**
 * ML Metadata's PutExecution: an execution with artifacts (each with its event, or none)
 * and contexts, put by MLMD's rules (PutOptions.mlmdReplace, EdgeOptions.mlmdSemantics)
 * in one transaction; every artifact and the execution are linked to every context.
 */
export interface MlmdPutExecutionInput {
  execution: ExecutionInput;
  artifacts?: { artifact: ArtifactInput; event?: { type: EventType; path?: PathStepInput[] | null; time?: number | null } | null }[] | null;
  contexts?: ContextInput[] | null;
  /** A context whose (type, name) exists is reused rather than ALREADY_EXISTS. */
  reuseContextIfAlreadyExist?: boolean;
  /** A context given with an id is only looked up (NOT_FOUND when none) and linked, not written (MLMD's force_reuse_context). */
  forceReuseContext?: boolean;
  /** An artifact without an id whose externalId exists is that artifact. */
  reuseArtifactIfAlreadyExistByExternalId?: boolean;
  /** The execution's update time moves even when nothing of it changed. */
  forceUpdateTime?: boolean;
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
  /** With `type`: nodes of this version of it only; null: of its unversioned type only; absent: every version. */
  typeVersion?: string | null;
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
  /** ML Metadata's filter language (filter_query), ANDed with `filter`. */
  where?: string | null;
  /** The name a malformed `where` is refused under (default `where`; gRPC's `options.filter_query`). */
  whereField?: string;
  orderBy?: OrderByInput | null;
  /** 1 to 1,000; default 100. */
  first?: number | null;
  /** An endCursor from an earlier page of the same query. */
  after?: string | null;
}
