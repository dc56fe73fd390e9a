/**
 * Whether one transaction's view is still usable. The three concern parts of a SQLite
 * StoreTx (sqlite-graph.ts, sqlite-keys.ts, sqlite-privacy.ts) share one, so ending the
 * transaction ends all three at once.
 */
import { FailedPreconditionError } from '../errors.js';

export class TxLife {
  private open = true;

  /** Ends the view: a StoreTx kept past its transaction would run outside it. */
  end(): void {
    this.open = false;
  }

  /** Throws once the transaction has ended. */
  check(): void {
    if (!this.open) throw new FailedPreconditionError('the transaction has already ended');
  }
}
