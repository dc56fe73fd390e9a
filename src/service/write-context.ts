/**
 * What every write step needs besides the transaction: the time of the write (one value
 * for the whole transaction, so a recordExecution's nodes and events share it) and the
 * id source.
 */
import { uuidv7 } from 'uuidv7';
import type { StoreTx } from '../graph/store.js';
import type { DerivedStatusChanges } from './privacy/derived-status.js';

export interface WriteContext {
  tx: StoreTx;
  /** Milliseconds since the epoch, read once per transaction attempt. */
  now: number;
  /** A new server id: UUIDv7, so ids sort by creation time. */
  newId(): string;
  /** What the steps touched that may change derived personal-data statuses, kept before the commit. */
  derived: DerivedStatusChanges;
}

export const newId = (): string => uuidv7();
