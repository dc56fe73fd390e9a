/**
 * Imports an ML Metadata database (an MlmdSource) into a store, through the metadata
 * service: the same validation, reuse rules and write hooks as the API. In phases (types,
 * contexts, artifacts, executions, events, links), each read in pages by id and written in
 * batches of at most MAX_BATCH items, one transaction per batch.
 *
 * Re-runs and resumes. Each node batch records, in its own transaction, which source node
 * each written node came from (StoreTx.recordImportOrigins, under the `source` name), so
 * after a kill a batch is either wholly written and recorded or not at all; every run
 * asks which of a page's ids were imported and writes only the others. Edges need no
 * record: each page of edges is compared with the edges the store already holds between
 * the imported ends, and only the missing ones are written. Nothing is added to an
 * imported node to recognise it. A run reads up to the largest ids the source held when
 * it began (SourceBounds), so a source written meanwhile gives a consistent cut, and the
 * next run brings the rest. What changed on a node already imported is not brought again.
 *
 * Ids: into an empty store (no id of any space ever handed out) an import keeps ML
 * Metadata's ids, every type's and node's (the service's writes with given ids), so a
 * client holding them (Kubeflow's run records hold execution ids) finds the same records.
 * Into a store that holds anything the store gives its own ids, and the origins are the
 * mapping (`writeImportMapping`). The choice is made once, when a run starts: a run that
 * resumes one killed midway finds the store not empty and gives the rest its own ids.
 *
 * Times: every node keeps ML Metadata's create and update times and every event its time
 * (the service's writes with given times), whatever the store held before.
 */
import { isStoreError } from '../../graph/errors.js';
import type { MlmdIdSpace, NodeKind, NodeRecord, PropertyMap } from '../../graph/model.js';
import type { GraphStore } from '../../graph/store.js';
import type { ArtifactInput, ContextInput, ExecutionInput, TypeInput } from '../metadata/inputs.js';
import type { MetadataApi } from '../metadata/metadata-service.js';
import { MAX_BATCH } from '../shared/validate.js';
import type { MlmdEvent, MlmdLink, MlmdNode, MlmdParentLink, MlmdSource, MlmdType, SourceBounds, SourceCounts } from './mlmd-source.js';
import { UnimportableError } from './mlmd-values.js';

export type ImportPhase = 'types' | 'contexts' | 'artifacts' | 'executions' | 'events' | 'links';
export const IMPORT_PHASES: readonly ImportPhase[] = ['types', 'contexts', 'artifacts', 'executions', 'events', 'links'];

/** Where a phase stands: `done` of `total` source items read, `written` of them new to the store. */
export interface PhaseProgress { phase: ImportPhase; done: number; total: number; written: number }

export interface ImportOptions {
  /** The name the origins are recorded under; a re-run must give the same one. */
  source: string;
  /** Items per page and per write, 1 to MAX_BATCH. Default MAX_BATCH. */
  pageSize?: number;
  /** Called after every page of every phase. */
  onProgress?: (progress: PhaseProgress) => void;
}

export interface ImportReport {
  source: string;
  bounds: SourceBounds;
  /** What the source holds within the bounds. */
  counts: SourceCounts;
  /** How many of each this run wrote (the rest were there already). */
  written: Record<ImportPhase, number>;
  /** Whether the types and nodes kept ML Metadata's ids (the store was empty); otherwise the origins map them. */
  keptSourceIds: boolean;
  seconds: number;
}

/**
 * Whether imports keep ML Metadata's ids where they can (into an empty store). One switch:
 * false gives every imported record the store's own id.
 */
export const KEEP_SOURCE_IDS = true;

const ID_SPACES: readonly MlmdIdSpace[] = ['type', 'artifact', 'execution', 'context'];

/**
 * Whether the store never handed out an id in any space: not only no record now, none
 * ever (a given id must be above every id its space handed out, a deleted record's too).
 * A claim up to 0 moves no counter and answers the highest id handed out.
 */
async function nothingHandedOut(store: GraphStore): Promise<boolean> {
  return store.write(async (tx) => {
    for (const space of ID_SPACES) if (await tx.claimMlmdIdsUpTo(space, 0) > 0) return false;
    return true;
  });
}

const NODE_LISTS = { ARTIFACT: 'artifacts', EXECUTION: 'executions', CONTEXT: 'contexts' } as const;
const NODE_WORDS = { ARTIFACT: 'artifact', EXECUTION: 'execution', CONTEXT: 'context' } as const;
/** Parent links are checked for cycles link by link; a few hundred per call keep Neo4j's transactions short. */
const PARENT_LINKS_PER_CALL = 500;

/** The distinct ids of a list, those not imported left out. */
const present = (ids: readonly (string | null)[]): string[] => [...new Set(ids.filter((id): id is string => id !== null))];

/** The type a node refers to, as service inputs name it. */
interface TypeName { name: string; version: string | null }

/** Imports `source` into `api`'s store; see the file comment. */
export async function importMlmd(api: MetadataApi, source: MlmdSource, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const pageSize = options.pageSize ?? MAX_BATCH;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_BATCH) {
    throw new Error(`pageSize must be an integer from 1 to ${MAX_BATCH}, got ${pageSize}`);
  }
  const bounds = await source.bounds();
  await source.checkValues(bounds);
  const counts = await source.counts(bounds);
  const keepIds = KEEP_SOURCE_IDS && await nothingHandedOut(api.store);
  const run = new ImportRun(api, source, options.source, bounds, pageSize, options.onProgress ?? (() => undefined), keepIds);
  const written: Record<ImportPhase, number> = { types: 0, contexts: 0, artifacts: 0, executions: 0, events: 0, links: 0 };
  const types = await source.types();
  written.types = await run.types(types);
  written.contexts = await run.nodes('CONTEXT', 'contexts', counts.CONTEXT);
  written.artifacts = await run.nodes('ARTIFACT', 'artifacts', counts.ARTIFACT);
  written.executions = await run.nodes('EXECUTION', 'executions', counts.EXECUTION);
  written.events = await run.events(counts.events, true);
  written.links = await run.links(counts.attributions + counts.associations + counts.parentContexts, true);
  return { source: options.source, bounds, counts, written, keptSourceIds: keepIds, seconds: (performance.now() - started) / 1000 };
}

/** One run over one source: the type names, and each phase as a loop over pages. */
export class ImportRun {
  private readonly typeNames = new Map<number, TypeName>();
  private readonly store: GraphStore;

  constructor(
    private readonly api: MetadataApi, private readonly source: MlmdSource, private readonly origin: string,
    private readonly bounds: SourceBounds, private readonly pageSize: number, private readonly progress: (p: PhaseProgress) => void,
    /** Whether types and nodes are written with ML Metadata's ids (importMlmd decides; default the store's own). */
    private readonly keepIds = false,
  ) {
    this.store = api.store;
  }

  /** Puts every type (a stored one with the same name and version is re-put: it may gain properties); returns how many were new. */
  async types(types: readonly MlmdType[]): Promise<number> {
    let written = 0;
    for (const [i, t] of types.entries()) {
      this.typeNames.set(t.id, { name: t.name, version: t.version });
      const before = await this.api.findType(t.kind, t.name, t.version);
      const input: TypeInput = {
        name: t.name, version: t.version, description: t.description, externalId: t.externalId,
        baseType: t.kind === 'CONTEXT_TYPE' ? null : t.baseType, properties: t.properties,
        ...(this.keepIds ? { mlmdId: t.id } : {}),
      };
      await this.explained(`type ${JSON.stringify(t.name)} (id ${t.id})`,
        () => this.api.putType(t.kind, input, { canAddFields: true, canOmitFields: true, withGivenMlmdId: this.keepIds }));
      if (!before) written += 1;
      this.progress({ phase: 'types', done: i + 1, total: types.length, written });
    }
    if (types.length === 0) this.progress({ phase: 'types', done: 0, total: 0, written: 0 });
    return written;
  }

  /** Types named by id, for a run that skips the types phase (verification). */
  rememberTypes(types: readonly MlmdType[]): void {
    for (const t of types) this.typeNames.set(t.id, { name: t.name, version: t.version });
  }

  /** Writes the nodes of `kind` not imported yet, page by page; returns how many. */
  async nodes(kind: NodeKind, phase: ImportPhase, total: number): Promise<number> {
    let done = 0;
    let written = 0;
    this.progress({ phase, done, total, written });
    for (let after = 0; ;) {
      const page = await this.source.nodes(kind, after, this.pageSize, this.bounds);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      written += await this.writeNodes(kind, page);
      done += page.length;
      this.progress({ phase, done, total, written });
    }
    return written;
  }

  /**
   * One page: in one transaction, which of its nodes were imported, the others written
   * through putLineageSubgraph, and their origins recorded; returns how many were written.
   */
  private async writeNodes(kind: NodeKind, page: readonly MlmdNode[]): Promise<number> {
    const inputs = page.map((n) => this.nodeInput(n));
    return this.store.inOneTransaction(async () => {
      const imported = await this.store.read((tx) => tx.importedNodeIds(this.origin, kind, page.map((n) => n.id)));
      const fresh = page.flatMap((n, i) => (imported[i] === null ? [i] : []));
      if (fresh.length === 0) return 0;
      const list = NODE_LISTS[kind];
      const result = await this.explained(`${NODE_WORDS[kind]}s ${page[0]!.id} to ${page[page.length - 1]!.id}`,
        () => this.api.putLineageSubgraph({ [list]: fresh.map((i) => inputs[i]) }, undefined, { withGivenMlmdIds: this.keepIds, withGivenTimes: true }),
        (index) => `${NODE_WORDS[kind]} ${page[fresh[index]!]!.id}`, list);
      const records: NodeRecord[] = result[list];
      await this.store.write((tx) => tx.recordImportOrigins(this.origin, kind, records.map((r, j) => ({ sourceId: page[fresh[j]!]!.id, nodeId: r.id }))));
      return fresh.length;
    });
  }

  /** A source node as the service's input. */
  nodeInput(n: MlmdNode): ArtifactInput | ExecutionInput | ContextInput {
    const type = this.typeNames.get(n.typeId);
    if (!type) throw new UnimportableError(`${NODE_WORDS[n.kind]} ${n.id} is of type id ${n.typeId}, which is not one of the source's types`);
    const common = {
      ...(this.keepIds ? { mlmdId: n.id } : {}),
      // ML Metadata's own times, not the import's (PutOptions.withGivenTimes).
      createTime: n.createTime, updateTime: n.updateTime,
      type: type.name, typeVersion: type.version, externalId: n.externalId,
      properties: n.properties as PropertyMap, customProperties: n.customProperties as PropertyMap,
    };
    if (n.kind === 'ARTIFACT') return { ...common, name: n.name, uri: n.uri, state: n.state };
    if (n.kind === 'EXECUTION') return { ...common, name: n.name, lastKnownState: n.lastKnownState };
    return { ...common, name: n.name };
  }

  /**
   * The store's ids of source nodes of `kind`, aligned. Writing, a node not imported is an
   * error naming `what` (the nodes phases ran first, so it was deleted meanwhile); checking,
   * it is null, and its edges count as missing.
   */
  private async importedIds(kind: NodeKind, ids: readonly number[], what: (i: number) => string, write: boolean): Promise<(string | null)[]> {
    const found = await this.store.read((tx) => tx.importedNodeIds(this.origin, kind, ids));
    if (write) {
      const i = found.indexOf(null);
      if (i >= 0) throw new UnimportableError(`${what(i)} refers to ${NODE_WORDS[kind]} ${ids[i]}, which is not in the store (deleted while importing?)`);
    }
    return found;
  }

  /**
   * The events phase: each page's events between imported ends, compared with those the
   * store holds; with `write`, the missing ones are written. Returns how many were
   * written (with `write`) or found present (without).
   */
  async events(total: number, write: boolean): Promise<number> {
    let done = 0;
    let counted = 0;
    this.progress({ phase: 'events', done, total, written: counted });
    for (let after = 0; ;) {
      const page = await this.source.events(after, this.pageSize, this.bounds);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      const { present, missing } = await this.compareEvents(page, write);
      if (write && missing.length > 0) {
        await this.explained(`events ${page[0]!.id} to ${after}`, () => this.api.putEvents(missing.map((m) => m.input)),
          (i) => `event ${missing[i]!.event.id}`, 'events');
      }
      counted += write ? missing.length : present;
      done += page.length;
      this.progress({ phase: 'events', done, total, written: counted });
    }
    return counted;
  }

  private async compareEvents(page: readonly MlmdEvent[], write: boolean) {
    const artifacts = await this.importedIds('ARTIFACT', page.map((e) => e.artifactId), (i) => `event ${page[i]!.id}`, write);
    const executions = await this.importedIds('EXECUTION', page.map((e) => e.executionId), (i) => `event ${page[i]!.id}`, write);
    const distinct = present(executions);
    const stored = await this.api.eventsByExecutions(distinct);
    const have = new Set(stored.flat().map((e) => `${e.artifactId} ${e.executionId} ${e.type}`));
    const missing = page.flatMap((event, i) => (have.has(`${artifacts[i]} ${executions[i]} ${event.type}`) ? [] : [{
      event, input: { artifactId: artifacts[i]!, executionId: executions[i]!, type: event.type, path: event.path, time: event.time },
    }]));
    return { present: page.length - missing.length, missing };
  }

  /** The links phase (attributions, associations, parent contexts), as `events` does it. */
  async links(total: number, write: boolean): Promise<number> {
    let done = 0;
    let counted = 0;
    this.progress({ phase: 'links', done, total, written: counted });
    const step = (n: number, c: number): void => {
      done += n;
      counted += c;
      this.progress({ phase: 'links', done, total, written: counted });
    };
    for (const kind of ['ARTIFACT', 'EXECUTION'] as const) {
      for (let after = 0; ;) {
        const page = kind === 'ARTIFACT'
          ? await this.source.attributions(after, this.pageSize, this.bounds)
          : await this.source.associations(after, this.pageSize, this.bounds);
        if (page.length === 0) break;
        after = page[page.length - 1]!.id;
        step(page.length, await this.contextLinks(kind, page, write));
      }
    }
    for (let after: MlmdParentLink | null = null; ;) {
      const page = await this.source.parentContexts(after, this.pageSize, this.bounds);
      if (page.length === 0) break;
      after = page[page.length - 1]!;
      step(page.length, await this.parentLinks(page, write));
    }
    return counted;
  }

  /** Attributions (ARTIFACT) or associations (EXECUTION) of one page; written or found present, as `write` says. */
  private async contextLinks(kind: 'ARTIFACT' | 'EXECUTION', page: readonly MlmdLink[], write: boolean): Promise<number> {
    const word = kind === 'ARTIFACT' ? 'attribution' : 'association';
    const contexts = await this.importedIds('CONTEXT', page.map((l) => l.contextId), (i) => `${word} ${page[i]!.id}`, write);
    const nodes = await this.importedIds(kind, page.map((l) => l.nodeId), (i) => `${word} ${page[i]!.id}`, write);
    const distinct = present(nodes);
    const stored = await this.api.contextsOfNodes(distinct);
    const have = new Set(distinct.flatMap((id, i) => stored[i]!.map((c) => `${c.id} ${id}`)));
    const missing = page.flatMap((_, i) => (have.has(`${contexts[i]} ${nodes[i]}`) ? [] : [i]));
    if (!write) return page.length - missing.length;
    if (missing.length > 0) {
      if (kind === 'ARTIFACT') await this.api.putAttributions(missing.map((i) => ({ contextId: contexts[i]!, artifactId: nodes[i]! })));
      else await this.api.putAssociations(missing.map((i) => ({ contextId: contexts[i]!, executionId: nodes[i]! })));
    }
    return missing.length;
  }

  private async parentLinks(page: readonly MlmdParentLink[], write: boolean): Promise<number> {
    const what = (i: number): string => `parent context link ${page[i]!.parentId} -> ${page[i]!.childId}`;
    const children = await this.importedIds('CONTEXT', page.map((l) => l.childId), what, write);
    const parents = await this.importedIds('CONTEXT', page.map((l) => l.parentId), what, write);
    const distinct = present(children);
    const stored = await this.api.parentContexts(distinct);
    const have = new Set(distinct.flatMap((id, i) => stored[i]!.map((p) => `${id} ${p.id}`)));
    const missing = page.flatMap((_, i) => (have.has(`${children[i]} ${parents[i]}`) ? [] : [i]));
    if (!write) return page.length - missing.length;
    for (let i = 0; i < missing.length; i += PARENT_LINKS_PER_CALL) {
      await this.api.putParentContexts(missing.slice(i, i + PARENT_LINKS_PER_CALL).map((j) => ({ childId: children[j]!, parentId: parents[j]! })));
    }
    return missing.length;
  }

  /**
   * Runs a write; a refusal by the service is said again in the source's terms: the
   * item of the batch it names (`list[i]`) becomes the source node or edge (`itemName(i)`).
   */
  private async explained<T>(what: string, work: () => Promise<T>, itemName?: (i: number) => string, list?: string): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!isStoreError(err)) throw err;
      const match = list && err.field ? new RegExp(`^(?:input\\.)?${list}\\[(\\d+)\\]`).exec(err.field) : null;
      const subject = match && itemName ? itemName(Number(match[1])) : what;
      throw new UnimportableError(`${subject} of ${this.source.location} was refused: ${err.message}`, { cause: err });
    }
  }
}
