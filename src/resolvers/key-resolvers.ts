/**
 * Resolvers of the API-key part of schema.graphql: arguments in, one key service call,
 * result out. Who may call them is decided in src/server/authorization.ts (admin only).
 */
import type { Role } from '../graph/key-store.js';
import { keyStatus, type ApiKeyInfo } from '../service/keys/api-keys.js';
import type { RequestContext } from './context.js';

interface CreateApiKeyArgs {
  input: { name: string; role: Role; expiresAt?: number | null };
}

/** The resolver map for the API-key types and fields. */
export const keyResolvers = {
  // The schema's enum values are upper case; the store keeps the roles as the CLI spells them.
  Role: { VIEWER: 'viewer', EDITOR: 'editor', PRIVACY: 'privacy', ADMIN: 'admin' },
  Query: {
    apiKeys: (_: unknown, _args: unknown, ctx: RequestContext) => ctx.keys.list(),
    me: (_: unknown, _args: unknown, ctx: RequestContext) => ({
      role: ctx.caller.role,
      // The schema's enum values are the table's names in upper case.
      permissions: ctx.permissions.map((p) => p.toUpperCase()),
      anonymous: ctx.caller.keyId === null,
      keyId: ctx.caller.keyId,
    }),
  },
  Mutation: {
    createApiKey: (_: unknown, args: CreateApiKeyArgs, ctx: RequestContext) => ctx.keys.create(args.input),
    revokeApiKey: (_: unknown, args: { id: string }, ctx: RequestContext) => ctx.keys.revoke(args.id),
  },
  ApiKey: {
    status: (key: ApiKeyInfo) => keyStatus(key, Date.now()),
  },
};
