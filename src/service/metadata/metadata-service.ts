/**
 * The metadata service: every rule of ML Metadata's model, once, over any GraphStore.
 * Validation, type evolution, reuse on re-put, recordExecution's single transaction and
 * the parent-context cycle check live here, so the two backends cannot drift apart.
 */
import { InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import type {
  ArtifactRecord, ContextRecord, EventRecord, EventType, ExecutionRecord, NodeKind, NodeRecord, PathStep, TypeKind,
  TypeRecord,
} from '../../graph/model.js';
import { EVENT_TYPES, isInputEvent, TYPE_KIND_OF } from '../../graph/model.js';
import type { NodeHistoryEntry } from '../../graph/history-store.js';
import type { GraphStore } from '../../graph/store.js';
import { putAssociationsInTx, putEventsInTx, putParentContextsInTx, requireNodes, validateEvent } from './edge-writes.js';
import type {
  ArtifactInput, ArtifactRefInput, ContextInput, EdgeOptions, EventInput, MlmdPutExecutionInput, ExecutionInput, LineageSubgraphInput, PageInput,
  PutOptions, RecordExecutionInput, TypeInput, TypePutOptions,
} from './inputs.js';
import { listNodePage } from './node-listing.js';
import {
  putMlmdLineageSubgraphInTx, validateMlmdLineageSubgraph, type MlmdPutLineageSubgraphInput, type MlmdPutLineageSubgraphResult,
} from './mlmd-lineage-subgraph.js';
import { MLMD_PUT, putNodesInTx, type NodeInput } from './node-writes.js';
import { putTypeInTx } from './type-writes.js';
import {
  isPresent, MAX_TEXT_LENGTH, optionalName, requireBatch, requireEnum, requireIdList, requireInt, requireMlmdIdList, requireName,
  requirePath, requireTime,
} from '../shared/validate.js';
import { systemClock, type ServiceClock } from '../shared/clock.js';
import type { CountedPage } from '../shared/paging.js';
import { newId } from '../shared/ids.js';
import type { WriteContext } from './write-context.js';
import { beginLayers, type WriteActor, type WriteLayer } from './write-hooks.js';

export interface RecordExecutionResult {
  execution: ExecutionRecord;
  inputs: ArtifactRecord[];
  outputs: ArtifactRecord[];
  contexts: ContextRecord[];
}

export interface LineageSubgraphResult {
  artifacts: ArtifactRecord[];
  executions: ExecutionRecord[];
  contexts: ContextRecord[];
}

export type { ServiceClock } from '../shared/clock.js';
export type { WriteActor, WriteLayer } from './write-hooks.js';

/**
 * What the resolvers and the conformance suite call. Every write is one store
 * transaction: on any error nothing is written. Errors are the StoreError classes,
 * each naming the offending field (e.g. `artifacts[1].properties.lr`).
 */
export interface MetadataApi {
  readonly store: GraphStore;

  // ---- types ----
  /** Inserts a type, or re-puts the stored one with the same (name, version), under the evolution rules. */
  putType(kind: TypeKind, input: TypeInput, options?: TypePutOptions, actor?: WriteActor): Promise<TypeRecord>;
  getTypes(ids: readonly string[]): Promise<(TypeRecord | null)[]>;
  /** Types of every kind by ML Metadata id (each 1 to 2^53 - 1, a number or a string of digits); null where none has it. */
  getTypesByMlmdId(mlmdIds: readonly (number | string)[]): Promise<(TypeRecord | null)[]>;
  findType(kind: TypeKind, name: string, version?: string | null): Promise<TypeRecord | null>;
  /** Types of one kind by externalId; null where none has it. */
  findTypesByExternalId(kind: TypeKind, externalIds: readonly string[]): Promise<(TypeRecord | null)[]>;
  listTypes(kind: TypeKind): Promise<TypeRecord[]>;

  // ---- nodes ----
  putArtifacts(inputs: readonly ArtifactInput[], options?: PutOptions, actor?: WriteActor): Promise<ArtifactRecord[]>;
  putExecutions(inputs: readonly ExecutionInput[], options?: PutOptions, actor?: WriteActor): Promise<ExecutionRecord[]>;
  putContexts(inputs: readonly ContextInput[], options?: PutOptions, actor?: WriteActor): Promise<ContextRecord[]>;
  getNodes(ids: readonly string[]): Promise<(NodeRecord | null)[]>;
  /** Nodes of one kind by ML Metadata id (as getTypesByMlmdId takes them; ids are unique within a kind only); null where none has it. */
  getNodesByMlmdId(kind: NodeKind, mlmdIds: readonly (number | string)[]): Promise<(NodeRecord | null)[]>;
  /** By the type's name (and version; absent: unversioned) and the node's name; null when either is missing. */
  findNodeByName(kind: NodeKind, typeName: string, name: string, typeVersion?: string | null): Promise<NodeRecord | null>;
  findNodesByExternalId(kind: NodeKind, externalIds: readonly string[]): Promise<(NodeRecord | null)[]>;
  listNodes(kind: NodeKind, page?: PageInput): Promise<CountedPage<NodeRecord>>;
  /**
   * Nodes as they stood at `asOf` (ms since the epoch, any exact integer; BAD_USER_INPUT
   * naming `asOf` otherwise), aligned with `ids`: null where none has the id or it was
   * created later. A time in the future answers the current records.
   */
  getNodesAsOf(ids: readonly string[], asOf: number): Promise<(NodeRecord | null)[]>;
  /** Each node's records, oldest first, the current one last (validTo null); [] where none has the id. */
  nodeHistories(ids: readonly string[]): Promise<NodeHistoryEntry[][]>;
  /** Deletes nodes with all their edges, in one transaction; returns how many existed. */
  deleteNodes(ids: readonly string[], actor?: WriteActor): Promise<number>;

  // ---- edges ----
  /** Inserts events; re-putting an identical event is a no-op, a different path for the same key is ALREADY_EXISTS (options: MLMD's rules). */
  putEvents(inputs: readonly EventInput[], options?: EdgeOptions): Promise<EventRecord[]>;
  putAttributions(links: readonly { contextId: string; artifactId: string }[], options?: EdgeOptions): Promise<number>;
  putAssociations(links: readonly { contextId: string; executionId: string }[], options?: EdgeOptions, actor?: WriteActor): Promise<number>;
  /** Refuses (FAILED_PRECONDITION) a link that would close a cycle, including one to itself (options: MLMD's rules). */
  putParentContexts(links: readonly { childId: string; parentId: string }[], options?: EdgeOptions): Promise<number>;
  eventsByArtifacts(ids: readonly string[]): Promise<EventRecord[][]>;
  eventsByExecutions(ids: readonly string[]): Promise<EventRecord[][]>;
  contextsOfNodes(ids: readonly string[]): Promise<ContextRecord[][]>;
  parentContexts(ids: readonly string[]): Promise<ContextRecord[][]>;
  childContexts(ids: readonly string[]): Promise<ContextRecord[][]>;

  // ---- compound writes ----
  /** ML Metadata's put_execution: the execution, its artifacts, events and contexts, in one transaction. */
  recordExecution(input: RecordExecutionInput, actor?: WriteActor): Promise<RecordExecutionResult>;
  /**
   * Many nodes and the edges between them, in one transaction; results in input order.
   * `options` applies to the three kinds of node (default: reuse by name; trusted code may
   * give every node's mlmdId, given-mlmd-ids.ts).
   */
  putLineageSubgraph(input: LineageSubgraphInput, actor?: WriteActor, options?: PutOptions): Promise<LineageSubgraphResult>;
  /** ML Metadata's PutExecution, by its rules (the gRPC face): its artifacts, in input order, all under `inputs`. */
  putExecutionMlmd(input: MlmdPutExecutionInput, actor?: WriteActor): Promise<RecordExecutionResult>;
  /** ML Metadata's PutLineageSubgraph, by its rules (the gRPC face, mlmd-lineage-subgraph.ts); nodes in input order. */
  putLineageSubgraphMlmd(input: MlmdPutLineageSubgraphInput, actor?: WriteActor): Promise<MlmdPutLineageSubgraphResult>;
}

export interface ServiceOptions {
  clock?: ServiceClock;
  /**
   * The features over the core's writes, in the order their hooks run (write-hooks.ts);
   * src/service/services.ts composes the deployed ones. Default none: the core alone.
   */
  layers?: readonly WriteLayer[];
}

/** Builds the metadata service over a store. */
export function createMetadataService(store: GraphStore, options: ServiceOptions = {}): MetadataApi {
  return new MetadataService(store, options.clock ?? systemClock, [...(options.layers ?? [])]);
}

const listField = (name: string) => (i: number): string => `${name}[${i}]`;

/**
 * Runs independent steps of one transaction at once, so a backend with round trips can
 * overlap them; fails with the error of the first failing step in list order, as if the
 * steps had run one after another (the transaction is rolled back either way).
 */
async function inListOrder<T extends unknown[]>(steps: [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const settled: PromiseSettledResult<unknown>[] = await Promise.allSettled(steps);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as T;
}

class MetadataService implements MetadataApi {
  constructor(readonly store: GraphStore, private readonly clock: ServiceClock, private readonly layers: readonly WriteLayer[]) {}

  /**
   * One write transaction with a fresh write context per attempt (the store may re-run
   * it): the layers' hooks for the attempt, and their before-commit hook once the work is
   * done, in the same transaction. `actor` (absent: an in-process caller) is handed to the
   * layers, which may refuse a change before it is written.
   */
  private write<T>(work: (ctx: WriteContext) => Promise<T>, actor?: WriteActor): Promise<T> {
    return this.store.write(async (tx) => {
      const now = this.clock.now();
      const ctx: WriteContext = { tx, now, newId, layers: this.layers, hooks: beginLayers(this.layers, { tx, now, actor }) };
      const result = await work(ctx);
      await ctx.hooks.beforeCommit();
      return result;
    });
  }

  async putType(kind: TypeKind, input: TypeInput, options: TypePutOptions = {}, actor?: WriteActor): Promise<TypeRecord> {
    return this.write((ctx) => putTypeInTx(ctx, kind, input, options), actor);
  }

  async getTypes(ids: readonly string[]): Promise<(TypeRecord | null)[]> {
    const valid = requireIdList(ids, 'ids');
    return this.store.read((tx) => tx.getTypes(valid));
  }

  async getTypesByMlmdId(mlmdIds: readonly (number | string)[]): Promise<(TypeRecord | null)[]> {
    const valid = requireMlmdIdList(mlmdIds, 'mlmdIds');
    return this.store.read((tx) => tx.getTypesByMlmdId(valid));
  }

  async findType(kind: TypeKind, name: string, version: string | null = null): Promise<TypeRecord | null> {
    const key = { name: requireName(name, 'name'), version: optionalName(version, 'version') };
    const [found] = await this.store.read((tx) => tx.findTypes(kind, [key]));
    return found ?? null;
  }

  async findTypesByExternalId(kind: TypeKind, externalIds: readonly string[]): Promise<(TypeRecord | null)[]> {
    const valid = requireIdList(externalIds, 'externalIds');
    return this.store.read((tx) => tx.findTypesByExternalId(kind, valid));
  }

  async listTypes(kind: TypeKind): Promise<TypeRecord[]> {
    return this.store.read((tx) => tx.listTypes(kind));
  }

  async putArtifacts(inputs: readonly ArtifactInput[], options: PutOptions = {}, actor?: WriteActor): Promise<ArtifactRecord[]> {
    return this.putNodes('ARTIFACT', inputs, options, 'artifacts', actor) as Promise<ArtifactRecord[]>;
  }

  async putExecutions(inputs: readonly ExecutionInput[], options: PutOptions = {}, actor?: WriteActor): Promise<ExecutionRecord[]> {
    return this.putNodes('EXECUTION', inputs, options, 'executions', actor) as Promise<ExecutionRecord[]>;
  }

  async putContexts(inputs: readonly ContextInput[], options: PutOptions = {}, actor?: WriteActor): Promise<ContextRecord[]> {
    return this.putNodes('CONTEXT', inputs, options, 'contexts', actor) as Promise<ContextRecord[]>;
  }

  private async putNodes(kind: NodeKind, inputs: readonly NodeInput[], options: PutOptions, arg: string, actor?: WriteActor): Promise<NodeRecord[]> {
    const batch = requireBatch<NodeInput>(inputs, arg);
    return this.write((ctx) => putNodesInTx(ctx, kind, batch, options, listField(arg)), actor);
  }

  async getNodes(ids: readonly string[]): Promise<(NodeRecord | null)[]> {
    const valid = requireIdList(ids, 'ids');
    return this.store.read((tx) => tx.getNodes(valid));
  }

  async getNodesAsOf(ids: readonly string[], asOf: number): Promise<(NodeRecord | null)[]> {
    const valid = requireIdList(ids, 'ids');
    const time = requireTime(asOf, 'asOf');
    return this.store.read((tx) => tx.nodesAsOf(valid, time));
  }

  async nodeHistories(ids: readonly string[]): Promise<NodeHistoryEntry[][]> {
    const valid = requireIdList(ids, 'ids');
    return this.store.read((tx) => tx.nodeHistories(valid));
  }

  async getNodesByMlmdId(kind: NodeKind, mlmdIds: readonly (number | string)[]): Promise<(NodeRecord | null)[]> {
    const valid = requireMlmdIdList(mlmdIds, 'mlmdIds');
    return this.store.read((tx) => tx.getNodesByMlmdId(kind, valid));
  }

  async findNodeByName(kind: NodeKind, typeName: string, name: string, typeVersion: string | null = null): Promise<NodeRecord | null> {
    const type = await this.findType(TYPE_KIND_OF[kind], typeName, typeVersion);
    if (!type) return null;
    const [found] = await this.store.read((tx) => tx.findNodesByName(kind, [{ typeId: type.id, name: requireName(name, 'name') }]));
    return found ?? null;
  }

  async findNodesByExternalId(kind: NodeKind, externalIds: readonly string[]): Promise<(NodeRecord | null)[]> {
    const valid = requireIdList(externalIds, 'externalIds');
    return this.store.read((tx) => tx.findNodesByExternalId(kind, valid));
  }

  async listNodes(kind: NodeKind, page: PageInput = {}): Promise<CountedPage<NodeRecord>> {
    return listNodePage(this.store, kind, page);
  }

  async deleteNodes(ids: readonly string[], actor?: WriteActor): Promise<number> {
    const valid = requireIdList(ids, 'ids');
    const deleted = await this.write(async (ctx) => {
      const ids = [...new Set(valid)];
      await ctx.hooks.nodesDeleting(ids, (id) => `ids[${valid.indexOf(id)}]`);
      return ctx.tx.deleteNodes(ids);
    }, actor);
    return deleted.length;
  }

  async putEvents(inputs: readonly EventInput[], options: EdgeOptions = {}): Promise<EventRecord[]> {
    const events = requireBatch<EventInput>(inputs, 'events').map((e, i) => validateEvent(e, `events[${i}]`));
    return this.write((ctx) => putEventsInTx(ctx, events, undefined, options));
  }

  async putAttributions(links: readonly { contextId: string; artifactId: string }[], options: EdgeOptions = {}): Promise<number> {
    const valid = this.validateLinks(links, 'artifactId');
    return this.write(async (ctx) => {
      await requireNodes(ctx, valid.flatMap((l) => [
        { id: l.contextId, kind: 'CONTEXT' as const, field: `${l.field}.contextId` },
        { id: l.otherId, kind: 'ARTIFACT' as const, field: `${l.field}.artifactId` },
      ]), undefined, options);
      return ctx.tx.insertAttributions(valid.map((l) => ({ contextId: l.contextId, artifactId: l.otherId })));
    });
  }

  async putAssociations(links: readonly { contextId: string; executionId: string }[], options: EdgeOptions = {}, actor?: WriteActor): Promise<number> {
    const valid = this.validateLinks(links, 'executionId');
    return this.write(async (ctx) => {
      await requireNodes(ctx, valid.flatMap((l) => [
        { id: l.contextId, kind: 'CONTEXT' as const, field: `${l.field}.contextId` },
        { id: l.otherId, kind: 'EXECUTION' as const, field: `${l.field}.executionId` },
      ]), undefined, options);
      return putAssociationsInTx(ctx, valid.map((l) => ({ contextId: l.contextId, executionId: l.otherId })), (i) => valid[i]!.field);
    }, actor);
  }

  private validateLinks(links: readonly object[], other: 'artifactId' | 'executionId'): { contextId: string; otherId: string; field: string }[] {
    return requireBatch<Record<string, unknown>>(links, 'links').map((l, i) => ({
      contextId: requireName(l?.contextId, `links[${i}].contextId`, MAX_TEXT_LENGTH),
      otherId: requireName(l?.[other], `links[${i}].${other}`, MAX_TEXT_LENGTH),
      field: `links[${i}]`,
    }));
  }

  async putParentContexts(links: readonly { childId: string; parentId: string }[], options: EdgeOptions = {}): Promise<number> {
    const valid = requireBatch<Record<string, unknown>>(links, 'links').map((l, i) => ({
      childId: requireName(l?.childId, `links[${i}].childId`, MAX_TEXT_LENGTH),
      parentId: requireName(l?.parentId, `links[${i}].parentId`, MAX_TEXT_LENGTH),
      field: `links[${i}]`,
    }));
    return this.write((ctx) => putParentContextsInTx(ctx, valid, options));
  }

  async eventsByArtifacts(ids: readonly string[]): Promise<EventRecord[][]> {
    const valid = requireIdList(ids, 'ids');
    return this.store.read((tx) => tx.eventsByArtifacts(valid));
  }

  async eventsByExecutions(ids: readonly string[]): Promise<EventRecord[][]> {
    const valid = requireIdList(ids, 'ids');
    return this.store.read((tx) => tx.eventsByExecutions(valid));
  }

  async contextsOfNodes(ids: readonly string[]): Promise<ContextRecord[][]> {
    const valid = requireIdList(ids, 'ids');
    return this.store.read((tx) => tx.contextsOfNodes(valid));
  }

  async parentContexts(ids: readonly string[]): Promise<ContextRecord[][]> {
    const valid = requireIdList(ids, 'ids');
    return this.store.read((tx) => tx.parentContexts(valid));
  }

  async childContexts(ids: readonly string[]): Promise<ContextRecord[][]> {
    const valid = requireIdList(ids, 'ids');
    return this.store.read((tx) => tx.childContexts(valid));
  }

  async recordExecution(input: RecordExecutionInput, actor?: WriteActor): Promise<RecordExecutionResult> {
    const refs = [
      ...validateRefs(input?.inputs, 'input.inputs', 'INPUT'),
      ...validateRefs(input?.outputs, 'input.outputs', 'OUTPUT'),
    ];
    const contexts = requireBatch<ContextInput>(input?.contexts ?? [], 'input.contexts');
    if (!input?.execution) throw new InvalidArgumentError('input.execution is required', 'input.execution');
    return this.write(async (ctx) => {
      const described = refs.filter((r) => r.artifact);
      // The steps touch disjoint kinds of node, so they may run at once.
      const [[execution], put, known, ctxRecords] = await inListOrder<[NodeRecord[], NodeRecord[], Map<string, NodeRecord>, NodeRecord[]]>([
        putNodesInTx(ctx, 'EXECUTION', [input.execution], {}, () => 'input.execution'),
        putNodesInTx(ctx, 'ARTIFACT', described.map((r) => r.artifact!), {}, (i) => `${described[i]!.field}.artifact`),
        requireNodes(ctx, refs.filter((r) => r.id !== null).map((r) => ({ id: r.id!, kind: 'ARTIFACT' as const, field: `${r.field}.id` }))),
        putNodesInTx(ctx, 'CONTEXT', contexts, {}, listField('input.contexts')),
      ]);
      const byRef = new Map(described.map((r, i) => [r, put[i]!]));
      const artifactOf = (r: ValidRef): ArtifactRecord => (byRef.get(r) ?? known.get(r.id!)) as ArtifactRecord;
      const exec = execution as ExecutionRecord;
      known.set(exec.id, exec);
      for (const r of refs) known.set(artifactOf(r).id, artifactOf(r));
      await putEventsInTx(ctx, refs.map((r) => ({ artifactId: artifactOf(r).id, executionId: exec.id, type: r.eventType, path: r.path, field: r.field })), known);
      const artifactIds = [...new Set(refs.map((r) => artifactOf(r).id))];
      await inListOrder([
        ctx.tx.insertAttributions(ctxRecords.flatMap((c) => artifactIds.map((artifactId) => ({ contextId: c.id, artifactId })))),
        putAssociationsInTx(ctx, ctxRecords.map((c) => ({ contextId: c.id, executionId: exec.id }))),
      ]);
      return {
        execution: exec,
        inputs: refs.filter((r) => r.side === 'INPUT').map(artifactOf),
        outputs: refs.filter((r) => r.side === 'OUTPUT').map(artifactOf),
        contexts: ctxRecords as ContextRecord[],
      };
    }, actor);
  }

  async putExecutionMlmd(input: MlmdPutExecutionInput, actor?: WriteActor): Promise<RecordExecutionResult> {
    if (!input?.execution) throw new InvalidArgumentError('execution is required', 'execution');
    const pairs = requireBatch<NonNullable<MlmdPutExecutionInput['artifacts']>[number]>(input.artifacts ?? [], 'artifact_event_pairs');
    const contexts = requireBatch<ContextInput>(input.contexts ?? [], 'contexts');
    const reuseContexts = input.reuseContextIfAlreadyExist === true;
    // MLMD's force_reuse_context: a context given by id is taken as it stands, not updated
    // (a put by id whose mask names no field changes nothing). It finds no context by name.
    const forced = contexts.map((c) => input.forceReuseContext === true && isPresent(c?.id));
    const contextField = (group: boolean) => {
      const at = contexts.flatMap((_, i) => (forced[i] === group ? [i] : []));
      return (j: number) => `contexts[${at[j]}]`;
    };
    return this.write(async (ctx) => {
      // Artifacts before the execution, as MLMD's PutExecution: a call with faults in both
      // is refused for the artifact's.
      const artifacts = await putNodesInTx(ctx, 'ARTIFACT', pairs.map((p) => p.artifact), {
        ...MLMD_PUT, reuseByExternalId: input.reuseArtifactIfAlreadyExistByExternalId === true,
      }, (i) => `artifact_event_pairs[${i}].artifact`) as ArtifactRecord[];
      const [execution] = await putNodesInTx(ctx, 'EXECUTION', [input.execution], MLMD_PUT, () => 'execution');
      let exec = execution as ExecutionRecord;
      if (input.forceUpdateTime && exec.updateTime < ctx.now) {
        exec = { ...exec, updateTime: ctx.now };
        await ctx.tx.updateNodes([exec]);
      }
      const known = new Map<string, NodeRecord>([[exec.id, exec], ...artifacts.map((a) => [a.id, a] as const)]);
      const events = pairs.flatMap((p, i) => (p.event ? [validateEvent({
        artifactId: artifacts[i]!.id, executionId: exec.id, type: p.event.type, path: p.event.path, time: p.event.time,
      }, `artifact_event_pairs[${i}].event`)] : []));
      await putEventsInTx(ctx, events, known, { mlmdSemantics: true });
      const written = await putNodesInTx(ctx, 'CONTEXT', contexts.filter((_, i) => !forced[i]), { ...MLMD_PUT, reuseByName: reuseContexts }, contextField(false));
      const taken = await putNodesInTx(ctx, 'CONTEXT', contexts.filter((_, i) => forced[i]), { ...MLMD_PUT, mlmdReplace: { updateMask: ['id'] } }, contextField(true));
      const ctxRecords = forced.map((f) => (f ? taken : written).shift()!);
      const artifactIds = [...new Set(artifacts.map((a) => a.id))];
      await inListOrder([
        ctx.tx.insertAttributions(ctxRecords.flatMap((c) => artifactIds.map((artifactId) => ({ contextId: c.id, artifactId })))),
        putAssociationsInTx(ctx, ctxRecords.map((c) => ({ contextId: c.id, executionId: exec.id }))),
      ]);
      return { execution: exec, inputs: artifacts, outputs: [], contexts: ctxRecords as ContextRecord[] };
    }, actor);
  }

  async putLineageSubgraphMlmd(input: MlmdPutLineageSubgraphInput, actor?: WriteActor): Promise<MlmdPutLineageSubgraphResult> {
    const valid = validateMlmdLineageSubgraph(input);
    return this.write((ctx) => putMlmdLineageSubgraphInTx(ctx, valid), actor);
  }

  async putLineageSubgraph(input: LineageSubgraphInput, actor?: WriteActor, options: PutOptions = {}): Promise<LineageSubgraphResult> {
    const artifacts = requireBatch<ArtifactInput>(input?.artifacts ?? [], 'input.artifacts');
    const executions = requireBatch<ExecutionInput>(input?.executions ?? [], 'input.executions');
    const contexts = requireBatch<ContextInput>(input?.contexts ?? [], 'input.contexts');
    const index = (v: unknown, list: readonly unknown[], field: string): number => {
      if (list.length === 0) throw new InvalidArgumentError(`${field} refers to an item of a list that is empty`, field);
      return requireInt(v, field, 0, list.length - 1);
    };
    const events = requireBatch<NonNullable<LineageSubgraphInput['events']>[number]>(input?.events ?? [], 'input.events').map((e, i) => {
      const field = `input.events[${i}]`;
      return { ...e, a: index(e?.artifactIndex, artifacts, `${field}.artifactIndex`), x: index(e?.executionIndex, executions, `${field}.executionIndex`), field };
    });
    const attributions = requireBatch<{ contextIndex: number; artifactIndex: number }>(input?.attributions ?? [], 'input.attributions').map((l, i) => ({
      c: index(l?.contextIndex, contexts, `input.attributions[${i}].contextIndex`), a: index(l?.artifactIndex, artifacts, `input.attributions[${i}].artifactIndex`),
    }));
    const associations = requireBatch<{ contextIndex: number; executionIndex: number }>(input?.associations ?? [], 'input.associations').map((l, i) => ({
      c: index(l?.contextIndex, contexts, `input.associations[${i}].contextIndex`), x: index(l?.executionIndex, executions, `input.associations[${i}].executionIndex`),
    }));
    return this.write(async (ctx) => {
      // The three kinds of node are disjoint, so they may be put at once.
      const [a, x, c] = await inListOrder<[ArtifactRecord[], ExecutionRecord[], ContextRecord[]]>([
        putNodesInTx(ctx, 'ARTIFACT', artifacts, options, listField('input.artifacts')) as Promise<ArtifactRecord[]>,
        putNodesInTx(ctx, 'EXECUTION', executions, options, listField('input.executions')) as Promise<ExecutionRecord[]>,
        putNodesInTx(ctx, 'CONTEXT', contexts, options, listField('input.contexts')) as Promise<ContextRecord[]>,
      ]);
      const known = new Map<string, NodeRecord>([...a, ...x].map((n) => [n.id, n]));
      await putEventsInTx(ctx, events.map((e) => validateEvent({ artifactId: a[e.a]!.id, executionId: x[e.x]!.id, type: e.type, path: e.path }, e.field)), known);
      await inListOrder([
        ctx.tx.insertAttributions(attributions.map((l) => ({ contextId: c[l.c]!.id, artifactId: a[l.a]!.id }))),
        putAssociationsInTx(ctx, associations.map((l) => ({ contextId: c[l.c]!.id, executionId: x[l.x]!.id }))),
      ]);
      return { artifacts: a, executions: x, contexts: c };
    }, actor);
  }
}


interface ValidRef {
  id: string | null;
  artifact: ArtifactInput | null;
  path: PathStep[];
  eventType: EventType;
  side: 'INPUT' | 'OUTPUT';
  field: string;
}

/** recordExecution's artifact references: exactly one of id and artifact, and an event type of the side's kind. */
function validateRefs(refs: readonly ArtifactRefInput[] | null | undefined, arg: string, side: 'INPUT' | 'OUTPUT'): ValidRef[] {
  return requireBatch<ArtifactRefInput>(refs ?? [], arg).map((ref, i) => {
    const field = `${arg}[${i}]`;
    const hasId = isPresent(ref?.id);
    if (hasId === isPresent(ref?.artifact)) {
      throw new InvalidArgumentError(`${field} must have exactly one of id and artifact`, field);
    }
    const eventType = isPresent(ref.eventType) ? requireEnum(ref.eventType, EVENT_TYPES, `${field}.eventType`) : side;
    if (isInputEvent(eventType) !== (side === 'INPUT')) {
      throw new InvalidArgumentError(`${field}.eventType must be an ${side.toLowerCase()} kind of event, got ${eventType}`, `${field}.eventType`);
    }
    return {
      id: hasId ? requireName(ref.id, `${field}.id`, MAX_TEXT_LENGTH) : null,
      artifact: hasId ? null : ref.artifact!,
      path: requirePath(ref.path, `${field}.path`),
      eventType,
      side,
      field,
    };
  });
}
