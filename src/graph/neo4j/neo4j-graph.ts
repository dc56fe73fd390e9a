/**
 * The graph concern of a Neo4j StoreTx (GraphTx, src/graph/graph-tx.ts): types, nodes,
 * edges and the lineage reads. Every read takes a key list in one UNWIND statement (per
 * batch of BATCH_SIZE keys) and is realigned with its keys here, a miss being null; every
 * write sends its rows the same way, so putting 10,000 nodes is a handful of round trips.
 * Statements come only from cypher/ (see neo4j-statements.ts); labels only from the
 * closed maps below.
 */
import type {
  AssociationLink, AttributionLink, ContextRecord, EventRecord, NodeKind, NodeRecord, ParentContextLink, TypeKind, TypeRecord,
} from '../model.js';
import { InvalidArgumentError } from '../errors.js';
import type { GraphTx, LineageReach, LineageStep, NodeFilter, NodePage, WalkDirection } from '../graph-tx.js';
import { aligned, grouped, unique, uniqueBy } from './neo4j-batches.js';
import type { Params, Row } from './neo4j-executor.js';
import { buildCountStatement, buildListStatement } from './neo4j-node-queries.js';
import { reachFromRow, reachStatement } from './neo4j-reach.js';
import {
  eventFromRow, eventKeyOf, eventToRow, linkKeyOf, nodeFromList, nodeToFields, pointsIntoExecution, typeFromRow,
  typeKeyOf, typeToFields,
} from './neo4j-records.js';
import type { StatementName } from './neo4j-statements.js';
import type { MlmdIdPool } from './neo4j-mlmd-ids.js';
import type { Neo4jTransaction } from './neo4j-transaction.js';

const INSERT_TYPES: Record<TypeKind, StatementName> = {
  ARTIFACT_TYPE: 'types/insert-artifact-types',
  EXECUTION_TYPE: 'types/insert-execution-types',
  CONTEXT_TYPE: 'types/insert-context-types',
};
const INSERT_NODES: Record<NodeKind, StatementName> = {
  ARTIFACT: 'nodes/insert-artifacts',
  EXECUTION: 'nodes/insert-executions',
  CONTEXT: 'nodes/insert-contexts',
};
const FIND_NODES_BY_NAME: Record<NodeKind, StatementName> = {
  ARTIFACT: 'nodes/find-artifacts-by-name',
  EXECUTION: 'nodes/find-executions-by-name',
  CONTEXT: 'nodes/find-contexts-by-name',
};
const FIND_NODES_BY_EXTERNAL_ID: Record<NodeKind, StatementName> = {
  ARTIFACT: 'nodes/find-artifacts-by-external-id',
  EXECUTION: 'nodes/find-executions-by-external-id',
  CONTEXT: 'nodes/find-contexts-by-external-id',
};
const LINEAGE_STEPS: Record<WalkDirection, StatementName> = {
  UPSTREAM: 'lineage/upstream-steps',
  DOWNSTREAM: 'lineage/downstream-steps',
};
const LINEAGE_REACH: Record<WalkDirection, StatementName> = {
  UPSTREAM: 'lineage/upstream-reach',
  DOWNSTREAM: 'lineage/downstream-reach',
};

const text = (value: unknown): string => value as string;

/** The records of statements that answer in one row, a list of records under `nodes` (nodes/record.cypher). */
const nodesOf = (rows: readonly Row[]): NodeRecord[] => rows.flatMap((row) => (row.nodes as unknown[]).map(nodeFromList));

/**
 * The GraphTx methods over one transaction; every method is one or a few batched
 * statements. New ML Metadata ids come from the store's pool (neo4j-mlmd-ids.ts), outside
 * the transaction.
 */
export function neo4jGraph(tx: Neo4jTransaction, mlmdIds: MlmdIdPool): GraphTx {
  /** The type lookup gathering keys until the current synchronous run ends (typesByKey). */
  let typeLookup: { keys: Set<string>; answer: Promise<Map<string, TypeRecord>> } | null = null;

  /**
   * Types by key, in one statement for every lookup asked for in the same synchronous
   * run: the service puts the three kinds of node at once, and each resolves its types
   * first. A key holds its kind, so one statement serves every kind.
   */
  function typesByKey(typeKeys: readonly string[]): Promise<Map<string, TypeRecord>> {
    let lookup = typeLookup;
    if (lookup === null) {
      const keys = new Set<string>();
      const answer = Promise.resolve().then(async () => {
        typeLookup = null;
        const types = (await tx.runBatched('types/find-by-key', 'typeKeys', [...keys])).map(typeFromRow);
        return new Map(types.map((t) => [typeKeyOf(t.kind, t.name, t.version), t]));
      });
      lookup = { keys, answer };
      typeLookup = lookup;
    }
    for (const key of typeKeys) lookup.keys.add(key);
    return lookup.answer;
  }

  /** Sends each distinct link once (a batch holding a link twice must count it once) and sums what was created. */
  async function insertLinks(statement: StatementName, links: readonly (Params & { key: string })[]): Promise<number> {
    const rows = await tx.runBatched(statement, 'links', uniqueBy(links, (l) => l.key));
    return rows.reduce((sum, r) => sum + (r.created as number), 0);
  }

  /** Runs a statement returning (id, labels, fields) per context, grouped by id. */
  async function contextsBy(statement: StatementName, ids: readonly string[]): Promise<ContextRecord[][]> {
    const rows = await tx.runBatched(statement, 'ids', unique(ids));
    return grouped(ids, rows.map((r) => [text(r.id), nodeFromList(r.node) as ContextRecord]));
  }

  return {
    // ---- ML Metadata ids ----

    allocateMlmdIds(space, count) {
      if (space !== 'node' && space !== 'type') throw new InvalidArgumentError(`space must be node or type, got ${String(space)}`, 'space');
      return mlmdIds.take(space, count);
    },

    async getTypesByMlmdId(ids) {
      const types = (await tx.runBatched('types/get-by-mlmd-id', 'mlmdIds', unique(ids))).map(typeFromRow);
      return aligned(ids, new Map(types.map((t) => [t.mlmdId, t])));
    },

    async getNodesByMlmdId(ids) {
      const nodes = nodesOf(await tx.runBatched('nodes/get-by-mlmd-id', 'mlmdIds', unique(ids)));
      return aligned(ids, new Map(nodes.map((n) => [n.mlmdId, n])));
    },

    // ---- types ----

    async getTypes(ids) {
      const types = (await tx.runBatched('types/get', 'ids', unique(ids))).map(typeFromRow);
      return aligned(ids, new Map(types.map((t) => [t.id, t])));
    },

    async findTypes(kind, keys) {
      const typeKeys = keys.map((k) => typeKeyOf(kind, k.name, k.version));
      return aligned(typeKeys, await typesByKey(typeKeys));
    },

    async findTypesByExternalId(kind, externalIds) {
      const types = (await tx.runBatched('types/find-by-external-id', 'externalIds', unique(externalIds), { kind }))
        .map(typeFromRow);
      return aligned(externalIds, new Map(types.map((t) => [t.externalId ?? '', t])));
    },

    async listTypes(kind) {
      return (await tx.run('types/list', { kind })).map(typeFromRow);
    },

    async insertTypes(types) {
      for (const [kind, statement] of Object.entries(INSERT_TYPES) as [TypeKind, StatementName][]) {
        await tx.send(statement, 'rows', types.filter((t) => t.kind === kind).map(typeToFields));
      }
    },

    updateTypes(types) {
      return tx.send('types/update', 'rows', types.map(typeToFields));
    },

    // ---- artifacts, executions, contexts ----

    async getNodes(ids) {
      const nodes = nodesOf(await tx.runBatched('nodes/get', 'ids', unique(ids)));
      return aligned(ids, new Map(nodes.map((n) => [n.id, n])));
    },

    async findNodesByName(kind, keys) {
      const keyOf = (k: { typeId: string; name: string | null }): string => JSON.stringify([k.typeId, k.name]);
      const params = uniqueBy(keys, keyOf).map((k) => ({ typeId: k.typeId, name: k.name }));
      const nodes = nodesOf(await tx.runBatched(FIND_NODES_BY_NAME[kind], 'keys', params));
      return aligned(keys.map(keyOf), new Map(nodes.map((n) => [keyOf(n), n])));
    },

    async findNodesByExternalId(kind, externalIds) {
      const nodes = nodesOf(await tx.runBatched(FIND_NODES_BY_EXTERNAL_ID[kind], 'externalIds', unique(externalIds)));
      return aligned(externalIds, new Map(nodes.map((n) => [n.externalId ?? '', n])));
    },

    async insertNodes(nodes) {
      for (const [kind, statement] of Object.entries(INSERT_NODES) as [NodeKind, StatementName][]) {
        await tx.send(statement, 'rows', nodes.filter((n) => n.kind === kind).map(nodeToFields));
      }
    },

    updateNodes(nodes) {
      return tx.send('nodes/update', 'rows', nodes.map(nodeToFields));
    },

    async deleteNodes(ids) {
      const wanted = unique(ids);
      const deleted = new Set((await tx.runBatched('nodes/delete', 'ids', wanted)).map((r) => text(r.id)));
      return wanted.filter((id) => deleted.has(id));
    },

    async listNodes(page: NodePage) {
      const statement = buildListStatement(tx.statements, page);
      if (statement === null) return [];
      return nodesOf(await tx.runText(statement.text, statement.params));
    },

    async countNodes(filter: NodeFilter) {
      const statement = buildCountStatement(tx.statements, filter);
      if (statement === null) return 0;
      const [row] = await tx.runText(statement.text, statement.params);
      return row?.count as number;
    },

    // ---- edges ----

    async insertEvents(events) {
      const inputs = events.filter((e) => pointsIntoExecution(e.type)).map(eventToRow);
      const outputs = events.filter((e) => !pointsIntoExecution(e.type)).map(eventToRow);
      await tx.send('events/insert-input-events', 'rows', inputs);
      await tx.send('events/insert-output-events', 'rows', outputs);
    },

    async getEvents(keys) {
      const eventKeys = keys.map(eventKeyOf);
      const events = (await tx.runBatched('events/get', 'keys', unique(eventKeys))).map(eventFromRow);
      return aligned(eventKeys, new Map(events.map((e) => [eventKeyOf(e), e])));
    },

    async eventsByArtifacts(artifactIds) {
      const events = (await tx.runBatched('events/by-artifacts', 'ids', unique(artifactIds))).map(eventFromRow);
      return grouped(artifactIds, events.map((e): [string, EventRecord] => [e.artifactId, e]));
    },

    async eventsByExecutions(executionIds) {
      const events = (await tx.runBatched('events/by-executions', 'ids', unique(executionIds))).map(eventFromRow);
      return grouped(executionIds, events.map((e): [string, EventRecord] => [e.executionId, e]));
    },

    insertAttributions(links: readonly AttributionLink[]) {
      return insertLinks('links/insert-attributions', links.map((l) => ({
        contextId: l.contextId, artifactId: l.artifactId, key: linkKeyOf(l.contextId, l.artifactId),
      })));
    },

    insertAssociations(links: readonly AssociationLink[]) {
      return insertLinks('links/insert-associations', links.map((l) => ({
        contextId: l.contextId, executionId: l.executionId, key: linkKeyOf(l.contextId, l.executionId),
      })));
    },

    insertParentContexts(links: readonly ParentContextLink[]) {
      return insertLinks('links/insert-parent-contexts', links.map((l) => ({
        parentId: l.parentId, childId: l.childId, key: linkKeyOf(l.parentId, l.childId),
      })));
    },

    contextsOfNodes(nodeIds) {
      return contextsBy('links/contexts-of-nodes', nodeIds);
    },

    async contextsOfAny(nodeIds) {
      // Batches may share contexts; each is kept once.
      const byId = new Map<string, ContextRecord>();
      for (const context of nodesOf(await tx.runBatched('links/contexts-of-any', 'ids', unique(nodeIds)))) byId.set(context.id, context as ContextRecord);
      return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    parentContexts(contextIds) {
      return contextsBy('links/parent-contexts', contextIds);
    },

    childContexts(contextIds) {
      return contextsBy('links/child-contexts', contextIds);
    },

    // ---- lineage ----

    async lineageSteps(frontier, direction, eventTypes, asOf): Promise<LineageStep[]> {
      if (frontier.length === 0 || eventTypes.length === 0) return [];
      // One statement for the whole frontier: the walk's round trips are its hops, not its nodes.
      const types = unique(eventTypes);
      const [row] = await tx.run(LINEAGE_STEPS[direction], { frontier: unique(frontier), eventTypes: types, asOf });
      return reachFromRow(row, types).steps;
    },

    async lineageReach(start, direction, eventTypes, asOf, radius, nodeCap): Promise<LineageReach> {
      if (start.length === 0 || eventTypes.length === 0 || nodeCap < 1) return { expanded: [], steps: [] };
      const types = unique(eventTypes);
      const [row] = await tx.runText(
        reachStatement(tx.statements[LINEAGE_REACH[direction]], radius),
        { start: unique(start), eventTypes: types, asOf, nodeCap },
      );
      const { expanded, steps } = reachFromRow(row, types);
      return { expanded, steps };
    },
  };
}
