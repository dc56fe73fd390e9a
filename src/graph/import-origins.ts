/**
 * Where imported nodes came from: the ImportOriginTx part of StoreTx (src/graph/store.ts),
 * implemented by both backends. An importer (src/service/import/) records, in the same
 * transaction as the nodes it writes, which node of its source each became; a re-run or a
 * resumed run asks this before writing, so it writes only what is new, and nothing is
 * added to the imported nodes themselves to recognise them.
 */
import type { NodeKind } from './model.js';

/** One source node and the node it was imported as. */
export interface ImportOrigin {
  /** The node's id in its source (ML Metadata's int64 id; each kind has its own ids there). */
  sourceId: number;
  /** The id (UUID) of the node it became. */
  nodeId: string;
}

/** The import part of StoreTx. `source` names the database imported from. */
export interface ImportOriginTx {
  /**
   * The node each source id of `kind` was imported as, aligned with `sourceIds`; null for
   * one never imported, or whose node has since been deleted.
   */
  importedNodeIds(source: string, kind: NodeKind, sourceIds: readonly number[]): Promise<(string | null)[]>;
  /** Records where nodes came from; a source id recorded before is pointed at the new node. */
  recordImportOrigins(source: string, kind: NodeKind, origins: readonly ImportOrigin[]): Promise<void>;
  /** How many nodes of `kind` imported from `source` still exist. */
  countImportedNodes(source: string, kind: NodeKind): Promise<number>;
}
