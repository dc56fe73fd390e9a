/**
 * Authorisation, decided in one place: a table from each schema field to the permission
 * it needs, one resolver wrapper, put on the schema at start, that checks the caller's
 * role against it before the field's own resolver runs, and the rule for changes of
 * personal-data tracking, handed to the services as a WriteActor.
 *
 * Every field of every type has a deliberate rule (fail closed: a field without one is
 * refused to everyone, and test/security/authorization.test.ts, which walks the schema,
 * fails): root fields one each, other types a default for their fields (TYPE_RULES), with
 * FIELD_RULES naming the fields that differ from their type's default (Artifact.personalData).
 */
import {
  defaultFieldResolver, GraphQLError, isObjectType, type GraphQLFieldResolver, type GraphQLSchema,
} from 'graphql';
import { PermissionDeniedError } from '../graph/errors.js';
import type { Caller, Role } from '../service/keys/api-keys.js';
import type { TrackingChange, WriteActor } from '../service/privacy/tracking-changes.js';
import { ACCESS_CODE, GrpcAccessRefusal } from './error-codes.js';

/** What a rule asks of the caller. */
export type Permission = 'read' | 'write' | 'privacy' | 'keys';

/** What each role may do: viewer reads, editor also writes, privacy also handles personal data, admin everything. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['read'],
  editor: ['read', 'write'],
  privacy: ['read', 'privacy'],
  admin: ['read', 'write', 'privacy', 'keys'],
};

/** What `role` may do, as Query.me reports it. */
export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

const reads = (...fields: string[]): [string, Permission][] => fields.map((f) => [`Query.${f}`, 'read']);
const writes = (...fields: string[]): [string, Permission][] => fields.map((f) => [`Mutation.${f}`, 'write']);

/** Schema coordinate (`Type.field`) → the permission it needs. */
export const FIELD_RULES: ReadonlyMap<string, Permission> = new Map<string, Permission>([
  ...reads(
    'node', 'artifact', 'execution', 'context', 'artifactByName', 'executionByName', 'contextByName',
    'artifacts', 'executions', 'contexts', 'artifactType', 'executionType', 'contextType',
    'artifactTypes', 'executionTypes', 'contextTypes', 'lineage', 'impact', 'path', 'compareContexts', 'columnLineage',
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
  ['Query.erasureRequests', 'privacy'],
  ['Query.accessReport', 'privacy'],
  ['Query.auditLog', 'privacy'],
  ['Mutation.registerDataSubjects', 'privacy'],
  ['Mutation.unregisterDataSubjects', 'privacy'],
  ['Mutation.requestErasure', 'privacy'],
  ['Mutation.updateErasureItem', 'privacy'],
  // Derived from the data's flow and audited: what an artifact holds of people is for privacy and admin.
  ['Artifact.personalData', 'privacy'],
  ['Artifact.fieldPersonalData', 'privacy'],
  // The declarations themselves are read like the rest of their record (their types' rule, said here on purpose).
  ['Artifact.personalDataDeclared', 'read'],
  ['ArtifactType.personalData', 'read'],
  ['Execution.privacy', 'read'],
  // Dataset versions and restore (issue 15): reads of the graph like lineage.
  ...reads('datasetVersions', 'versionsUsed', 'diffVersions'),

  ['Context.privacy', 'read'],
  // Key management.
  ['Query.apiKeys', 'keys'],
  // Any caller may ask who it is: the explorer shows what the key may do and hides the rest.
  ['Query.me', 'read'],
  ['Mutation.createApiKey', 'keys'],
  ['Mutation.revokeApiKey', 'keys'],
]);

/**
 * gRPC: the permission each method of ML Metadata's MetadataStoreService needs. Every
 * Get* only reads and every Put* writes (MLMD names its methods so); any other name has
 * no rule and is nobody's. test/grpc/grpc-access.test.ts checks all 52 methods have one.
 */
export function grpcRuleOf(method: string): Permission | undefined {
  if (/^Get[A-Z]/.test(method)) return 'read';
  if (/^Put[A-Z]/.test(method)) return 'write';
  return undefined;
}

/** Refuses (PERMISSION_DENIED, naming the roles that may) a gRPC call the caller's role may not make. */
export function authorizeGrpcCall(caller: Caller, method: string): void {
  const permission = grpcRuleOf(method);
  if (holds(caller, permission)) return;
  throw new GrpcAccessRefusal('FORBIDDEN', permission === undefined
    ? `${method} has no access rule, so no one may call it`
    : `${method} needs the ${rolesWithAll([permission]).join(' or ')} role; this call has ${caller.role}`);
}

/**
 * HTTP endpoints beside GraphQL, by `METHOD path`: the permission each needs. The
 * OpenLineage intake writes lineage, so it is an editor's (or admin's), as recordExecution is.
 */
export const HTTP_ROUTE_RULES: ReadonlyMap<string, Permission> = new Map<string, Permission>([
  ['POST /api/v1/lineage', 'write'],
  ['POST /api/v1/lineage/batch', 'write'],
  // The Prometheus metrics (metrics-route.ts): operation names and volumes tell what a team
  // runs, so the admin's, through the permission only admin holds. A permission of their
  // own would change what Query.me reports for every admin key, for one endpoint.
  ['GET /metrics', 'keys'],
]);

/** Why `caller` may not call the HTTP route `METHOD path` (naming the roles that may), or null when it may. */
export function httpRouteRefusal(caller: Caller | undefined, route: string): string | null {
  const permission = HTTP_ROUTE_RULES.get(route);
  if (holds(caller, permission)) return null;
  return permission === undefined
    ? `${route} has no access rule, so no one may call it`
    : `${route} needs the ${rolesWithAll([permission]).join(' or ')} role; this request has ${caller ? caller.role : 'none'}`;
}

/** The types whose every field is an operation and so needs its own rule. */
export const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'] as const;

const typesNeeding = (permission: Permission, ...types: string[]): [string, Permission][] => types.map((t) => [t, permission]);

/**
 * Every other object type → the permission its fields need unless FIELD_RULES says
 * otherwise. Reached only through a root field, most just repeat what that field let the
 * caller see; they are listed so that a new type is a decision, not an accident.
 */
export const TYPE_RULES: ReadonlyMap<string, Permission> = new Map<string, Permission>([
  ...typesNeeding('read',
    // The caller's own role and permissions (Query.me).
    'Caller',
    'PropertyDef', 'ArtifactType', 'ExecutionType', 'ContextType', 'Artifact', 'Execution', 'Context', 'PathStep', 'Event',
    'PageInfo', 'ArtifactEdge', 'ArtifactConnection', 'ExecutionEdge', 'ExecutionConnection', 'ContextEdge', 'ContextConnection',
    'RecordExecutionPayload', 'LineageSubgraphPayload', 'LineageNode', 'LineageEdge', 'LineageGraph', 'LineageNodeEdge',
    'LineageNodeConnection', 'ImpactedContext', 'ImpactedContextEdge', 'ImpactedContextConnection', 'ImpactTypeCount',
    'ImpactBaseTypeCount', 'ImpactReport', 'ComparedProperty', 'ExecutionComparisonRow', 'InputComparisonRow',
    'MetricsComparisonRow', 'ContextComparison',
    // A node's earlier records: read like the node itself.
    'ArtifactHistoryEntry', 'ExecutionHistoryEntry', 'ContextHistoryEntry',
    // Column lineage: the graph's records, read like lineage.
    'ColumnTransformation', 'ColumnLineageField', 'ColumnLineageEdge', 'ColumnLineage',
    // Declarations describe datasets and steps, not people: editors set them and pipelines read them back.
    'PersonalDataDeclaration', 'ExecutionPrivacy', 'FieldPersonalDataDeclaration',
    // Dataset versions, restore and diffs: the graph's records, read like lineage.
    'DatasetVersion', 'DatasetVersionEdge', 'DatasetVersionConnection', 'VersionUsed', 'RunVersionsUsed', 'VersionsUsedReport',
    'VersionValueChange', 'SchemaFieldChange', 'UpstreamRun', 'UpstreamVersionChange', 'VersionDiff'),
  // About individual people, or the log of who asked about them.
  ...typesNeeding('privacy',
    'PersonalDataEvidence', 'PersonalDataStatus', 'FieldPersonalData', 'AffectedArtifact', 'DataSubjectReport', 'ErasureItem', 'ErasureRequest',
    'AuditEntry', 'AuditEntryEdge', 'AuditEntryConnection',
    // The erasure requests' list and progress (issue 16): the requests themselves, so privacy's.
    'ErasureProgress', 'ErasureRequestEdge', 'ErasureRequestConnection'),
  ...typesNeeding('keys', 'ApiKey', 'CreatedApiKey'),
]);

/** The rule of the field at `coordinate` (`Type.field`): its own, else its type's; undefined when it has none. */
export function ruleOf(coordinate: string): Permission | undefined {
  return FIELD_RULES.get(coordinate) ?? TYPE_RULES.get(coordinate.slice(0, coordinate.indexOf('.')));
}

/** The roles that hold every one of `permissions`, for messages. */
const rolesWithAll = (permissions: readonly Permission[]): Role[] =>
  (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) => permissions.every((p) => ROLE_PERMISSIONS[r].includes(p)));

/** Whether `caller` holds `permission`; no permission (a field without a rule) is nobody's. */
const holds = (caller: Caller | undefined, permission: Permission | undefined): boolean =>
  caller !== undefined && permission !== undefined && ROLE_PERMISSIONS[caller.role].includes(permission);

/** Whether `caller` may use the field at `coordinate`; a field without a rule is nobody's. */
export function mayUse(caller: Caller | undefined, coordinate: string): boolean {
  return holds(caller, ruleOf(coordinate));
}

function forbidden(caller: Caller | undefined, coordinate: string): GraphQLError {
  const permission = ruleOf(coordinate);
  const message = permission === undefined
    ? `${coordinate} has no access rule, so no one may use it`
    : `${coordinate} needs the ${rolesWithAll([permission]).join(' or ')} role; this request has ${caller ? caller.role : 'none'}`;
  return new GraphQLError(message, { extensions: { code: ACCESS_CODE.FORBIDDEN } });
}

const guarded = new WeakSet<GraphQLFieldResolver<unknown, unknown>>();

/** Whether `resolve` is the guard this module puts on a field (for the schema walk test). */
export const isGuarded = (resolve: unknown): boolean =>
  typeof resolve === 'function' && guarded.has(resolve as GraphQLFieldResolver<unknown, unknown>);

/** Whether the field at `coordinate` is checked: every field of every type (introspection aside), a rule or none. */
export const needsGuard = (typeName: string, _coordinate: string): boolean => !typeName.startsWith('__');

/**
 * What a change of personal-data tracking needs besides its mutation's own permission: one
 * that weakens tracking (ANONYMIZE, DROP, AGGREGATE at or above the minimum k, removing or
 * narrowing a declaration, deleting an artifact holding registrations) needs `privacy` too;
 * any other is the mutation's to allow.
 */
export const trackingChangePermissions = (change: TrackingChange): Permission[] => (change.weakens ? ['privacy'] : []);

/**
 * The WriteActor of a request: its caller for the audit log, and trackingChangePermissions
 * checked against the caller's role, refusing (FORBIDDEN, naming the role needed and the
 * input field) before the service writes anything of the change.
 */
export function writeActorFor(caller: Caller | undefined): WriteActor {
  return {
    caller: caller?.keyId ?? 'local',
    authorize(change: TrackingChange): void {
      const needed = trackingChangePermissions(change);
      if (needed.every((p) => holds(caller, p))) return;
      const roles = rolesWithAll(['write', ...needed]);
      throw new PermissionDeniedError(
        `${change.field}: ${change.summary} weakens personal-data tracking and needs the ${roles.join(' or ')} role; this request has ${caller ? caller.role : 'none'}`,
        change.field,
      );
    },
  };
}

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
      // Looked up once here, not per value: every field of every answer passes this guard.
      const permission = ruleOf(coordinate);
      const guard: GraphQLFieldResolver<unknown, { caller?: Caller }> = (source, args, context, info) => {
        if (!holds(context?.caller, permission)) throw forbidden(context?.caller, coordinate);
        return inner(source, args, context, info);
      };
      guarded.add(guard as GraphQLFieldResolver<unknown, unknown>);
      field.resolve = guard as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return schema;
}
