/**
 * The OpenLineage HTTP intake, where Marquez serves it: `POST /api/v1/lineage` (one event)
 * and `POST /api/v1/lineage/batch` (a JSON array of events, as the spec's OpenAPI
 * describes). This plugin only reads the request (JSON, optionally gzip, within the body
 * limit), asks authorization.ts whether the caller may, and hands the events to the
 * service (src/service/openlineage/); every rule lives there, every error's status in
 * error-codes.ts. Answers: 201 with no body for one event (as Marquez), 200 with the
 * spec's batch summary for a batch, 400 with every failing path, 401/403 for callers
 * who may not, 413 past the body limit, 415 for a body that is not JSON or gzip.
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { InvalidArgumentError } from '../graph/errors.js';
import type { OpenLineageIntakeApi } from '../service/openlineage/openlineage-intake.js';
import { callerOf } from './auth.js';
import { httpRouteRefusal, writeActorFor } from './authorization.js';
import { ACCESS_CODE, toRestError } from './error-codes.js';
import { requestIdOf } from './request-id.js';

export const OPENLINEAGE_PATH = '/api/v1/lineage';
export const OPENLINEAGE_BATCH_PATH = '/api/v1/lineage/batch';
export const OPENLINEAGE_PATHS: readonly string[] = [OPENLINEAGE_PATH, OPENLINEAGE_BATCH_PATH];

const gunzipAsync = promisify(gunzip);

/** A request the route refuses before the service sees it: its status, code and message. */
class RequestRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export interface OpenLineageRouteOptions {
  intake: OpenLineageIntakeApi;
  /** Largest body, in bytes, before and after gzip; larger is 413. */
  maxBodyBytes: number;
  logger: Logger;
  /** Hears how many events each request brought and whether they were written (the metrics); a body that is not JSON counts as none. */
  onEvents?: (endpoint: 'lineage' | 'batch', outcome: 'accepted' | 'refused', events: number) => void;
}

/** The body's bytes, refusing past `max` as they arrive (a chunked body has no length to check first). */
async function readLimited(request: Request, max: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > max) throw tooLarge(max);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (max: number): RequestRefusal => new RequestRefusal(413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${max} bytes (JOURNEY_MAX_BODY_BYTES); send fewer events per batch`);

/** The body as text: gzip undone within the same limit (a small body may not inflate into a huge one). */
async function bodyText(request: Request, max: number): Promise<string> {
  const raw = await readLimited(request, max);
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw.toString('utf8');
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new RequestRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${JSON.stringify(encoding.slice(0, 40))} is not accepted: send gzip or no encoding`);
  }
  try {
    return (await gunzipAsync(raw, { maxOutputLength: max })).toString('utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(max);
    throw new InvalidArgumentError('body: Content-Encoding says gzip, but the body is not valid gzip data', 'body');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`body: not JSON (${(err as Error).message.slice(0, 200)})`, 'body');
  }
}

/** Serves the two OpenLineage endpoints; runs after authentication and the rate limit. */
export function useOpenLineageIntake({ intake, maxBodyBytes, logger, onEvents = () => undefined }: OpenLineageRouteOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (!OPENLINEAGE_PATHS.includes(url.pathname)) return;
      const batch = url.pathname === OPENLINEAGE_BATCH_PATH;
      const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response => new fetchAPI.Response(
        body === null ? null : JSON.stringify(body), { status, headers: body === null ? headers : { 'content-type': 'application/json', ...headers } },
      );
      let received = 0;
      try {
        if (request.method !== 'POST') throw new RequestRefusal(405, 'METHOD_NOT_ALLOWED', `${url.pathname} takes POST only`, { allow: 'POST' });
        const caller = callerOf(request);
        const refused = httpRouteRefusal(caller, `POST ${url.pathname}`);
        if (refused !== null) throw new RequestRefusal(403, ACCESS_CODE.FORBIDDEN, refused);
        // JSON only: a form post, which any web page may send without asking, never reaches the intake.
        const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
        if (type !== 'application/json') throw new RequestRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json');
        const parsed = parseJson(await bodyText(request, maxBodyBytes));
        if (batch && !Array.isArray(parsed)) throw new InvalidArgumentError('events: the batch endpoint takes a JSON array of events', 'events');
        const events = batch ? (parsed as unknown[]) : [parsed];
        received = events.length;
        const result = await intake.ingest(events, { batch }, writeActorFor(caller));
        onEvents(batch ? 'batch' : 'lineage', 'accepted', result.events);
        endResponse(batch
          ? json(200, { status: 'success', summary: { received: result.events, successful: result.events, failed: 0 } })
          : json(201, null));
      } catch (err) {
        onEvents(batch ? 'batch' : 'lineage', 'refused', received);
        if (err instanceof RequestRefusal) {
          endResponse(json(err.status, { errors: [{ message: err.message, code: err.code }] }, err.headers));
          return;
        }
        const answer = toRestError(err);
        if (answer.unexpected) logger.error({ err, requestId: requestIdOf(request) }, 'OpenLineage intake failed');
        endResponse(json(answer.status, answer.body));
      }
    },
  };
}
