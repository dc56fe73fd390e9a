/**
 * Data subjects: registrations and where a subject's data went, on every backend, over
 * one graph drawn below with expectations worked out by hand.
 *
 *   Raw{contact, identifier; HEALTH} --clean--> Clean --pseudo(PSEUDONYMIZE)--> Tokens --train--> ModelA (MODEL)
 *                                               Clean --stats(AGGREGATE k=50)--> Stats
 *                                               Clean --anon(ANONYMIZE)--> Anon
 *                                               Clean --drop(DROP identifier; HEALTH)--> Slim
 *   Geo{location} ----------------------------- join <-- Clean;  join --> Joined
 *   Unrelated{contact} --other--> Elsewhere
 *
 * alice is registered in Raw; bob in Raw and Geo. clean and train run in the Pipeline context.
 */
import { describe, expect, it } from 'vitest';
import type { ArtifactRecord, ExecutionRecord } from '../../src/graph/model.js';
import type { PersonalDataApi, SubjectLineage } from '../../src/service/privacy/personal-data-service.js';
import { BACKENDS, useService, type ServiceHandle } from '../support/backends.js';
import { artifact, pd, personalDataService, putPrivacyTypes, step, testSubjectKey } from './fixtures.js';

interface World {
  a: Record<string, ArtifactRecord>;
  x: Record<string, ExecutionRecord>;
  pipelineId: string;
  svc: PersonalDataApi;
}

async function buildWorld(t: ServiceHandle): Promise<World> {
  await putPrivacyTypes(t.api);
  const a: Record<string, ArtifactRecord> = {};
  for (const [name, declaration] of [
    ['Raw', pd(['contact', 'identifier'], ['HEALTH'])], ['Clean'], ['Tokens'], ['Stats'], ['Anon'], ['Slim'],
    ['Geo', pd(['location'])], ['Joined'], ['Unrelated', pd(['contact'])], ['Elsewhere'],
  ] as const) {
    a[name] = await artifact(t.api, name, declaration);
  }
  a.ModelA = await artifact(t.api, 'ModelA', undefined, 'Model');
  const x: Record<string, ExecutionRecord> = {
    clean: await step(t.api, 'clean', [a.Raw!.id], [a.Clean!.id]),
    pseudo: await step(t.api, 'pseudo', [a.Clean!.id], [a.Tokens!.id], { transform: 'PSEUDONYMIZE' }),
    train: await step(t.api, 'train', [a.Tokens!.id], [a.ModelA!.id]),
    stats: await step(t.api, 'stats', [a.Clean!.id], [a.Stats!.id], { transform: 'AGGREGATE', k: 50 }),
    anon: await step(t.api, 'anon', [a.Clean!.id], [a.Anon!.id], { transform: 'ANONYMIZE' }),
    drop: await step(t.api, 'drop', [a.Clean!.id], [a.Slim!.id], { transform: 'DROP', categories: ['identifier'], specialCategories: ['HEALTH'] }),
    join: await step(t.api, 'join', [a.Clean!.id, a.Geo!.id], [a.Joined!.id]),
    other: await step(t.api, 'other', [a.Unrelated!.id], [a.Elsewhere!.id]),
  };
  const [pipeline] = await t.api.putContexts([{ type: 'Pipeline', name: 'nightly' }]);
  await t.api.putAssociations([{ contextId: pipeline!.id, executionId: x.clean!.id }, { contextId: pipeline!.id, executionId: x.train!.id }]);
  const svc = personalDataService(t.store);
  await svc.registerDataSubjects(a.Raw!.id, ['alice', 'bob'], 'test');
  await svc.registerDataSubjects(a.Geo!.id, ['bob'], 'test');
  return { a, x, pipelineId: pipeline!.id, svc };
}

/** The report with every id replaced by its node's name. */
function named(report: SubjectLineage, w: World): Record<string, unknown> {
  const names = new Map<string, string>([
    ...Object.entries(w.a).map(([n, r]) => [r.id, n] as const), ...Object.entries(w.x).map(([n, r]) => [r.id, n] as const),
  ]);
  const name = (id: string): string => names.get(id) ?? id;
  const affected = (list: SubjectLineage['affected']) => list.map((x) => ({
    artifact: name(x.artifactId), distance: x.distance, categories: x.categories, specialCategories: x.specialCategories,
    pseudonymized: x.pseudonymized, route: x.route.map(name),
  }));
  return {
    found: report.found,
    sources: report.sources.map(name),
    affected: affected(report.affected),
    models: affected(report.models),
    executions: report.executions.map(name).sort(),
    contexts: report.contexts.map((c) => c.name),
    anonymizedBoundary: report.anonymizedBoundary.map(name).sort(),
    truncated: report.truncated,
  };
}

const ALL: ['contact', 'identifier'] = ['contact', 'identifier'];

describe.each(BACKENDS)('data subjects on $name', (backend) => {
  const t = useService(backend);

  it("follows one subject's data from its source under the propagation rules", async () => {
    const w = await buildWorld(t);
    const report = named(await w.svc.dataSubjectLineage('alice', {}, 'test'), w);
    expect(report).toEqual({
      found: true,
      sources: ['Raw'],
      affected: [
        { artifact: 'Raw', distance: 0, categories: ALL, specialCategories: ['HEALTH'], pseudonymized: false, route: ['Raw'] },
        { artifact: 'Clean', distance: 2, categories: ALL, specialCategories: ['HEALTH'], pseudonymized: false, route: ['Raw', 'clean', 'Clean'] },
        // Joined, Slim and Tokens are all 4 events away; sorted by id, which is creation order here.
        ...[
          { artifact: 'Tokens', distance: 4, categories: ALL, specialCategories: ['HEALTH'], pseudonymized: true, route: ['Raw', 'clean', 'Clean', 'pseudo', 'Tokens'] },
          { artifact: 'Slim', distance: 4, categories: ['contact'], specialCategories: [], pseudonymized: false, route: ['Raw', 'clean', 'Clean', 'drop', 'Slim'] },
          // alice is not in Geo: Joined holds what came from Raw only, not location.
          { artifact: 'Joined', distance: 4, categories: ALL, specialCategories: ['HEALTH'], pseudonymized: false, route: ['Raw', 'clean', 'Clean', 'join', 'Joined'] },
        ].sort((p, q) => (w.a[p.artifact]!.id < w.a[q.artifact]!.id ? -1 : 1)),
        { artifact: 'ModelA', distance: 6, categories: ALL, specialCategories: ['HEALTH'], pseudonymized: true, route: ['Raw', 'clean', 'Clean', 'pseudo', 'Tokens', 'train', 'ModelA'] },
      ],
      models: [
        { artifact: 'ModelA', distance: 6, categories: ALL, specialCategories: ['HEALTH'], pseudonymized: true, route: ['Raw', 'clean', 'Clean', 'pseudo', 'Tokens', 'train', 'ModelA'] },
      ],
      executions: ['anon', 'clean', 'drop', 'join', 'pseudo', 'stats', 'train'],
      contexts: ['nightly'],
      anonymizedBoundary: ['Anon', 'Stats'],
      truncated: false,
    });
  });

  it('joins what a subject held in two sources', async () => {
    const w = await buildWorld(t);
    const report = named(await w.svc.dataSubjectLineage('bob', {}, 'test'), w);
    expect(report.sources).toEqual(['Raw', 'Geo'].sort((p, q) => (w.a[p]!.id < w.a[q]!.id ? -1 : 1)));
    const byName = new Map((report.affected as { artifact: string }[]).map((x) => [x.artifact, x]));
    expect(byName.get('Geo')).toEqual({ artifact: 'Geo', distance: 0, categories: ['location'], specialCategories: [], pseudonymized: false, route: ['Geo'] });
    expect(byName.get('Joined')).toMatchObject({ categories: ['contact', 'identifier', 'location'], specialCategories: ['HEALTH'], distance: 2, route: ['Geo', 'join', 'Joined'] });
    expect([...byName.keys()].sort()).toEqual(['Clean', 'Geo', 'Joined', 'ModelA', 'Raw', 'Slim', 'Tokens']);
  });

  it('answers an unknown subject with found: false and nothing else', async () => {
    const w = await buildWorld(t);
    const report = await w.svc.dataSubjectLineage('carol', {}, 'test');
    expect(report).toMatchObject({
      found: false, sources: [], affected: [], models: [], executions: [], contexts: [], anonymizedBoundary: [], truncated: false,
    });
  });

  it('stops at maxHops and says so', async () => {
    const w = await buildWorld(t);
    const report = named(await w.svc.dataSubjectLineage('alice', { maxHops: 2 }, 'test'), w);
    expect(report.affected).toEqual([
      expect.objectContaining({ artifact: 'Raw', distance: 0 }), expect.objectContaining({ artifact: 'Clean', distance: 2 }),
    ]);
    expect(report.truncated).toBe(true);
    await expect(w.svc.dataSubjectLineage('alice', { maxHops: 101 }, 'test')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'maxHops' });
  });

  it('counts new registrations only, unregisters, and forgets a subject with its last registration', async () => {
    const w = await buildWorld(t);
    expect(await w.svc.registerDataSubjects(w.a.Raw!.id, ['alice', 'dave', 'dave'], 'test')).toBe(1);
    expect(await w.svc.unregisterDataSubjects(w.a.Raw!.id, ['dave', 'erin'], 'test')).toBe(1);
    expect((await w.svc.dataSubjectLineage('dave', {}, 'test')).found).toBe(false);
    expect(await w.svc.unregisterDataSubjects(w.a.Geo!.id, ['bob'], 'test')).toBe(1);
    expect((await w.svc.dataSubjectLineage('bob', {}, 'test')).sources).toEqual([w.a.Raw!.id]);
  });

  it('refuses to register subjects in an artifact that holds no personal data, or in no artifact', async () => {
    const w = await buildWorld(t);
    await expect(w.svc.registerDataSubjects(w.a.Anon!.id, ['alice'], 'test')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', field: 'artifactId' });
    await expect(w.svc.registerDataSubjects(w.x.clean!.id, ['alice'], 'test')).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'artifactId' });
    // A derived holder may be registered: Clean holds Raw's categories.
    expect(await w.svc.registerDataSubjects(w.a.Clean!.id, ['frank'], 'test')).toBe(1);
  });

  it('never quotes a refused subject identifier', async () => {
    const w = await buildWorld(t);
    const tooLong = `secret-person-${'x'.repeat(2000)}`;
    const error = await w.svc.registerDataSubjects(w.a.Raw!.id, ['ok', tooLong], 'test').catch((e: unknown) => e as Error & { field?: string });
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'subjectIds[1]' });
    expect((error as Error).message).not.toContain('secret-person');
    await expect(w.svc.dataSubjectLineage(tooLong, {}, 'test')).rejects.toSatisfy((e: Error) => !e.message.includes('secret-person'));
  });

  it('registers a batch of 100,000 subjects in one call, and refuses more', async () => {
    const w = await buildWorld(t);
    const ids = Array.from({ length: 100_000 }, (_, i) => `customer-${i}`);
    expect(await w.svc.registerDataSubjects(w.a.Raw!.id, ids, 'test')).toBe(100_000);
    expect((await w.svc.dataSubjectLineage('customer-99999', {}, 'test')).sources).toEqual([w.a.Raw!.id]);
    await expect(w.svc.registerDataSubjects(w.a.Raw!.id, [...ids, 'one-more'], 'test'))
      .rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'subjectIds' });
  }, 120_000);

  it('stores only the keyed hash: another secret finds nothing', async () => {
    const w = await buildWorld(t);
    const { createPersonalDataService } = await import('../../src/service/privacy/personal-data-service.js');
    const { SubjectKey } = await import('../../src/service/privacy/subject-key.js');
    const otherKey = createPersonalDataService(t.store, { subjectKey: new SubjectKey('another-secret-of-at-least-32-characters!') });
    expect((await otherKey.dataSubjectLineage('alice', {}, 'test')).found).toBe(false);
    expect((await w.svc.dataSubjectLineage('alice', {}, 'test')).found).toBe(true);
    expect(testSubjectKey().hash('alice')).toMatch(/^[0-9a-f]{64}$/);
  });
});
