/**
 * The personal-data part of the store (src/graph/privacy-store.ts) on every backend, below
 * the service: declarations kept with the records, registrations as sets, erasure
 * requests and the audit log stored and found faithfully, values carrying SQL or Cypher
 * kept as plain values. Then SQLite's own concerns: the statements pinned, and a version 1
 * file migrated in place.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArtifactRecord } from '../../src/graph/model.js';
import type { AuditEntryRecord, ErasureRequestRecord } from '../../src/graph/privacy-store.js';
import { SCHEMA_DDL, SCHEMA_VERSION } from '../../src/graph/sqlite/sqlite-schema.js';
import { API_KEYS_DDL } from '../../src/graph/sqlite/sqlite-keys.js';
import { PERSONAL_DATA_COLUMNS, PERSONAL_DATA_DDL, PERSONAL_DATA_SQL, PRIVACY_AUDIT_COLUMNS } from '../../src/graph/sqlite/sqlite-privacy.js';
import { BACKENDS, useService } from '../support/backends.js';
import { artifact, pd, putPrivacyTypes, step } from './fixtures.js';

const HOSTILE = [
  "x'); DROP TABLE nodes; --",
  '"}) DETACH DELETE n //',
  'a` MATCH (n) DETACH DELETE n //',
  "' OR 1=1 --",
];

describe.each(BACKENDS)('personal-data storage on $name', (backend) => {
  const t = useService(backend);

  it('keeps declarations with the records and reads them alone by id', async () => {
    await putPrivacyTypes(t.api);
    const a = await artifact(t.api, 'a', pd(['contact', 'identifier'], ['HEALTH']));
    const b = await artifact(t.api, 'b', undefined, 'Patients');
    const x = await step(t.api, 'x', [a.id], [b.id], { transform: 'DROP', categories: ['identifier'] });
    const y = await step(t.api, 'y', [], []);
    const [patients] = await t.api.listTypes('ARTIFACT_TYPE').then((types) => types.filter((ty) => ty.name === 'Patients'));
    expect(patients!.personalData).toEqual({ categories: ['contact'], specialCategories: ['HEALTH'] });
    expect((await t.api.getNodes([a.id]))[0]).toMatchObject({ personalData: { categories: ['contact', 'identifier'], specialCategories: ['HEALTH'] } });
    expect((await t.api.getNodes([b.id]))[0]).not.toHaveProperty('personalData');
    expect((await t.api.getNodes([x.id]))[0]).toMatchObject({ privacy: { transform: 'DROP', categories: ['identifier'], specialCategories: [], k: null } });
    expect((await t.api.getNodes([y.id]))[0]).not.toHaveProperty('privacy');
    const declared = await t.store.read((tx) => tx.personalDataDeclarations([a.id, 'missing', x.id, b.id]));
    expect(declared).toEqual([
      { kind: 'ARTIFACT', typeId: a.typeId, personalData: { categories: ['contact', 'identifier'], specialCategories: ['HEALTH'] }, privacy: null },
      null,
      { kind: 'EXECUTION', typeId: x.typeId, personalData: null, privacy: { transform: 'DROP', categories: ['identifier'], specialCategories: [], k: null } },
      { kind: 'ARTIFACT', typeId: b.typeId, personalData: null, privacy: null },
    ]);
    // NONE removes a transform; an unchanged re-put leaves updateTime alone.
    t.clock.advance(5);
    const [same] = await t.api.putExecutions([{ id: x.id, type: 'Step', privacy: { transform: 'DROP', categories: ['identifier'] } }]);
    expect(same!.updateTime).toBe(x.updateTime);
    const [cleared] = await t.api.putExecutions([{ id: x.id, type: 'Step', privacy: { transform: 'NONE' } }]);
    expect(cleared).not.toHaveProperty('privacy');
    expect((await t.api.getNodes([x.id]))[0]).not.toHaveProperty('privacy');
  });

  it('finds the artifacts that declare, by their own declaration or their type, in pages by id', async () => {
    await putPrivacyTypes(t.api);
    const own = await artifact(t.api, 'own', pd(['contact']));
    const none = await artifact(t.api, 'none', pd([]));
    const byType = await artifact(t.api, 'byType', undefined, 'Patients');
    await artifact(t.api, 'plain');
    const patients = (await t.api.findType('ARTIFACT_TYPE', 'Patients'))!;
    const all = [own.id, none.id, byType.id].sort();
    expect(await t.store.read((tx) => tx.artifactsDeclaringPersonalData([patients.id], null, 10))).toEqual(all);
    expect(await t.store.read((tx) => tx.artifactsDeclaringPersonalData([], null, 10))).toEqual([own.id, none.id].sort());
    expect(await t.store.read((tx) => tx.artifactsDeclaringPersonalData([patients.id], all[0]!, 1))).toEqual([all[1]]);
  });

  it('keeps registrations as a set, finds them by subject, and drops them with their artifact', async () => {
    await putPrivacyTypes(t.api);
    const a = await artifact(t.api, 'a', pd(['contact']));
    const b = await artifact(t.api, 'b', pd(['contact']));
    expect(await t.store.write((tx) => tx.insertSubjectRegistrations(a.id, ['h1', 'h2']))).toBe(2);
    expect(await t.store.write((tx) => tx.insertSubjectRegistrations(a.id, ['h2', 'h3']))).toBe(1);
    expect(await t.store.write((tx) => tx.insertSubjectRegistrations(b.id, ['h1']))).toBe(1);
    expect(await t.store.read((tx) => tx.artifactsOfSubjects(['h1', 'h3', 'h4']))).toEqual([[a.id, b.id].sort(), [a.id], []]);
    expect(await t.store.write((tx) => tx.deleteSubjectRegistrations(a.id, ['h3', 'h4']))).toBe(1);
    expect(await t.store.write((tx) => tx.deleteDataSubjects(['h1', 'h4']))).toBe(2);
    expect(await t.store.read((tx) => tx.artifactsOfSubjects(['h1', 'h2']))).toEqual([[], [a.id]]);
    await t.api.deleteNodes([a.id]);
    expect(await t.store.read((tx) => tx.artifactsOfSubjects(['h2']))).toEqual([[]]);
  });

  it('stores erasure requests with their items in order, and changes items one by one', async () => {
    await putPrivacyTypes(t.api);
    const a = await artifact(t.api, 'a', pd(['contact']));
    const b = await artifact(t.api, 'b');
    const item = (r: ArtifactRecord) => ({ artifactId: r.id, artifact: r, status: 'PENDING' as const, note: null, updateTime: 7 });
    const request: ErasureRequestRecord = { id: 'req-1', subjectHash: 'h', createTime: 5, reason: 'why', items: [item(b), item(a)], subjectText: { hash: 'p', length: 12 } };
    const empty: ErasureRequestRecord = { id: 'req-2', subjectHash: 'h2', createTime: 6, reason: null, items: [], subjectText: null };
    await t.store.write((tx) => tx.insertErasureRequests([request, empty]));
    expect(await t.store.read((tx) => tx.getErasureRequests(['req-2', 'nope', 'req-1']))).toEqual([empty, null, request]);
    await t.store.write((tx) => tx.updateErasureItems([{ requestId: 'req-1', artifactId: a.id, status: 'EXEMPT', note: 'legal hold', updateTime: 9 }]));
    const [after] = await t.store.read((tx) => tx.getErasureRequests(['req-1']));
    expect(after!.items).toEqual([item(b), { ...item(a), status: 'EXEMPT', note: 'legal hold', updateTime: 9 }]);
  });

  it('appends audit entries and lists them in id order, in pages', async () => {
    const entry = (id: string, extra: Partial<AuditEntryRecord> = {}): AuditEntryRecord => ({
      id, time: 1, caller: 'k', operation: 'dataSubjectLineage', subjectHash: null, target: null, resultCount: 0, before: null, after: null, ...extra,
    });
    await t.store.write((tx) => tx.appendAuditEntries([entry('e2', { subjectHash: 'h', target: 'a', resultCount: 3, before: 'null', after: '{"k":1}' }), entry('e1')]));
    await t.store.write((tx) => tx.appendAuditEntries([entry('e3')]));
    expect(await t.store.read((tx) => tx.listAuditEntries(null, 10))).toEqual([entry('e1'), entry('e2', { subjectHash: 'h', target: 'a', resultCount: 3, before: 'null', after: '{"k":1}' }), entry('e3')]);
    expect((await t.store.read((tx) => tx.listAuditEntries('e1', 1))).map((e) => e.id)).toEqual(['e2']);
  });

  it.each(HOSTILE)('keeps a value carrying query text as a plain value: %s', async (hostile) => {
    await putPrivacyTypes(t.api);
    const a = await artifact(t.api, 'a', pd([hostile, 'contact']));
    const b = await artifact(t.api, 'b');
    await step(t.api, 'x', [a.id], [b.id], { transform: 'DROP', categories: [hostile] });
    expect(await t.store.write((tx) => tx.insertSubjectRegistrations(a.id, [hostile]))).toBe(1);
    expect(await t.store.read((tx) => tx.artifactsOfSubjects([hostile]))).toEqual([[a.id]]);
    await t.store.write((tx) => tx.appendAuditEntries([{ id: 'e', time: 1, caller: hostile, operation: hostile, subjectHash: hostile, target: hostile, resultCount: 1, before: hostile, after: hostile }]));
    expect((await t.store.read((tx) => tx.listAuditEntries(null, 100))).find((e) => e.id === 'e')).toMatchObject({ caller: hostile, subjectHash: hostile });
    expect((await t.api.getNodes([a.id]))[0]).toMatchObject({ personalData: { categories: [hostile, 'contact'].sort() } });
    const [declared] = await t.store.read((tx) => tx.personalDataDeclarations([b.id]));
    expect(declared).toMatchObject({ kind: 'ARTIFACT' });
    // Everything is still there.
    expect(await (await t.api.listNodes('ARTIFACT')).totalCount()).toBe(2);
  });
});

describe('SQLite personal-data statements', () => {
  it('pins the migration, the tables and every statement', () => {
    expect(PERSONAL_DATA_COLUMNS).toMatchSnapshot();
    expect(PRIVACY_AUDIT_COLUMNS).toMatchSnapshot();
    expect(PERSONAL_DATA_DDL).toMatchSnapshot();
    expect(PERSONAL_DATA_SQL).toMatchSnapshot();
  });
});

describe('SQLite migration to the current schema version', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'journey-migrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the erasure requests\' subject print and the audit log\'s before and after to a version 3 file, keeping its rows', async () => {
    const file = path.join(dir, 'v3.sqlite');
    const raw = new Database(file);
    raw.exec(SCHEMA_DDL);
    raw.exec(PERSONAL_DATA_COLUMNS);
    raw.exec(PERSONAL_DATA_DDL);
    // Every version 3 file holds the keys' table too (migration 2 made it).
    raw.exec(API_KEYS_DDL);
    raw.pragma('user_version = 3');
    raw.prepare("INSERT INTO erasure_requests (id, subject_hash, create_time, reason) VALUES ('r1', 'h', 1, 'why')").run();
    raw.prepare("INSERT INTO audit_log (id, time, caller, operation, subject_hash, target, result_count) VALUES ('e1', 1, 'k', 'auditLog', NULL, NULL, 0)").run();
    raw.close();
    const { createSqliteStore } = await import('../../src/graph/sqlite/index.js');
    const store = await createSqliteStore({ path: file });
    try {
      expect(await store.read((tx) => tx.getErasureRequests(['r1']))).toEqual([{ id: 'r1', subjectHash: 'h', createTime: 1, reason: 'why', items: [], subjectText: null }]);
      expect(await store.read((tx) => tx.listAuditEntries(null, 5))).toEqual([{
        id: 'e1', time: 1, caller: 'k', operation: 'auditLog', subjectHash: null, target: null, resultCount: 0, before: null, after: null,
      }]);
      await store.init(); // a second start runs no ALTER again
    } finally {
      await store.close();
    }
  });

  it('adds the declaration columns and the derived statuses to a version 1 file, keeping its records', async () => {
    const file = path.join(dir, 'v1.sqlite');
    const raw = new Database(file);
    raw.exec(SCHEMA_DDL);
    raw.pragma('user_version = 1');
    raw.prepare(`INSERT INTO types (id, kind, name, version, description, external_id, base_type, properties)
      VALUES ('t1', 'ARTIFACT_TYPE', 'Table', NULL, NULL, NULL, 'DATASET', '[]')`).run();
    raw.prepare(`INSERT INTO nodes (id, kind, type_id, name, external_id, uri, state, last_known_state, properties, custom_properties, create_time, update_time)
      VALUES ('a1', 'ARTIFACT', 't1', 'old', NULL, NULL, 'LIVE', NULL, '{}', '{}', 1, 1)`).run();
    raw.close();

    const { createSqliteStore } = await import('../../src/graph/sqlite/index.js');
    const store = await createSqliteStore({ path: file });
    try {
      const { createServices } = await import('../../src/service/services.js');
      const api = createServices(store).metadata;
      expect((await api.getNodes(['a1']))[0]).toMatchObject({ id: 'a1', name: 'old' });
      expect((await api.getNodes(['a1']))[0]).not.toHaveProperty('personalData');
      await api.putArtifacts([{ id: 'a1', type: 'Table', personalData: { categories: ['contact'] } }]);
      expect((await api.getNodes(['a1']))[0]).toMatchObject({ personalData: { categories: ['contact'], specialCategories: [] } });
      // The first write derived every status, under the default minimum k.
      expect(await store.read((tx) => tx.derivationMinK())).toBe(10);
      expect(await store.read((tx) => tx.derivedStatuses(['a1']))).toEqual([{ declared: true, routes: [['a1']], keys: [{ key: 'c:contact', clear: 0, pseudonymised: null }] }]);
      await store.init(); // a second start runs no ALTER again
    } finally {
      await store.close();
    }
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      check.close();
    }
  });
});
