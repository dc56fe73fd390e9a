/**
 * GraphStore over Neo4j. Every read takes a key list in one UNWIND statement (per batch
 * of BATCH_SIZE keys) and is realigned with its keys here, a miss being null; every
 * write sends its rows the same way, so putting 10,000 nodes is a handful of round trips.
 * Statements come only from cypher/ (see cypher-statements.ts); labels only from the
 * closed maps below.
 */
import type {
  AssociationLink, AttributionLink, ContextRecord, EventRecord, EventType, NodeKind, NodeRecord, ParentContextLink,
  TypeKind, TypeRecord,
} from '../model.js';
import type {
  GraphStore, LineageReach, LineageStep, NodeFilter, NodePage, StoreTx, WalkDirection,
} from '../store.js';
import { MAX_REACH_RADIUS } from '../store.js';
import { InvalidArgumentError } from '../errors.js';
import type { ApiKeyRecord } from '../key-store.js';
import type { StatementName, Statements } from './cypher-statements.js';
import { Neo4jApiKeys } from './neo4j-keys.js';
import { Neo4jPersonalData } from './neo4j-privacy.js';
import type { AuditEntryRecord, DerivedStatusRecord, ErasureItemUpdate, ErasureRequestRecord } from '../privacy-store.js';
import type { CypherRunner, Neo4jExecutor, Params, Row } from './neo4j-executor.js';
import {
  eventFromRow, eventKeyOf, eventToRow, linkKeyOf, nodeFromRow, nodeToFields, pointsIntoExecution, typeFromRow,
  typeKeyOf, typeToFields,
} from './neo4j-records.js';
import { buildCountStatement, buildListStatement } from './node-list-query.js';
import { migrateNeo4j } from './migrations/run-migrations.js';
import type { OnSchemaMigrated } from '../schema-migration.js';
import { SharedTransactionScope } from '../shared-transaction.js';

/** Keys or rows per statement: large enough for few round trips, small enough to bound a message. */
export const BATCH_SIZE = 2_000;
/** Nodes deleted per transaction when a test empties the database. */
const CLEAR_BATCH_SIZE = 10_000;

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

function chunks<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/** Items with distinct keys, the first of each kept. */
function uniqueBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(keyOf(item))) seen.set(keyOf(item), item);
  return [...seen.values()];
}

/** `keys` answered from `found`, a miss being null. */
const aligned = <T>(keys: readonly string[], found: ReadonlyMap<string, T>): (T | null)[] =>
  keys.map((k) => found.get(k) ?? null);

/** `keys` answered with the values grouped under each, in the rows' order; a key without rows gets []. */
function grouped<T>(keys: readonly string[], entries: readonly [string, T][]): T[][] {
  const groups = new Map<string, T[]>();
  for (const [key, value] of entries) {
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return keys.map((k) => [...(groups.get(k) ?? [])]);
}

const text = (value: unknown): string => value as string;

/** A step from a lineage row: the frontier node, its neighbour and the event between them. */
function stepFromRow(r: Row): LineageStep {
  const neighborIsArtifact = r.neighborIsArtifact === true;
  const frontierId = text(r.frontierId);
  const neighborId = text(r.neighborId);
  return {
    event: eventFromRow({
      ...r,
      artifactId: neighborIsArtifact ? neighborId : frontierId,
      executionId: neighborIsArtifact ? frontierId : neighborId,
    }),
    neighborId,
    neighborKind: neighborIsArtifact ? 'ARTIFACT' : 'EXECUTION',
    neighborTypeId: text(r.neighborTypeId),
  };
}

/**
 * A reach statement with its hop bound written in: Cypher takes no parameter there, so
 * the bound is checked to be an integer in range before it becomes text.
 */
export function reachStatement(template: string, radius: number): string {
  if (!Number.isSafeInteger(radius) || radius < 0 || radius > MAX_REACH_RADIUS) {
    throw new InvalidArgumentError(`radius must be an integer from 0 to ${MAX_REACH_RADIUS}`, 'radius');
  }
  return template.replace('RADIUS', String(radius));
}

/** A reach statement's rows (one per expanded node, its steps as parallel lists) as a LineageReach. */
function reachFromRows(rows: readonly Row[]): LineageReach {
  const expanded: string[] = [];
  const steps: LineageStep[] = [];
  for (const row of rows) {
    const frontierId = text(row.frontierId);
    expanded.push(frontierId);
    (row.neighborIds as string[]).forEach((neighborId, i) => {
      steps.push(stepFromRow({
        frontierId, neighborId, neighborTypeId: (row.neighborTypeIds as string[])[i],
        neighborIsArtifact: (row.neighborIsArtifact as boolean[])[i], type: (row.types as string[])[i],
        path: (row.paths as string[])[i], time: (row.times as number[])[i],
      }));
    });
  }
  return { expanded, steps };
}

/**
 * One transaction's view of the store; every method is one or a few batched statements.
 *
 * Writes that return nothing are sent without waiting for their answer (the driver
 * pipelines them on the transaction's connection), so a caller's next step, usually
 * another statement, overlaps the database's work instead of paying a round trip per
 * write. The server runs a transaction's statements in the order sent, so a later read
 * sees every earlier write; a failed write fails every later statement with its own
 * code, and `flush` (run by Neo4jStore.write before the commit) surfaces it otherwise.
 */
export class Neo4jStoreTx implements StoreTx {
  private readonly keys: Neo4jApiKeys;
  private readonly personalData: Neo4jPersonalData;
  /** Writes sent whose answer has not been awaited yet. */
  private pending: Promise<unknown>[] = [];
  /** The type lookup gathering keys until the current synchronous run ends (typesByKey). */
  private typeLookup: { keys: Set<string>; answer: Promise<Map<string, TypeRecord>> } | null = null;

  constructor(private readonly runner: CypherRunner, private readonly statements: Statements) {
    this.keys = new Neo4jApiKeys((name, params) => this.run(name, params));
    this.personalData = new Neo4jPersonalData((name, params) => this.run(name, params));
  }

  private run(name: StatementName, params: Params = {}): Promise<Row[]> {
    return this.runner.run(this.statements[name], params);
  }

  /** Sends `name` once per batch of `items` without awaiting the answers; see the class comment. */
  private send(name: StatementName, param: string, items: readonly unknown[]): Promise<void> {
    for (const batch of chunks(items)) {
      const answer = this.run(name, { [param]: batch });
      // Awaited by flush; until then a failure must not count as unhandled.
      answer.catch(() => undefined);
      this.pending.push(answer);
    }
    return Promise.resolve();
  }

  /** Waits for every write sent so far; throws the first one's error, with its driver code. */
  async flush(): Promise<void> {
    const sent = this.pending;
    this.pending = [];
    await Promise.all(sent);
  }

  /** Runs `name` once per batch of `items`, passed as parameter `param`; returns all rows. */
  private async runBatched(name: StatementName, param: string, items: readonly unknown[], params: Params = {}): Promise<Row[]> {
    // All batches are sent at once (pipelined); their answers come back in order.
    const answers = await Promise.all(chunks(items).map((batch) => this.run(name, { ...params, [param]: batch })));
    return answers.flat();
  }

  // ---- types ----

  async getTypes(ids: readonly string[]): Promise<(TypeRecord | null)[]> {
    const types = (await this.runBatched('types/get', 'ids', unique(ids))).map(typeFromRow);
    return aligned(ids, new Map(types.map((t) => [t.id, t])));
  }

  async findTypes(kind: TypeKind, keys: readonly { name: string; version: string | null }[]): Promise<(TypeRecord | null)[]> {
    const typeKeys = keys.map((k) => typeKeyOf(kind, k.name, k.version));
    return aligned(typeKeys, await this.typesByKey(typeKeys));
  }

  /**
   * Types by key, in one statement for every lookup asked for in the same synchronous
   * run: the service puts the three kinds of node at once, and each resolves its types
   * first. A key holds its kind, so one statement serves every kind.
   */
  private typesByKey(typeKeys: readonly string[]): Promise<Map<string, TypeRecord>> {
    let lookup = this.typeLookup;
    if (lookup === null) {
      const keys = new Set<string>();
      const answer = Promise.resolve().then(async () => {
        this.typeLookup = null;
        const types = (await this.runBatched('types/find-by-key', 'typeKeys', [...keys])).map(typeFromRow);
        return new Map(types.map((t) => [typeKeyOf(t.kind, t.name, t.version), t]));
      });
      lookup = { keys, answer };
      this.typeLookup = lookup;
    }
    for (const key of typeKeys) lookup.keys.add(key);
    return lookup.answer;
  }

  async findTypesByExternalId(kind: TypeKind, externalIds: readonly string[]): Promise<(TypeRecord | null)[]> {
    const types = (await this.runBatched('types/find-by-external-id', 'externalIds', unique(externalIds), { kind }))
      .map(typeFromRow);
    return aligned(externalIds, new Map(types.map((t) => [t.externalId ?? '', t])));
  }

  async listTypes(kind: TypeKind): Promise<TypeRecord[]> {
    return (await this.run('types/list', { kind })).map(typeFromRow);
  }

  async insertTypes(types: readonly TypeRecord[]): Promise<void> {
    for (const [kind, statement] of Object.entries(INSERT_TYPES) as [TypeKind, StatementName][]) {
      await this.send(statement, 'rows', types.filter((t) => t.kind === kind).map(typeToFields));
    }
  }

  updateTypes(types: readonly TypeRecord[]): Promise<void> {
    return this.send('types/update', 'rows', types.map(typeToFields));
  }

  // ---- artifacts, executions, contexts ----

  async getNodes(ids: readonly string[]): Promise<(NodeRecord | null)[]> {
    const nodes = (await this.runBatched('nodes/get', 'ids', unique(ids))).map(nodeFromRow);
    return aligned(ids, new Map(nodes.map((n) => [n.id, n])));
  }

  async findNodesByName(kind: NodeKind, keys: readonly { typeId: string; name: string }[]): Promise<(NodeRecord | null)[]> {
    const keyOf = (k: { typeId: string; name: string | null }): string => JSON.stringify([k.typeId, k.name]);
    const params = uniqueBy(keys, keyOf).map((k) => ({ typeId: k.typeId, name: k.name }));
    const nodes = (await this.runBatched(FIND_NODES_BY_NAME[kind], 'keys', params)).map(nodeFromRow);
    return aligned(keys.map(keyOf), new Map(nodes.map((n) => [keyOf(n), n])));
  }

  async findNodesByExternalId(kind: NodeKind, externalIds: readonly string[]): Promise<(NodeRecord | null)[]> {
    const nodes = (await this.runBatched(FIND_NODES_BY_EXTERNAL_ID[kind], 'externalIds', unique(externalIds))).map(nodeFromRow);
    return aligned(externalIds, new Map(nodes.map((n) => [n.externalId ?? '', n])));
  }

  async insertNodes(nodes: readonly NodeRecord[]): Promise<void> {
    for (const [kind, statement] of Object.entries(INSERT_NODES) as [NodeKind, StatementName][]) {
      await this.send(statement, 'rows', nodes.filter((n) => n.kind === kind).map(nodeToFields));
    }
  }

  updateNodes(nodes: readonly NodeRecord[]): Promise<void> {
    return this.send('nodes/update', 'rows', nodes.map(nodeToFields));
  }

  async deleteNodes(ids: readonly string[]): Promise<string[]> {
    const wanted = unique(ids);
    const deleted = new Set((await this.runBatched('nodes/delete', 'ids', wanted)).map((r) => text(r.id)));
    return wanted.filter((id) => deleted.has(id));
  }

  async listNodes(page: NodePage): Promise<NodeRecord[]> {
    const statement = buildListStatement(this.statements, page);
    if (statement === null) return [];
    return (await this.runner.run(statement.text, statement.params)).map(nodeFromRow);
  }

  async countNodes(filter: NodeFilter): Promise<number> {
    const statement = buildCountStatement(this.statements, filter);
    if (statement === null) return 0;
    const [row] = await this.runner.run(statement.text, statement.params);
    return row?.count as number;
  }

  // ---- edges ----

  async insertEvents(events: readonly EventRecord[]): Promise<void> {
    const inputs = events.filter((e) => pointsIntoExecution(e.type)).map(eventToRow);
    const outputs = events.filter((e) => !pointsIntoExecution(e.type)).map(eventToRow);
    await this.send('events/insert-input-events', 'rows', inputs);
    await this.send('events/insert-output-events', 'rows', outputs);
  }

  async getEvents(keys: readonly { artifactId: string; executionId: string; type: EventType }[]): Promise<(EventRecord | null)[]> {
    const eventKeys = keys.map(eventKeyOf);
    const events = (await this.runBatched('events/get', 'keys', unique(eventKeys))).map(eventFromRow);
    return aligned(eventKeys, new Map(events.map((e) => [eventKeyOf(e), e])));
  }

  async eventsByArtifacts(artifactIds: readonly string[]): Promise<EventRecord[][]> {
    const events = (await this.runBatched('events/by-artifacts', 'ids', unique(artifactIds))).map(eventFromRow);
    return grouped(artifactIds, events.map((e) => [e.artifactId, e]));
  }

  async eventsByExecutions(executionIds: readonly string[]): Promise<EventRecord[][]> {
    const events = (await this.runBatched('events/by-executions', 'ids', unique(executionIds))).map(eventFromRow);
    return grouped(executionIds, events.map((e) => [e.executionId, e]));
  }

  /** Sends each distinct link once (a batch holding a link twice must count it once) and sums what was created. */
  private async insertLinks(statement: StatementName, links: readonly (Params & { key: string })[]): Promise<number> {
    const rows = await this.runBatched(statement, 'links', uniqueBy(links, (l) => l.key));
    return rows.reduce((sum, r) => sum + (r.created as number), 0);
  }

  insertAttributions(links: readonly AttributionLink[]): Promise<number> {
    return this.insertLinks('links/insert-attributions', links.map((l) => ({
      contextId: l.contextId, artifactId: l.artifactId, key: linkKeyOf(l.contextId, l.artifactId),
    })));
  }

  insertAssociations(links: readonly AssociationLink[]): Promise<number> {
    return this.insertLinks('links/insert-associations', links.map((l) => ({
      contextId: l.contextId, executionId: l.executionId, key: linkKeyOf(l.contextId, l.executionId),
    })));
  }

  insertParentContexts(links: readonly ParentContextLink[]): Promise<number> {
    return this.insertLinks('links/insert-parent-contexts', links.map((l) => ({
      parentId: l.parentId, childId: l.childId, key: linkKeyOf(l.parentId, l.childId),
    })));
  }

  /** Runs a statement returning (id, labels, fields) per context, grouped by id. */
  private async contextsBy(statement: StatementName, ids: readonly string[]): Promise<ContextRecord[][]> {
    const rows = await this.runBatched(statement, 'ids', unique(ids));
    return grouped(ids, rows.map((r) => [text(r.id), nodeFromRow(r) as ContextRecord]));
  }

  contextsOfNodes(nodeIds: readonly string[]): Promise<ContextRecord[][]> {
    return this.contextsBy('links/contexts-of-nodes', nodeIds);
  }

  async contextsOfAny(nodeIds: readonly string[]): Promise<ContextRecord[]> {
    // Batches may share contexts; each is kept once.
    const byId = new Map<string, ContextRecord>();
    for (const row of await this.runBatched('links/contexts-of-any', 'ids', unique(nodeIds))) byId.set(text(row.id), nodeFromRow(row) as ContextRecord);
    return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  parentContexts(contextIds: readonly string[]): Promise<ContextRecord[][]> {
    return this.contextsBy('links/parent-contexts', contextIds);
  }

  childContexts(contextIds: readonly string[]): Promise<ContextRecord[][]> {
    return this.contextsBy('links/child-contexts', contextIds);
  }

  // ---- lineage ----

  async lineageSteps(
    frontier: readonly string[],
    direction: WalkDirection,
    eventTypes: readonly EventType[],
    asOf: number | null,
  ): Promise<LineageStep[]> {
    if (frontier.length === 0 || eventTypes.length === 0) return [];
    // One statement for the whole frontier: the walk's round trips are its hops, not its nodes.
    const rows = await this.run(LINEAGE_STEPS[direction], { frontier: unique(frontier), eventTypes: unique(eventTypes), asOf });
    return rows.map(stepFromRow);
  }

  async lineageReach(
    start: readonly string[],
    direction: WalkDirection,
    eventTypes: readonly EventType[],
    asOf: number | null,
    radius: number,
    nodeCap: number,
  ): Promise<LineageReach> {
    if (start.length === 0 || eventTypes.length === 0 || nodeCap < 1) return { expanded: [], steps: [] };
    const rows = await this.runner.run(
      reachStatement(this.statements[LINEAGE_REACH[direction]], radius),
      { start: unique(start), eventTypes: unique(eventTypes), asOf, nodeCap },
    );
    return reachFromRows(rows);
  }

  async personalDataReach(start: readonly string[], radius: number, nodeCap: number): Promise<LineageReach & { holding: string[] }> {
    if (start.length === 0 || nodeCap < 1) return { expanded: [], steps: [], holding: [] };
    const rows = await this.runner.run(reachStatement(this.statements['privacy/data-flow-reach'], radius), { start: unique(start), nodeCap });
    const holding = new Set<string>();
    for (const row of rows) {
      (row.neighborHolds as boolean[]).forEach((holds, i) => { if (holds) holding.add((row.neighborIds as string[])[i]!); });
    }
    return { ...reachFromRows(rows), holding: [...holding] };
  }

  // ---- API keys (neo4j-keys.ts) ----

  insertApiKeys(keys: readonly ApiKeyRecord[]): Promise<void> {
    return this.keys.insert(keys);
  }

  getApiKeys(ids: readonly string[]): Promise<(ApiKeyRecord | null)[]> {
    return this.keys.get(ids);
  }

  listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.keys.list();
  }

  updateApiKeys(keys: readonly ApiKeyRecord[]): Promise<void> {
    return this.keys.update(keys);
  }

  countApiKeys(): Promise<number> {
    return this.keys.count();
  }

  // ---- personal data (neo4j-privacy.ts) ----

  personalDataDeclarations(ids: readonly string[]) { return this.personalData.declarations(ids); }
  artifactsDeclaringPersonalData(typeIds: readonly string[], afterId: string | null, limit: number) {
    return this.personalData.artifactsDeclaring(typeIds, afterId, limit);
  }
  derivedStatuses(ids: readonly string[]) { return this.personalData.derivedStatuses(ids); }
  putDerivedStatuses(entries: readonly { artifactId: string; status: DerivedStatusRecord | null }[]) { return this.personalData.putDerivedStatuses(entries); }
  clearDerivedStatuses() { return this.personalData.clearDerivedStatuses(); }
  carryingPersonalData(ids: readonly string[]) { return this.personalData.carrying(ids); }
  lockForDerivation(ids: readonly string[]) { return this.personalData.lockForDerivation(ids); }
  derivationMinK() { return this.personalData.derivationMinK(); }
  lockDerivation() { return this.personalData.lockDerivation(); }
  setDerivationMinK(minK: number) { return this.personalData.setDerivationMinK(minK); }
  insertSubjectRegistrations(artifactId: string, hashes: readonly string[]) { return this.personalData.insertRegistrations(artifactId, hashes); }
  deleteSubjectRegistrations(artifactId: string, hashes: readonly string[]) { return this.personalData.deleteRegistrations(artifactId, hashes); }
  deleteDataSubjects(hashes: readonly string[]) { return this.personalData.deleteSubjects(hashes); }
  artifactsOfSubjects(hashes: readonly string[]) { return this.personalData.artifactsOfSubjects(hashes); }
  registrationCounts(ids: readonly string[]) { return this.personalData.registrationCounts(ids); }
  insertErasureRequests(requests: readonly ErasureRequestRecord[]) { return this.personalData.insertErasureRequests(requests); }
  getErasureRequests(ids: readonly string[]) { return this.personalData.getErasureRequests(ids); }
  updateErasureItems(updates: readonly ErasureItemUpdate[]) { return this.personalData.updateErasureItems(updates); }
  appendAuditEntries(entries: readonly AuditEntryRecord[]) { return this.personalData.appendAuditEntries(entries); }
  listAuditEntries(afterId: string | null, limit: number) { return this.personalData.listAuditEntries(afterId, limit); }
}

/** `work`'s result once every write it sent has been answered. */
async function flushed<T>(tx: Neo4jStoreTx, work: (tx: Neo4jStoreTx) => Promise<T>): Promise<T> {
  const result = await work(tx);
  await tx.flush();
  return result;
}

/** The Neo4j GraphStore: one executor (driver and pool) and the statements of cypher/. */
export class Neo4jStore implements GraphStore {
  readonly backend = 'neo4j' as const;
  /** The transaction of a running inOneTransaction, which reads and writes within it join. */
  private readonly shared = new SharedTransactionScope<Neo4jStoreTx>();

  /** `where` names the database in a migration's report (its URI); `onMigrated` hears of one. */
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly statements: Statements,
    private readonly where = 'the Neo4j database',
    private readonly onMigrated?: OnSchemaMigrated,
  ) {}

  /** Migrates the schema (constraints, indexes) to this build's; a no-op past the first time. */
  async init(): Promise<void> {
    const migration = await migrateNeo4j(this.executor, this.statements, this.where);
    if (migration && migration.from > 0) this.onMigrated?.(migration);
  }

  read<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    const shared = this.shared.current();
    return shared ? work(shared) : this.executor.read((runner) => work(new Neo4jStoreTx(runner, this.statements)));
  }

  write<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    const shared = this.shared.current();
    // A write joining a shared transaction still waits for what it sent, so its failure is its own.
    if (shared) return flushed(shared, work);
    return this.executor.write((runner) => flushed(new Neo4jStoreTx(runner, this.statements), work));
  }

  inOneTransaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.shared.current()) return work();
    return this.executor.write((runner) => {
      const tx = new Neo4jStoreTx(runner, this.statements);
      return flushed(tx, () => this.shared.share(tx, work));
    });
  }

  ping(): Promise<void> {
    return this.executor.ping(this.statements['admin/ping']);
  }

  close(): Promise<void> {
    return this.executor.close();
  }

  /** Deletes every node and relationship, a transaction per batch; constraints and indexes stay. */
  async deleteEverything(): Promise<void> {
    for (;;) {
      const [row] = await this.executor.write((runner) =>
        runner.run(this.statements['admin/clear-batch'], { batchSize: CLEAR_BATCH_SIZE }));
      if ((row?.deleted as number) < CLEAR_BATCH_SIZE) return;
    }
  }
}
