/**
 * A request id per HTTP request: the caller's `x-request-id` when it is a plain token,
 * otherwise a new UUID. It is echoed in the response and put on every log line of the
 * request, so a user's report and the server's log can be matched.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

export const REQUEST_ID_HEADER = 'x-request-id';

// Only short plain tokens are taken from the caller: the id is written to logs verbatim.
const ACCEPTED_ID = /^[A-Za-z0-9._-]{1,64}$/;

const ids = new WeakMap<Request, string>();

/**
 * The request being served, for code that is handed no request: yoga's logger, called
 * with nothing but the error it masks. create-server.ts runs each HTTP request in a scope.
 */
const scope = new AsyncLocalStorage<RequestScope>();

/** What a request's work can find without being handed the request: its id, and the trace span of its operation (tracing.ts). */
export interface RequestScope {
  requestId?: string;
  /** The operation's span while tracing is on; typed by the tracing module, which alone reads it. */
  operationSpan?: unknown;
}

/** Runs `serve` in a fresh request scope, in which useRequestId records the id it gives. */
export function inRequestScope<T>(serve: () => T): T {
  return scope.run({}, serve);
}

/** The scope of the request whose work is running now, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return scope.getStore();
}

/** The id of the request whose work is running now, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/** The id given to `request` by useRequestId, if that plugin saw it. */
export function requestIdOf(request: Request): string | undefined {
  return ids.get(request);
}

/** Assigns each request its id and echoes it in the `x-request-id` response header. */
export function useRequestId(): Plugin {
  return {
    onRequest({ request }) {
      const given = request.headers.get(REQUEST_ID_HEADER);
      const id = given && ACCEPTED_ID.test(given) ? given : randomUUID();
      ids.set(request, id);
      const current = scope.getStore();
      if (current) current.requestId = id;
    },
    onResponse({ request, response }) {
      const id = ids.get(request);
      if (id) response.headers.set(REQUEST_ID_HEADER, id);
    },
  };
}
