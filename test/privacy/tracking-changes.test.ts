/**
 * Issue 12 item 8: changes that decide whether personal data is tracked (an execution's
 * transform, an artifact's or a type's declaration, deleting an artifact holding
 * registrations) are audited with who, what, before and after; the weakening ones need
 * the privacy permission besides write, which of the built-in roles only admin holds. An
 * editor is refused with FORBIDDEN naming the role and the field, before anything is
 * written. Over HTTP, on both backends, with variables and aliases as a caller would.
 *
 *   Raw (Patients: contact + HEALTH, alice registered) ──clean──▶ Clean ──train──▶ Model
 */
import { describe, expect, it } from 'vitest';
import type { PrivacyDeclaration } from '../../src/graph/model.js';
import { createPersonalDataService } from '../../src/service/privacy/personal-data-service.js';
import { declarationWeakens, transformWeakens } from '../../src/service/privacy/tracking-changes.js';
import { onlyError, type GqlResponse } from '../api/harness.js';
import { bearer, makeKey, startSecureServer, useServiceWithKeys, type TestServer } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';
import { testSubjectKey } from './fixtures.js';

interface Pipeline {
  t: TestServer;
  as(role: 'editor' | 'admin'): (q: string, v?: Record<string, unknown>) => Promise<GqlResponse>;
  ids: Record<string, string>;
  adminKeyId: string;
  editorKeyId: string;
}

const t = (transform: PrivacyDeclaration['transform'], extra: Partial<PrivacyDeclaration> = {}): PrivacyDeclaration =>
  ({ transform, categories: [], specialCategories: [], k: null, ...extra });

describe('what weakens tracking (minimum k 10)', () => {
  it.each([
    ['none → ANONYMIZE', null, t('ANONYMIZE'), true],
    ['none → AGGREGATE k 10', null, t('AGGREGATE', { k: 10 }), true],
    ['none → AGGREGATE k 9 (acts as NONE)', null, t('AGGREGATE', { k: 9 }), false],
    ['none → PSEUDONYMIZE (still traced)', null, t('PSEUDONYMIZE'), false],
    ['DROP contact → DROP contact, email', t('DROP', { categories: ['contact'] }), t('DROP', { categories: ['contact', 'email'] }), true],
    ['DROP contact, email → DROP contact', t('DROP', { categories: ['contact', 'email'] }), t('DROP', { categories: ['contact'] }), false],
    ['ANONYMIZE → AGGREGATE k 50', t('ANONYMIZE'), t('AGGREGATE', { k: 50 }), false],
    ['ANONYMIZE → none', t('ANONYMIZE'), null, false],
    ['AGGREGATE k 5 → AGGREGATE k 50', t('AGGREGATE', { k: 5 }), t('AGGREGATE', { k: 50 }), true],
    ['DROP HEALTH → ANONYMIZE', t('DROP', { specialCategories: ['HEALTH'] }), t('ANONYMIZE'), true],
  ] as const)('%s: %s', (_name, before, after, weakens) => {
    expect(transformWeakens(before, after, 10)).toBe(weakens);
  });

  it('a declaration weakens when it names less than before', () => {
    const d = (categories: string[]) => ({ categories, specialCategories: [] });
    expect(declarationWeakens(d(['contact']), null)).toBe(true);
    expect(declarationWeakens(d(['contact', 'email']), d(['email']))).toBe(true);
    expect(declarationWeakens(d(['contact']), d(['contact', 'email']))).toBe(false);
    expect(declarationWeakens(null, d(['contact']))).toBe(false);
    expect(declarationWeakens({ categories: [], specialCategories: ['HEALTH'] }, d(['health']))).toBe(true);
  });
});

describe.each(BACKENDS)('changes of personal-data tracking ($name)', (backend) => {
  const h = useServiceWithKeys(backend);

  async function pipeline(): Promise<Pipeline> {
    const admin = await makeKey(h.store, 'admin');
    const editor = await makeKey(h.store, 'editor');
    const t = await startSecureServer(h.api, { privacy: createPersonalDataService(h.store, { subjectKey: testSubjectKey() }) });
    const as = (role: 'editor' | 'admin') => (q: string, v?: Record<string, unknown>): Promise<GqlResponse> => t.gql(q, v, bearer(role === 'admin' ? admin : editor));
    const ok = async (q: string, v?: Record<string, unknown>) => {
      const res = await as('admin')(q, v);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      return res.data!;
    };
    await ok(`mutation {
      p: putArtifactType(input: { name: "Patients", baseType: DATASET, personalData: { categories: ["contact"], specialCategories: [HEALTH] } }) { id }
      d: putArtifactType(input: { name: "DataSet", baseType: DATASET }) { id }
      m: putArtifactType(input: { name: "Model", baseType: MODEL }) { id }
      s: putExecutionType(input: { name: "Step" }) { id }
    }`);
    const ids: Record<string, string> = {};
    const step = async (name: string, input: string, output: { type: string; name: string }) => {
      const r = (await ok('mutation ($i: RecordExecutionInput!) { recordExecution(input: $i) { execution { id } outputs { id } } }', {
        i: { execution: { type: 'Step', name }, inputs: [{ id: ids[input] }], outputs: [{ artifact: output }] },
      })).recordExecution;
      ids[name] = r.execution.id;
      ids[output.name] = r.outputs[0].id;
    };
    ids.Patients = (await ok('{ artifactType(name: "Patients") { id } }')).artifactType.id;
    ids.Raw = (await ok('mutation { putArtifacts(artifacts: [{ type: "Patients", name: "Raw" }]) { id } }')).putArtifacts[0].id;
    await step('clean', 'Raw', { type: 'DataSet', name: 'Clean' });
    await step('train', 'Clean', { type: 'Model', name: 'Model' });
    await ok('mutation ($a: ID!) { registerDataSubjects(artifactId: $a, subjectIds: ["alice"]) }', { a: ids.Raw });
    const keyIds = (await ok('{ apiKeys { id role } }')).apiKeys as { id: string; role: string }[];
    return { t, as, ids, adminKeyId: keyIds.find((k) => k.role.toLowerCase() === 'admin')!.id, editorKeyId: keyIds.find((k) => k.role.toLowerCase() === 'editor')!.id };
  }

  const AUDIT = '{ auditLog(first: 1000) { nodes { caller operation target before after } } }';
  const trackingEntries = async (p: Pipeline) => ((await p.as('admin')(AUDIT)).data!.auditLog.nodes as { operation: string }[])
    .filter((e) => ['Execution.privacy', 'Artifact.personalDataDeclared', 'ArtifactType.personalData', 'deleteNodes'].includes(e.operation));
  const PUT_EXECUTION = 'mutation ($x: [ExecutionInput!]!) { step: putExecutions(executions: $x) { id privacy { transform k } } }';

  it('refuses an editor every weakening change, naming the role and the field, and writes nothing of it', async () => {
    const p = await pipeline();
    try {
      const before = await trackingEntries(p);
      const editor = p.as('editor');
      const refusals: [string, Record<string, unknown>, string][] = [
        [PUT_EXECUTION, { x: [{ id: p.ids.train, type: 'Step', privacy: { transform: 'ANONYMIZE' } }] }, 'executions[0].privacy'],
        [PUT_EXECUTION, { x: [{ id: p.ids.train, type: 'Step', privacy: { transform: 'AGGREGATE', k: 10 } }] }, 'executions[0].privacy'],
        [PUT_EXECUTION, { x: [{ id: p.ids.clean, type: 'Step', privacy: { transform: 'DROP', specialCategories: ['HEALTH'] } }] }, 'executions[0].privacy'],
        // A new step that anonymises: recordExecution is no way around the rule.
        ['mutation ($i: RecordExecutionInput!) { recordExecution(input: $i) { execution { id } } }',
          { i: { execution: { type: 'Step', name: 'sneaky', privacy: { transform: 'ANONYMIZE' } }, inputs: [{ id: p.ids.Raw }] } }, 'input.execution.privacy'],
        ['mutation ($t: ArtifactTypeInput!) { putArtifactType(input: $t) { id } }',
          { t: { name: 'Patients', baseType: 'DATASET', personalData: { categories: [] } } }, 'input.personalData'],
        ['mutation ($t: ArtifactTypeInput!) { putArtifactType(input: $t) { id } }',
          { t: { name: 'Patients', baseType: 'DATASET', personalData: { categories: ['contact'] } } }, 'input.personalData'],
        // An artifact's own empty declaration overrides its type's default: it holds none.
        ['mutation ($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }',
          { a: [{ id: p.ids.Raw, type: 'Patients', personalData: { categories: [] } }] }, 'artifacts[0].personalData'],
        ['mutation ($a: [ArtifactInput!]!) { x: putArtifacts(artifacts: $a) { id } }',
          { a: [{ type: 'DataSet', name: 'ok' }, { type: 'Patients', name: 'Synthetic', personalData: { categories: ['contact'] } }] }, 'artifacts[1].personalData'],
        ['mutation ($ids: [ID!]!) { deleteNodes(ids: $ids) }', { ids: [p.ids.Clean, p.ids.Raw] }, 'ids[1]'],
      ];
      for (const [query, variables, field] of refusals) {
        const error = onlyError(await editor(query, variables));
        expect(error.extensions, `${field} ${JSON.stringify(variables)}`).toEqual({ code: 'FORBIDDEN', field });
        expect(error.message).toMatch(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: .* weakens personal-data tracking and needs the admin role; this request has editor$`));
      }
      // Nothing of any of them was written.
      const read = (await p.as('admin')(`query ($train: ID!, $clean: ID!, $raw: ID!) {
        train: execution(id: $train) { privacy { transform } } clean: execution(id: $clean) { privacy { transform } }
        raw: artifact(id: $raw) { personalDataDeclared { categories } personalData { categories } }
        patients: artifactType(name: "Patients") { personalData { categories specialCategories } }
        sneaky: executionByName(type: "Step", name: "sneaky") { id } synthetic: artifactByName(type: "Patients", name: "Synthetic") { id }
        ok: artifactByName(type: "DataSet", name: "ok") { id }
      }`, { train: p.ids.train, clean: p.ids.clean, raw: p.ids.Raw })).data!;
      expect(read).toEqual({
        train: { privacy: null }, clean: { privacy: null },
        raw: { personalDataDeclared: null, personalData: { categories: ['contact'] } },
        patients: { personalData: { categories: ['contact'], specialCategories: ['HEALTH'] } },
        sneaky: null, synthetic: null, ok: null,
      });
      expect((await p.as('admin')('{ dataSubjectLineage(subjectId: "alice") { found } }')).data!.dataSubjectLineage.found).toBe(true);
      expect(await trackingEntries(p)).toEqual(before);
    } finally {
      await p.t.close();
    }
  });

  it('lets an editor make changes that keep tracking, and audits each with who, what, before and after', async () => {
    const p = await pipeline();
    try {
      const before = (await trackingEntries(p)).length;
      const editor = p.as('editor');
      // PSEUDONYMIZE keeps the data traced (as pseudonymised); AGGREGATE below the minimum k acts as NONE.
      expect((await editor(PUT_EXECUTION, { x: [{ id: p.ids.clean, type: 'Step', privacy: { transform: 'PSEUDONYMIZE' } }] })).errors).toBeUndefined();
      expect((await editor(PUT_EXECUTION, { x: [{ id: p.ids.train, type: 'Step', privacy: { transform: 'AGGREGATE', k: 3 } }] })).errors).toBeUndefined();
      expect((await editor('mutation { putArtifactType(input: { name: "Patients", baseType: DATASET, personalData: { categories: ["contact", "address"], specialCategories: [HEALTH] } }) { id } }')).errors).toBeUndefined();
      // Unchanged re-puts are no change and leave no entry.
      expect((await editor(PUT_EXECUTION, { x: [{ id: p.ids.train, type: 'Step', privacy: { transform: 'AGGREGATE', k: 3 } }] })).errors).toBeUndefined();
      const entries = (await trackingEntries(p)).slice(before);
      expect(entries).toEqual([
        { caller: p.editorKeyId, operation: 'Execution.privacy', target: p.ids.clean, before: null, after: { transform: 'PSEUDONYMIZE', categories: [], specialCategories: [], k: null } },
        { caller: p.editorKeyId, operation: 'Execution.privacy', target: p.ids.train, before: null, after: { transform: 'AGGREGATE', categories: [], specialCategories: [], k: 3 } },
        {
          caller: p.editorKeyId, operation: 'ArtifactType.personalData', target: p.ids.Patients,
          before: { categories: ['contact'], specialCategories: ['HEALTH'] }, after: { categories: ['address', 'contact'], specialCategories: ['HEALTH'] },
        },
      ]);
    } finally {
      await p.t.close();
    }
  });

  it('lets an admin weaken tracking, audited, and deleting a registered source records how many registrations went', async () => {
    const p = await pipeline();
    try {
      const before = (await trackingEntries(p)).length;
      const admin = p.as('admin');
      expect((await admin(PUT_EXECUTION, { x: [{ id: p.ids.train, type: 'Step', privacy: { transform: 'ANONYMIZE' } }] })).errors).toBeUndefined();
      expect((await admin('mutation ($ids: [ID!]!) { deleteNodes(ids: $ids) }', { ids: [p.ids.Raw] })).data).toEqual({ deleteNodes: 1 });
      expect((await trackingEntries(p)).slice(before)).toEqual([
        { caller: p.adminKeyId, operation: 'Execution.privacy', target: p.ids.train, before: null, after: { transform: 'ANONYMIZE', categories: [], specialCategories: [], k: null } },
        { caller: p.adminKeyId, operation: 'deleteNodes', target: p.ids.Raw, before: { registrations: 1 }, after: null },
      ]);
    } finally {
      await p.t.close();
    }
  });
});
