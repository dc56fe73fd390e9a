/**
 * What every write step needs besides the transaction: the time of the write (one value
 * for the whole transaction, so a recordExecution's nodes and events share it) and the
 * id source.
 */
import type { StoreTx } from '../../graph/store.js';
import type { DerivedStatusChanges } from '../privacy/derived-status.js';
import type { TrackingChange, WriteActor } from '../privacy/tracking-changes.js';

export interface WriteContext {
  tx: StoreTx;
  /** Milliseconds since the epoch, read once per transaction attempt. */
  now: number;
  /** A new server id: UUIDv7, so ids sort by creation time. */
  newId(): string;
  /** What the steps touched that may change derived personal-data statuses, kept before the commit. */
  derived: DerivedStatusChanges;
  /** Who writes: the caller for the audit log, and who decides whether a tracking change may be made. */
  actor: WriteActor;
  /** The changes of personal-data tracking the steps made, audited before the commit. */
  tracking: TrackingChange[];
  /** AGGREGATE with k at or above this lets no personal data through (it decides what weakens tracking). */
  aggregateMinK: number;
}

/** Lets the actor refuse `change` (before the step writes anything of it), then keeps it for the audit log. */
export function noteTrackingChange(ctx: WriteContext, change: TrackingChange): void {
  ctx.actor.authorize(change);
  ctx.tracking.push(change);
}
