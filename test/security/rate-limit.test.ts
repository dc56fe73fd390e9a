/**
 * Per-caller rate limiting: the token bucket by hand with a clock the test moves, then
 * over HTTP, where a caller past its burst gets 429 RATE_LIMITED with Retry-After before
 * anything runs, and another key keeps its own allowance.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../src/server/rate-limit.js';
import { DEFAULT_SECURITY } from '../../src/server/security.js';
import { onlyError } from '../api/harness.js';
import { BACKENDS } from '../support/backends.js';
import { bearer, makeKey, startSecureServer, type TestServer, useServiceWithKeys } from './security-harness.js';

describe('token buckets', () => {
  it('grants a burst, then one request per 1/rate seconds, per caller', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3, now: () => now });
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(500);
    expect(buckets.take('b')).toBe(0);
    now = 499;
    expect(buckets.take('a')).toBe(2);
    now = 500;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(500);
    now = 60_000;
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0, 500]);
  });

  it('forgets the least recently used callers beyond its bound, which only gives them a full bucket', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1, maxCallers: 2, now: () => 0 });
    expect([buckets.take('a'), buckets.take('b'), buckets.take('c')]).toEqual([0, 0, 0]);
    expect(buckets.take('c')).toBe(1000);
    expect(buckets.take('a')).toBe(0);
  });

  it('refuses a configuration that would grant nothing', () => {
    expect(() => new TokenBuckets({ perSecond: 0, burst: 5 })).toThrow('a rate limit needs perSecond > 0 and burst >= 1, got 0 and 5');
  });
});

describe.each(BACKENDS)('rate limiting over HTTP ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('answers 429 RATE_LIMITED past a key\'s burst, before the operation runs; other keys are unaffected', async () => {
    const first = bearer(await makeKey(h.store, 'editor'));
    const second = bearer(await makeKey(h.store, 'editor'));
    // One token a day after the burst: nothing refills during the test.
    t = await startSecureServer(h.api, { security: { rateLimit: { perSecond: 1 / 86_400, burst: 2 } } });
    const write = (name: string) => `mutation { putContextType(input: { name: "${name}" }) { name } }`;
    expect((await t.gql(write('A'), undefined, first)).status).toBe(200);
    expect((await t.gql(write('B'), undefined, first)).status).toBe(200);
    const limited = await t.gql(write('C'), undefined, first);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(onlyError(limited)).toEqual({
      message: 'too many requests: at most 0.000011574074074074073 a second (bursts of 2); retry later', extensions: { code: 'RATE_LIMITED' },
    });
    expect((await t.gql('{ contextTypes { name } }', undefined, second)).data).toEqual({ contextTypes: [{ name: 'A' }, { name: 'B' }] });
  });

  it('limits anonymous local callers by address, and is off with a rate of 0', async () => {
    t = await startSecureServer(h.api, { security: { rateLimit: { perSecond: 1 / 86_400, burst: 1 } } });
    expect((await t.gql('{ contextTypes { name } }')).status).toBe(200);
    expect((await t.gql('{ contextTypes { name } }')).status).toBe(429);
    await t.close();
    t = await startSecureServer(h.api, { security: { rateLimit: { perSecond: 0, burst: 1 } } });
    for (let i = 0; i < 5; i++) expect((await t.gql('{ contextTypes { name } }')).status).toBe(200);
  });

  it('defaults to 100 requests a second with bursts of 200 per caller', () => {
    expect(DEFAULT_SECURITY.rateLimit).toEqual({ perSecond: 100, burst: 200 });
  });
});
