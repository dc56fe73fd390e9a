/**
 * The server's protective settings in one shape, with the defaults a server gets when
 * it is given none (src/config.ts reads them from the environment).
 */
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits.js';
import type { RateLimitOptions } from './rate-limit.js';

export interface ServerSecurity {
  /** Per key (or, for anonymous local callers, per address). */
  rateLimit: RateLimitOptions;
  queryLimits: QueryLimits;
  /** Largest request body in bytes; larger ones are refused with 413. */
  maxBodyBytes: number;
  /** Largest answer in bytes (about its JSON size, counted while it is built); past it the operation ends with RESPONSE_TOO_LARGE. */
  maxResponseBytes: number;
  /** Whether `__schema` and `__type` are answered (and validation errors may suggest field names). */
  introspection: boolean;
  /** Whether browsers get GraphiQL at the GraphQL endpoint. */
  graphiql: boolean;
}

export const DEFAULT_SECURITY: ServerSecurity = {
  rateLimit: { perSecond: 100, burst: 200 },
  queryLimits: DEFAULT_QUERY_LIMITS,
  // A bulk putLineageSubgraph of 10,000 items with properties fits with room to spare.
  maxBodyBytes: 16 * 1024 * 1024,
  // The same as the body: what one request may write, one answer can read back, and a
  // server holds a few answers of this size at once without strain.
  maxResponseBytes: 16 * 1024 * 1024,
  introspection: true,
  graphiql: true,
};
