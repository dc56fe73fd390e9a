/**
 * Personal data per field, through column lineage, over HTTP on every backend: categories
 * declared per field of a dataset version (and on a type) reach exactly the fields that
 * derive from them; a dropped column's, or one used only as a filter or grouping key,
 * does not; masking pseudonymises; the runs' privacy transforms apply; the artifact-level
 * status keeps the existing rules; roles, audit and tracking changes as for artifacts.
 * The chain is drawn in test/lineage/column-lineage-fixtures.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { createPersonalDataService } from '../../src/service/privacy/personal-data-service.js';
import { bearer, makeKey, startSecureServer, useServiceWithKeys } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';
import { buildVersions, chainSpec, columnLineageFacet, direct, type Data } from '../lineage/column-lineage-fixtures.js';
import { onlyError, type TestServer } from './harness.js';

/** The landing table's per-field declaration: each column's categories. */
const LANDING = {
  fields: [
    { field: 'id', categories: ['identifier'] },
    { field: 'email', categories: ['contact'] },
    { field: 'name', categories: ['contact'] },
    { field: 'birth', categories: ['birthdate'], specialCategories: ['HEALTH'] },
    { field: 'country', categories: ['location'] },
  ],
};

const FIELDS = `fieldPersonalData { field categories specialCategories declared pseudonymized }`;
const held = (field: string, categories: string[], extra: Partial<{ specialCategories: string[]; declared: boolean; pseudonymized: boolean }> = {}) =>
  ({ field, categories, specialCategories: [], declared: false, pseudonymized: false, ...extra });

// Each test builds its versions through GraphQL first: on a loaded machine's Neo4j that alone can take most of the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

describe.each(BACKENDS)('field personal data ($name)', (backend) => {
  const svc = useServiceWithKeys(backend);

  async function serve(): Promise<{ t: TestServer; admin: Data; as: (token: string) => Data; tokens: { admin: string; editor: string; privacy: string } }> {
    const tokens = { admin: await makeKey(svc.store, 'admin'), editor: await makeKey(svc.store, 'editor'), privacy: await makeKey(svc.store, 'privacy') };
    const t = await startSecureServer(svc.api, { privacy: createPersonalDataService(svc.store, { subjectKey: null }) });
    const as = (token: string): Data => async (query, variables) => {
      const res = await t.gql(query, variables, bearer(token));
      if (res.errors) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(res.errors)}`);
      return res.data as any;
    };
    return { t, admin: as(tokens.admin), as, tokens };
  }

  const fieldsOf = async (data: Data, id: string) =>
    (await data(`query F($id: ID!) { artifact(id: $id) { ${FIELDS} } }`, { id })).artifact.fieldPersonalData;

  it('a field category reaches exactly the derived fields: not the dropped column, not a grouping key; masking pseudonymises', async () => {
    const { t, admin } = await serve();
    try {
      const spec = chainSpec({ landingPersonalData: LANDING });
      const ids = await buildVersions(admin, spec.versions, spec.runs);
      expect(await fieldsOf(admin, ids.landing!)).toEqual([
        held('birth', ['birthdate'], { specialCategories: ['HEALTH'], declared: true }),
        held('country', ['location'], { declared: true }), held('email', ['contact'], { declared: true }),
        held('id', ['identifier'], { declared: true }), held('name', ['contact'], { declared: true }),
      ]);
      // raw@v1 copies every column (the older IDENTITY form).
      expect((await fieldsOf(admin, ids.raw1!)).find((f: any) => f.field === 'birth')).toEqual(held('birth', ['birthdate'], { specialCategories: ['HEALTH'] }));
      // clean@c1: birth is dropped (used only in a whole-dataset FILTER): no field holds birthdate or HEALTH.
      expect(await fieldsOf(admin, ids.clean1!)).toEqual([
        held('country', ['location']), held('full_name', ['contact']), held('mail', ['contact']), held('user_id', ['identifier']),
      ]);
      // features: email_hash is masked; users_in_country counts user_id (DIRECT) grouped by country (INDIRECT: not carried).
      expect(await fieldsOf(admin, ids.features!)).toEqual([
        held('country', ['location']), held('email_hash', ['contact'], { pseudonymized: true }),
        held('user_id', ['identifier']), held('users_in_country', ['identifier']),
      ]);
      // The artifact level keeps the existing rules: the version holds all of its ancestors' categories.
      const status = await admin(`query S($id: ID!) { artifact(id: $id) { personalData { categories specialCategories } } }`, { id: ids.features });
      expect(status.artifact.personalData).toEqual({ categories: ['birthdate', 'contact', 'identifier', 'location'], specialCategories: ['HEALTH'] });
      // The landing declaration holds its fields' categories at the artifact level too.
      const declared = await admin(`query D($id: ID!) { artifact(id: $id) { personalDataDeclared { categories specialCategories fields { field categories specialCategories } } } }`, { id: ids.landing });
      expect(declared.artifact.personalDataDeclared.categories).toEqual(['birthdate', 'contact', 'identifier', 'location']);
      expect(declared.artifact.personalDataDeclared.specialCategories).toEqual(['HEALTH']);
      expect(declared.artifact.personalDataDeclared.fields.map((f: any) => f.field)).toEqual(['birth', 'country', 'email', 'id', 'name']);
    } finally {
      await t.close();
    }
  });

  it("a run's privacy transform applies per field: DROP of location empties country, PSEUDONYMIZE pseudonymises the rest", async () => {
    const { t, admin } = await serve();
    try {
      const spec = chainSpec({ landingPersonalData: LANDING, feat1Privacy: { transform: 'DROP', categories: ['location'] } });
      const ids = await buildVersions(admin, spec.versions, spec.runs);
      expect(await fieldsOf(admin, ids.features!)).toEqual([
        held('country', []), held('email_hash', ['contact'], { pseudonymized: true }),
        held('user_id', ['identifier']), held('users_in_country', ['identifier']),
      ]);
      await admin(`mutation P($id: ID!) { putExecutions(executions: [{ id: $id, type: "openlineage.Run", privacy: { transform: PSEUDONYMIZE } }]) { id } }`, { id: ids.feat1 });
      expect((await fieldsOf(admin, ids.features!)).map((f: any) => [f.field, f.categories, f.pseudonymized])).toEqual([
        ['country', ['location'], true], ['email_hash', ['contact'], true], ['user_id', ['identifier'], true], ['users_in_country', ['identifier'], true],
      ]);
    } finally {
      await t.close();
    }
  });

  it('roles, audit and tracking changes: privacy reads it, editors may not, and moving a category off a field weakens tracking', async () => {
    const { t, admin, as, tokens } = await serve();
    try {
      const spec = chainSpec({ landingPersonalData: LANDING });
      const ids = await buildVersions(admin, spec.versions, spec.runs);
      expect(await fieldsOf(as(tokens.privacy), ids.clean1!)).toHaveLength(4);
      const refused = onlyError(await t.gql(`query F($id: ID!) { artifact(id: $id) { ${FIELDS} } }`, { id: ids.clean1 }, bearer(tokens.editor)));
      expect(refused.extensions?.code).toBe('FORBIDDEN');
      // The declarations themselves are read like the record.
      const read = await as(tokens.editor)(`query D($id: ID!) { artifact(id: $id) { personalDataDeclared { fields { field } } } }`, { id: ids.landing });
      expect(read.artifact.personalDataDeclared.fields).toHaveLength(5);
      const log = await admin(`{ auditLog(first: 1000) { nodes { operation target resultCount } } }`);
      expect(log.auditLog.nodes).toContainEqual({ operation: 'fieldPersonalData', target: ids.clean1, resultCount: 4 });
      // contact stays on name, so the artifact-level lists do not change; taking it off email still names less.
      const moved = { fields: LANDING.fields.map((f) => (f.field === 'email' ? { field: 'email', categories: [] } : f)) };
      const PUT = `mutation M($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }`;
      const vars = { a: [{ id: ids.landing, type: 'openlineage.DatasetVersion', personalData: moved }] };
      const weakening = onlyError(await t.gql(PUT, vars, bearer(tokens.editor)));
      expect(weakening.extensions?.code).toBe('FORBIDDEN');
      expect(weakening.message).toMatch(/weakens personal-data tracking/);
      await admin(PUT, vars);
      expect((await fieldsOf(admin, ids.clean1!)).find((f: any) => f.field === 'mail')).toEqual(held('mail', []));
      const changes = await admin(`{ auditLog(first: 1000) { nodes { operation target before after } } }`);
      const change = changes.auditLog.nodes.filter((e: any) => e.operation === 'Artifact.personalDataDeclared' && e.target === ids.landing).at(-1);
      expect(change.before.fields.find((f: any) => f.field === 'email').categories).toEqual(['contact']);
      expect(change.after.fields.find((f: any) => f.field === 'email').categories).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('declarations per field on a type, hostile field names, and bad declarations naming their field', async () => {
    const { t, admin } = await serve();
    try {
      const odd = ['__proto__', 'constructor', 'a.b', `it's "quoted"`, 'ünï©ødé 🚀'];
      await admin(`mutation T($p: PersonalDataInput) { putArtifactType(input: { name: "odd.Version", baseType: DATASET, personalData: $p }) { id } }`, {
        p: { fields: odd.map((field, i) => ({ field, categories: [`c${i}`] })) },
      });
      await admin(`mutation { putArtifactType(input: { name: "openlineage.DatasetVersion", baseType: DATASET }) { id } }`);
      const ids = await buildVersions(admin, [
        { key: 'src', namespace: 'n', name: 'src', version: '1', versionTime: 1, type: 'odd.Version' },
        { key: 'dst', namespace: 'n', name: 'dst', version: '1', versionTime: 2, facets: {
          columnLineage: columnLineageFacet(Object.fromEntries(odd.map((f, i) => [`out${i}`, [['n', 'src', f, [direct('IDENTITY')]]]]))),
        } },
      ], [{ key: 'run', job: 'j', reads: ['src'], writes: ['dst'] }]);
      expect((await fieldsOf(admin, ids.src!)).map((f: any) => [f.field, f.categories, f.declared])).toEqual(
        odd.map((f, i) => [f, [`c${i}`], true] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      );
      expect((await fieldsOf(admin, ids.dst!)).map((f: any) => [f.field, f.categories])).toEqual(odd.map((_, i) => [`out${i}`, [`c${i}`]]));
      const PUT = `mutation M($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }`;
      const twice = onlyError(await t.gql(PUT, { a: [{ type: 'odd.Version', name: 'x', personalData: { fields: [{ field: 'a' }, { field: 'a' }] } }] }, bearer(await makeKey(svc.store, 'admin', 'a2'))));
      expect(twice.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'artifacts[0].personalData.fields[1].field' });
      const empty = onlyError(await t.gql(PUT, { a: [{ type: 'odd.Version', name: 'x', personalData: { fields: [{ field: '' }] } }] }, bearer(await makeKey(svc.store, 'admin', 'a3'))));
      expect(empty.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'artifacts[0].personalData.fields[0].field' });
    } finally {
      await t.close();
    }
  });
});
