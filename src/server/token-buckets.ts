/**
 * A token bucket per caller in this process's memory, and the options every rate limit
 * takes (rate-limit.ts for the HTTP face, grpc-server.ts for gRPC; shared-rate-limit.ts
 * leases from buckets in the database instead).
 */
import type { RateLimitLeases } from '../graph/rate-limit-store.js';

export interface RateLimitOptions {
  /** Sustained requests per second per caller; 0 turns limiting off. */
  perSecond: number;
  /** Requests a caller may make at once after being idle. */
  burst: number;
  /** Buckets kept at most; the least recently used go first (a full bucket loses nothing by going). Default 10,000. */
  maxCallers?: number;
  /** Milliseconds; tests pass their own clock. */
  now?: () => number;
  /** Buckets in the database, shared by every process on it; absent: per process. */
  shared?: RateLimitLeases;
}

/** Takes a token for a caller: 0 when granted, else the milliseconds until one may be there. */
export interface CallerBuckets {
  take(caller: string): number | Promise<number>;
}

interface Bucket { tokens: number; at: number }

/** Token buckets by caller key. */
export class TokenBuckets implements CallerBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxCallers: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.perSecond > 0) || !(options.burst >= 1)) {
      throw new Error(`a rate limit needs perSecond > 0 and burst >= 1, got ${options.perSecond} and ${options.burst}`);
    }
    this.maxCallers = options.maxCallers ?? 10_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Takes a token for `caller`: 0 when granted, else the milliseconds until one will be there. */
  take(caller: string): number {
    const now = this.now();
    const bucket = this.buckets.get(caller) ?? { tokens: this.options.burst, at: now };
    // Refilled lazily, from the time elapsed since the bucket was last touched.
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond);
    bucket.at = now;
    // Re-inserted so the Map's order is least recently used first.
    this.buckets.delete(caller);
    this.buckets.set(caller, bucket);
    if (this.buckets.size > this.maxCallers) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.options.perSecond) * 1000);
  }
}
