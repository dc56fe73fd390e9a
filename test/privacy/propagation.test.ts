/**
 * The derived personal-data status of artifacts (Artifact.personalData's service call),
 * on every backend, for small graphs drawn in each test with expectations worked out by
 * hand. Arrows follow the data flow: artifact -> step -> artifact.
 */
import { describe, expect, it } from 'vitest';
import type { PersonalDataStatus } from '../../src/service/privacy/personal-data-service.js';
import { blocksEverything, categoryKey, specialCategoryKey, transfer } from '../../src/service/privacy/propagation.js';
import { computeStatusesInTx } from '../../src/service/privacy/personal-data-status.js';
import { DEFAULT_AGGREGATE_MIN_K } from '../../src/service/privacy/personal-data-settings.js';
import { BACKENDS, useService } from '../support/backends.js';
import { artifact, pd, personalDataService, putPrivacyTypes, step } from './fixtures.js';

describe.each(BACKENDS)('personal-data propagation on $name', (backend) => {
  const t = useService(backend);

  /** Each artifact's status, with ids in routes and sources replaced by node names. */
  async function statuses(named: Record<string, { id: string }>, minK?: number): Promise<Record<string, unknown>> {
    const nameOf = new Map(Object.entries(named).map(([name, node]) => [node.id, name]));
    const names = Object.keys(named).filter((n) => n.toUpperCase() === n);
    const ids = names.map((n) => named[n]!.id);
    const found = await personalDataService(t.store, { minK }).personalDataStatus(ids, 'test');
    // What the writes keep must be what a propagation over the whole ancestry derives.
    const derived = await t.store.read((tx) => computeStatusesInTx(tx, ids, { minK: minK ?? DEFAULT_AGGREGATE_MIN_K, maxNodes: 10_000 }));
    expect(found).toEqual(derived);
    return Object.fromEntries(names.map((n, i) => [n, readable(found[i] ?? null, nameOf)]));
  }

  it('carries categories along a chain of NONE steps, with the declared source and the route as evidence', async () => {
    // S{contact; HEALTH} -> x1 -> A -> x2 -> B
    await putPrivacyTypes(t.api);
    const S = await artifact(t.api, 'S', pd(['contact'], ['HEALTH']));
    const A = await artifact(t.api, 'A');
    const B = await artifact(t.api, 'B');
    const x1 = await step(t.api, 'x1', [S.id], [A.id]);
    const x2 = await step(t.api, 'x2', [A.id], [B.id], { transform: 'NONE' });
    expect(await statuses({ S, A, B, x1, x2 })).toEqual({
      S: status(['contact'], ['HEALTH'], { declared: true, sources: ['S'], routes: { contact: ['S'], HEALTH: ['S'] } }),
      A: status(['contact'], ['HEALTH'], { sources: ['S'], routes: { contact: ['S', 'x1', 'A'], HEALTH: ['S', 'x1', 'A'] } }),
      B: status(['contact'], ['HEALTH'], { sources: ['S'], routes: { contact: ['S', 'x1', 'A', 'x2', 'B'], HEALTH: ['S', 'x1', 'A', 'x2', 'B'] } }),
    });
  });

  it('marks data pseudonymised after a PSEUDONYMIZE step, and it stays so through NONE', async () => {
    // S{contact, identifier} -> p(PSEUDONYMIZE) -> P -> n -> Q
    await putPrivacyTypes(t.api);
    const S = await artifact(t.api, 'S', pd(['contact', 'identifier']));
    const P = await artifact(t.api, 'P');
    const Q = await artifact(t.api, 'Q');
    const p = await step(t.api, 'p', [S.id], [P.id], { transform: 'PSEUDONYMIZE' });
    const n = await step(t.api, 'n', [P.id], [Q.id]);
    const got = await statuses({ S, P, Q, p, n });
    expect(got.P).toEqual(status(['contact', 'identifier'], [], {
      pseudonymized: true, sources: ['S'], routes: { contact: ['S', 'p', 'P'], identifier: ['S', 'p', 'P'] }, pseudo: ['contact', 'identifier'],
    }));
    expect(got.Q).toEqual(status(['contact', 'identifier'], [], {
      pseudonymized: true, sources: ['S'], routes: { contact: ['S', 'p', 'P', 'n', 'Q'], identifier: ['S', 'p', 'P', 'n', 'Q'] },
      pseudo: ['contact', 'identifier'],
    }));
  });

  it('lets nothing pass an ANONYMIZE step', async () => {
    // S{contact; BIOMETRIC} -> a(ANONYMIZE) -> N -> n -> M
    await putPrivacyTypes(t.api);
    const S = await artifact(t.api, 'S', pd(['contact'], ['BIOMETRIC']));
    const N = await artifact(t.api, 'N');
    const M = await artifact(t.api, 'M');
    await step(t.api, 'a', [S.id], [N.id], { transform: 'ANONYMIZE' });
    await step(t.api, 'n', [N.id], [M.id]);
    expect(await statuses({ S, N, M })).toMatchObject({ N: null, M: null });
  });

  it('removes only the named categories at a DROP step', async () => {
    // S{contact, location; HEALTH, GENETIC} -> d(DROP contact; HEALTH) -> D
    await putPrivacyTypes(t.api);
    const S = await artifact(t.api, 'S', pd(['contact', 'location'], ['HEALTH', 'GENETIC']));
    const D = await artifact(t.api, 'D');
    const d = await step(t.api, 'd', [S.id], [D.id], { transform: 'DROP', categories: ['contact'], specialCategories: ['HEALTH'] });
    expect((await statuses({ S, D, d })).D).toEqual(status(['location'], ['GENETIC'], {
      sources: ['S'], routes: { location: ['S', 'd', 'D'], GENETIC: ['S', 'd', 'D'] },
    }));
  });

  it('blocks at an AGGREGATE step with k at or above the minimum, and passes below it', async () => {
    // S{behavioural} -> g10(AGGREGATE k=10) -> G10 ; S -> g9(AGGREGATE k=9) -> G9
    await putPrivacyTypes(t.api);
    const S = await artifact(t.api, 'S', pd(['behavioural']));
    const G10 = await artifact(t.api, 'G10');
    const G9 = await artifact(t.api, 'G9');
    await step(t.api, 'g10', [S.id], [G10.id], { transform: 'AGGREGATE', k: 10 });
    await step(t.api, 'g9', [S.id], [G9.id], { transform: 'AGGREGATE', k: 9 });
    const atDefault = await statuses({ S, G10, G9 });
    expect(atDefault.G10).toBeNull();
    expect(atDefault.G9).toMatchObject({ categories: ['behavioural'], pseudonymized: false });
    // A configured minimum of 5 makes k = 9 an anonymising step too.
    expect(await statuses({ S, G10, G9 }, 5)).toMatchObject({ G10: null, G9: null });
  });

  it('is clear where a clear route and a pseudonymised route meet, even when the clear one is longer', async () => {
    //        p(PSEUDONYMIZE) -> P ---------------------\
    // S{contact}                                        j -> J
    //        n1 -> C1 -> n2 -> C2 ---------------------/
    // and P -> k -> K (pseudonymised routes only)
    await putPrivacyTypes(t.api);
    const S = await artifact(t.api, 'S', pd(['contact']));
    const P = await artifact(t.api, 'P');
    const C1 = await artifact(t.api, 'C1');
    const C2 = await artifact(t.api, 'C2');
    const J = await artifact(t.api, 'J');
    const K = await artifact(t.api, 'K');
    await step(t.api, 'p', [S.id], [P.id], { transform: 'PSEUDONYMIZE' });
    const n1 = await step(t.api, 'n1', [S.id], [C1.id]);
    const n2 = await step(t.api, 'n2', [C1.id], [C2.id]);
    const j = await step(t.api, 'j', [P.id, C2.id], [J.id]);
    await step(t.api, 'k', [P.id], [K.id]);
    const got = await statuses({ S, P, C1, C2, J, K, n1, n2, j });
    expect(got.J).toEqual(status(['contact'], [], { sources: ['S'], routes: { contact: ['S', 'n1', 'C1', 'n2', 'C2', 'j', 'J'] } }));
    expect(got.K).toMatchObject({ pseudonymized: true, evidence: [{ category: 'contact', pseudonymized: true }] });
  });

  it('keeps special categories apart from categories, takes a type default, and lets an artifact declare none', async () => {
    // Patients type declares {contact; HEALTH}. T1 (Patients, no own declaration), T2 (Patients,
    // own {identifier}), T3 (Patients, own empty declaration); each -> step -> O1, O2, O3.
    await putPrivacyTypes(t.api);
    const T1 = await artifact(t.api, 'T1', undefined, 'Patients');
    const T2 = await artifact(t.api, 'T2', pd(['identifier']), 'Patients');
    const T3 = await artifact(t.api, 'T3', pd([]), 'Patients');
    const O1 = await artifact(t.api, 'O1');
    const O2 = await artifact(t.api, 'O2');
    const O3 = await artifact(t.api, 'O3');
    await step(t.api, 'x1', [T1.id], [O1.id]);
    await step(t.api, 'x2', [T2.id], [O2.id]);
    await step(t.api, 'x3', [T3.id], [O3.id]);
    const got = await statuses({ T1, T2, T3, O1, O2, O3 });
    expect(got.T1).toMatchObject({ categories: ['contact'], specialCategories: ['HEALTH'], declared: true });
    expect(got.O1).toMatchObject({ categories: ['contact'], specialCategories: ['HEALTH'], declared: false, sources: ['T1'] });
    expect(got.O2).toMatchObject({ categories: ['identifier'], specialCategories: [], sources: ['T2'] });
    expect(got.T3).toBeNull();
    expect(got.O3).toBeNull();
  });

  it('terminates on a cycle: a node fed back through a PSEUDONYMIZE step stays clear, the other is pseudonymised', async () => {
    // S{contact} -> x0 -> A -> p(PSEUDONYMIZE) -> B -> back -> A
    await putPrivacyTypes(t.api);
    const S = await artifact(t.api, 'S', pd(['contact']));
    const A = await artifact(t.api, 'A');
    const B = await artifact(t.api, 'B');
    const x0 = await step(t.api, 'x0', [S.id], [A.id]);
    await step(t.api, 'p', [A.id], [B.id], { transform: 'PSEUDONYMIZE' });
    await step(t.api, 'back', [B.id], [A.id]);
    const got = await statuses({ S, A, B, x0 });
    expect(got.A).toMatchObject({ pseudonymized: false, evidence: [{ category: 'contact', route: ['S', 'x0', 'A'] }] });
    expect(got.B).toMatchObject({ pseudonymized: true, categories: ['contact'] });
  });

  it('names every declared source a category comes from', async () => {
    // S1{contact} -> j <- S2{contact, location}; j -> J
    await putPrivacyTypes(t.api);
    const S1 = await artifact(t.api, 'S1', pd(['contact']));
    const S2 = await artifact(t.api, 'S2', pd(['contact', 'location']));
    const J = await artifact(t.api, 'J');
    await step(t.api, 'j', [S1.id, S2.id], [J.id]);
    expect((await statuses({ S1, S2, J })).J).toMatchObject({ categories: ['contact', 'location'], sources: ['S1', 'S2'] });
  });

  it('gives the same answer whatever the order of the writes', async () => {
    // Twice the graph S{contact; HEALTH} -> p(PSEUDONYMIZE) -> P -> j -> J <- n <- S, J -> back -> P,
    // once written source first, once sink first with the transforms set last.
    await putPrivacyTypes(t.api);
    const forward = await (async () => {
      const S = await artifact(t.api, 'f-S', pd(['contact'], ['HEALTH']));
      const P = await artifact(t.api, 'f-P');
      const J = await artifact(t.api, 'f-J');
      await step(t.api, 'f-p', [S.id], [P.id], { transform: 'PSEUDONYMIZE' });
      await step(t.api, 'f-n', [S.id], [J.id]);
      await step(t.api, 'f-j', [P.id], [J.id]);
      await step(t.api, 'f-back', [J.id], [P.id]);
      return { S, P, J };
    })();
    const backward = await (async () => {
      const J = await artifact(t.api, 'b-J');
      const P = await artifact(t.api, 'b-P');
      const S = await artifact(t.api, 'b-S');
      await step(t.api, 'b-back', [J.id], [P.id]);
      await step(t.api, 'b-j', [P.id], [J.id]);
      await step(t.api, 'b-n', [S.id], [J.id]);
      const p = await step(t.api, 'b-p', [S.id], [P.id]);
      await t.api.putExecutions([{ id: p.id, type: 'Step', privacy: { transform: 'PSEUDONYMIZE' } }]);
      await t.api.putArtifacts([{ id: S.id, type: 'Table', personalData: pd(['contact'], ['HEALTH']) }]);
      return { S, P, J };
    })();
    const shape = (s: PersonalDataStatus | null) => s && { ...s, artifactId: undefined, sources: s.sources.length, evidence: s.evidence.map((e) => ({ ...e, source: undefined, route: e.route.length })) };
    const svc = personalDataService(t.store);
    const a = await svc.personalDataStatus([forward.S.id, forward.P.id, forward.J.id], 'test');
    const b = await svc.personalDataStatus([backward.S.id, backward.P.id, backward.J.id], 'test');
    expect(b.map(shape)).toEqual(a.map(shape));
    // By hand: J is clear (S -> n -> J), P is clear too (S -> n -> J -> back -> P).
    expect(a.map((s) => s?.pseudonymized)).toEqual([false, false, false]);
  });

  it('answers null for ids that are no artifact, and refuses a bad id list', async () => {
    await putPrivacyTypes(t.api);
    const x = await step(t.api, 'x', [], []);
    const svc = personalDataService(t.store);
    expect(await svc.personalDataStatus(['no-such-id', x.id], 'test')).toEqual([null, null]);
    await expect(svc.personalDataStatus('nope' as never, 'test')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'artifactIds' });
  });
});

interface Expected {
  declared?: boolean;
  pseudonymized?: boolean;
  sources: string[];
  routes: Record<string, string[]>;
  /** Keys whose evidence is pseudonymised. */
  pseudo?: string[];
}

/** The status expected, with sources and routes by name. */
function status(categories: string[], specialCategories: string[], e: Expected): Record<string, unknown> {
  const evidence = [
    ...categories.map((c) => ({ category: c, specialCategory: null, key: c })),
    ...specialCategories.map((s) => ({ category: null, specialCategory: s, key: s })),
  ].map(({ key, ...names }) => ({
    ...names, pseudonymized: (e.pseudo ?? []).includes(key), source: e.routes[key]![0], route: e.routes[key],
  }));
  return {
    categories, specialCategories, declared: e.declared ?? false, pseudonymized: e.pseudonymized ?? false, sources: e.sources, evidence,
  };
}

/** A status with its ids replaced by names, and without its own id. */
function readable(s: PersonalDataStatus | null, nameOf: ReadonlyMap<string, string>): Record<string, unknown> | null {
  if (!s) return null;
  const name = (id: string): string => nameOf.get(id) ?? id;
  const { artifactId: _id, ...rest } = s;
  return {
    ...rest,
    sources: s.sources.map(name),
    evidence: s.evidence.map((e) => ({ ...e, source: name(e.source), route: e.route.map(name) })),
  };
}

describe('the transfer function of each transform', () => {
  const contact = categoryKey('contact');
  const health = specialCategoryKey('HEALTH');
  const drop = { transform: 'DROP' as const, categories: ['contact'], specialCategories: [], k: null };
  const aggregate = (k: number) => ({ transform: 'AGGREGATE' as const, categories: [], specialCategories: [], k });
  const of = (transform: 'PSEUDONYMIZE' | 'ANONYMIZE') => ({ transform, categories: [], specialCategories: [], k: null });

  it.each([
    ['no transform, clear', null, contact, true, true],
    ['no transform, pseudonymised', null, contact, false, false],
    ['PSEUDONYMIZE, clear', of('PSEUDONYMIZE'), contact, true, false],
    ['ANONYMIZE', of('ANONYMIZE'), contact, true, null],
    ['DROP of the key', drop, contact, true, null],
    ['DROP of another key', drop, health, false, false],
    ['AGGREGATE at the minimum', aggregate(10), health, true, null],
    ['AGGREGATE below the minimum', aggregate(9), health, true, true],
  ] as const)('%s', (_label, privacy, key, clear, expected) => {
    expect(transfer(privacy, key, clear, 10)).toBe(expected);
  });

  it('blocks everything only for ANONYMIZE and AGGREGATE at or above the minimum', () => {
    expect([null, of('PSEUDONYMIZE'), drop, of('ANONYMIZE'), aggregate(9), aggregate(10)].map((p) => blocksEverything(p, 10)))
      .toEqual([false, false, false, true, false, true]);
  });
});
