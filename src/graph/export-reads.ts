/**
 * The reads that `journey export` (src/service/transfer/) needs beyond the other concerns:
 * the ExportReadTx part of StoreTx (src/graph/store.ts), implemented by both backends.
 * Each is batch-shaped over a page of nodes the export already holds (or reads one row per
 * id space), so an export costs a fixed number of queries per page whatever the store's size.
 */
import type { MlmdIdSpace } from './model.js';

/** Where one node came from, as ImportOriginTx recorded it (the kind is the node's own). */
export interface NodeImportOrigin {
  source: string;
  sourceId: number;
}

/** The export part of StoreTx. */
export interface ExportReadTx {
  /**
   * The highest id each space has handed out (0 for none): at least every stored record's
   * id, higher when records were deleted or blocks taken (Neo4j hands out blocks).
   */
  mlmdIdsHandedOut(): Promise<Record<MlmdIdSpace, number>>;
  /** Each artifact's registered subject hashes, sorted, aligned with `artifactIds` ([] for none or a missing node). */
  subjectsOfArtifacts(artifactIds: readonly string[]): Promise<string[][]>;
  /** Each node's import origins, by source then source id, aligned with `nodeIds` ([] for none). */
  importOriginsOfNodes(nodeIds: readonly string[]): Promise<NodeImportOrigin[][]>;
}
