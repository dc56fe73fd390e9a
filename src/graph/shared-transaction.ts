/**
 * The transaction that GraphStore.inOneTransaction shares with every store call made
 * within it. A backend's `read` and `write`, called inside the scope (awaited calls,
 * DataLoader batches, nested GraphQL fields), run their work on the shared transaction
 * instead of opening their own: on SQLite a second transaction would wait forever behind
 * the first (one connection, one transaction at a time), and on Neo4j it would not see
 * the first one's uncommitted writes. Each store holds its own scope, so a call on
 * another store is never drawn in.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class SharedTransactionScope<Tx> {
  private readonly scope = new AsyncLocalStorage<{ tx: Tx; open: boolean }>();

  /** The transaction the calling async context shares, while `share` runs. */
  current(): Tx | undefined {
    const shared = this.scope.getStore();
    return shared?.open ? shared.tx : undefined;
  }

  /**
   * Runs `work` with `tx` shared by every store call it makes. Work still running when
   * `work` has settled (a promise nobody awaited) opens its own transaction again, never
   * one that has ended.
   */
  async share<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
    const shared = { tx, open: true };
    try {
      return await this.scope.run(shared, work);
    } finally {
      shared.open = false;
    }
  }
}
