/**
 * The graph concern of a Neo4j StoreTx (GraphTx, src/graph/graph-tx.ts): types, nodes,
 * edges and the lineage reads. Every read takes a key list in one UNWIND statement (per
 * batch of BATCH_SIZE keys) and is realigned with its keys here, a miss being null; every
 * write sends its rows the same way, so putting 10,000 nodes is a handful of round trips.
 * Statements come only from cypher/ (see neo4j-statements.ts); labels only from the
 * closed maps below.
 */
import type {
  ArtifactRecord, AssociationLink, AttributionLink, ContextRecord, EventRecord, NodeKind, NodeRecord, ParentContextLink, TypeKind, TypeRecord,
} from '../model.js';
import { MLMD_ID_SPACES } from '../model.js';
import { InvalidArgumentError } from '../errors.js';
import type { GraphTx, LineageReach, LineageStep, NodeFilter, NodePage, ReachDirection, WalkDirection } from '../graph-tx.js';
import { aligned, BATCH_SIZE, grouped, unique, uniqueBy } from './neo4j-batches.js';
import type { Params, Row } from './neo4j-executor.js';
import { buildCountStatement, buildListStatement } from './neo4j-node-queries.js';
import { reachFromRow, reachStatement } from './neo4j-reach.js';
import {
  eventFromRow, eventKeyOf, eventToRow, linkKeyOf, nodeFromList, nodeToFields, pointsIntoExecution, typeFromRow,
  typeKeyOf, typeToFields,
} from './neo4j-records.js';
import type { StatementName } from './neo4j-statements.js';
import type { MlmdIdPool } from './neo4j-mlmd-ids.js';
import { Gathered, type Neo4jTransaction } from './neo4j-transaction.js';

/** The parameter of types/insert.cypher that takes each kind's rows. */
const TYPE_ROWS: Record<TypeKind, string> = { ARTIFACT_TYPE: 'artifactTypes', EXECUTION_TYPE: 'executionTypes', CONTEXT_TYPE: 'contextTypes' };
/** The parameter of nodes/insert.cypher that takes each kind's rows. */
const NODE_ROWS: Record<NodeKind, string> = { ARTIFACT: 'artifacts', EXECUTION: 'executions', CONTEXT: 'contexts' };
/** The parameter of nodes/find-by-name.cypher that takes each kind's keys. */
const NAME_KEYS: Record<NodeKind, string> = { ARTIFACT: 'artifactKeys', EXECUTION: 'executionKeys', CONTEXT: 'contextKeys' };
/** The kinds of context link, each the parameter of links/insert.cypher that takes its rows and the column of the rows it created. */
type LinkKind = 'attributions' | 'associations' | 'parentContexts';
const LINK_KINDS: readonly LinkKind[] = ['attributions', 'associations', 'parentContexts'];
const FIND_NODES_BY_EXTERNAL_ID: Record<NodeKind, StatementName> = {
  ARTIFACT: 'nodes/find-artifacts-by-external-id',
  EXECUTION: 'nodes/find-executions-by-external-id',
  CONTEXT: 'nodes/find-contexts-by-external-id',
};
const GET_NODES_BY_MLMD_ID: Record<NodeKind, StatementName> = {
  ARTIFACT: 'nodes/get-artifacts-by-mlmd-id',
  EXECUTION: 'nodes/get-executions-by-mlmd-id',
  CONTEXT: 'nodes/get-contexts-by-mlmd-id',
};
const LINEAGE_STEPS: Record<WalkDirection, StatementName> = {
  UPSTREAM: 'lineage/upstream-steps',
  DOWNSTREAM: 'lineage/downstream-steps',
};
const LINEAGE_REACH: Record<ReachDirection, StatementName> = {
  UPSTREAM: 'lineage/upstream-reach',
  DOWNSTREAM: 'lineage/downstream-reach',
  BOTH: 'lineage/both-ways-reach',
};

const text = (value: unknown): string => value as string;

/** The key of a lookup by (type, name) of a kind, and of the node it finds. */
const nameKeyOf = (kind: NodeKind, k: { typeId: string; name: string | null }): string => JSON.stringify([kind, k.typeId, k.name]);

/** The records of statements that answer in one row, a list of records under `nodes` (nodes/record.cypher). */
const nodesOf = (rows: readonly Row[]): NodeRecord[] => rows.flatMap((row) => (row.nodes as unknown[]).map(nodeFromList));

/**
 * The GraphTx methods over one transaction; every method is one or a few batched
 * statements. New ML Metadata ids come from the store's pool (neo4j-mlmd-ids.ts), outside
 * the transaction.
 */
export function neo4jGraph(tx: Neo4jTransaction, mlmdIds: MlmdIdPool): GraphTx {
  /**
   * Types by key, every lookup asked for in one synchronous run in one statement: the
   * service puts the three kinds of node at once, and each resolves its types first. A
   * key holds its kind, so one statement serves every kind.
   */
  const typesByKey = new Gathered<readonly string[], Map<string, TypeRecord>>(async (requests) => {
    const types = (await tx.runBatched('types/find-by-key', 'typeKeys', unique(requests.flat()))).map(typeFromRow);
    const found = new Map(types.map((t) => [typeKeyOf(t.kind, t.name, t.version), t]));
    return requests.map(() => found);
  });

  /** Nodes this transaction created, and the events it made that touch one: no other transaction can see those nodes, so these are all their events. */
  let created = new Set<string>();
  let createdEvents = new Map<string, EventRecord>();

  /** Nodes by (type, name) key, every kind asked in one synchronous run in one statement. */
  const byName = new Gathered<{ kind: NodeKind; keys: readonly { typeId: string; name: string }[] }, Map<string, NodeRecord>>(
    async (requests) => {
      const lists: Record<string, { typeId: string; name: string }[]> = { artifactKeys: [], executionKeys: [], contextKeys: [] };
      for (const { kind, keys } of requests) lists[NAME_KEYS[kind]]!.push(...keys.map((k) => ({ typeId: k.typeId, name: k.name })));
      for (const [param, keys] of Object.entries(lists)) lists[param] = uniqueBy(keys, (k) => JSON.stringify([k.typeId, k.name]));
      const found = new Map(nodesOf(await tx.runLists('nodes/find-by-name', lists)).map((n) => [nameKeyOf(n.kind, n), n]));
      return requests.map(() => found);
    },
  );

  /**
   * New context links of every kind asked in one synchronous run, in one statement. Each
   * distinct link is sent once, and counted for the first request that asked for it, as if
   * the requests had run one after another (a batch holding a link twice counts it once).
   */
  const links = new Gathered<{ kind: LinkKind; rows: readonly (Params & { key: string })[] }, number>(async (requests) => {
    const sent: Record<LinkKind, (Params & { key: string })[]> = { attributions: [], associations: [], parentContexts: [] };
    for (const { kind, rows } of requests) sent[kind].push(...rows);
    for (const kind of LINK_KINDS) sent[kind] = uniqueBy(sent[kind], (l) => l.key);
    const made: Record<LinkKind, Set<string>> = { attributions: new Set(), associations: new Set(), parentContexts: new Set() };
    // Batches of BATCH_SIZE rows of each kind: a row's position is within its batch.
    const answers = await tx.runLists('links/insert', sent);
    answers.forEach((row, batch) => {
      for (const kind of LINK_KINDS) {
        for (const i of row[kind] as number[]) made[kind].add(sent[kind][batch * BATCH_SIZE + i]!.key);
      }
    });
    return requests.map(({ kind, rows }) => {
      let count = 0;
      for (const { key } of rows) if (made[kind].delete(key)) count += 1;
      return count;
    });
  });

  /** Adds links of one kind; resolves to how many were new. */
  const insertLinks = (kind: LinkKind, rows: readonly (Params & { key: string })[]): Promise<number> =>
    (rows.length === 0 ? Promise.resolve(0) : links.add({ kind, rows }));

  /** Runs a statement answering (id, context record) rows, grouped by id. */
  async function contextsBy(statement: StatementName, ids: readonly string[]): Promise<ContextRecord[][]> {
    const rows = await tx.runBatched(statement, 'ids', unique(ids));
    return grouped(ids, rows.map((r) => [text(r.id), nodeFromList(r.node) as ContextRecord]));
  }

  return {
    // ---- ML Metadata ids ----

    allocateMlmdIds(space, count) {
      if (!MLMD_ID_SPACES.includes(space)) throw new InvalidArgumentError(`space must be one of ${MLMD_ID_SPACES.join(', ')}, got ${String(space)}`, 'space');
      return mlmdIds.take(space, count);
    },

    async claimMlmdIdsUpTo(space, highest) {
      if (!MLMD_ID_SPACES.includes(space)) throw new InvalidArgumentError(`space must be one of ${MLMD_ID_SPACES.join(', ')}, got ${String(space)}`, 'space');
      const [row] = await tx.run('admin/claim-mlmd-ids', { space, highest });
      mlmdIds.skipUpTo(space, highest);
      return Number(row!.handedOut);
    },

    async getTypesByMlmdId(ids) {
      const types = (await tx.runBatched('types/get-by-mlmd-id', 'mlmdIds', unique(ids))).map(typeFromRow);
      return aligned(ids, new Map(types.map((t) => [t.mlmdId, t])));
    },

    async getNodesByMlmdId(kind, ids) {
      const nodes = nodesOf(await tx.runBatched(GET_NODES_BY_MLMD_ID[kind], 'mlmdIds', unique(ids)));
      return aligned(ids, new Map(nodes.map((n) => [n.mlmdId, n])));
    },

    // ---- types ----

    async getTypes(ids) {
      const types = (await tx.runBatched('types/get', 'ids', unique(ids))).map(typeFromRow);
      return aligned(ids, new Map(types.map((t) => [t.id, t])));
    },

    async findTypes(kind, keys) {
      const typeKeys = keys.map((k) => typeKeyOf(kind, k.name, k.version));
      return aligned(typeKeys, await typesByKey.add(typeKeys));
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
      const lists: Record<string, unknown[]> = { artifactTypes: [], executionTypes: [], contextTypes: [] };
      for (const t of types) lists[TYPE_ROWS[t.kind]]!.push(typeToFields(t));
      tx.write('types/insert', lists);
    },

    async updateTypes(types) {
      tx.write('types/update', { rows: types.map(typeToFields) });
    },

    // ---- artifacts, executions, contexts ----

    async getNodes(ids) {
      const nodes = nodesOf(await tx.runBatched('nodes/get', 'ids', unique(ids)));
      return aligned(ids, new Map(nodes.map((n) => [n.id, n])));
    },

    async findNodesByName(kind, keys) {
      if (keys.length === 0) return [];
      return aligned(keys.map((k) => nameKeyOf(kind, k)), await byName.add({ kind, keys }));
    },

    async findNodesByExternalId(kind, externalIds) {
      const nodes = nodesOf(await tx.runBatched(FIND_NODES_BY_EXTERNAL_ID[kind], 'externalIds', unique(externalIds)));
      return aligned(externalIds, new Map(nodes.map((n) => [n.externalId ?? '', n])));
    },

    async insertNodes(nodes) {
      const lists: Record<string, unknown[]> = { artifacts: [], executions: [], contexts: [] };
      for (const n of nodes) {
        lists[NODE_ROWS[n.kind]]!.push(nodeToFields(n));
        created.add(n.id);
      }
      tx.write('nodes/insert', lists);
    },

    async updateNodes(nodes) {
      // A node twice in one statement would keep its first record twice (WriteOptions).
      tx.write('nodes/update', { rows: nodes.map(nodeToFields) }, { distinctBy: 'id' });
    },

    async deleteNodes(ids) {
      // What the transaction knows of its own nodes' events no longer holds once nodes go.
      created = new Set();
      createdEvents = new Map();
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
      const inputs: unknown[] = [];
      const outputs: unknown[] = [];
      for (const e of events) {
        (pointsIntoExecution(e.type) ? inputs : outputs).push(eventToRow(e));
        if (created.has(e.artifactId) || created.has(e.executionId)) createdEvents.set(eventKeyOf(e), e);
      }
      tx.write('events/insert', { inputs, outputs });
    },

    async getEvents(keys) {
      const eventKeys = keys.map(eventKeyOf);
      // An event touching a node this transaction created is one it made, or none: no statement needed.
      const asked = unique(eventKeys.filter((key, i) => !created.has(keys[i]!.artifactId) && !created.has(keys[i]!.executionId)));
      const stored = (await tx.runBatched('events/get', 'keys', asked)).map(eventFromRow);
      const found = new Map([...createdEvents, ...stored.map((e): [string, EventRecord] => [eventKeyOf(e), e])]);
      return aligned(eventKeys, found);
    },

    async eventsByArtifacts(artifactIds) {
      const events = (await tx.runBatched('events/by-artifacts', 'ids', unique(artifactIds))).map(eventFromRow);
      return grouped(artifactIds, events.map((e): [string, EventRecord] => [e.artifactId, e]));
    },

    async eventsByExecutions(executionIds) {
      const events = (await tx.runBatched('events/by-executions', 'ids', unique(executionIds))).map(eventFromRow);
      return grouped(executionIds, events.map((e): [string, EventRecord] => [e.executionId, e]));
    },

    insertAttributions(rows: readonly AttributionLink[]) {
      return insertLinks('attributions', rows.map((l) => ({
        contextId: l.contextId, artifactId: l.artifactId, key: linkKeyOf(l.contextId, l.artifactId),
      })));
    },

    insertAssociations(rows: readonly AssociationLink[]) {
      return insertLinks('associations', rows.map((l) => ({
        contextId: l.contextId, executionId: l.executionId, key: linkKeyOf(l.contextId, l.executionId),
      })));
    },

    insertParentContexts(rows: readonly ParentContextLink[]) {
      return insertLinks('parentContexts', rows.map((l) => ({
        parentId: l.parentId, childId: l.childId, key: linkKeyOf(l.parentId, l.childId),
      })));
    },

    async lockParentContextWrites() {
      // A read, so it is sent at once (after the writes held back) and awaited: the lock must be held before the ancestry is read.
      await tx.run('links/lock-parent-contexts');
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

    async artifactsOfContexts(contextIds) {
      const rows = await tx.runBatched('links/artifacts-of-contexts', 'ids', unique(contextIds));
      return grouped(contextIds, rows.map((r) => [text(r.id), nodeFromList(r.node) as ArtifactRecord]));
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
