/**
 * Authentication: who is calling. Every request to the GraphQL endpoint presents an API
 * key as `Authorization: Bearer <key>`, or none. A bad, expired or revoked key is refused
 * with 401 whatever the mode. Without a key the request is refused too, except in open
 * local mode: a server bound only to loopback while no key has ever been created serves
 * anonymous callers as `editor` (read and write, never the personal-data operations),
 * so `npm start` works on a fresh clone. The first key created closes that mode at once.
 * What each role may do is decided in authorization.ts.
 */
import { isIP } from 'node:net';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { isStoreError } from '../graph/errors.js';
import type { ApiKeyApi, Caller } from '../service/keys/api-keys.js';
import { ACCESS_CODE, GRAPHQL_CODE, HTTP_STATUS_OF_STORE_ERROR } from './error-codes.js';
import { refusal } from './refusal.js';
import { requestIdOf } from './request-id.js';

/** The caller of open local mode: read and write, no personal data, no key management. */
export const OPEN_LOCAL_CALLER: Caller = Object.freeze({ keyId: null, role: 'editor' });

/** `Bearer <key>`, as an Authorization header (HTTP) or `authorization` metadata (gRPC) carries a key. */
export const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const CHALLENGE = { 'www-authenticate': 'Bearer realm="data-journey"' };

const callers = new WeakMap<Request, Caller>();

/** The caller useAuthentication found for `request`, if it let the request through. */
export function callerOf(request: Request): Caller | undefined {
  return callers.get(request);
}

/** True for a loopback address or name: 127.0.0.0/8, ::1, or localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare.startsWith('::ffff:127.');
  return false;
}

/** A `Host` header value: a name or address with an optional port (brackets around IPv6). */
const HOST_HEADER = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/;

/**
 * True when a `Host` header names a loopback host: localhost or a name under .localhost
 * (browsers resolve those to loopback themselves, never through DNS), an address of
 * 127.0.0.0/8, or [::1]; with any port. Anything else, in open local mode, is a page on a
 * name that an attacker's DNS pointed at 127.0.0.1 (DNS rebinding).
 */
export function isLoopbackHostHeader(value: string): boolean {
  const match = HOST_HEADER.exec(value);
  if (!match || (match[3] !== undefined && Number(match[3]) > 65535)) return false;
  if (match[1] !== undefined) return isIP(match[1]) === 6 && isLoopbackHost(match[1]);
  const name = match[2]!.toLowerCase();
  if (name.split('.').some((label) => label === '')) return false;
  return name === 'localhost' || name.endsWith('.localhost') || (isIP(name) === 4 && isLoopbackHost(name));
}

/**
 * Why open local mode refuses `request`, or null to serve it. Its Host must be loopback,
 * and a POST a browser sent (it carries Origin) must come from that same origin: "null"
 * (a sandboxed frame, a file) and every other origin are refused.
 */
export function openModeRefusalOf(request: Request): string | null {
  const host = request.headers.get('host');
  if (host === null || !isLoopbackHostHeader(host)) {
    return 'the server runs open without API keys, so it answers only requests to a loopback host name '
      + '(localhost, 127.0.0.1, [::1]); use one, or create an API key';
  }
  const origin = request.headers.get('origin');
  if (request.method === 'POST' && origin !== null && !sameOrigin(origin, host)) {
    return 'the server runs open without API keys, so it refuses requests from another web origin';
  }
  return null;
}

function sameOrigin(origin: string, host: string): boolean {
  try {
    const from = new URL(origin);
    return from.protocol === 'http:' && from.origin === origin.toLowerCase().replace(/\/$/, '') && from.host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

/**
 * Whether a server on `host` may run open: true when no key exists and the host is
 * loopback, false when keys exist. Throws when there are no keys and the host is not
 * loopback: serving other machines without keys would hand them every write.
 */
export async function openLocalModeFor(host: string, keys: ApiKeyApi): Promise<boolean> {
  if (await keys.anyExist()) return false;
  if (!isLoopbackHost(host)) {
    throw new Error(
      `refusing to serve on ${host} without API keys: create one first (npx journey keys create --role admin --name NAME), `
      + 'or serve on 127.0.0.1 only',
    );
  }
  return true;
}

/**
 * Whether open local mode still holds, asked before each request: `openLocalMode` at
 * start, over once a key exists. Keys are never deleted, so once one exists the mode is
 * over for good and no more look-ups are made. Shared by the HTTP and gRPC faces.
 */
export function openLocalModeWatch(keys: ApiKeyApi, openLocalMode: boolean, logger: Logger): () => Promise<boolean> {
  let open = openLocalMode;
  return async () => {
    if (open && (await keys.anyExist())) {
      open = false;
      logger.warn('an API key now exists: open local mode is over, every request needs a key');
    }
    return open;
  };
}

export interface AuthenticationOptions {
  keys: ApiKeyApi;
  /** Whether anonymous callers may be served while no key exists (the server is bound to loopback only). */
  openLocalMode: boolean;
  graphqlPath: string;
  /** Other endpoints that need a caller the same way (the OpenLineage intake). */
  restPaths?: readonly string[];
  logger: Logger;
}

/** Decides each GraphQL request's caller, or refuses it (401, or 503 when the key store does not answer). */
export function useAuthentication({ keys, openLocalMode, graphqlPath, restPaths = [], logger }: AuthenticationOptions): Plugin {
  const stillOpen = openLocalModeWatch(keys, openLocalMode, logger);

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlPath && !restPaths.includes(url.pathname)) return;
      const refuse = (message: string, reason: string, keyId: string | null = null): void => {
        logger.info({ requestId: requestIdOf(request), reason, keyId }, 'request refused: not authenticated');
        endResponse(refusal(fetchAPI, 401, message, ACCESS_CODE.UNAUTHENTICATED, CHALLENGE));
      };
      try {
        const open = await stillOpen();
        const openRefusal = open ? openModeRefusalOf(request) : null;
        if (openRefusal !== null) {
          // Neither header value is logged: both are whatever the page that sent them chose.
          logger.info({ requestId: requestIdOf(request) }, 'request refused: not a loopback request in open local mode');
          endResponse(refusal(fetchAPI, 403, openRefusal, ACCESS_CODE.FORBIDDEN));
          return;
        }
        const header = request.headers.get('authorization');
        if (header === null) {
          if (open) callers.set(request, OPEN_LOCAL_CALLER);
          else refuse('an API key is required: send it as Authorization: Bearer <key>', 'missing');
          return;
        }
        const token = BEARER.exec(header)?.[1];
        if (token === undefined) {
          refuse('the Authorization header must be Bearer <key>', 'not bearer');
          return;
        }
        const result = await keys.authenticate(token);
        if (result.ok) callers.set(request, result.caller);
        // One message for every reason: a caller learns nothing about which keys exist.
        else refuse('the API key is not valid: it is unknown, expired or revoked', result.reason, result.keyId);
      } catch (err) {
        if (!isStoreError(err)) throw err;
        logger.warn({ err, requestId: requestIdOf(request) }, 'request refused: its API key could not be checked');
        endResponse(refusal(fetchAPI, HTTP_STATUS_OF_STORE_ERROR[err.code] ?? 500, err.message, GRAPHQL_CODE[err.code]));
      }
    },
  };
}
