/**
 * The graph concern of the store seam (src/graph/store.ts): ML Metadata's types, nodes,
 * edges and the lineage walk's reads, with the shapes they take. API keys
 * (key-store.ts) and personal data (privacy-store.ts) are the seam's other concerns.
 */
import type {
  ArtifactRecord, ArtifactState, AssociationLink, AttributionLink, ContextRecord, EventRecord, EventType,
  ExecutionState, MlmdIdSpace, NodeKind, NodeRecord, ParentContextLink, TypeKind, TypeRecord,
} from './model.js';
import type { FilterQuery } from './filter-query.js';

export type PredicateOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in';
export type ScalarValue = string | number | boolean;

/**
 * A condition on one property. It matches only nodes that have the property with a
 * scalar value of the same JSON kind as `value` (numbers match numbers, INT or DOUBLE
 * alike); an absent property, a STRUCT value or a value of another kind never matches,
 * not even `ne`.
 */
export interface PropertyPredicate {
  name: string;
  /** true: a custom property; false: a typed one. */
  custom: boolean;
  op: PredicateOp;
  /** An array for `in`, a scalar otherwise. */
  value: ScalarValue | ScalarValue[];
}

/** All fields are ANDed; an absent field does not filter. */
export interface NodeFilter {
  kind: NodeKind;
  /** The node's type is any of these. An empty array matches nothing. */
  typeIds?: string[];
  name?: string;
  externalId?: string;
  /** Artifacts only. */
  uri?: string;
  /** Artifacts only. */
  state?: ArtifactState;
  /** Executions only. */
  lastKnownState?: ExecutionState;
  /** Artifacts attributed to, or executions associated with, this context. */
  contextId?: string;
  /** Contexts only: those that are children of this context. */
  parentId?: string;
  /** createTime > createdAfter (milliseconds). */
  createdAfter?: number;
  /** createTime < createdBefore (milliseconds). */
  createdBefore?: number;
  properties?: PropertyPredicate[];
  /** ML Metadata's filter_query, parsed and checked for this kind (src/graph/filter-query.ts). */
  where?: FilterQuery;
}

export type OrderField = 'createTime' | 'updateTime' | 'id';

export interface NodePage extends NodeFilter {
  orderBy: OrderField;
  ascending: boolean;
  /**
   * Keyset position: return only nodes strictly after (value, id) in the order, ties on
   * the order field broken by id in the same direction. For orderBy 'id', value is the id.
   */
  after?: { value: number | string; id: string };
  /** At most this many records. */
  limit: number;
}

export type WalkDirection = 'UPSTREAM' | 'DOWNSTREAM';
/**
 * Which way a reach goes: a walk's direction, or BOTH, where every event is crossed from
 * either end at every hop (ML Metadata's BIDIRECTIONAL lineage subgraph), so a node may be
 * met by a path that goes up and then down.
 */
export type ReachDirection = WalkDirection | 'BOTH';

/** One edge the lineage walk may take from a frontier node, with what it needs to know of the far end. */
export interface LineageStep {
  event: EventRecord;
  /** The node at the other end of the event from the frontier node. */
  neighborId: string;
  neighborKind: 'ARTIFACT' | 'EXECUTION';
  neighborTypeId: string;
}

/** The largest `radius` lineageReach takes (a walk bounded further asks lineageSteps past it). */
export const MAX_REACH_RADIUS = 10_000;

/** The node a step leaves from: the end of its event that is not the neighbour. */
export const stepSource = (step: LineageStep): string =>
  step.neighborKind === 'ARTIFACT' ? step.event.executionId : step.event.artifactId;

/**
 * The steps out of every node within some hops of a start set, fetched at once so a walk
 * costs one round trip instead of one per hop. `expanded` names the nodes whose steps are
 * all in `steps` (under the same filters as lineageSteps); a walk asks lineageSteps for any
 * other node it reaches.
 */
export interface LineageReach {
  expanded: string[];
  steps: LineageStep[];
}
/** What a lineage reach is asked: from where, which way, along which events, as of when, how far, at most how many nodes. */
export interface LineageReachQuery {
  start: readonly string[];
  direction: ReachDirection;
  eventTypes: readonly EventType[];
  asOf: number | null;
  /** Hops from the start: nodes up to this distance are expanded (the last to learn what lies beyond). */
  radius: number;
  /** At most this many nodes are expanded. */
  nodeCap: number;
}

/** The graph's part of StoreTx (src/graph/store.ts), implemented by both backends. */
export interface GraphTx {
  // ---- ML Metadata ids ----
  /**
   * `count` new ids of the space, ascending, each at least 1 and at most 2^53 - 1, none ever
   * held by a committed record before, not even one since deleted, and none handed to another
   * transaction still open, in any process on this database. Ids a rolled-back transaction
   * took are skipped for good (Neo4j: they came from a block outside it) or given again
   * (SQLite: the sequence rolls back with it); either way no committed record or answer
   * held them, and gaps are allowed. The service stamps them on new records before
   * insertNodes / insertTypes, which store them as given.
   */
  allocateMlmdIds(space: MlmdIdSpace, count: number): Promise<number[]>;
  /**
   * For ids a trusted caller gives (the ML Metadata importer): moves the space's counter so
   * that allocateMlmdIds, in any process, never hands out an id at or below `highest` once
   * this transaction commits, and answers the highest id the space had handed out before
   * (0 for none). The counter stays held until the transaction ends (Neo4j: its write lock;
   * SQLite: the one writer), so the answer stays true while the caller inserts.
   */
  claimMlmdIdsUpTo(space: MlmdIdSpace, highest: number): Promise<number>;
  /** Aligned with `ids`; null where no type has that id. */
  getTypesByMlmdId(ids: readonly number[]): Promise<(TypeRecord | null)[]>;
  /** Nodes of one kind (ids are unique within a kind only), aligned with `ids`; null where none has that id. */
  getNodesByMlmdId(kind: NodeKind, ids: readonly number[]): Promise<(NodeRecord | null)[]>;

  // ---- types ----
  getTypes(ids: readonly string[]): Promise<(TypeRecord | null)[]>;
  /** By (name, version); version null means the unversioned type. */
  findTypes(kind: TypeKind, keys: readonly { name: string; version: string | null }[]): Promise<(TypeRecord | null)[]>;
  findTypesByExternalId(kind: TypeKind, externalIds: readonly string[]): Promise<(TypeRecord | null)[]>;
  /** Every type of the kind, ordered by name, then version (null first). */
  listTypes(kind: TypeKind): Promise<TypeRecord[]>;
  insertTypes(types: readonly TypeRecord[]): Promise<void>;
  /** Replaces each type's stored fields by id (kind and id never change). */
  updateTypes(types: readonly TypeRecord[]): Promise<void>;

  // ---- artifacts, executions, contexts ----
  /** Any kind of node by id. */
  getNodes(ids: readonly string[]): Promise<(NodeRecord | null)[]>;
  findNodesByName(kind: NodeKind, keys: readonly { typeId: string; name: string }[]): Promise<(NodeRecord | null)[]>;
  findNodesByExternalId(kind: NodeKind, externalIds: readonly string[]): Promise<(NodeRecord | null)[]>;
  insertNodes(nodes: readonly NodeRecord[]): Promise<void>;
  /**
   * Replaces each node's stored fields by id (kind, id, typeId and createTime never change),
   * keeping the record it replaces in the node's history (src/graph/history-store.ts), valid
   * until the new record's updateTime, in the same transaction and under the node's write
   * lock, so two concurrent updates each keep the record they replaced.
   */
  updateNodes(nodes: readonly NodeRecord[]): Promise<void>;
  /** Deletes the nodes that exist among `ids` with every edge touching them; returns the ids deleted. */
  deleteNodes(ids: readonly string[]): Promise<string[]>;
  listNodes(page: NodePage): Promise<NodeRecord[]>;
  countNodes(filter: NodeFilter): Promise<number>;

  // ---- edges ----
  /** Inserts new events; the caller has checked that none exists on (artifact, execution, type). */
  insertEvents(events: readonly EventRecord[]): Promise<void>;
  getEvents(keys: readonly { artifactId: string; executionId: string; type: EventType }[]): Promise<(EventRecord | null)[]>;
  /** Each artifact's events, ordered by time, then execution id, then type. */
  eventsByArtifacts(artifactIds: readonly string[]): Promise<EventRecord[][]>;
  /** Each execution's events, ordered by time, then artifact id, then type. */
  eventsByExecutions(executionIds: readonly string[]): Promise<EventRecord[][]>;
  /** The link kinds below are sets: inserting a link that exists is a no-op. Returns how many were new. */
  insertAttributions(links: readonly AttributionLink[]): Promise<number>;
  insertAssociations(links: readonly AssociationLink[]): Promise<number>;
  insertParentContexts(links: readonly ParentContextLink[]): Promise<number>;
  /**
   * Makes the transaction's parent-link writes run one at a time across every process on
   * the database, until it ends: taken before the ancestry a cycle check reads, so that two
   * writers cannot each add one half of a cycle. A no-op where write transactions already
   * run one at a time (SQLite's BEGIN IMMEDIATE).
   */
  lockParentContextWrites(): Promise<void>;
  /** Each node's contexts (by attribution for artifacts, association for executions), ordered by id. */
  contextsOfNodes(nodeIds: readonly string[]): Promise<ContextRecord[][]>;
  /** The contexts any of these nodes belongs to (as contextsOfNodes), each once, ordered by id. */
  contextsOfAny(nodeIds: readonly string[]): Promise<ContextRecord[]>;
  /** Each context's parent contexts, ordered by id. */
  parentContexts(contextIds: readonly string[]): Promise<ContextRecord[][]>;
  /** Each context's child contexts, ordered by id. */
  childContexts(contextIds: readonly string[]): Promise<ContextRecord[][]>;
  /** Each context's attributed artifacts, ordered by id (a dataset's versions: src/service/versions/). */
  artifactsOfContexts(contextIds: readonly string[]): Promise<ArtifactRecord[][]>;

  // ---- lineage ----
  /**
   * One hop of the lineage walk from a whole frontier, in one query.
   * UPSTREAM takes, for a frontier artifact, the output-kind events that produced it
   * (neighbour: the execution) and, for a frontier execution, its input-kind events
   * (neighbour: the artifact). DOWNSTREAM is the mirror. Only events whose type is in
   * `eventTypes` and, when `asOf` is set, whose time is at most `asOf`. Order unspecified.
   */
  lineageSteps(
    frontier: readonly string[],
    direction: WalkDirection,
    eventTypes: readonly EventType[],
    asOf: number | null,
  ): Promise<LineageStep[]>;
  /**
   * lineageSteps for every node within `radius` hops of `start` (the start included), in
   * one query: the nodes a walk of `radius` hops reaches, and the look one hop past them.
   * A backend may stop expanding past `nodeCap` nodes; the nodes it did not expand are
   * left out of `expanded`, so the answer is never wrong, only less complete.
   */
  lineageReach(
    start: readonly string[],
    direction: ReachDirection,
    eventTypes: readonly EventType[],
    asOf: number | null,
    radius: number,
    nodeCap: number,
  ): Promise<LineageReach>;
}
