/**
 * Paging, once for every paged list: one cursor codec, one page shape and one `first`
 * check (against the table in argument-ranges.ts).
 *
 * A cursor is opaque to clients: base64url of `[list, key]`, where `list` names the list
 * and order it was made for (so it cannot be replayed against another and silently skip or
 * repeat items) and `key` is the sort key of the last item given, not a position, so a page
 * asked again after the data changed resumes after the same item, not after the same count.
 */
import { InvalidArgumentError } from '../../graph/errors.js';
import { intArgument, PAGE_SIZE_RANGE } from './argument-ranges.js';
import { isPresent, MAX_TEXT_LENGTH, requireName } from './validate.js';

/** The sort key of one item: compared element by element. */
export type SortKey = readonly (string | number)[];

/** The paging arguments every paged list takes. */
export interface PageArgs {
  /** 1 to 1,000; default 100. */
  first?: number | null;
  /** An endCursor of an earlier page of the same list. */
  after?: string | null;
}

/** One page of a list, in the list's order. */
export interface Page<T> {
  nodes: T[];
  /** One opaque cursor per node, for `after`. */
  cursors: string[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A page of a list that can be counted (every list but the audit log, whose store keeps no count). */
export interface CountedPage<T> extends Page<T> {
  /**
   * Every item of the list, across pages. A function so that a list whose count costs a
   * store query (node listing) runs it only when asked.
   */
  totalCount(): number | Promise<number>;
}

/** Orders two keys of the same list element by element. */
export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** `first` of a paged list, checked against the one range (1..1,000, default 100). */
export const pageSize = (first: unknown): number => intArgument(first, 'first', PAGE_SIZE_RANGE);

/** The cursor of the item with sort key `key` in `list`. */
export function encodeCursor(list: string, key: SortKey): string {
  return Buffer.from(JSON.stringify([list, key]), 'utf8').toString('base64url');
}

/**
 * The sort key in `after`, or null when absent. INVALID_ARGUMENT on `after` when it is
 * not a cursor this API made, or was made for another list (`otherList` says what to do).
 */
export function decodeAfter(
  after: unknown, list: string,
  otherList = `after is not a cursor of this list (use an endCursor of an earlier page of ${list})`,
): SortKey | null {
  if (!isPresent(after)) return null;
  const cursor = requireName(after, 'after', MAX_TEXT_LENGTH);
  let body: unknown = null;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    body = null;
  }
  const parts = Array.isArray(body) ? body : [];
  const key: unknown = parts[1];
  if (parts.length !== 2 || typeof parts[0] !== 'string' || !Array.isArray(key)
    || !key.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k)))) {
    throw new InvalidArgumentError('after is not a cursor this API made (use an endCursor of an earlier page)', 'after');
  }
  if (parts[0] !== list) throw new InvalidArgumentError(otherList, 'after');
  return key as SortKey;
}

/**
 * A page from `rows`, read from the store with a limit of `first + 1` (one more than the
 * page, to learn whether another follows without a count).
 */
export function pageOfRows<T>(rows: readonly T[], first: number, list: string, keyOf: (item: T) => SortKey): Page<T> {
  const nodes = rows.slice(0, first);
  const cursors = nodes.map((item) => encodeCursor(list, keyOf(item)));
  return { nodes, cursors, hasNextPage: rows.length > first, endCursor: cursors.at(-1) ?? null };
}

/**
 * The page of `sorted` (a list the service computed in memory, sorted ascending by
 * `keyOf`) after the cursor `args.after`. `list` names the list inside the cursor, so a
 * cursor of one list cannot page another.
 */
export function pageOfSorted<T>(sorted: readonly T[], keyOf: (item: T) => SortKey, list: string, args: PageArgs = {}): CountedPage<T> {
  const first = pageSize(args.first);
  const after = decodeAfter(args.after, list);
  let from = 0;
  if (after !== null) {
    from = sorted.findIndex((item) => compareKeys(keyOf(item), after) > 0);
    if (from < 0) from = sorted.length;
  }
  const total = sorted.length;
  return { ...pageOfRows(sorted.slice(from, from + first + 1), first, list, keyOf), totalCount: () => total };
}
