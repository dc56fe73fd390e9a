/**
 * The ranges of the API's integer arguments and their defaults, in one table. The
 * services check every value against it (so in-process callers get the same rules), and
 * the server checks a whole operation's arguments against the same table before any
 * field runs (src/server/operation-check.ts), so a nested field's bad argument refuses
 * the operation instead of failing after a mutation committed.
 */
import { isPresent, requireInt } from './validate.js';

/** The integers an argument takes, and what an absent one means. */
export interface IntRange {
  min: number;
  max: number;
  /** The value of an absent argument; undefined when the field itself decides (lineage defaults differ per field). */
  default?: number;
}

/** Items one page holds when `first` is absent. */
export const DEFAULT_PAGE_SIZE = 100;
/** Most items one page holds. */
export const MAX_PAGE_SIZE = 1000;

/** The arguments with a range, by name: every field argument of that name (an Int) obeys it. */
export type RangedArgument = 'first' | 'maxHops' | 'maxNodes';

export type ArgumentRanges = Readonly<Record<RangedArgument, IntRange>>;

/** `first` of every paged list. */
export const PAGE_SIZE_RANGE: IntRange = { min: 1, max: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE };

/** The table for a server whose lineage ceilings are `limits` (maxHops and maxNodes stop at them). */
export function argumentRanges(limits: { maxHopsCeiling: number; maxNodesCeiling: number }): ArgumentRanges {
  return {
    first: PAGE_SIZE_RANGE,
    maxHops: { min: 0, max: limits.maxHopsCeiling },
    maxNodes: { min: 1, max: limits.maxNodesCeiling },
  };
}

/**
 * `value` when present (INVALID_ARGUMENT on `field` outside `range`); when absent,
 * `fallback` (default: the range's default) lowered to the range's top, so a default
 * never exceeds a ceiling the operator set below it.
 */
export function intArgument(value: unknown, field: string, range: IntRange, fallback: number | undefined = range.default): number {
  if (isPresent(value)) return requireInt(value, field, range.min, range.max);
  if (fallback === undefined) throw new Error(`${field} has no default`);
  return Math.min(fallback, range.max);
}
