/**
 * Per-caller rate limiting: a token bucket for each API key (or, for anonymous callers of
 * open local mode, each remote address). A bucket holds up to `burst` tokens, refills at
 * `perSecond`, and each GraphQL request takes one; a request finding it empty is refused
 * with 429 and Retry-After before its body is parsed. Buckets live in memory, per process.
 */
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { callerOf } from './auth.js';
import { ACCESS_CODE } from './error-codes.js';
import { refusal } from './refusal.js';
import { requestIdOf } from './request-id.js';

export interface RateLimitOptions {
  /** Sustained requests per second per caller; 0 turns limiting off. */
  perSecond: number;
  /** Requests a caller may make at once after being idle. */
  burst: number;
  /** Buckets kept at most; the least recently used go first (a full bucket loses nothing by going). Default 10,000. */
  maxCallers?: number;
  /** Milliseconds; tests pass their own clock. */
  now?: () => number;
}

interface Bucket { tokens: number; at: number }

/** Token buckets by caller key. */
export class TokenBuckets {
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

/** The bucket a request draws from: its key, else its remote address. */
function callerKey(request: Request, serverContext: unknown): string {
  const keyId = callerOf(request)?.keyId;
  if (keyId) return `key:${keyId}`;
  const address = (serverContext as { req?: IncomingMessage } | undefined)?.req?.socket?.remoteAddress;
  return `address:${address ?? 'unknown'}`;
}

/**
 * Refuses GraphQL requests beyond the caller's rate with 429 RATE_LIMITED, telling
 * `onRefused` (the metrics) of each. Must run after useAuthentication.
 */
export function useRateLimit(
  options: RateLimitOptions, graphqlPath: string, logger: Logger, restPaths: readonly string[] = [], onRefused: () => void = () => undefined,
): Plugin {
  if (options.perSecond === 0) return {};
  const buckets = new TokenBuckets(options);
  return {
    onRequest({ request, serverContext, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlPath && !restPaths.includes(url.pathname)) return;
      const key = callerKey(request, serverContext);
      const waitMs = buckets.take(key);
      if (waitMs === 0) return;
      logger.info({ requestId: requestIdOf(request), caller: key }, 'request refused: rate limit');
      onRefused();
      endResponse(refusal(
        fetchAPI, 429, `too many requests: at most ${options.perSecond} a second (bursts of ${options.burst}); retry later`,
        ACCESS_CODE.RATE_LIMITED, { 'retry-after': String(Math.ceil(waitMs / 1000)) },
      ));
    },
  };
}
