/**
 * Races between two stores on one Neo4j, each with its own driver and connection pool, as
 * two API processes have: the writes that checked something and then wrote, where Neo4j's
 * read-committed isolation let both writers pass the check. Each case failed before its
 * fix (docs/deploy.md, "Several API processes on one Neo4j"):
 *  - two processes each adding one half of a parent-context cycle (a -> b, b -> a);
 *  - two processes registering the same subjects on one artifact, each counting them new;
 *  - two processes making the personal-data derivation state at once, each its own.
 * And the shared rate-limit bucket (cypher/admin/lease-rate-limit-tokens.cypher) leased
 * from both at once grants no more than it holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Neo4jStore } from '../../src/graph/neo4j/neo4j-store.js';
import { createServices } from '../../src/service/services.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS } from '../support/backends.js';
import { personalDataService } from '../privacy/fixtures.js';

const neo4j = BACKENDS.find((b) => b.name === 'neo4j');
const ROUNDS = 12;

describe.runIf(neo4j)('two processes writing to one Neo4j at once', () => {
  let one: Neo4jStore;
  let two: Neo4jStore;
  let apiOne: MetadataApi;
  let apiTwo: MetadataApi;

  beforeAll(async () => {
    // Each open empties the database and migrates it; the second finds it ready.
    one = (await neo4j!.open()) as Neo4jStore;
    two = (await neo4j!.open()) as Neo4jStore;
    apiOne = createServices(one).metadata;
    apiTwo = createServices(two).metadata;
    await apiOne.putType('CONTEXT_TYPE', { name: 'Group' });
    await apiOne.putType('ARTIFACT_TYPE', { name: 'Patients', baseType: 'DATASET', personalData: { categories: ['contact'], specialCategories: [] } });
  }, 60_000);

  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('lets only one of two opposite parent links through when both are written at once', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const [a, b] = await apiOne.putContexts([{ type: 'Group', name: `a${round}` }, { type: 'Group', name: `b${round}` }]);
      const outcomes = await Promise.allSettled([
        apiOne.putParentContexts([{ parentId: a!.id, childId: b!.id }]),
        apiTwo.putParentContexts([{ parentId: b!.id, childId: a!.id }]),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refusal = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(refusal.reason).toMatchObject({ code: 'FAILED_PRECONDITION' });
      expect(refusal.reason.message).toMatch(/would close a cycle of parent contexts/);
      const [parentsOfA, parentsOfB] = await apiOne.parentContexts([a!.id, b!.id]);
      expect(parentsOfA!.length + parentsOfB!.length).toBe(1);
    }
  }, 120_000);

  it('counts a registration new once when two processes register the same subjects on one artifact', async () => {
    const privacyOne = personalDataService(one);
    const privacyTwo = personalDataService(two);
    const subjects = ['alice@example.org', 'bob@example.org', 'carol@example.org', 'dan@example.org'];
    // The subjects exist already (held by another artifact): only the relationships race.
    const [holder] = await apiOne.putArtifacts([{ type: 'Patients', name: 'holder' }]);
    await privacyOne.registerDataSubjects(holder!.id, subjects, 'test');
    for (let round = 0; round < ROUNDS; round += 1) {
      const [target] = await apiOne.putArtifacts([{ type: 'Patients', name: `target${round}` }]);
      const counts = await Promise.all([
        privacyOne.registerDataSubjects(target!.id, subjects, 'test'),
        privacyTwo.registerDataSubjects(target!.id, subjects, 'test'),
      ]);
      expect(counts[0] + counts[1]).toBe(subjects.length);
      expect(await one.read((tx) => tx.registrationCounts([target!.id]))).toEqual([subjects.length]);
    }
  }, 120_000);

  it('grants from one shared rate-limit bucket no more than it holds when two stores lease at once', async () => {
    const lease = (store: Neo4jStore) => store.rateLimitLeases.lease({ caller: 'bucket-under-test', want: 1, perSecond: 0.001, burst: 40 });
    const started = performance.now();
    const leases = await Promise.all(Array.from({ length: 60 }, (_, i) => lease(i % 2 === 0 ? one : two)));
    const msPerLease = (performance.now() - started) / leases.length;
    expect(leases.reduce((sum, l) => sum + l.granted, 0)).toBe(40);
    expect(leases.filter((l) => l.granted === 0).every((l) => l.left < 1)).toBe(true);
    // One lease alone, for the figure in docs/deploy.md.
    const alone = performance.now();
    for (let i = 0; i < 20; i += 1) await lease(one);
    console.info(JSON.stringify({ concurrentMsPerLease: Math.round(msPerLease * 10) / 10, sequentialMsPerLease: Math.round((performance.now() - alone) / 2) / 10 }));
  });

  it('keeps one personal-data derivation state when two processes make it at once', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      await one.executor.write((r) => r.run('MATCH (s:PersonalDataDerivation) DELETE s'));
      await Promise.all([one.write((tx) => tx.lockDerivation()), two.write((tx) => tx.lockDerivation())]);
      const [row] = await one.executor.read((r) => r.run('MATCH (s:PersonalDataDerivation) RETURN count(s) AS states'));
      expect(row!.states).toBe(1);
    }
  }, 120_000);
});
