/**
 * The CLI's client for a running server: POSTs one GraphQL operation per call (typed by
 * the generated documents in ../generated/graphql.ts) and turns every way it can fail into
 * a one-line CliError with its exit code: unreachable (naming the URL), 401, FORBIDDEN
 * (the server's message names the role needed), any other GraphQL error by its code.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { CliError, EXIT } from '../exit-codes.js';
import { shownUrl, type Connection } from './connection.js';

/** How long one request may take before the CLI gives up on the server (a lineage walk under the default ceilings answers well within it). */
const REQUEST_TIMEOUT_MS = 120_000;

/** One error of a GraphQL answer, as the server writes it (src/server/error-codes.ts). */
export interface GraphQLErrorBody {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

/** A GraphQL answer: data, errors or both. */
export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: GraphQLErrorBody[];
}

export interface GraphQLClient {
  /** The endpoint, as messages show it. */
  readonly url: string;
  /** Runs a generated operation; its data, or a CliError for any error. */
  request<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables: V): Promise<R>;
  /** Runs an operation given as text (documents built per call, e.g. one alias per node reference); its data, or a CliError. */
  requestText<R>(query: string, variables: Record<string, unknown>): Promise<R>;
}

/** A client for `connection`; `fetchImpl` is the global fetch unless a test gives another. */
export function createGraphQLClient(connection: Connection, fetchImpl: typeof fetch = fetch): GraphQLClient {
  const url = shownUrl(connection.url);
  const send = async <R>(query: string, variables: Record<string, unknown>): Promise<R> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (connection.key !== null) headers.authorization = `Bearer ${connection.key}`;
    let response: Response;
    try {
      response = await fetchImpl(connection.url, {
        method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw unreachable(url, error);
    }
    let answer: GraphQLAnswer<R>;
    const text = await response.text().catch(() => '');
    try {
      answer = JSON.parse(text) as GraphQLAnswer<R>;
    } catch {
      throw new CliError(`the server at ${url} answered HTTP ${response.status} without a GraphQL answer: is --url the server's /graphql endpoint?`, EXIT.UNREACHABLE);
    }
    if (answer === null || typeof answer !== 'object') {
      throw new CliError(`the server at ${url} answered HTTP ${response.status} without a GraphQL answer: is --url the server's /graphql endpoint?`, EXIT.UNREACHABLE);
    }
    if (answer.errors !== undefined && answer.errors.length > 0) throw refusalOf(answer.errors, response.status);
    if (answer.data === undefined || answer.data === null) {
      throw new CliError(`the server at ${url} answered HTTP ${response.status} with neither data nor errors`, EXIT.FAILED);
    }
    return answer.data;
  };
  return {
    url,
    request: (document, variables) => send(print(document as DocumentNode), variables),
    requestText: (query, variables) => send(query, variables),
  };
}

/** The one line for a request that never got an answer: the URL and the system's reason (ECONNREFUSED, ENOTFOUND, a timeout). */
function unreachable(url: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
  const reason = timedOut ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : cause?.code ?? cause?.message ?? (error as Error).message;
  return new CliError(`cannot reach the server at ${url} (${reason}): start it (npm start) or set --url / JOURNEY_URL`, EXIT.UNREACHABLE);
}

/**
 * The CliError for a GraphQL answer's errors: the first error's code and message on one
 * line (newlines in a message become spaces), how many more there were, and the exit code
 * its code calls for.
 */
export function refusalOf(errors: readonly GraphQLErrorBody[], status: number): CliError {
  const first = errors[0]!;
  const code = typeof first.extensions?.code === 'string' ? first.extensions.code : status === 401 ? 'UNAUTHENTICATED' : 'ERROR';
  const message = oneLine(first.message);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  if (code === 'UNAUTHENTICATED' || status === 401) {
    return new CliError(`the server refused the API key (401 UNAUTHENTICATED): ${message}; give a valid key with --key, --key-file or JOURNEY_API_KEY`, EXIT.NOT_ALLOWED);
  }
  if (code === 'FORBIDDEN') return new CliError(`FORBIDDEN: ${message}${more}`, EXIT.NOT_ALLOWED);
  const field = typeof first.extensions?.field === 'string' ? ` (field ${first.extensions.field})` : '';
  return new CliError(`${code}: ${message}${field}${more}`, EXIT.FAILED);
}

/** `text` on one line: a message from the server must not forge lines of the CLI's own output. */
export const oneLine = (text: string): string => text.replace(/[\r\n\u2028\u2029]+/g, ' ');
