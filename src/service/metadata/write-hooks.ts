/**
 * How a feature sits on the core's writes without the core knowing it (STYLE.md habit 15):
 * a WriteLayer adds fields to the node and type inputs, and gets hooks on every write
 * transaction (nodes written, events written, type changed, nodes about to be deleted,
 * before commit). Personal data (src/service/privacy/personal-data-layer.ts) is one; the
 * services are composed with their layers in src/service/services.ts. With no layer the
 * core writes exactly what its own rules say, and pays nothing for what it does not have.
 *
 * Every hook runs inside the write's transaction and may throw to refuse the write: the
 * transaction is rolled back, so nothing of it is stored. The node and type hooks run just
 * before the core stores what they are told of, so a refusal costs no store write.
 */
import type { AssociationLink, EventRecord, NodeKind, NodeRecord, TypeKind, TypeRecord } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import type { ArtifactInput, ContextInput, ExecutionInput, TypeInput } from './inputs.js';

/**
 * Who writes, as the layers need to know it: the core only hands it on (the API methods
 * take it, the hooks get it; absent for in-process callers, whom each layer decides how to
 * treat). A layer adds the members it needs by augmenting this interface; personal data
 * adds the caller for its audit log and the rule for changes of tracking
 * (src/service/privacy/tracking-changes.ts).
 */
export interface WriteActor {}

export type NodeInput = ArtifactInput | ExecutionInput | ContextInput;

/** What a layer's fields of one input do to the record the core makes of it. */
export type RecordPatch<R> = (record: R) => R;

/** One batch of nodes of one kind, about to be stored. */
export interface NodesWritten {
  kind: NodeKind;
  /** New nodes, as they will be stored. */
  inserted: readonly NodeRecord[];
  /** Stored nodes that change: the stored record and the one that replaces it. */
  updated: readonly { before: NodeRecord; after: NodeRecord }[];
  /** The input field that wrote each node (`artifacts[2]`), by node id, for error messages. */
  fieldOf(nodeId: string): string;
  /** The type of every node of the batch, by type id (the write resolved them anyway). */
  typeOf(typeId: string): TypeRecord;
}

/** A type about to be inserted (`before` null) or changed. */
export interface TypeWritten {
  before: TypeRecord | null;
  after: TypeRecord;
  /** The input field, e.g. `input`. */
  field: string;
}

/** What a layer learns of one write transaction attempt; the store may run the attempt again. */
export interface WriteHooks {
  nodesWritten?(batch: NodesWritten): void | Promise<void>;
  /** Events just stored (not those that already existed), with the records of their ends. */
  eventsWritten?(events: readonly EventRecord[], ends: ReadonlyMap<string, NodeRecord>): void | Promise<void>;
  typeWritten?(change: TypeWritten): void | Promise<void>;
  /**
   * Associations about to be put (those that exist already included: the layer tells them
   * apart); `fieldOf` names each link's input field by its index, for refusals.
   */
  associationsWriting?(links: readonly AssociationLink[], fieldOf: (index: number) => string): void | Promise<void>;
  /** Nodes about to be deleted with their edges (they and their edges can still be read); `fieldOf` names each id's input. */
  nodesDeleting?(ids: readonly string[], fieldOf: (id: string) => string): void | Promise<void>;
  /** After the write's own steps, before the commit, in the same transaction. */
  beforeCommit?(): void | Promise<void>;
}

/** The start of one write transaction attempt, as the layers see it. */
export interface WriteStart {
  tx: StoreTx;
  /** Milliseconds since the epoch, the time of the whole write. */
  now: number;
  /** Who writes; undefined for an in-process caller. */
  actor: WriteActor | undefined;
}

/** A feature over the core's writes. */
export interface WriteLayer {
  /**
   * Validates the layer's own fields of a node input (after the core found the input's
   * type) and returns what they do to the record, or null when the input gives none.
   * Throws InvalidArgumentError naming the field.
   */
  nodeInput?(kind: NodeKind, input: NodeInput, type: TypeRecord, field: string): RecordPatch<NodeRecord> | null;
  /** The same for a type input. */
  typeInput?(kind: TypeKind, input: TypeInput, field: string): RecordPatch<TypeRecord> | null;
  /** The hooks of one write transaction attempt, holding whatever the layer keeps for it. */
  begin(write: WriteStart): WriteHooks;
}

/** Every layer's patch for one input, applied in the layers' order; null when none applies. */
export function patchOf<R>(patches: readonly (RecordPatch<R> | null)[]): RecordPatch<R> | null {
  const given = patches.filter((p): p is RecordPatch<R> => p !== null);
  if (given.length === 0) return null;
  return (record) => given.reduce((r, patch) => patch(r), record);
}

/** The hooks of all `layers` for one attempt, as one: each hook runs every layer's, in order. */
export function beginLayers(layers: readonly WriteLayer[], write: WriteStart): Required<WriteHooks> {
  const hooks = layers.map((layer) => layer.begin(write));
  const each = <K extends keyof WriteHooks>(name: K) => async (...args: Parameters<Required<WriteHooks>[K]>): Promise<void> => {
    for (const h of hooks) await (h[name] as ((...a: typeof args) => void | Promise<void>) | undefined)?.(...args);
  };
  return {
    nodesWritten: each('nodesWritten'),
    eventsWritten: each('eventsWritten'),
    typeWritten: each('typeWritten'),
    associationsWriting: each('associationsWriting'),
    nodesDeleting: each('nodesDeleting'),
    beforeCommit: each('beforeCommit'),
  };
}
