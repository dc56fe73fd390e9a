/**
 * Authorisation, decided in one place: a table from each schema field to the permission
 * it needs, and one resolver wrapper, put on the schema at start, that checks the
 * caller's role against it before the field's own resolver runs.
 *
 * Every root field (Query, Mutation) needs a rule; one without is refused to everyone
 * (fail closed) and test/security/authorization.test.ts, which walks the schema, fails.
 * A field of any other type is reached only through a root field, whose rule already
 * let the caller in, so it needs a rule only when it shows more than its parent's rule
 * allows (Artifact.personalData). Rules for fields the schema does not have yet are
 * harmless, so the personal-data fields are listed here before they land.
 */
import {
  defaultFieldResolver, GraphQLError, isObjectType, type GraphQLFieldResolver, type GraphQLSchema,
} from 'graphql';
import type { Caller, Role } from '../service/api-keys.js';
import { ACCESS_CODE } from './error-codes.js';

/** What a rule asks of the caller. */
export type Permission = 'read' | 'write' | 'privacy' | 'keys';

/** What each role may do: viewer reads, editor also writes, privacy also handles personal data, admin everything. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['read'],
  editor: ['read', 'write'],
  privacy: ['read', 'privacy'],
  admin: ['read', 'write', 'privacy', 'keys'],
};

const reads = (...fields: string[]): [string, Permission][] => fields.map((f) => [`Query.${f}`, 'read']);
const writes = (...fields: string[]): [string, Permission][] => fields.map((f) => [`Mutation.${f}`, 'write']);

/** Schema coordinate (`Type.field`) → the permission it needs. */
export const FIELD_RULES: ReadonlyMap<string, Permission> = new Map<string, Permission>([
  ...reads(
    'node', 'artifact', 'execution', 'context', 'artifactByName', 'executionByName', 'contextByName',
    'artifacts', 'executions', 'contexts', 'artifactType', 'executionType', 'contextType',
    'artifactTypes', 'executionTypes', 'contextTypes', 'lineage', 'impact', 'path', 'compareContexts',
  ),
  ...writes(
    'putArtifactType', 'putExecutionType', 'putContextType', 'putArtifacts', 'putExecutions', 'putContexts',
    'putEvents', 'putAttributions', 'putAssociations', 'putParentContexts', 'recordExecution',
    'putLineageSubgraph', 'deleteNodes',
  ),
  // Personal data: about individual people, so neither viewer nor editor, not even in open local mode.
  ['Query.dataSubjectLineage', 'privacy'],
  ['Query.personalDataInventory', 'privacy'],
  ['Query.erasureRequest', 'privacy'],
  ['Query.accessReport', 'privacy'],
  ['Query.auditLog', 'privacy'],
  ['Mutation.registerDataSubjects', 'privacy'],
  ['Mutation.unregisterDataSubjects', 'privacy'],
  ['Mutation.requestErasure', 'privacy'],
  ['Mutation.updateErasureItem', 'privacy'],
  ['Artifact.personalData', 'privacy'],
  // Key management.
  ['Query.apiKeys', 'keys'],
  ['Mutation.createApiKey', 'keys'],
  ['Mutation.revokeApiKey', 'keys'],
]);

/** The types whose every field is an operation and so needs its own rule. */
export const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'] as const;

/** The roles that hold `permission`, for messages. */
const rolesWith = (permission: Permission): Role[] =>
  (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) => ROLE_PERMISSIONS[r].includes(permission));

/** Whether `caller` may use the field at `coordinate`; a root field without a rule is nobody's. */
export function mayUse(caller: Caller | undefined, coordinate: string): boolean {
  const permission = FIELD_RULES.get(coordinate);
  return caller !== undefined && permission !== undefined && ROLE_PERMISSIONS[caller.role].includes(permission);
}

function forbidden(caller: Caller | undefined, coordinate: string): GraphQLError {
  const permission = FIELD_RULES.get(coordinate);
  const message = permission === undefined
    ? `${coordinate} has no access rule, so no one may use it`
    : `${coordinate} needs the ${rolesWith(permission).join(' or ')} role; this request has ${caller ? caller.role : 'none'}`;
  return new GraphQLError(message, { extensions: { code: ACCESS_CODE.FORBIDDEN } });
}

const guarded = new WeakSet<GraphQLFieldResolver<unknown, unknown>>();

/** Whether `resolve` is the guard this module puts on a field (for the schema walk test). */
export const isGuarded = (resolve: unknown): boolean =>
  typeof resolve === 'function' && guarded.has(resolve as GraphQLFieldResolver<unknown, unknown>);

/** Whether the field at `coordinate` is checked: every root field, and every other field with a rule. */
export const needsGuard = (typeName: string, coordinate: string): boolean =>
  (ROOT_TYPES as readonly string[]).includes(typeName) || FIELD_RULES.has(coordinate);

/**
 * Puts the guard on every field that needs one, in place, and returns the schema. The
 * context must carry `caller` (set per request from the authentication plugin).
 */
export function withAuthorization(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      if (!needsGuard(type.name, coordinate) || isGuarded(field.resolve)) continue;
      const inner = field.resolve ?? defaultFieldResolver;
      const guard: GraphQLFieldResolver<unknown, { caller?: Caller }> = (source, args, context, info) => {
        if (!mayUse(context?.caller, coordinate)) throw forbidden(context?.caller, coordinate);
        return inner(source, args, context, info);
      };
      guarded.add(guard as GraphQLFieldResolver<unknown, unknown>);
      field.resolve = guard as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return schema;
}
