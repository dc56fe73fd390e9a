/**
 * What the security and hardening tests share: a real HTTP server over a service with
 * any server option (keys, security settings, lineage), a GraphQL client that can send an
 * API key, and keys made the way the CLI makes them.
 */
import { afterAll } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import type { ServeOptions } from '../../src/server/create-server.js';
import { createApiKeyService, type Role } from '../../src/service/keys/api-keys.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { startTestServer, type GqlResponse, type TestServer } from '../api/harness.js';
import { useService, type Backend, type ServiceHandle } from '../support/backends.js';

export type { GqlError, GqlResponse, TestServer } from '../api/harness.js';

/**
 * useService, and after the file's last test an empty Neo4j: API keys left behind would
 * close open local mode for the test files after this one, which share the database.
 */
export function useServiceWithKeys(backend: Backend): ServiceHandle {
  const handle = useService(backend);
  // Registered after useService's own afterAll, so it runs before that one closes the store.
  afterAll(async () => {
    if (backend.name !== 'neo4j') return;
    const { clearNeo4jDatabase } = await import('../support/neo4j-database.js');
    await clearNeo4jDatabase(handle.store);
  });
  return handle;
}

/** The Authorization header of `token`. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** Makes a key of `role` in `store`, as `journey keys create` does; returns its token. */
export async function makeKey(store: GraphStore, role: Role, name = `${role} key`): Promise<string> {
  return (await createApiKeyService(store).create({ name, role })).token;
}

/** Serves `api` on 127.0.0.1 and a free port with `options` (keys, security, lineage), logging into a capture. */
export const startSecureServer = (api: MetadataApi, options: Partial<ServeOptions> = {}): Promise<TestServer> =>
  startTestServer(api, options);

/** The codes of a response's errors, in order. */
export const codesOf = (res: GqlResponse): (string | undefined)[] => (res.errors ?? []).map((e) => e.extensions?.code);
