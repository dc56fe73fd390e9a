/**
 * Rate limits shared by several API processes on one database: each process keeps a small
 * local stock of tokens per caller, leased in batches from the caller's bucket in the
 * database (src/graph/rate-limit-store.ts), so most requests cost no database round trip
 * and the processes together never grant more than the one bucket holds.
 *
 * Why leases rather than one database write per request: the write would add a
 * transaction (a lock on one node, a round trip) to every request, and every request of a
 * busy key would queue on that one node across all processes. A lease of a tenth of a
 * second's worth of tokens cuts that tenfold at the default rate. The price is precision
 * the safe way: tokens a process leased and did not use within LEASE_TTL_MS are dropped,
 * never handed back, so a caller may be refused a little early, never served beyond the
 * shared rate. A refusal is remembered locally until the bucket can have refilled, so a
 * flood of refused requests costs the database nothing.
 */
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import type { RateLimitLeases } from '../graph/rate-limit-store.js';
import { TokenBuckets, type CallerBuckets, type RateLimitOptions } from './token-buckets.js';

/** How long leased tokens stay usable; after it they are dropped (the shared bucket has refilled meanwhile). */
export const LEASE_TTL_MS = 1_000;

/** How long a process limits alone after a lease failed, before it tries the database again. */
export const FALLBACK_MS = 5_000;

/**
 * Tokens leased at once: a tenth of a second at the rate, at most a tenth of the burst
 * (a burst is not hoarded by one process), at least 1. The default 100/s with bursts of 200
 * leases 10.
 */
export function leaseSizeOf(perSecond: number, burst: number): number {
  return Math.max(1, Math.min(Math.ceil(perSecond / 10), Math.floor(burst / 10)));
}

interface LocalStock {
  tokens: number;
  /** Until when the tokens may be used (local clock, ms). */
  usableUntil: number;
  /** Until when the shared bucket was found empty: refused locally until then. */
  refusedUntil: number;
  /** The lease in flight, shared by the caller's requests that arrive meanwhile. */
  leasing: Promise<void> | null;
}

/** Token buckets leased from the database's shared ones; falls back to this process's own when the database cannot lease. */
export class LeasedTokenBuckets implements CallerBuckets {
  private readonly stocks = new Map<string, LocalStock>();
  private readonly leaseSize: number;
  private readonly maxCallers: number;
  private readonly now: () => number;
  /** Used only while the database does not answer: a limit per process beats none, and beats refusing everyone. */
  private readonly fallback: TokenBuckets;
  /** After a failed lease, the process limits alone until then, rather than try (and wait on) the database for every request. */
  private fallbackUntil = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: RateLimitOptions, private readonly leases: RateLimitLeases, private readonly logger: Logger) {
    this.fallback = new TokenBuckets(options);
    this.leaseSize = leaseSizeOf(options.perSecond, options.burst);
    this.maxCallers = options.maxCallers ?? 10_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Takes a token for `caller`: 0 when granted, else the milliseconds until one may be there. */
  async take(caller: string): Promise<number> {
    if (this.now() < this.fallbackUntil) return this.fallback.take(caller);
    const stock = this.stockOf(caller);
    // Until a token or a refusal: a request that waited on another's lease may find its
    // tokens taken by the others that waited, and then leases again. Each lease either
    // grants a token or finds the bucket empty (and sets refusedUntil), so this ends.
    for (;;) {
      const now = this.now();
      if (stock.tokens >= 1 && now < stock.usableUntil) {
        stock.tokens -= 1;
        return 0;
      }
      if (now < stock.refusedUntil) return Math.ceil(stock.refusedUntil - now);
      if (stock.leasing === null) {
        stock.leasing = this.lease(caller, stock).finally(() => { stock.leasing = null; });
      }
      try {
        await stock.leasing;
      } catch (err) {
        if (this.now() >= this.fallbackUntil) {
          this.fallbackUntil = this.now() + FALLBACK_MS;
          this.logger.warn({ err }, `rate limit: the shared bucket could not be leased from; this process limits alone for ${FALLBACK_MS / 1000} s`);
        }
        return this.fallback.take(caller);
      }
    }
  }

  private async lease(caller: string, stock: LocalStock): Promise<void> {
    const { granted, left } = await this.leases.lease({
      caller: sharedKeyOf(caller), want: this.leaseSize, perSecond: this.options.perSecond, burst: this.options.burst,
    });
    const now = this.now();
    stock.tokens = granted;
    stock.usableUntil = now + LEASE_TTL_MS;
    // Empty: refuse here until a whole token can have come back, without asking again.
    stock.refusedUntil = granted === 0 ? now + Math.ceil(((1 - left) / this.options.perSecond) * 1000) : 0;
  }

  private stockOf(caller: string): LocalStock {
    let stock = this.stocks.get(caller);
    if (stock) {
      this.stocks.delete(caller);
    } else {
      stock = { tokens: 0, usableUntil: 0, refusedUntil: 0, leasing: null };
    }
    // Re-inserted so the Map's order is least recently used first; a stock dropped loses at most a lease.
    this.stocks.set(caller, stock);
    if (this.stocks.size > this.maxCallers) this.stocks.delete(this.stocks.keys().next().value!);
    return stock;
  }
}

/** The bucket's name in the database: a hash, so no address or key id is stored beside the rate. */
export const sharedKeyOf = (caller: string): string => createHash('sha256').update(caller, 'utf8').digest('hex');
