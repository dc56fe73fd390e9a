/**
 * The OpenLineage intake: events in, the graph of docs/openlineage.md out. One request
 * (one event or a batch) is one transaction with a fixed number of store round trips
 * whatever its size: the spec check, one read of the contexts, runs and dataset versions
 * the events name, the events applied in memory (lineage-draft.ts), then one
 * putLineageSubgraph and one putParentContexts. A batch with one bad event writes nothing.
 */
import { InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import type { NodeRecord, TypeKind, TypeRecord } from '../../graph/model.js';
import type { GraphStore } from '../../graph/store.js';
import type { ArtifactInput, ContextInput, ExecutionInput, LineageSubgraphInput } from '../metadata/inputs.js';
import type { MetadataApi, WriteActor } from '../metadata/metadata-service.js';
import { LineageDraft, keysOf, type DraftNode } from './lineage-draft.js';
import { OL_TYPES, runExternalId, type OlEvent } from './openlineage-model.js';
import { MAX_BATCH } from '../shared/validate.js';
import { requireValidEvents } from './validation.js';

/** Most events one batch request may carry (the body-size limit usually stops a batch first). */
export const MAX_BATCH_EVENTS = 10_000;

export interface IntakeResult {
  /** Events recorded. */
  events: number;
  /** Nodes the request made or changed (0 when it repeated what the graph held). */
  nodesWritten: number;
}

export interface OpenLineageIntakeApi {
  /**
   * Checks every event against the OpenLineage spec (refusing with every failing path,
   * named `event.…` for one event and `events[i].…` in a batch) and records them all in
   * one transaction.
   */
  ingest(events: readonly unknown[], options: { batch: boolean }, actor?: WriteActor): Promise<IntakeResult>;
}

const TYPES: [TypeKind, string][] = [
  ['CONTEXT_TYPE', OL_TYPES.namespace], ['CONTEXT_TYPE', OL_TYPES.job], ['CONTEXT_TYPE', OL_TYPES.dataset],
  ['CONTEXT_TYPE', OL_TYPES.parentRun], ['EXECUTION_TYPE', OL_TYPES.run], ['ARTIFACT_TYPE', OL_TYPES.datasetVersion],
];

/** Builds the intake over the metadata service (its writes, hooks and store). */
export function createOpenLineageIntake(api: MetadataApi): OpenLineageIntakeApi {
  return new OpenLineageIntake(api);
}

class OpenLineageIntake implements OpenLineageIntakeApi {
  private types: Promise<TypeRecord[]> | undefined;
  /**
   * Requests of this process write one after another: a request reads the nodes it
   * merges into, and two at once on Neo4j (read committed) could each merge into what the
   * other had not yet written. SQLite serialises writers anyway.
   */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly api: MetadataApi) {}

  private get store(): GraphStore { return this.api.store; }

  async ingest(events: readonly unknown[], options: { batch: boolean }, actor?: WriteActor): Promise<IntakeResult> {
    if (options.batch && events.length > MAX_BATCH_EVENTS) {
      throw new InvalidArgumentError(`events: a batch holds at most ${MAX_BATCH_EVENTS} events, got ${events.length}`, 'events');
    }
    const pathOf = options.batch ? (i: number) => `events[${i}]` : () => 'event';
    requireValidEvents(events, pathOf);
    const valid = events as OlEvent[];
    if (valid.length === 0) return { events: 0, nodesWritten: 0 };
    const attempt = async (): Promise<IntakeResult> => {
      const types = await this.ensureTypes();
      return this.store.inOneTransaction(() => this.write(valid, types, pathOf, actor));
    };
    const run = this.queue.then(async () => {
      try {
        return await attempt();
      } catch (err) {
        // The types this process put are gone (a store emptied under a running server):
        // put them again, once.
        if (!(err instanceof NotFoundError && err.field?.endsWith('.type'))) throw err;
        this.types = undefined;
        return attempt();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The six OpenLineage types, put once per process (a re-put of the same type changes nothing). */
  private ensureTypes(): Promise<TypeRecord[]> {
    this.types ??= Promise.all(TYPES.map(([kind, name]) => this.api.putType(kind, { name }))).catch((err: unknown) => {
      this.types = undefined;
      throw err;
    });
    return this.types;
  }

  private async write(events: readonly OlEvent[], types: readonly TypeRecord[], pathOf: (i: number) => string, actor?: WriteActor): Promise<IntakeResult> {
    const typeId = new Map(types.map((t) => [t.name, t.id]));
    const keys = keysOf(events);
    const versionType = typeId.get(OL_TYPES.datasetVersion)!;
    const [contexts, runs, versions] = await this.store.read((tx) => Promise.all([
      tx.findNodesByName('CONTEXT', keys.contexts.map(([type, name]) => ({ typeId: typeId.get(type)!, name }))),
      tx.findNodesByExternalId('EXECUTION', keys.runIds.map(runExternalId)),
      keys.datasets.length === 0 ? Promise.resolve([]) : tx.listNodes({
        kind: 'ARTIFACT', typeIds: [versionType],
        properties: [{ name: 'dataset', custom: true, op: 'in', value: keys.datasets }],
        orderBy: 'id', ascending: true, limit: MAX_VERSIONS_READ,
      }),
    ]));
    const present = (list: readonly (NodeRecord | null)[]): NodeRecord[] => list.filter((n): n is NodeRecord => n !== null);
    const storedRuns = present(runs).filter((r) => r.typeId === typeId.get(OL_TYPES.run));
    // What the stored runs wrote: a run's inputs never bind to its own output.
    const runEvents = storedRuns.length === 0 ? [] : await this.store.read((tx) => tx.eventsByExecutions(storedRuns.map((r) => r.id)));
    const draft = new LineageDraft({
      contexts: present(contexts), runs: storedRuns, versions, typeNames: new Map(types.map((t) => [t.id, t.name])),
      written: runEvents.flat().filter((e) => e.type === 'OUTPUT').map((e) => ({ executionId: e.executionId, artifactId: e.artifactId })),
    });
    events.forEach((e, i) => draft.apply(e, pathOf(i)));
    return this.save(draft, events.length, actor);
  }

  /** Writes the draft: its nodes and edges in one putLineageSubgraph, then the parent links between contexts. */
  private async save(draft: LineageDraft, eventCount: number, actor?: WriteActor): Promise<IntakeResult> {
    const { contexts, runs, versions } = draft.nodes();
    const index = new Map<DraftNode, number>();
    [contexts, runs, versions].forEach((list) => list.forEach((n, i) => index.set(n, i)));
    const input: LineageSubgraphInput = {
      contexts: contexts.map(nodeInput),
      executions: runs.map(nodeInput),
      artifacts: versions.map(nodeInput),
      events: [...draft.events.values()].map((e) => ({ artifactIndex: index.get(e.version)!, executionIndex: index.get(e.run)!, type: e.type })),
      attributions: [...draft.attributions.values()].map((a) => ({ contextIndex: index.get(a.context)!, artifactIndex: index.get(a.artifact)! })),
      associations: [...draft.associations.values()].map((a) => ({ contextIndex: index.get(a.context)!, executionIndex: index.get(a.execution)! })),
    };
    // The metadata service takes at most MAX_BATCH items per list: say so in the client's terms.
    const largest = Math.max(contexts.length, runs.length, versions.length, input.events!.length, input.attributions!.length,
      input.associations!.length, draft.parentLinks.size);
    if (largest > MAX_BATCH) {
      throw new InvalidArgumentError(`events: this batch makes ${largest} nodes or links of one kind, at most ${MAX_BATCH} per request; send fewer events per batch`, 'events');
    }
    const written = await this.api.putLineageSubgraph(input, actor);
    const links = [...draft.parentLinks.values()].map((l) => ({
      childId: written.contexts[index.get(l.child)!]!.id, parentId: written.contexts[index.get(l.parent)!]!.id,
    }));
    if (links.length > 0) await this.api.putParentContexts(links);
    const nodesWritten = [...contexts, ...runs, ...versions].filter((n) => n.changed).length;
    return { events: eventCount, nodesWritten };
  }
}

/**
 * How many versions of the batch's datasets one request reads to bind its inputs. A
 * dataset with more versions than this binds among the first (oldest by id) only; the
 * ceiling keeps one read bounded.
 */
const MAX_VERSIONS_READ = 100_000;

/** A draft node as putLineageSubgraph takes it: a stored one by id (changed fields only), a new one in full. */
function nodeInput(n: DraftNode): ContextInput & ExecutionInput & ArtifactInput {
  if (n.id !== null) {
    // Named as stored (a context input needs its name): a name never changes.
    if (!n.changed) return { id: n.id, type: n.type, name: n.name };
    return {
      id: n.id, type: n.type, name: n.name, customProperties: n.customProperties,
      ...(n.kind === 'EXECUTION' && n.state !== null ? { lastKnownState: n.state } : {}),
    };
  }
  return {
    type: n.type, name: n.name, customProperties: n.customProperties,
    ...(n.externalId !== null ? { externalId: n.externalId } : {}),
    ...(n.kind === 'ARTIFACT' && n.uri !== null ? { uri: n.uri, state: 'LIVE' as const } : {}),
    ...(n.kind === 'EXECUTION' && n.state !== null ? { lastKnownState: n.state } : {}),
  };
}
