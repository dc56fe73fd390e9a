/**
 * Health endpoints for orchestrators. GET /healthz answers 200 while the process serves
 * HTTP (yoga's built-in check, mounted there by create-server.ts); GET /readyz answers
 * 200 only when the store answers a ping, else 503, so traffic is held back while the
 * database is down, or cannot write (a full disk, a damaged file: a storage fault the
 * store met and no write has cleared since), with a `reason` in words the server chose.
 * Neither body carries error text.
 */
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { StorageFaultError } from '../graph/errors.js';

export const LIVENESS_PATH = '/healthz';
export const READINESS_PATH = '/readyz';

/**
 * Answers GET /readyz: 200 {"status":"ready"} when `ping` resolves, 503
 * {"status":"unavailable"} otherwise, with a `reason` when the store reports it cannot write.
 */
export function useReadiness(ping: () => Promise<void>, logger: Logger): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== READINESS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      let ready = true;
      let reason: string | undefined;
      try {
        await ping();
      } catch (err) {
        ready = false;
        if (err instanceof StorageFaultError) {
          reason = `the store cannot write: ${err.reason}`;
          logger.warn({ err }, 'readiness check failed: the store cannot write');
        } else {
          logger.warn({ err }, 'readiness check failed: the store did not answer');
        }
      }
      const body = JSON.stringify({ status: ready ? 'ready' : 'unavailable', ...(reason ? { reason } : {}) });
      endResponse(new fetchAPI.Response(body, { status: ready ? 200 : 503, headers: { 'content-type': 'application/json' } }));
    },
  };
}
