/**
 * A read transaction's whole work, named so that it can run where the store reads. A
 * `read(work)` call hands the backend a closure, which only this thread can run; a
 * backend that reads on other threads (SQLite's reader threads) then pays one message
 * per store call, and ships every intermediate answer back (a lineage walk's reach, then
 * its records). A read unit is the same work as a function exported by a module, with
 * arguments that survive a structured clone: such a backend runs it whole on its reader
 * thread, and only the answer crosses back. Every other backend, and every wrapper of a
 * store, sees an ordinary `work` closure and runs it as before.
 */
import type { StoreTx } from './store.js';

/** Where a unit's function is: a module's URL (its `import.meta.url`) and the export's name. */
export interface ReadUnit {
  readonly module: string;
  readonly name: string;
  /** Structured-cloneable: plain data, arrays, Maps, Sets. */
  readonly args: unknown;
}

type UnitWork<T> = ((tx: StoreTx) => Promise<T>) & { readonly readUnit?: ReadUnit };

/**
 * The `work` for `store.read` that runs `run(tx, args)`, and tells a backend able to do
 * so that `run` is the export `name` of `module`, so it may run it elsewhere.
 */
export function readUnit<A, T>(module: string, name: string, run: (tx: StoreTx, args: A) => Promise<T>, args: A): (tx: StoreTx) => Promise<T> {
  const work: UnitWork<T> = (tx) => run(tx, args);
  return Object.assign(work, { readUnit: { module, name, args } });
}

/** The unit `work` was made from by readUnit, if it was. */
export function readUnitOf(work: (tx: StoreTx) => Promise<unknown>): ReadUnit | undefined {
  return (work as UnitWork<unknown>).readUnit;
}

/** `wrapped`, marked with the unit `work` was made from (if any), so a wrapper of a store keeps units whole. */
export function keepReadUnit<T>(work: (tx: StoreTx) => Promise<T>, wrapped: (tx: StoreTx) => Promise<T>): (tx: StoreTx) => Promise<T> {
  const unit = readUnitOf(work);
  return unit === undefined ? wrapped : Object.assign(wrapped, { readUnit: unit });
}
