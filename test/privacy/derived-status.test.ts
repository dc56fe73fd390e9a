/**
 * The statuses the writes keep (src/service/privacy/derived-status.ts) against the status
 * a propagation over the whole ancestry derives on read, on every backend: after random
 * graphs built and then changed by random writes (new steps and events, declarations set
 * and removed, transforms changed, a type's default changed, nodes deleted), and when the
 * AGGREGATE minimum k they were derived with is not the configured one; and the store reads
 * that use them (the data-flow reach, the contexts of many nodes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SpecialCategory } from '../../src/graph/model.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { personalDataSettings } from '../../src/service/privacy/personal-data-settings.js';
import { createServices } from '../../src/service/services.js';
import type { PersonalDataInput, PrivacyInput } from '../../src/service/privacy/declarations.js';
import { computeStatusesInTx } from '../../src/service/privacy/personal-data-status.js';
import { BACKENDS, useService } from '../support/backends.js';
import { artifact, pd, personalDataService, putPrivacyTypes, step } from './fixtures.js';

const DECLARATIONS: (PersonalDataInput | undefined)[] = [
  undefined, pd(['contact']), pd(['contact', 'location'], ['HEALTH']), pd([], ['GENETIC']), pd([]),
];
const TRANSFORMS: (PrivacyInput | undefined)[] = [
  undefined,
  { transform: 'NONE' },
  { transform: 'PSEUDONYMIZE' },
  { transform: 'ANONYMIZE' },
  { transform: 'DROP', categories: ['contact'] },
  { transform: 'DROP', specialCategories: ['HEALTH' as SpecialCategory] },
  { transform: 'AGGREGATE', k: 5 },
  { transform: 'AGGREGATE', k: 50 },
];

const graphShape = fc.record({
  artifacts: fc.array(fc.record({ declaration: fc.nat(DECLARATIONS.length - 1), patients: fc.boolean() }), { minLength: 2, maxLength: 6 }),
  steps: fc.array(fc.record({
    inputs: fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 3 }),
    outputs: fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 2 }),
    transform: fc.nat(TRANSFORMS.length - 1),
  }), { minLength: 1, maxLength: 5 }),
  changes: fc.array(fc.oneof(
    fc.record({ op: fc.constant('declare' as const), at: fc.nat(5), declaration: fc.nat(DECLARATIONS.length - 1) }),
    fc.record({ op: fc.constant('transform' as const), at: fc.nat(4), transform: fc.nat(TRANSFORMS.length - 1) }),
    fc.record({ op: fc.constant('event' as const), at: fc.nat(4), artifact: fc.nat(5), input: fc.boolean() }),
    fc.record({ op: fc.constant('typeDefault' as const), declaration: fc.nat(DECLARATIONS.length - 1) }),
    fc.record({ op: fc.constant('deleteArtifact' as const), at: fc.nat(5) }),
    fc.record({ op: fc.constant('deleteStep' as const), at: fc.nat(4) }),
  ), { maxLength: 4 }),
});
type GraphShape = typeof graphShape extends fc.Arbitrary<infer T> ? T : never;

describe.each(BACKENDS)('derived personal-data statuses kept at write time on $name', (backend) => {
  const t = useService(backend);

  /** Builds the shape's graph under names unique to `run`, applies its changes; returns the artifact ids left. */
  async function build(api: MetadataApi, shape: GraphShape, run: number): Promise<string[]> {
    const artifacts = [];
    for (const [i, a] of shape.artifacts.entries()) {
      artifacts.push(await artifact(api, `r${run}-a${i}`, DECLARATIONS[a.declaration], a.patients ? 'Patients' : 'Table'));
    }
    const ids = artifacts.map((a) => a.id);
    const pick = (i: number): string => ids[i % ids.length]!;
    const steps: string[] = [];
    for (const [j, s] of shape.steps.entries()) {
      steps.push((await step(api, `r${run}-x${j}`, [...new Set(s.inputs.map(pick))], [...new Set(s.outputs.map(pick))], TRANSFORMS[s.transform])).id);
    }
    const deleted = new Set<string>();
    const stepAt = (j: number): string => steps[j % steps.length]!;
    for (const c of shape.changes) {
      switch (c.op) {
        case 'declare':
          if (!deleted.has(pick(c.at))) {
            const type = shape.artifacts[c.at % ids.length]!.patients ? 'Patients' : 'Table';
            await api.putArtifacts([{ id: pick(c.at), type, personalData: DECLARATIONS[c.declaration] ?? pd([]) }]);
          }
          break;
        case 'transform':
          if (!deleted.has(stepAt(c.at))) await api.putExecutions([{ id: stepAt(c.at), type: 'Step', privacy: TRANSFORMS[c.transform] ?? { transform: 'NONE' } }]);
          break;
        case 'event':
          if (!deleted.has(stepAt(c.at)) && !deleted.has(pick(c.artifact))) {
            await api.putEvents([{ artifactId: pick(c.artifact), executionId: stepAt(c.at), type: c.input ? 'INPUT' : 'OUTPUT' }]);
          }
          break;
        case 'typeDefault':
          await api.putType('ARTIFACT_TYPE', { name: 'Patients', baseType: 'DATASET', personalData: DECLARATIONS[c.declaration] ?? pd([]) });
          break;
        case 'deleteArtifact':
          deleted.add(pick(c.at));
          await api.deleteNodes([pick(c.at)]);
          break;
        case 'deleteStep':
          deleted.add(stepAt(c.at));
          await api.deleteNodes([stepAt(c.at)]);
          break;
      }
    }
    return ids.filter((id) => !deleted.has(id));
  }

  /** The statuses read (kept) and derived over the whole ancestry, for `ids`. */
  async function keptAndDerived(ids: readonly string[], minK = 10) {
    const kept = await personalDataService(t.store, { minK }).personalDataStatus(ids, 'test');
    const derived = await t.store.read((tx) => computeStatusesInTx(tx, ids, { minK, maxNodes: 10_000 }));
    return { kept, derived };
  }

  it('keeps every status equal to the one derived over the whole graph, whatever the writes and their order', async () => {
    await putPrivacyTypes(t.api);
    let run = 0;
    await fc.assert(fc.asyncProperty(graphShape, async (shape) => {
      run += 1;
      const ids = await build(t.api, shape, run);
      const { kept, derived } = await keptAndDerived(ids);
      expect(kept).toEqual(derived);
    }), { numRuns: backend.name === 'neo4j' ? 12 : 40, seed: 20261128 });
  });

  it('derives every status again when the configured minimum k is not the one they were kept under', async () => {
    await putPrivacyTypes(t.api);
    // S{contact} -> agg(AGGREGATE k 20) -> M: k 20 blocks under 10, passes under 25.
    const S = await artifact(t.api, 'S', pd(['contact']));
    const M = await artifact(t.api, 'M');
    await step(t.api, 'agg', [S.id], [M.id], { transform: 'AGGREGATE', k: 20 });
    expect((await keptAndDerived([M.id])).kept).toEqual([null]);

    const under25 = createServices(t.store, { personalData: personalDataSettings({ aggregateMinK: 25 }) }).metadata;
    await artifact(under25, 'unrelated'); // any write that may touch a status derives them all under 25
    const after = await keptAndDerived([S.id, M.id], 25);
    expect(after.kept).toEqual(after.derived);
    expect(after.kept[1]).toMatchObject({ categories: ['contact'], sources: [S.id] });
    // A reader still on 10 derives on read, and is still right.
    const at10 = await keptAndDerived([M.id], 10);
    expect(at10.kept).toEqual([null]);
  });

  it('removes the statuses of what a deleted source fed, and keeps none for a deleted artifact', async () => {
    await putPrivacyTypes(t.api);
    const S = await artifact(t.api, 'S', pd(['contact']));
    const A = await artifact(t.api, 'A');
    const B = await artifact(t.api, 'B');
    await step(t.api, 'x1', [S.id], [A.id]);
    await step(t.api, 'x2', [A.id], [B.id]);
    expect((await keptAndDerived([B.id])).kept[0]).toMatchObject({ categories: ['contact'] });
    await t.api.deleteNodes([S.id]);
    expect(await t.store.read((tx) => tx.derivedStatuses([S.id, A.id, B.id]))).toEqual([null, null, null]);
  });

  it('reaches through executions and artifacts that hold personal data only, and names the contexts of many nodes once', async () => {
    await putPrivacyTypes(t.api);
    // S{contact} -> x1(DROP contact) -> A (holds nothing) -> x2 -> C;  S -> x3 -> B (holds contact)
    const S = await artifact(t.api, 'S', pd(['contact']));
    const A = await artifact(t.api, 'A');
    const B = await artifact(t.api, 'B');
    const C = await artifact(t.api, 'C');
    const x1 = await step(t.api, 'x1', [S.id], [A.id], { transform: 'DROP', categories: ['contact'] });
    const x2 = await step(t.api, 'x2', [A.id], [C.id]);
    const x3 = await step(t.api, 'x3', [S.id], [B.id]);
    const reach = await t.store.read((tx) => tx.personalDataReach([S.id], 100, 1000));
    expect(new Set(reach.expanded)).toEqual(new Set([S.id, x1.id, x3.id, B.id]));
    expect(reach.holding.sort()).toEqual([B.id]);
    expect(reach.steps.map((s) => s.neighborId).sort()).toEqual([x1.id, x3.id, A.id, B.id].sort());
    expect(reach.expanded).not.toContain(x2.id);

    const [run] = await t.api.putContexts([{ type: 'Pipeline', name: 'run' }]);
    const [other] = await t.api.putContexts([{ type: 'Pipeline', name: 'other' }]);
    await t.api.putAttributions([S.id, A.id, B.id].map((artifactId) => ({ contextId: run!.id, artifactId })));
    await t.api.putAssociations([{ contextId: other!.id, executionId: x1.id }, { contextId: run!.id, executionId: x3.id }]);
    const contexts = await t.store.read((tx) => tx.contextsOfAny([S.id, A.id, B.id, x1.id, x3.id, C.id]));
    expect(contexts.map((c) => c.id)).toEqual([run!.id, other!.id].sort());
    expect(contexts.find((c) => c.id === run!.id)).toEqual(run);
  });

  it('answers a subject lineage the same from the kept statuses and without them', async () => {
    await putPrivacyTypes(t.api);
    // S{contact; HEALTH} -> p(PSEUDONYMIZE) -> P -> n -> M;  S -> d(DROP contact) -> D -> n2 -> E;  S -> a(ANONYMIZE) -> Z
    const S = await artifact(t.api, 'S', pd(['contact'], ['HEALTH']));
    const [P, M, D, E, Z] = await Promise.all(['P', 'M', 'D', 'E', 'Z'].map((n) => artifact(t.api, n, undefined, n === 'M' ? 'Model' : 'Table')));
    await step(t.api, 'p', [S.id], [P!.id], { transform: 'PSEUDONYMIZE' });
    await step(t.api, 'n', [P!.id], [M!.id]);
    await step(t.api, 'd', [S.id], [D!.id], { transform: 'DROP', categories: ['contact'] });
    await step(t.api, 'n2', [D!.id], [E!.id]);
    await step(t.api, 'a', [S.id], [Z!.id], { transform: 'ANONYMIZE' });
    const privacy = personalDataService(t.store);
    await privacy.registerDataSubjects(S.id, ['person-1'], 'test');
    const withKept = await privacy.dataSubjectLineage('person-1', {}, 'test');
    expect(withKept.affected.map((a) => a.artifactId).sort()).toEqual([S.id, P!.id, M!.id, D!.id, E!.id].sort());
    // Kept under another minimum k: the reader on 10 walks without them.
    await artifact(createServices(t.store, { personalData: personalDataSettings({ aggregateMinK: 25 }) }).metadata, 'unrelated');
    expect(await t.store.read((tx) => tx.derivationMinK())).toBe(25);
    const without = await privacy.dataSubjectLineage('person-1', {}, 'test');
    expect(without).toEqual(withKept);
  });

  it('keeps the statuses right when writers record steps at the same time', async () => {
    await putPrivacyTypes(t.api);
    // S{contact} -> x1 -> A1 -> x2 -> A2 ... -> A12, each step recorded by its own concurrent write.
    const S = await artifact(t.api, 'S', pd(['contact']));
    const chain = [S];
    for (let i = 1; i <= 12; i += 1) chain.push(await artifact(t.api, `A${i}`));
    await Promise.all(chain.slice(1).map((a, i) => step(t.api, `x${i + 1}`, [chain[i]!.id], [a.id])));
    const ids = chain.map((a) => a.id);
    const { kept, derived } = await keptAndDerived(ids);
    expect(kept).toEqual(derived);
    expect(kept.every((s) => s?.categories[0] === 'contact')).toBe(true);
  });
});
