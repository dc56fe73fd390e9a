/**
 * The response to a request refused before it reaches the schema: a GraphQL-shaped body
 * with one error and its code, so clients read refusals the way they read other errors.
 */
import type { FetchAPI } from 'graphql-yoga';

/** A JSON response `{ errors: [{ message, extensions: { code } }] }` with `status` and extra headers. */
export function refusal(
  fetchAPI: FetchAPI, status: number, message: string, code: string, headers: Record<string, string> = {},
): Response {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  return new fetchAPI.Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });
}
