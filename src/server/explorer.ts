/**
 * The web explorer (web/, built into web/dist by scripts/web/build.mjs) at `/` and its
 * files under `/assets/`, on the API's own port. Only the files the build wrote are served:
 * they are listed once, when the server starts, and a request names one of them or gets
 * 404, so no request path ever reaches the file system. Every answer carries a strict
 * Content-Security-Policy: scripts, styles, workers and requests only from this origin,
 * nothing inline, no framing. The pages need no key (they hold no data); the explorer's
 * GraphQL requests carry the key like any client's.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

/** Where `npm install` / `npm start` put the built explorer: web/dist at the project's root (from src/server or dist/server). */
export const DEFAULT_EXPLORER_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** The explorer's Content-Security-Policy (data: and blob: images: the graph's PNG export draws its own SVG). */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': EXPLORER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

interface ServedFile {
  body: Buffer;
  type: string;
  /** Hashed names under /assets/ never change; the page itself is asked for again each time. */
  cache: string;
}

/** Whether a built explorer is at `dir` (default web/dist). */
export function explorerBuilt(dir: string = DEFAULT_EXPLORER_DIR): boolean {
  return existsSync(path.join(dir, 'index.html'));
}

/** The built explorer's files by URL path, or null when there is no build at `dir`. */
export function loadExplorer(dir: string): Map<string, ServedFile> | null {
  if (!explorerBuilt(dir)) return null;
  const index = path.join(dir, 'index.html');
  const files = new Map<string, ServedFile>();
  files.set('/', { body: readFileSync(index), type: CONTENT_TYPES['.html']!, cache: 'no-cache' });
  const assets = path.join(dir, 'assets');
  if (existsSync(assets)) {
    for (const name of readdirSync(assets)) {
      const type = CONTENT_TYPES[path.extname(name)];
      if (!type) continue;
      files.set(`/assets/${name}`, { body: readFileSync(path.join(assets, name)), type, cache: 'public, max-age=31536000, immutable' });
    }
  }
  return files;
}

/**
 * Answers GET and HEAD on `/`, `/index.html` and `/assets/*` from the build at `dir`.
 * Without a build (a production install that did not build it, or `explorer: false`), does
 * nothing and the landing page after it answers `/`.
 */
export function useExplorer(dir: string | false): Plugin {
  const files = dir === false ? null : loadExplorer(dir);
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!files || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      const pathname = url.pathname === '/index.html' ? '/' : url.pathname;
      if (pathname !== '/' && !pathname.startsWith('/assets/')) return;
      const file = files.get(pathname);
      if (!file) {
        endResponse(new fetchAPI.Response('not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } }));
        return;
      }
      const headers = { 'content-type': file.type, 'cache-control': file.cache, 'content-length': String(file.body.length), ...SECURITY_HEADERS };
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), { status: 200, headers }));
    },
  };
}
