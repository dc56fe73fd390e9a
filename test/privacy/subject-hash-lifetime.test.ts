/**
 * No subject hash outlives its last registration, on either backend: however the last
 * registration goes (unregistered, its artifact deleted, the erasure completed), the
 * stored hash goes with it. Read straight from the database (the store interface cannot
 * see an orphan: artifactsOfSubjects answers [] for it), so the check cannot pass by not
 * looking.
 *
 *   raw ── read ──> x ──> model        two subjects: 'ada' in raw and survey, 'bo' in raw
 *   survey
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import { createServices } from '../../src/service/services.js';
import { BACKENDS } from '../support/backends.js';
import { artifact, pd, personalDataService, putPrivacyTypes, step, testSubjectKey } from './fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'journey-subject-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hash = (subject: string): string => testSubjectKey().hash(subject);

/** A store of `backend`, empty, and a reader of the subject hashes it keeps outside the audit log and erasure requests. */
async function openProbed(name: string): Promise<{ store: GraphStore; storedHashes(): Promise<string[]>; close(): Promise<void> }> {
  if (name === 'sqlite') {
    const file = path.join(dir, `journey-${Date.now()}.sqlite`);
    const { createSqliteStore } = await import('../../src/graph/sqlite/index.js');
    const store = await createSqliteStore({ path: file });
    await store.init();
    return {
      store,
      async storedHashes() {
        const raw = new Database(file, { readonly: true });
        try {
          return (raw.prepare('SELECT DISTINCT subject_hash AS h FROM subject_registrations ORDER BY h').all() as { h: string }[]).map((r) => r.h);
        } finally {
          raw.close();
        }
      },
      close: () => store.close(),
    };
  }
  const backend = BACKENDS.find((b) => b.name === name)!;
  const store = await backend.open();
  const { clearNeo4jDatabase } = await import('../support/neo4j-database.js');
  await clearNeo4jDatabase(store);
  const neo4j = (await import('neo4j-driver')).default;
  const driver = neo4j.driver(process.env.NEO4J_URI!, undefined, { disableLosslessIntegers: true });
  return {
    store,
    async storedHashes() {
      const session = driver.session();
      try {
        const result = await session.run('MATCH (s:DataSubject) RETURN s.hash AS h ORDER BY h');
        return result.records.map((r) => r.get('h') as string);
      } finally {
        await session.close();
      }
    },
    async close() {
      await driver.close();
      await clearNeo4jDatabase(store);
      await store.close();
    },
  };
}

describe.each(BACKENDS)('subject hashes go with their last registration on $name', (backend) => {
  it('after unregistering, deleting the holding artifact, and completing an erasure', async () => {
    const probe = await openProbed(backend.name);
    try {
      const api = createServices(probe.store).metadata;
      const privacy = personalDataService(probe.store);
      await putPrivacyTypes(api);
      const raw = await artifact(api, 'raw', pd(['contact']));
      const survey = await artifact(api, 'survey', pd(['contact']));
      const model = await artifact(api, 'model', undefined, 'Model');
      await step(api, 'x', [raw.id], [model.id]);

      expect(await privacy.registerDataSubjects(raw.id, ['ada', 'bo'], 'test')).toBe(2);
      expect(await privacy.registerDataSubjects(survey.id, ['ada'], 'test')).toBe(1);
      expect(await probe.storedHashes()).toEqual([hash('ada'), hash('bo')].sort());

      // Still held in survey: the hash stays.
      expect(await privacy.unregisterDataSubjects(raw.id, ['ada'], 'test')).toBe(1);
      expect(await probe.storedHashes()).toEqual([hash('ada'), hash('bo')].sort());
      // Its last holder deleted: the hash goes, the other subject's stays.
      expect(await api.deleteNodes([survey.id])).toBe(1);
      expect(await probe.storedHashes()).toEqual([hash('bo')]);
      expect((await privacy.dataSubjectLineage('ada', {}, 'test')).found).toBe(false);

      // The last registration unregistered: nothing is left.
      expect(await privacy.unregisterDataSubjects(raw.id, ['bo'], 'test')).toBe(1);
      expect(await probe.storedHashes()).toEqual([]);

      // A completed erasure removes the subject's registrations, and with them its hash.
      expect(await privacy.registerDataSubjects(raw.id, ['bo'], 'test')).toBe(1);
      const request = await privacy.requestErasure('bo', 'Art. 17', 'test');
      expect(request.items.length).toBe(2);
      for (const item of request.items) {
        await privacy.updateErasureItem({ requestId: request.id, artifactId: item.artifact.id, status: 'ERASED' }, 'test');
      }
      expect(await probe.storedHashes()).toEqual([]);
      // Deleting an artifact that holds a subject also held elsewhere keeps the hash.
      const other = await artifact(api, 'other', pd(['contact']));
      await privacy.registerDataSubjects(raw.id, ['cy'], 'test');
      await privacy.registerDataSubjects(other.id, ['cy'], 'test');
      await api.deleteNodes([raw.id]);
      expect(await probe.storedHashes()).toEqual([hash('cy')]);
      expect((await privacy.dataSubjectLineage('cy', {}, 'test')).sources).toEqual([other.id]);
    } finally {
      await probe.close();
    }
  }, 60_000);
});
