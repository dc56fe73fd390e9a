/**
 * Erasure reaches the history of nodes (src/graph/history-store.ts) on every backend. An
 * artifact's earlier records describe its data as it was while it held a subject's rows
 * (an old uri is where a copy may still be found): when an item is marked ERASED, the
 * artifact's replaced records go, and only its current record stays. RETRAINED and EXEMPT
 * keep them (the data was not erased), and other artifacts' histories are untouched.
 *
 *   patients (s3://p/v1 → s3://p/v2) ─▶ prep ─▶ features (s3://f/v1 → s3://f/v2)
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { artifact, personalDataService, putPrivacyTypes, step } from './fixtures.js';

describe.each(BACKENDS)('erasure and the history of nodes ($name)', (backend) => {
  const h = useService(backend);

  it('marking an item ERASED forgets that artifact\'s replaced records; RETRAINED keeps another\'s', async () => {
    await putPrivacyTypes(h.api);
    const privacy = personalDataService(h.store, { clock: h.clock });
    const patients = await artifact(h.api, 'patients', undefined, 'Patients');
    const features = await artifact(h.api, 'features');
    await step(h.api, 'prep', [patients.id], [features.id]);
    for (const [a, type, uri] of [[patients, 'Patients', 's3://p/v1'], [features, 'Table', 's3://f/v1'], [patients, 'Patients', 's3://p/v2'], [features, 'Table', 's3://f/v2']] as const) {
      h.clock.advance(100);
      await h.api.putArtifacts([{ id: a.id, type, uri }]);
    }
    await privacy.registerDataSubjects(patients.id, ['alice'], 'test');
    const before = await h.api.nodeHistories([patients.id, features.id]);
    expect(before.map((entries) => entries.map((e) => (e.record as { uri: string | null }).uri))).toEqual([
      [null, 's3://p/v1', 's3://p/v2'],
      [null, 's3://f/v1', 's3://f/v2'],
    ]);

    const request = await privacy.requestErasure('alice', null, 'test');
    expect(request.items.map((i) => i.artifactId).sort()).toEqual([patients.id, features.id].sort());
    h.clock.advance(100);
    await privacy.updateErasureItem({ requestId: request.id, artifactId: patients.id, status: 'ERASED' }, 'test');
    await privacy.updateErasureItem({ requestId: request.id, artifactId: features.id, status: 'RETRAINED' }, 'test');

    const after = await h.api.nodeHistories([patients.id, features.id]);
    expect(after[0]).toEqual([{ record: expect.objectContaining({ id: patients.id, uri: 's3://p/v2' }), validFrom: patients.createTime, validTo: null }]);
    expect(after[1]!.map((e) => (e.record as { uri: string | null }).uri)).toEqual([null, 's3://f/v1', 's3://f/v2']);
    // asOf a time before the erasure no longer finds the erased artifact's earlier uri: its current record stands for it.
    const [then] = await h.api.getNodesAsOf([patients.id], patients.createTime + 150);
    expect(then).toMatchObject({ uri: 's3://p/v2' });
    // Many small writes; a cold Neo4j compiles each statement once, slowly on a busy machine.
  }, 120_000);

  it('deleting a node deletes its history with it', async () => {
    await putPrivacyTypes(h.api);
    const table = await artifact(h.api, 'table');
    h.clock.advance(10);
    await h.api.putArtifacts([{ id: table.id, type: 'Table', uri: 's3://t/v1' }]);
    expect((await h.api.nodeHistories([table.id]))[0]).toHaveLength(2);
    await h.api.deleteNodes([table.id]);
    expect(await h.api.nodeHistories([table.id])).toEqual([[]]);
    // On SQLite the history rows go by ON DELETE CASCADE; on Neo4j nodes/delete.cypher deletes them: none is left.
    if (backend.name === 'neo4j') {
      const { Neo4jStore } = await import('../../src/graph/neo4j/neo4j-store.js');
      const store = h.store as InstanceType<typeof Neo4jStore>;
      const rows = await store.executor.write((r) => r.run('MATCH (x:NodeHistory) RETURN count(x) AS n'));
      expect(rows[0]!.n).toBe(0);
    }
  });
});
