/**
 * What the security and hardening tests share: a real HTTP server over a service with
 * any server option (keys, security settings, lineage), a GraphQL client that can send an
 * API key, and keys made the way the CLI makes them.
 */
import { afterAll } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import { startServer, type ServeOptions } from '../../src/server/create-server.js';
import { createLogger } from '../../src/server/logging.js';
import { createApiKeyService, type Role } from '../../src/service/api-keys.js';
import type { MetadataApi } from '../../src/service/metadata-service.js';
import { LogCapture, type GqlError, type GqlResponse, type TestServer } from '../api/harness.js';
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
    const { clearNeo4jDatabase } = await import('../../src/graph/neo4j/index.js');
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

/** Serves `api` on 127.0.0.1 and a free port with `options`, logging into a capture. */
export async function startSecureServer(api: MetadataApi, options: Partial<ServeOptions> = {}): Promise<TestServer> {
  const logs = new LogCapture();
  const server = await startServer({
    api, logger: createLogger({ level: 'debug', destination: logs }), host: '127.0.0.1', port: 0, ...options,
  });
  const gql = async <T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GqlResponse<T>> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { data?: T | null; errors?: GqlError[] };
    return { status: response.status, headers: response.headers, data: body.data, errors: body.errors, text };
  };
  return {
    server,
    url: server.url,
    origin: new URL(server.url).origin,
    logs,
    gql,
    async data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const res = await gql<T>(query, variables);
      if (res.errors) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(res.errors)}`);
      return res.data as T;
    },
    close: () => server.close(),
  };
}

/** The codes of a response's errors, in order. */
export const codesOf = (res: GqlResponse): (string | undefined)[] => (res.errors ?? []).map((e) => e.extensions?.code);
