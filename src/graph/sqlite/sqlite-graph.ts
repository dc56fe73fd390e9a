/**
 * The graph concern of a SQLite StoreTx (GraphTx, src/graph/graph-tx.ts): maps types,
 * nodes and events to rows and back, runs the statements of sqlite-statements.ts and
 * sqlite-node-queries.ts, and aligns batch results with their keys. It holds no rules.
 */
import { AlreadyExistsError, NotFoundError } from '../errors.js';
import type {
  ArtifactRecord, ArtifactState, AssociationLink, AttributionLink, ContextRecord, EventRecord, EventType, ExecutionState, MlmdIdSpace,
  NodeKind, NodeRecord, ParentContextLink, PathStep, PropertyDef, PropertyMap, TypeKind, TypeRecord,
} from '../model.js';
import type {
  GraphTx, LineageReach, LineageStep, NodeFilter, NodePage, ReachDirection, WalkDirection,
} from '../graph-tx.js';
import type { PreparedStatement, SqlParams, SqliteExecutor } from './sqlite-executor.js';
import { NodeQueries } from './sqlite-node-queries.js';
import { declarationColumn, personalDataField, privacyField } from './sqlite-privacy.js';
import { keysOf, reachByKeys, stepsFrom, type KeyedReach, type ReachAdmit, type ReachQuery } from './sqlite-reach.js';
import { scalarKind, scalarSqlValue } from './sqlite-schema.js';
import { prepareStatements, type StatementName } from './sqlite-statements.js';
import type { TxLife } from './sqlite-tx-life.js';

type Statements = Record<StatementName, PreparedStatement>;

interface TypeRow {
  id: string;
  mlmd_id: number;
  kind: TypeKind;
  name: string;
  version: string | null;
  description: string | null;
  external_id: string | null;
  base_type: string | null;
  properties: string;
  personal_data: string | null;
}

export interface NodeRow {
  id: string;
  mlmd_id: number;
  kind: NodeKind;
  type_id: string;
  name: string | null;
  external_id: string | null;
  uri: string | null;
  state: string | null;
  last_known_state: string | null;
  properties: string;
  custom_properties: string;
  create_time: number;
  update_time: number;
  personal_data: string | null;
  privacy: string | null;
}

interface EventRow {
  artifact_id: string;
  execution_id: string;
  type: EventType;
  time: number;
  path: string;
}

type Indexed<R> = R & { idx: number };

// ---- rows <-> records ----

const byName = (a: PropertyDef, b: PropertyDef): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function typeFromRow(row: TypeRow): TypeRecord {
  return {
    id: row.id,
    mlmdId: row.mlmd_id,
    kind: row.kind,
    name: row.name,
    version: row.version,
    description: row.description,
    externalId: row.external_id,
    baseType: row.base_type,
    properties: JSON.parse(row.properties) as PropertyDef[],
    ...personalDataField(row.personal_data),
  };
}

function typeParams(type: TypeRecord): SqlParams {
  return {
    id: type.id,
    mlmdId: type.mlmdId,
    kind: type.kind,
    name: type.name,
    version: type.version,
    description: type.description,
    externalId: type.externalId,
    baseType: type.baseType,
    properties: JSON.stringify([...type.properties].sort(byName)),
    personalData: declarationColumn(type.personalData),
  };
}

export function nodeFromRow(row: NodeRow): NodeRecord {
  const common = {
    id: row.id,
    mlmdId: row.mlmd_id,
    typeId: row.type_id,
    externalId: row.external_id,
    properties: JSON.parse(row.properties) as PropertyMap,
    customProperties: JSON.parse(row.custom_properties) as PropertyMap,
    createTime: row.create_time,
    updateTime: row.update_time,
  };
  switch (row.kind) {
    case 'ARTIFACT':
      return { kind: 'ARTIFACT', ...common, name: row.name, uri: row.uri, state: row.state as ArtifactState, ...personalDataField(row.personal_data) };
    case 'EXECUTION':
      return { kind: 'EXECUTION', ...common, name: row.name, lastKnownState: row.last_known_state as ExecutionState, ...privacyField(row.privacy) };
    case 'CONTEXT':
      return { kind: 'CONTEXT', ...common, name: row.name ?? '', ...privacyField(row.privacy) };
  }
}

/** The row of `node`, its type given by its integer key (null for an update, which keeps it). */
function nodeParams(node: NodeRecord, typeKey: number | null): SqlParams {
  return {
    id: node.id,
    mlmdId: node.mlmdId,
    kind: node.kind,
    typeKey,
    name: node.name,
    externalId: node.externalId,
    uri: node.kind === 'ARTIFACT' ? node.uri : null,
    state: node.kind === 'ARTIFACT' ? node.state : null,
    lastKnownState: node.kind === 'EXECUTION' ? node.lastKnownState : null,
    properties: JSON.stringify(node.properties),
    customProperties: JSON.stringify(node.customProperties),
    createTime: node.createTime,
    updateTime: node.updateTime,
    personalData: node.kind === 'ARTIFACT' ? declarationColumn(node.personalData) : null,
    privacy: node.kind === 'EXECUTION' || node.kind === 'CONTEXT' ? declarationColumn(node.privacy) : null,
  };
}

function eventFromRow(row: EventRow): EventRecord {
  return {
    artifactId: row.artifact_id,
    executionId: row.execution_id,
    type: row.type,
    path: JSON.parse(row.path) as PathStep[],
    time: row.time,
  };
}

/** One result per key, null where nothing matched. */
function aligned<R, T>(count: number, rows: Indexed<R>[], map: (row: R) => T): (T | null)[] {
  const out = new Array<T | null>(count).fill(null);
  for (const row of rows) out[row.idx] = map(row);
  return out;
}

/** One list per key, in the order the rows came. */
function grouped<R, T>(count: number, rows: Indexed<R>[], map: (row: R) => T): T[][] {
  const out = Array.from({ length: count }, () => [] as T[]);
  for (const row of rows) out[row.idx]?.push(map(row));
  return out;
}

const TYPE_KIND_WORD: Record<TypeKind, string> = {
  ARTIFACT_TYPE: 'an artifact type', EXECUTION_TYPE: 'an execution type', CONTEXT_TYPE: 'a context type',
};
const NODE_KIND_WORD: Record<NodeKind, string> = {
  ARTIFACT: 'an artifact', EXECUTION: 'an execution', CONTEXT: 'a context',
};

/** The statements the graph part runs, prepared once per connection. */
export interface GraphStatements {
  sql: Statements;
  nodeQueries: NodeQueries;
}

/** Prepares the graph's statements on `executor`'s connection, once the schema is applied. */
export function prepareGraph(executor: SqliteExecutor): GraphStatements {
  return { sql: prepareStatements(executor), nodeQueries: new NodeQueries(executor) };
}

/** A reference to a node or type that does not exist, as the foreign keys refused it before integer keys. */
const missingReference = (): NotFoundError => new NotFoundError('a record refers to a node or type that does not exist');

/** The graph part of one transaction's view; unusable once the transaction has ended. */
export class SqliteGraph implements GraphTx {
  constructor(private readonly statements: GraphStatements, private readonly life: TxLife) {}

  private live(): Statements {
    this.life.check();
    return this.statements.sql;
  }

  // ---- ML Metadata ids ----

  async allocateMlmdIds(space: MlmdIdSpace, count: number): Promise<number[]> {
    const sql = this.live();
    if (count === 0) return [];
    // The writer's transaction holds the database's one write lock, so no other process
    // takes ids of the space until it ends.
    sql.seedIds.run({ space });
    const last = sql.takeIds.get<{ handed_out: number }>({ space, count })!.handed_out;
    return Array.from({ length: count }, (_, i) => last - count + 1 + i);
  }

  async claimMlmdIdsUpTo(space: MlmdIdSpace, highest: number): Promise<number> {
    const sql = this.live();
    sql.seedIds.run({ space });
    const before = sql.handedOut.get<{ handed_out: number }>({ space })!.handed_out;
    sql.raiseCounter.run({ space, highest });
    return before;
  }

  async getTypesByMlmdId(ids: readonly number[]): Promise<(TypeRecord | null)[]> {
    const rows = this.live().getTypesByMlmdId.all<Indexed<TypeRow>>({ ids: JSON.stringify(ids) });
    return aligned(ids.length, rows, typeFromRow);
  }

  async getNodesByMlmdId(kind: NodeKind, ids: readonly number[]): Promise<(NodeRecord | null)[]> {
    const rows = this.live().getNodesByMlmdId.all<Indexed<NodeRow>>({ kind, ids: JSON.stringify(ids) });
    return aligned(ids.length, rows, nodeFromRow);
  }

  // ---- types ----

  async getTypes(ids: readonly string[]): Promise<(TypeRecord | null)[]> {
    const rows = this.live().getTypes.all<Indexed<TypeRow>>({ ids: JSON.stringify(ids) });
    return aligned(ids.length, rows, typeFromRow);
  }

  async findTypes(
    kind: TypeKind, keys: readonly { name: string; version: string | null }[],
  ): Promise<(TypeRecord | null)[]> {
    const json = JSON.stringify(keys.map((k) => ({ name: k.name, version: k.version })));
    const rows = this.live().findTypes.all<Indexed<TypeRow>>({ kind, keys: json });
    return aligned(keys.length, rows, typeFromRow);
  }

  async findTypesByExternalId(kind: TypeKind, externalIds: readonly string[]): Promise<(TypeRecord | null)[]> {
    const rows = this.live().findTypesByExternalId.all<Indexed<TypeRow>>({
      kind, externalIds: JSON.stringify(externalIds),
    });
    return aligned(externalIds.length, rows, typeFromRow);
  }

  async listTypes(kind: TypeKind): Promise<TypeRecord[]> {
    return this.live().listTypes.all<TypeRow>({ kind }).map(typeFromRow);
  }

  async insertTypes(types: readonly TypeRecord[]): Promise<void> {
    const sql = this.live();
    for (const type of types) {
      try {
        sql.insertType.run(typeParams(type));
      } catch (error) {
        throw this.explainTypeConflict(error, type, true);
      }
    }
  }

  async updateTypes(types: readonly TypeRecord[]): Promise<void> {
    const sql = this.live();
    for (const type of types) {
      try {
        sql.updateType.run(typeParams(type));
      } catch (error) {
        throw this.explainTypeConflict(error, type, false);
      }
    }
  }

  /** Names the key a type's uniqueness failure was about, found by looking the keys up. */
  private explainTypeConflict(error: unknown, type: TypeRecord, inserting: boolean): unknown {
    if (!(error instanceof AlreadyExistsError)) return error;
    const sql = this.live();
    const kindWord = TYPE_KIND_WORD[type.kind] ?? 'a type';
    const others = (rows: Indexed<TypeRow>[]): boolean => rows.some((row) => row.id !== type.id);
    if (inserting && sql.getTypes.all<Indexed<TypeRow>>({ ids: JSON.stringify([type.id]) }).length > 0) {
      return new AlreadyExistsError(`a type with id ${JSON.stringify(type.id)} already exists`);
    }
    if (inserting && sql.getTypesByMlmdId.all<Indexed<TypeRow>>({ ids: JSON.stringify([type.mlmdId]) }).length > 0) {
      return new AlreadyExistsError(`a type with mlmdId ${type.mlmdId} already exists`);
    }
    const key = JSON.stringify([{ name: type.name, version: type.version }]);
    if (others(sql.findTypes.all<Indexed<TypeRow>>({ kind: type.kind, keys: key }))) {
      const version = type.version === null ? 'no version' : `version ${JSON.stringify(type.version)}`;
      return new AlreadyExistsError(`${kindWord} named ${JSON.stringify(type.name)} with ${version} already exists`);
    }
    if (type.externalId !== null && others(sql.findTypesByExternalId.all<Indexed<TypeRow>>({
      kind: type.kind, externalIds: JSON.stringify([type.externalId]),
    }))) {
      return new AlreadyExistsError(`${kindWord} with externalId ${JSON.stringify(type.externalId)} already exists`);
    }
    return error;
  }

  // ---- nodes ----

  async getNodes(ids: readonly string[]): Promise<(NodeRecord | null)[]> {
    const rows = this.live().getNodes.all<Indexed<NodeRow>>({ ids: JSON.stringify(ids) });
    return aligned(ids.length, rows, nodeFromRow);
  }

  async findNodesByName(
    kind: NodeKind, keys: readonly { typeId: string; name: string }[],
  ): Promise<(NodeRecord | null)[]> {
    const json = JSON.stringify(keys.map((k) => ({ typeId: k.typeId, name: k.name })));
    const rows = this.live().findNodesByName.all<Indexed<NodeRow>>({ kind, keys: json });
    return aligned(keys.length, rows, nodeFromRow);
  }

  async findNodesByExternalId(kind: NodeKind, externalIds: readonly string[]): Promise<(NodeRecord | null)[]> {
    const rows = this.live().findNodesByExternalId.all<Indexed<NodeRow>>({
      kind, externalIds: JSON.stringify(externalIds),
    });
    return aligned(externalIds.length, rows, nodeFromRow);
  }

  async insertNodes(nodes: readonly NodeRecord[]): Promise<void> {
    const sql = this.live();
    const typeKeys = this.keysOf(sql.typeKeys, nodes.map((node) => node.typeId));
    if (nodes.length === 0) return;
    // One statement for the batch (a statement per node costs several times more). A
    // conflict undoes that statement alone; the batch is then written node by node, so the
    // node at fault is found and named as before.
    let keys: { key: number; id: string }[] | null = null;
    try {
      keys = sql.insertNodes.all<{ key: number; id: string }>({ nodes: JSON.stringify(nodes.map((node) => nodeParams(node, typeKeys.get(node.typeId)!))) });
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
    if (keys !== null) {
      const keyOf = new Map(keys.map((row) => [row.id, row.key]));
      for (const node of nodes) this.insertPropertyRows(sql, node, keyOf.get(node.id)!);
      return;
    }
    for (const node of nodes) {
      let inserted: { key: number };
      try {
        inserted = sql.insertNode.get<{ key: number }>(nodeParams(node, typeKeys.get(node.typeId)!))!;
      } catch (error) {
        throw this.explainNodeConflict(error, node, true);
      }
      this.insertPropertyRows(sql, node, inserted.key);
    }
  }

  async updateNodes(nodes: readonly NodeRecord[]): Promise<void> {
    const sql = this.live();
    for (const node of nodes) {
      let updated: { key: number } | undefined;
      // The row it replaces goes to the history first, in this transaction (one writer: nothing moves in between).
      sql.keepNodeHistory.run({ id: node.id, validTo: node.updateTime });
      try {
        // kind, id, typeId and mlmdId never change, so the update leaves the stored type key as it is.
        updated = sql.updateNode.get<{ key: number }>(nodeParams(node, null));
      } catch (error) {
        throw this.explainNodeConflict(error, node, false);
      }
      if (updated === undefined) continue;
      sql.deleteProperties.run({ nodeKey: updated.key });
      this.insertPropertyRows(sql, node, updated.key);
    }
  }

  /** The integer keys of `uuids`; NOT_FOUND when one has no row, as a foreign key would refuse it. */
  private keysOf(statement: PreparedStatement, uuids: readonly string[]): Map<string, number> {
    const distinct = [...new Set(uuids)];
    const keys = keysOf(statement, distinct);
    if (keys.size < distinct.length) throw missingReference();
    return keys;
  }

  /** Indexes each scalar property as a row; STRUCT and PROTO values are never matched, so they have none. */
  private insertPropertyRows(sql: Statements, node: NodeRecord, nodeKey: number): void {
    const add = (map: PropertyMap, isCustom: number): void => {
      for (const [name, value] of Object.entries(map)) {
        const valueKind = scalarKind(value);
        if (valueKind === null) continue;
        sql.insertProperty.run({
          nodeKey, isCustom, name, valueKind, value: scalarSqlValue(value as boolean | number | string),
        });
      }
    };
    add(node.properties, 0);
    add(node.customProperties, 1);
  }

  /** Names the key a node's uniqueness failure was about, found by looking the keys up. */
  private explainNodeConflict(error: unknown, node: NodeRecord, inserting: boolean): unknown {
    if (!(error instanceof AlreadyExistsError)) return error;
    const sql = this.live();
    const kindWord = NODE_KIND_WORD[node.kind] ?? 'a node';
    const others = (rows: Indexed<NodeRow>[]): boolean => rows.some((row) => row.id !== node.id);
    if (inserting && sql.getNodes.all<Indexed<NodeRow>>({ ids: JSON.stringify([node.id]) }).length > 0) {
      return new AlreadyExistsError(`a node with id ${JSON.stringify(node.id)} already exists`);
    }
    if (inserting && sql.getNodesByMlmdId.all<Indexed<NodeRow>>({ kind: node.kind, ids: JSON.stringify([node.mlmdId]) }).length > 0) {
      return new AlreadyExistsError(`${kindWord} with mlmdId ${node.mlmdId} already exists`);
    }
    if (node.name !== null && others(sql.findNodesByName.all<Indexed<NodeRow>>({
      kind: node.kind, keys: JSON.stringify([{ typeId: node.typeId, name: node.name }]),
    }))) {
      return new AlreadyExistsError(`${kindWord} of this type named ${JSON.stringify(node.name)} already exists`);
    }
    if (node.externalId !== null && others(sql.findNodesByExternalId.all<Indexed<NodeRow>>({
      kind: node.kind, externalIds: JSON.stringify([node.externalId]),
    }))) {
      return new AlreadyExistsError(`${kindWord} with externalId ${JSON.stringify(node.externalId)} already exists`);
    }
    return error;
  }

  async deleteNodes(ids: readonly string[]): Promise<string[]> {
    const deleted = new Set(
      this.live().deleteNodes.all<{ id: string }>({ ids: JSON.stringify(ids) }).map((row) => row.id),
    );
    // In the order asked, once each.
    return [...new Set(ids)].filter((id) => deleted.has(id));
  }

  async listNodes(page: NodePage): Promise<NodeRecord[]> {
    this.live();
    const { statement, params } = this.statements.nodeQueries.list(page);
    return statement.all<NodeRow>(params).map(nodeFromRow);
  }

  async countNodes(filter: NodeFilter): Promise<number> {
    this.live();
    const { statement, params } = this.statements.nodeQueries.count(filter);
    return statement.get<{ count: number }>(params)?.count ?? 0;
  }

  // ---- edges ----

  async insertEvents(events: readonly EventRecord[]): Promise<void> {
    const sql = this.live();
    if (events.length === 0) return;
    const keys = this.keysOf(sql.nodeKeys, events.flatMap((e) => [e.artifactId, e.executionId]));
    const rows = events.map((e) => ({
      a: keys.get(e.artifactId)!, x: keys.get(e.executionId)!, type: e.type, time: e.time, path: JSON.stringify(e.path),
    }));
    sql.insertEvents.run({ events: JSON.stringify(rows) });
  }

  async getEvents(
    keys: readonly { artifactId: string; executionId: string; type: EventType }[],
  ): Promise<(EventRecord | null)[]> {
    const json = JSON.stringify(keys.map((k) => ({ artifactId: k.artifactId, executionId: k.executionId, type: k.type })));
    const rows = this.live().getEvents.all<Indexed<EventRow>>({ keys: json });
    return aligned(keys.length, rows, eventFromRow);
  }

  async eventsByArtifacts(artifactIds: readonly string[]): Promise<EventRecord[][]> {
    const rows = this.live().eventsByArtifacts.all<Indexed<EventRow>>({ ids: JSON.stringify(artifactIds) });
    return grouped(artifactIds.length, rows, eventFromRow);
  }

  async eventsByExecutions(executionIds: readonly string[]): Promise<EventRecord[][]> {
    const rows = this.live().eventsByExecutions.all<Indexed<EventRow>>({ ids: JSON.stringify(executionIds) });
    return grouped(executionIds.length, rows, eventFromRow);
  }

  async insertAttributions(links: readonly AttributionLink[]): Promise<number> {
    return this.insertLinks('insertAttributions', links.map((l) => [l.contextId, l.artifactId]));
  }

  async insertAssociations(links: readonly AssociationLink[]): Promise<number> {
    return this.insertLinks('insertAssociations', links.map((l) => [l.contextId, l.executionId]));
  }

  async insertParentContexts(links: readonly ParentContextLink[]): Promise<number> {
    return this.insertLinks('insertParentContexts', links.map((l) => [l.childId, l.parentId]));
  }

  /** Nothing to take: a write transaction (BEGIN IMMEDIATE) already excludes every other writer of the file. */
  async lockParentContextWrites(): Promise<void> {}

  /** Inserts the links (pairs of UUIDs, as their statement orders them) by their ends' keys; returns how many were new. */
  private insertLinks(statement: 'insertAttributions' | 'insertAssociations' | 'insertParentContexts', pairs: [string, string][]): number {
    const sql = this.live();
    if (pairs.length === 0) return 0;
    const keys = this.keysOf(sql.nodeKeys, pairs.flat());
    return sql[statement].run({ links: JSON.stringify(pairs.map(([from, to]) => [keys.get(from)!, keys.get(to)!])) });
  }

  async contextsOfNodes(nodeIds: readonly string[]): Promise<ContextRecord[][]> {
    const rows = this.live().contextsOfNodes.all<Indexed<NodeRow>>({ ids: JSON.stringify(nodeIds) });
    return grouped(nodeIds.length, rows, (row) => nodeFromRow(row) as ContextRecord);
  }

  async contextsOfAny(nodeIds: readonly string[]): Promise<ContextRecord[]> {
    return this.live().contextsOfAny.all<NodeRow>({ ids: JSON.stringify(nodeIds) }).map((row) => nodeFromRow(row) as ContextRecord);
  }

  async parentContexts(contextIds: readonly string[]): Promise<ContextRecord[][]> {
    const rows = this.live().parentContexts.all<Indexed<NodeRow>>({ ids: JSON.stringify(contextIds) });
    return grouped(contextIds.length, rows, (row) => nodeFromRow(row) as ContextRecord);
  }

  async childContexts(contextIds: readonly string[]): Promise<ContextRecord[][]> {
    const rows = this.live().childContexts.all<Indexed<NodeRow>>({ ids: JSON.stringify(contextIds) });
    return grouped(contextIds.length, rows, (row) => nodeFromRow(row) as ContextRecord);
  }

  async artifactsOfContexts(contextIds: readonly string[]): Promise<ArtifactRecord[][]> {
    const rows = this.live().artifactsOfContexts.all<Indexed<NodeRow>>({ ids: JSON.stringify(contextIds) });
    return grouped(contextIds.length, rows, (row) => nodeFromRow(row) as ArtifactRecord);
  }

  // ---- lineage ----

  async lineageSteps(
    frontier: readonly string[],
    direction: WalkDirection,
    eventTypes: readonly EventType[],
    asOf: number | null,
  ): Promise<LineageStep[]> {
    return stepsFrom(this.live(), frontier, direction, eventTypes, asOf);
  }

  async lineageReach(
    start: readonly string[],
    direction: ReachDirection,
    eventTypes: readonly EventType[],
    asOf: number | null,
    radius: number,
    nodeCap: number,
  ): Promise<LineageReach> {
    return this.reach({ start, direction, eventTypes, asOf, radius, nodeCap }, (keys) => keys).reach;
  }

  /** The reach on integer keys (sqlite-reach.ts); `admit` picks the newly met nodes it goes on from. */
  reach(query: ReachQuery, admit: ReachAdmit): KeyedReach {
    return reachByKeys(this.live(), query, admit);
  }
}
