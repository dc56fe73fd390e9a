/**
 * The shared rate limit's leasing (src/server/shared-rate-limit.ts) over a bucket kept in
 * memory here in place of the database's: several "processes" (LeasedTokenBuckets
 * instances) together grant no more than the one bucket holds, lease in batches, remember
 * a refusal instead of asking again, and fall back to a limit of their own when the
 * database cannot lease. The real bucket over three real servers is in
 * test/neo4j/multi-process.test.ts.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { RateLimitLeases, TokenLeaseRequest } from '../../src/graph/rate-limit-store.js';
import { loadConfig } from '../../src/config.js';
import { FALLBACK_MS, LEASE_TTL_MS, LeasedTokenBuckets, leaseSizeOf, sharedKeyOf } from '../../src/server/shared-rate-limit.js';

/** One bucket per caller as the lease statement keeps it (cypher/limits/lease-tokens.cypher), on clock `now`. */
function memoryBuckets(now: () => number): RateLimitLeases & { requests: TokenLeaseRequest[] } {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const requests: TokenLeaseRequest[] = [];
  return {
    requests,
    async lease(request) {
      requests.push(request);
      await Promise.resolve();
      const b = buckets.get(request.caller) ?? { tokens: request.burst, at: now() };
      const available = Math.min(request.burst, b.tokens + (Math.max(0, now() - b.at) / 1000) * request.perSecond);
      const granted = Math.min(request.want, Math.floor(available));
      buckets.set(request.caller, { tokens: available - granted, at: now() });
      return { granted, left: available - granted };
    },
  };
}

const silent = pino({ level: 'silent' });

describe('shared rate limits leased from one bucket', () => {
  it('leases a tenth of a second at the rate, at most a tenth of the burst, at least one', () => {
    expect(leaseSizeOf(100, 200)).toBe(10);
    expect(leaseSizeOf(1, 30)).toBe(1);
    expect(leaseSizeOf(1000, 50)).toBe(5);
    expect(leaseSizeOf(100, 5)).toBe(1);
  });

  it('grants three processes together the one burst, not three', async () => {
    const now = 0;
    const shared = memoryBuckets(() => now);
    const processes = [0, 1, 2].map(() => new LeasedTokenBuckets({ perSecond: 1 / 86_400, burst: 30, now: () => now }, shared, silent));
    const waits = await Promise.all(Array.from({ length: 90 }, (_, i) => processes[i % 3]!.take('key:k')));
    expect(waits.filter((w) => w === 0)).toHaveLength(30);
    expect(waits.filter((w) => w > 0)).toHaveLength(60);
    // The bucket's name in the database is a hash of the caller, never the key id itself.
    expect(new Set(shared.requests.map((r) => r.caller))).toEqual(new Set([sharedKeyOf('key:k')]));
  });

  it('asks the database once per lease, not once per request, and drops leased tokens left past their time', async () => {
    let now = 0;
    const shared = memoryBuckets(() => now);
    const buckets = new LeasedTokenBuckets({ perSecond: 100, burst: 200, now: () => now }, shared, silent);
    for (let i = 0; i < 50; i += 1) expect(await buckets.take('key:k')).toBe(0);
    expect(shared.requests).toHaveLength(5);
    expect(shared.requests.every((r) => r.want === 10)).toBe(true);
    await buckets.take('key:k'); // leases 10, uses 1
    now += LEASE_TTL_MS;
    await buckets.take('key:k'); // the 9 left are past their time: leases again
    expect(shared.requests).toHaveLength(7);
  });

  it('refuses from memory while the shared bucket is empty, and asks again once a token can be back', async () => {
    let now = 0;
    const shared = memoryBuckets(() => now);
    const buckets = new LeasedTokenBuckets({ perSecond: 1, burst: 1, now: () => now }, shared, silent);
    expect(await buckets.take('key:k')).toBe(0);
    expect(await buckets.take('key:k')).toBe(1000);
    const leases = shared.requests.length;
    now = 400;
    expect(await buckets.take('key:k')).toBe(600);
    expect(shared.requests).toHaveLength(leases);
    now = 1000;
    expect(await buckets.take('key:k')).toBe(0);
  });

  it('limits in the process alone while the database cannot lease, and tries it again after a while', async () => {
    let now = 0;
    let down = true;
    const shared = memoryBuckets(() => now);
    const flaky: RateLimitLeases = {
      lease: async (request) => {
        if (down) throw new Error('the graph database is unavailable');
        return shared.lease(request);
      },
    };
    const warnings: unknown[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => { warnings.push(JSON.parse(line)); } });
    const buckets = new LeasedTokenBuckets({ perSecond: 1 / 86_400, burst: 2, now: () => now }, flaky, logger);
    expect(await buckets.take('key:k')).toBe(0);
    expect(await buckets.take('key:k')).toBe(0);
    expect(await buckets.take('key:k')).toBeGreaterThan(0);
    // One warning, not one per request: the database is not asked again for FALLBACK_MS.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ msg: 'rate limit: the shared bucket could not be leased from; this process limits alone for 5 s' });
    down = false;
    now = FALLBACK_MS - 1;
    expect(shared.requests).toHaveLength(0);
    expect(await buckets.take('key:k')).toBeGreaterThan(0);
    now = FALLBACK_MS;
    expect(await buckets.take('key:k')).toBe(0);
    expect(shared.requests).toHaveLength(1);
  });

  it('is shared by default on Neo4j, per process on SQLite, and refused as shared on SQLite', () => {
    expect(loadConfig({ JOURNEY_BACKEND: 'neo4j' }).rateLimitShared).toBe(true);
    expect(loadConfig({ JOURNEY_BACKEND: 'neo4j', JOURNEY_RATE_LIMIT_SHARED: 'false' }).rateLimitShared).toBe(false);
    expect(loadConfig({}).rateLimitShared).toBe(false);
    expect(() => loadConfig({ JOURNEY_RATE_LIMIT_SHARED: 'true' })).toThrow(
      'JOURNEY_RATE_LIMIT_SHARED=true needs JOURNEY_BACKEND=neo4j: a SQLite store is served by one process, whose limits are its own');
    expect(() => loadConfig({ JOURNEY_BACKEND: 'neo4j', JOURNEY_RATE_LIMIT_SHARED: 'yes' })).toThrow('JOURNEY_RATE_LIMIT_SHARED must be true or false, got "yes"');
  });
});
