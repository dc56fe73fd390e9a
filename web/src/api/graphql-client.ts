/**
 * The explorer's only way to the server: one POST to /graphql per call, the session's key
 * as a Bearer token. Every view asks for what it shows in one operation where the API
 * allows; the operations live beside the views that send them.
 */
import { readSessionKey } from './session-key';

export const GRAPHQL_PATH = '/graphql';

/** One error of a GraphQL answer, as the server sends it (src/server/error-codes.ts). */
export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

/** A failed call: the server's first error (its code and the field it names), or the HTTP failure. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly errors: GraphQLErrorShape[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Variables {
  [name: string]: unknown;
}

/**
 * Sends one operation and returns its data; any error in the answer rejects with an ApiError
 * (views show partial answers nowhere: a view is either what the server said or its error).
 */
export async function request<T>(query: string, variables: Variables = {}, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  const key = readSessionKey();
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const operationName = /\b(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(query)?.[1];
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST', headers, body: JSON.stringify({ query, variables, operationName }), signal, credentials: 'omit',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('the server cannot be reached', 'UNREACHABLE', 0);
  }
  let body: { data?: T | null; errors?: GraphQLErrorShape[] } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = undefined;
  }
  const first = body?.errors?.[0];
  if (first) {
    throw new ApiError(first.message, first.extensions?.code ?? 'ERROR', response.status, body?.errors ?? []);
  }
  if (!response.ok || body?.data === undefined || body.data === null) {
    throw new ApiError(`the server answered ${response.status}`, response.status === 401 ? 'UNAUTHENTICATED' : 'HTTP_ERROR', response.status);
  }
  return body.data;
}
