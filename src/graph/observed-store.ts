/**
 * A GraphStore that passes everything through and lets observers watch each call: every
 * StoreTx method the services call (one round trip each) and every transaction
 * (`read`, `write`, `inOneTransaction`). Metrics time them, tracing makes spans of them
 * (src/server/metrics.ts, tracing.ts); the store knows nothing of either. Wrapping is done
 * once, where a process opens its store (src/main.ts), so every service sees it.
 *
 * A read unit (read-unit.ts) keeps its mark through the wrapper: SQLite's reader threads
 * still run it whole, so its inner calls happen on another thread and are observed as
 * the one `read` they are; on Neo4j and in-thread SQLite each inner call is observed.
 */
import { keepReadUnit } from './read-unit.js';
import type { GraphStore, StoreTx } from './store.js';

/** What is observed: a whole transaction, or one StoreTx method. */
export interface StoreCall {
  kind: 'transaction' | 'method';
  /** `read`, `write` or `inOneTransaction` for a transaction; the StoreTx method's name otherwise. */
  name: string;
}

/** Watches store calls; `run` must be called exactly once and its outcome returned unchanged. */
export interface StoreObserver {
  observe<T>(call: StoreCall, run: () => Promise<T>): Promise<T>;
}

/** `store` with every call seen by `observers` (the first outermost); `store` itself when there are none. */
export function observeStore(store: GraphStore, observers: readonly StoreObserver[]): GraphStore {
  if (observers.length === 0) return store;
  const observed = <T>(call: StoreCall, run: () => Promise<T>): Promise<T> =>
    observers.reduceRight<() => Promise<T>>((inner, observer) => () => observer.observe(call, inner), run)();
  // One wrapper per method name and transaction object, made on first use: a walk calls the same few methods many times.
  const observeTx = (tx: StoreTx): StoreTx => {
    const wrapped = new Map<PropertyKey, unknown>();
    return new Proxy(tx, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        let method = wrapped.get(prop);
        if (method === undefined) {
          const call: StoreCall = { kind: 'method', name: prop };
          method = (...args: unknown[]) => observed(call, () => Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args)));
          wrapped.set(prop, method);
        }
        return method;
      },
    });
  };
  const READ: StoreCall = { kind: 'transaction', name: 'read' };
  const WRITE: StoreCall = { kind: 'transaction', name: 'write' };
  const SHARED: StoreCall = { kind: 'transaction', name: 'inOneTransaction' };
  return {
    get backend() { return store.backend; },
    init: () => store.init(),
    read: (work) => observed(READ, () => store.read(keepReadUnit(work, (tx) => work(observeTx(tx))))),
    write: (work) => observed(WRITE, () => store.write((tx) => work(observeTx(tx)))),
    // The reads and writes made within reach the inner store through this wrapper, and join its shared transaction there.
    inOneTransaction: (work) => observed(SHARED, () => store.inOneTransaction(work)),
    // The shared rate-limit buckets are the store's own (their leases are not service calls):
    // dropping them here made every process limit alone (test/neo4j/multi-process.test.ts).
    get rateLimitLeases() { return store.rateLimitLeases; },
    get transactionPool() { return store.transactionPool; },
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
