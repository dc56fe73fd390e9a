/**
 * Authorisation is one table and one guard (src/server/authorization.ts). This walks the
 * schema as it is at run time: every root field has a rule and carries the guard, every
 * other field with a rule carries it, and for every guarded field and every role the
 * guard lets exactly the roles with the permission through, before the field's own
 * resolver runs. Then the roles are tried over HTTP.
 */
import { isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApiSchema } from '../../src/resolvers/index.js';
import { PermissionDeniedError } from '../../src/graph/errors.js';
import {
  FIELD_RULES, isGuarded, needsGuard, ROLE_PERMISSIONS, ROOT_TYPES, ruleOf, trackingChangePermissions, TYPE_RULES, withAuthorization,
  writeActorFor,
} from '../../src/server/authorization.js';
import type { TrackingChange } from '../../src/service/privacy/tracking-changes.js';
import { ROLES, type Caller } from '../../src/service/keys/api-keys.js';
import { onlyError } from '../api/harness.js';
import { BACKENDS } from '../support/backends.js';
import { bearer, makeKey, startSecureServer, type TestServer, useServiceWithKeys } from './security-harness.js';

const schema = withAuthorization(buildApiSchema());

/** Every field of every object type (introspection aside), as [type, coordinate, resolve]. */
function allFields(): [string, string, GraphQLFieldResolver<unknown, unknown> | undefined][] {
  const out: [string, string, GraphQLFieldResolver<unknown, unknown> | undefined][] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) out.push([type.name, `${type.name}.${field.name}`, field.resolve]);
  }
  return out;
}

const rootFields = allFields().filter(([type]) => (ROOT_TYPES as readonly string[]).includes(type));
const guardedFields = allFields().filter(([type, coordinate]) => needsGuard(type, coordinate));

/** The personal-data fields of issue 6: privacy or admin only, wherever they appear. */
const PERSONAL_DATA = [
  'Query.dataSubjectLineage', 'Query.personalDataInventory', 'Query.erasureRequest', 'Query.accessReport', 'Query.auditLog',
  'Mutation.registerDataSubjects', 'Mutation.unregisterDataSubjects', 'Mutation.requestErasure', 'Mutation.updateErasureItem',
  'Artifact.personalData',
];

describe('the access rule table, walked over the schema', () => {
  it('has walked a schema with root fields', () => {
    expect(rootFields.length).toBeGreaterThan(30);
  });

  it.each(rootFields.map(([, coordinate]) => coordinate))('%s has a rule of its own', (coordinate) => {
    expect(FIELD_RULES.get(coordinate), `add ${coordinate} to FIELD_RULES in src/server/authorization.ts`).toBeDefined();
  });

  // Every field of every type, nested ones too: its own rule, or its type's default, deliberately listed.
  it.each(allFields().map(([, coordinate]) => coordinate))('%s has a rule', (coordinate) => {
    expect(ruleOf(coordinate), `add ${coordinate.split('.')[0]} to TYPE_RULES (or ${coordinate} to FIELD_RULES) in src/server/authorization.ts`).toBeDefined();
  });

  it('lists no rule for a type or field the schema lacks, so the table says what is there', () => {
    const types = new Set(allFields().map(([type]) => type));
    const coordinates = new Set(allFields().map(([, coordinate]) => coordinate));
    expect([...TYPE_RULES.keys()].filter((t) => !types.has(t))).toEqual([]);
    expect([...FIELD_RULES.keys()].filter((c) => !coordinates.has(c))).toEqual([]);
  });

  it('guards every field, nested ones too', () => {
    expect(guardedFields.length).toBe(allFields().length);
  });

  it.each(guardedFields.map(([, coordinate, resolve]) => [coordinate, resolve] as const))('%s carries the guard', (_coordinate, resolve) => {
    expect(isGuarded(resolve)).toBe(true);
  });

  it('keeps every personal-data field to the privacy and admin roles', () => {
    for (const coordinate of PERSONAL_DATA) expect(ruleOf(coordinate), coordinate).toBe('privacy');
    for (const type of ['DataSubjectReport', 'AffectedArtifact', 'ErasureRequest', 'ErasureItem', 'AuditEntry', 'PersonalDataStatus', 'PersonalDataEvidence']) {
      expect(TYPE_RULES.get(type), type).toBe('privacy');
    }
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('privacy'))).toEqual(['privacy', 'admin']);
  });

  it('keeps key management to admin, and writes to editor and admin', () => {
    for (const coordinate of ['Query.apiKeys', 'Mutation.createApiKey', 'Mutation.revokeApiKey']) expect(FIELD_RULES.get(coordinate)).toBe('keys');
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('keys'))).toEqual(['admin']);
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('write'))).toEqual(['editor', 'admin']);
    expect(ROLES.filter((role) => ROLE_PERMISSIONS[role].includes('read'))).toEqual(['viewer', 'editor', 'privacy', 'admin']);
  });

  it('is not applied twice when the schema is wrapped again', () => {
    const resolverOf = (coordinate: string) => {
      const [typeName, fieldName] = coordinate.split('.') as [string, string];
      const type = schema.getType(typeName);
      return isObjectType(type) ? type.getFields()[fieldName]?.resolve : undefined;
    };
    const before = guardedFields.map(([, coordinate]) => resolverOf(coordinate));
    withAuthorization(schema);
    expect(guardedFields.map(([, coordinate]) => resolverOf(coordinate))).toEqual(before);
  });
});

describe('the rule for changes of personal-data tracking', () => {
  const change = (weakens: boolean): TrackingChange => ({
    kind: 'Execution.privacy', target: 'x1', field: 'executions[0].privacy', before: null, after: { transform: 'ANONYMIZE' }, weakens,
    summary: 'setting transform ANONYMIZE (was NONE)',
  });

  it('asks privacy of a weakening change and nothing more of any other', () => {
    expect(trackingChangePermissions(change(true))).toEqual(['privacy']);
    expect(trackingChangePermissions(change(false))).toEqual([]);
  });

  it.each(ROLES)('for %s: a weakening change passes exactly with the privacy permission; any other always', (role) => {
    const actor = writeActorFor({ keyId: 'k1', role });
    expect(actor.caller).toBe('k1');
    expect(() => actor.authorize(change(false))).not.toThrow();
    if (ROLE_PERMISSIONS[role].includes('privacy')) {
      expect(() => actor.authorize(change(true))).not.toThrow();
    } else {
      let refused: unknown;
      try { actor.authorize(change(true)); } catch (error) { refused = error; }
      expect(refused).toBeInstanceOf(PermissionDeniedError);
      expect(refused).toMatchObject({
        field: 'executions[0].privacy',
        message: `executions[0].privacy: setting transform ANONYMIZE (was NONE) weakens personal-data tracking and needs the admin role; this request has ${role}`,
      });
    }
  });

  it('refuses a weakening change to a request without a caller (and only that), and audits it as local', () => {
    const actor = writeActorFor(undefined);
    expect(actor.caller).toBe('local');
    expect(() => actor.authorize(change(true))).toThrow(PermissionDeniedError);
    expect(() => actor.authorize(change(false))).not.toThrow();
  });
});

/** A marker the wrapped resolver throws when it is reached: the guard let the call through. */
class Reached extends Error {}

describe.each(guardedFields.map(([, coordinate, resolve]) => [coordinate, resolve] as const))('the guard of %s', (coordinate, resolve) => {
  it.each(ROLES)('for %s: lets the call through exactly when the role has the permission', async (role) => {
    const permission = ruleOf(coordinate);
    const allowed = permission !== undefined && ROLE_PERMISSIONS[role].includes(permission);
    const caller: Caller = { keyId: 'k', role };
    // A context whose every member throws Reached: any resolver that runs touches one of them.
    const context = new Proxy({ caller } as Record<string, unknown>, {
      get(target, prop) {
        if (prop === 'caller') return target.caller;
        if (prop === 'then') return undefined;
        throw new Reached();
      },
    });
    const source = new Proxy({}, { get: (_t, prop) => { if (prop === 'then') return undefined; throw new Reached(); } });
    let outcome: unknown;
    try {
      outcome = await resolve!(source, {}, context, { fieldName: coordinate.split('.')[1] } as GraphQLResolveInfo);
    } catch (error) {
      outcome = error;
    }
    const forbidden = (outcome as { extensions?: { code?: string } })?.extensions?.code === 'FORBIDDEN';
    expect(forbidden, `${role} on ${coordinate}`).toBe(!allowed);
  });
});

describe.each(BACKENDS)('roles over HTTP ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('viewer reads; editor writes; privacy reads but does not write; only admin manages keys', async () => {
    const token = {
      viewer: await makeKey(h.store, 'viewer'), editor: await makeKey(h.store, 'editor'),
      privacy: await makeKey(h.store, 'privacy'), admin: await makeKey(h.store, 'admin'),
    };
    t = await startSecureServer(h.api);
    const write = (name: string) => `mutation { putContextType(input: { name: "${name}" }) { name } }`;
    const codeOf = async (query: string, role: keyof typeof token) => (await t!.gql(query, undefined, bearer(token[role]))).errors?.[0]?.extensions?.code ?? 'OK';

    expect(await codeOf(write('ByEditor'), 'editor')).toBe('OK');
    expect(await codeOf(write('ByAdmin'), 'admin')).toBe('OK');
    expect(await codeOf(write('ByViewer'), 'viewer')).toBe('FORBIDDEN');
    expect(await codeOf(write('ByPrivacy'), 'privacy')).toBe('FORBIDDEN');
    for (const role of ['viewer', 'editor', 'privacy', 'admin'] as const) {
      const res = await t.gql('{ contextTypes { name } }', undefined, bearer(token[role]));
      expect(res.data, role).toEqual({ contextTypes: [{ name: 'ByAdmin' }, { name: 'ByEditor' }] });
    }
    for (const role of ['viewer', 'editor', 'privacy'] as const) expect(await codeOf('{ apiKeys { id } }', role), role).toBe('FORBIDDEN');
    expect(await codeOf('{ apiKeys { id } }', 'admin')).toBe('OK');

    const refused = onlyError(await t.gql(write('X'), undefined, bearer(token.viewer)));
    expect(refused).toMatchObject({ message: 'Mutation.putContextType needs the editor or admin role; this request has viewer', path: ['putContextType'] });
  });
});
