/**
 * Pages over a list the service computed in memory and sorted by a key (an impact
 * report's lists). The cursor holds the sort key of the last item, not a position, so a
 * page asked again after the graph changed resumes after the same item, not after the
 * same count.
 */
import { InvalidArgumentError } from '../graph/errors.js';
import { intArgument, PAGE_SIZE_RANGE } from './argument-ranges.js';
import { isPresent, MAX_TEXT_LENGTH, requireName } from './validate.js';

export type SortKey = readonly (string | number)[];

export interface SortedPageInput {
  /** 1 to 1,000; default 100. */
  first?: number | null;
  /** An endCursor of an earlier page of the same list. */
  after?: string | null;
}

export interface SortedPage<T> {
  items: T[];
  /** One cursor per item, for `after`. */
  cursors: string[];
  hasNextPage: boolean;
  endCursor: string | null;
  /** Every item of the list, across pages. */
  totalCount: number;
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

const encode = (list: string, key: SortKey): string => Buffer.from(JSON.stringify([list, key]), 'utf8').toString('base64url');

function decode(cursor: string, list: string): SortKey {
  let body: unknown = null;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    body = null;
  }
  const parts = Array.isArray(body) ? body : [];
  const key: unknown = parts[1];
  if (parts[0] !== list || !Array.isArray(key) || !key.every((k) => typeof k === 'string' || typeof k === 'number')) {
    throw new InvalidArgumentError(`after is not a cursor of this list (use an endCursor of an earlier page of ${list})`, 'after');
  }
  return key as SortKey;
}

/**
 * The page of `sorted` (sorted ascending by `keyOf`) after the cursor `input.after`.
 * `list` names the list inside the cursor, so a cursor of one list cannot page another.
 */
export function pageOfSorted<T>(sorted: readonly T[], keyOf: (item: T) => SortKey, list: string, input: SortedPageInput = {}): SortedPage<T> {
  const first = intArgument(input.first, 'first', PAGE_SIZE_RANGE);
  let from = 0;
  if (isPresent(input.after)) {
    const after = decode(requireName(input.after, 'after', MAX_TEXT_LENGTH), list);
    from = sorted.findIndex((item) => compareKeys(keyOf(item), after) > 0);
    if (from < 0) from = sorted.length;
  }
  const items = sorted.slice(from, from + first);
  const cursors = items.map((item) => encode(list, keyOf(item)));
  return {
    items,
    cursors,
    hasNextPage: from + first < sorted.length,
    endCursor: cursors.at(-1) ?? null,
    totalCount: sorted.length,
  };
}

