/**
 * The history of nodes: the NodeHistoryTx part of StoreTx (src/graph/store.ts),
 * implemented by both backends. Every `GraphTx.updateNodes` keeps the record it replaces,
 * in the same statement or transaction as the update, so no write path (GraphQL, gRPC,
 * ML Metadata's replace, the importer) can change a node without its earlier record
 * staying readable: the answer to "what did the model's input look like when it was
 * trained" does not move when the input is re-recorded later.
 *
 * A replaced record was current from its own updateTime (its validFrom) until the update
 * that replaced it (validTo, the new record's updateTime). The record of a node at time T
 * is the earliest replaced record with validTo > T, else the current one; a node created
 * after T had none.
 */
import type { NodeRecord } from './model.js';

/** One record a node held, and when: from validFrom (inclusive) to validTo (exclusive; null: still current). */
export interface NodeHistoryEntry {
  record: NodeRecord;
  /** Milliseconds since the epoch: the record's updateTime (its createTime for the first). */
  validFrom: number;
  /** Milliseconds since the epoch: when an update replaced it; null for the current record. */
  validTo: number | null;
}

/** The history part of StoreTx. */
export interface NodeHistoryTx {
  /**
   * Each node's record as it stood at `asOf` (ms), aligned with `ids`: null where no node
   * has that id or it was created after `asOf`. One query for the whole batch.
   */
  nodesAsOf(ids: readonly string[], asOf: number): Promise<(NodeRecord | null)[]>;
  /**
   * Each node's records, oldest first (by validTo, the current record last), aligned with
   * `ids`; an empty list where no node has that id. One query for the whole batch.
   */
  nodeHistories(ids: readonly string[]): Promise<NodeHistoryEntry[][]>;
  /** Forgets every replaced record of these nodes (their current records stay); returns how many went. */
  deleteNodeHistories(ids: readonly string[]): Promise<number>;
}

/**
 * A node's entries from its replaced records (oldest first, each with the time it was
 * replaced) and its current record: each record is valid from the previous one's validTo
 * (the first from the node's createTime) until its own. Both backends answer through this.
 */
export function historyEntries(replaced: readonly { record: NodeRecord; validTo: number }[], current: NodeRecord): NodeHistoryEntry[] {
  const entries: NodeHistoryEntry[] = [];
  let from = current.createTime;
  for (const r of replaced) {
    entries.push({ record: r.record, validFrom: from, validTo: r.validTo });
    from = r.validTo;
  }
  entries.push({ record: current, validFrom: from, validTo: null });
  return entries;
}
