/**
 * Shared rate-limit buckets: one token bucket per caller kept in the database, so that
 * several API processes on it draw from one rate (src/server/shared-rate-limit.ts leases
 * tokens from it in small batches). Only a backend that several processes share offers
 * it (Neo4j); an embedded SQLite file is served by one process.
 */

export interface TokenLeaseRequest {
  /** Whose bucket: an opaque caller key (a hash; never a key's secret or a subject identifier). */
  caller: string;
  /** Tokens wanted, a positive integer; fewer are granted when fewer are there. */
  want: number;
  /** The bucket's refill rate, in tokens a second (> 0). */
  perSecond: number;
  /** The bucket's size; a new bucket starts full. */
  burst: number;
}

export interface TokenLease {
  /** Tokens granted, from 0 to `want`. */
  granted: number;
  /** Tokens (possibly fractional) left in the shared bucket after the grant. */
  left: number;
}

export interface RateLimitLeases {
  /** Takes up to `want` tokens from the caller's shared bucket, refilled by the database's clock. One short write transaction. */
  lease(request: TokenLeaseRequest): Promise<TokenLease>;
}
