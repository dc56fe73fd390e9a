/**
 * The observed store passes through what is the store's own, not a service call: the shared
 * rate-limit buckets. The merge of metrics and shared rate limits once dropped them, and every
 * process then limited alone (all 90 of a 30-token shared burst were granted).
 */
import { describe, expect, it } from 'vitest';
import { observeStore, type StoreObserver } from '../../src/graph/observed-store.js';
import type { GraphStore } from '../../src/graph/store.js';

describe('observeStore', () => {
  it('keeps the store\'s shared rate-limit buckets (and their absence)', () => {
    const leases = { lease: async () => 0 } as unknown as NonNullable<GraphStore['rateLimitLeases']>;
    const observer: StoreObserver = { observe: (_call, run) => run() };
    const store = { backend: 'neo4j', rateLimitLeases: leases } as unknown as GraphStore;
    expect(observeStore(store, [observer]).rateLimitLeases).toBe(leases);
    const without = { backend: 'sqlite' } as unknown as GraphStore;
    expect(observeStore(without, [observer]).rateLimitLeases).toBeUndefined();
  });
});
