/**
 * Per-caller rate limiting: a token bucket for each API key (or, for anonymous callers of
 * open local mode, each remote address). A bucket holds up to `burst` tokens, refills at
 * `perSecond`, and each GraphQL request takes one; a request finding it empty is refused
 * with 429 and Retry-After before its body is parsed. Buckets live in this process's memory,
 * unless `shared` is given (several processes on one Neo4j): then each process leases its
 * tokens from the caller's one bucket in the database (shared-rate-limit.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { callerOf } from './auth.js';
import { ACCESS_CODE } from './error-codes.js';
import { refusal } from './refusal.js';
import { requestIdOf } from './request-id.js';
import { LeasedTokenBuckets } from './shared-rate-limit.js';
import { TokenBuckets, type CallerBuckets, type RateLimitOptions } from './token-buckets.js';

export { TokenBuckets, type CallerBuckets, type RateLimitOptions } from './token-buckets.js';

/** The buckets `options` asks for: shared through the database when it offers them, else this process's own. */
export function callerBucketsFor(options: RateLimitOptions, logger: Logger): CallerBuckets {
  return options.shared ? new LeasedTokenBuckets(options, options.shared, logger) : new TokenBuckets(options);
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
  const buckets = callerBucketsFor(options, logger);
  return {
    async onRequest({ request, serverContext, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlPath && !restPaths.includes(url.pathname)) return;
      const key = callerKey(request, serverContext);
      const waitMs = await buckets.take(key);
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
