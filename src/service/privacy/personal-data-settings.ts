/**
 * The configuration of the personal-data features, built once (src/service/services.ts,
 * from JOURNEY_AGGREGATE_MIN_K and the lineage ceilings) and shared by everything that
 * needs it: the write layer that keeps the derived statuses and the personal-data
 * service that reads them must derive under the same minimum k, or every read would
 * derive again.
 */
import { checkLimits, type LineageLimits } from '../lineage/lineage-args.js';
import { describe } from '../shared/validate.js';

/** AGGREGATE with k at or above this lets nothing through, unless configured otherwise. */
export const DEFAULT_AGGREGATE_MIN_K = 10;

export interface PersonalDataSettings {
  /**
   * AGGREGATE with k at or above this lets no personal data through: for the statuses the
   * writes keep, the ones derived on read, and what weakens tracking. Default 10.
   */
  readonly aggregateMinK: number;
  /**
   * The ceilings and time budget of the walks over the data flow (subject lineage, the
   * inventory, statuses derived on read): the lineage service's. Default DEFAULT_LIMITS.
   */
  readonly limits: Readonly<LineageLimits>;
}

/** Validated settings with the defaults filled in; a bad value is a programming error (the configuration checks its own). */
export function personalDataSettings(options: { aggregateMinK?: number; limits?: Partial<LineageLimits> } = {}): PersonalDataSettings {
  const aggregateMinK = options.aggregateMinK ?? DEFAULT_AGGREGATE_MIN_K;
  if (!Number.isSafeInteger(aggregateMinK) || aggregateMinK < 1) {
    throw new Error(`aggregateMinK must be an integer of 1 or more, got ${describe(aggregateMinK)}`);
  }
  return Object.freeze({ aggregateMinK, limits: Object.freeze(checkLimits(options.limits ?? {})) });
}
