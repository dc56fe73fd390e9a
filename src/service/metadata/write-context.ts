/**
 * What every write step needs besides the transaction: the time of the write (one value
 * for the whole transaction, so a recordExecution's nodes and events share it), the id
 * source, and the layers over the core (write-hooks.ts): their input fields and their
 * hooks for this attempt.
 */
import type { StoreTx } from '../../graph/store.js';
import type { WriteHooks, WriteLayer } from './write-hooks.js';

export interface WriteContext {
  tx: StoreTx;
  /** Milliseconds since the epoch, read once per transaction attempt. */
  now: number;
  /** A new server id: UUIDv7, so ids sort by creation time. */
  newId(): string;
  /** The layers over the core, in order: each may add fields to the inputs. */
  layers: readonly WriteLayer[];
  /** Every layer's hooks for this attempt, as one. */
  hooks: Required<WriteHooks>;
}
