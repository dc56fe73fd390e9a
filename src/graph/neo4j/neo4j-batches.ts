/**
 * Batch helpers shared by the Neo4j concern parts: a key list is sent in slices of
 * BATCH_SIZE (one UNWIND statement each) and the answers are realigned with the keys.
 */

/** Keys or rows per statement: large enough for few round trips, small enough to bound a message. */
export const BATCH_SIZE = 2_000;

export function chunks<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/** Items with distinct keys, the first of each kept. */
export function uniqueBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(keyOf(item))) seen.set(keyOf(item), item);
  return [...seen.values()];
}

/** `keys` answered from `found`, a miss being null. */
export const aligned = <K, T>(keys: readonly K[], found: ReadonlyMap<K, T>): (T | null)[] =>
  keys.map((k) => found.get(k) ?? null);

/** `keys` answered with the values grouped under each, in the rows' order; a key without rows gets []. */
export function grouped<T>(keys: readonly string[], entries: readonly [string, T][]): T[][] {
  const groups = new Map<string, T[]>();
  for (const [key, value] of entries) {
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return keys.map((k) => [...(groups.get(k) ?? [])]);
}
