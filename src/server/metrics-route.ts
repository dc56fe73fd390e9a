/**
 * GET /metrics in Prometheus's text format (metrics.ts holds the metrics). The endpoint needs the admin role
 * (authorization.ts, `GET /metrics`), like key management: operation names and volumes
 * say what a team runs. With JOURNEY_METRICS_PUBLIC=true on a loopback-only server (a
 * scraper on the same machine) it needs no key, but still only answers a loopback Host
 * (so a web page on another name cannot read it through DNS rebinding).
 */
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { callerOf, isLoopbackHostHeader } from './auth.js';
import { httpRouteRefusal } from './authorization.js';
import { ACCESS_CODE } from './error-codes.js';
import type { ServerMetrics } from './metrics.js';
import { refusal } from './refusal.js';
import { requestIdOf } from './request-id.js';

export const METRICS_PATH = '/metrics';

export interface MetricsEndpointOptions {
  metrics: ServerMetrics;
  /** Serve without a key (the server is loopback only: checked at start). */
  public: boolean;
  logger: Logger;
}

/** Answers GET /metrics; runs after authentication (which covers the path unless the endpoint is public). */
export function useMetricsEndpoint({ metrics, public: open, logger }: MetricsEndpointOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== METRICS_PATH) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(refusal(fetchAPI, 405, `${METRICS_PATH} takes GET only`, 'METHOD_NOT_ALLOWED', { allow: 'GET, HEAD' }));
        return;
      }
      if (open) {
        const host = request.headers.get('host');
        if (host === null || !isLoopbackHostHeader(host)) {
          endResponse(refusal(fetchAPI, 403, 'the metrics are public on loopback only: ask for them at a loopback host name (localhost, 127.0.0.1, [::1])', ACCESS_CODE.FORBIDDEN));
          return;
        }
      } else {
        const refused = httpRouteRefusal(callerOf(request), `GET ${METRICS_PATH}`);
        if (refused !== null) {
          logger.info({ requestId: requestIdOf(request), keyId: callerOf(request)?.keyId ?? null }, 'request refused: metrics need the admin role');
          endResponse(refusal(fetchAPI, 403, refused, ACCESS_CODE.FORBIDDEN));
          return;
        }
      }
      const { contentType, text } = await metrics.exposition();
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : text, {
        status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' },
      }));
    },
  };
}
