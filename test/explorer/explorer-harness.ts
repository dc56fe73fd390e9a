/**
 * What the explorer's end-to-end tests share: the built explorer (scripts/web/build.mjs,
 * skipped when current), a real server over a backend with the personal-data features on,
 * and Debian's Chromium driven by puppeteer-core with every request to another origin
 * refused (the page must work with no network beyond the server). Each page records
 * Content-Security-Policy violations, page errors and console errors, which the tests
 * assert are none. Screenshots go to test-artifacts/explorer/ (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { buildExplorer } from '../../scripts/web/build.mjs';
import type { ServeOptions } from '../../src/server/create-server.js';
import { createPersonalDataService } from '../../src/service/privacy/personal-data-service.js';
import { startTestServer, type TestServer } from '../api/harness.js';
import type { GraphStore } from '../../src/graph/store.js';
import { createServices } from '../../src/service/services.js';
import type { Backend } from '../support/backends.js';
import { testSubjectKey } from '../privacy/fixtures.js';
import { toolAvailable } from '../support/requirements.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = toolAvailable(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}`, 'the explorer\'s browser tests (apt-get install chromium)');
export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts/explorer');

const OFFLINE_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export interface PageWatch {
  /** Requests to any other origin (refused). */
  refused: string[];
  /** POSTs to /graphql, by operation name, in order. */
  operations: string[];
  pageErrors: string[];
  consoleErrors: string[];
}

export interface ExplorerHarness {
  readonly t: TestServer;
  /** The store under the server (one for the whole file: seed it once in a beforeAll). */
  readonly store: GraphStore;
  readonly browser: Browser;
  /** Opens `hash` (e.g. '#/lineage/<id>') in a new page; with `key`, the key is in the session as if pasted. */
  open(hash: string, options?: { key?: string; width?: number; height?: number }): Promise<{ page: Page; watch: PageWatch }>;
  /** The CSP violations the page reported so far. */
  cspViolations(page: Page): Promise<string[]>;
  /** Saves a PNG of `page` as test-artifacts/explorer/<name>.png. */
  screenshot(page: Page, name: string): Promise<string>;
}

/**
 * Opens an empty store of `backend` and starts a server over it (with `options`) and
 * Chromium, once for the file; closes all three after it (emptying Neo4j, which the next
 * file shares). Call inside a describe that is skipped when !HAS_CHROMIUM.
 */
export function useExplorer(backend: Backend, options: Partial<ServeOptions> = {}): ExplorerHarness {
  let t: TestServer | undefined;
  let store: GraphStore | undefined;
  let browser: Browser | undefined;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'journey-explorer-'));
  beforeAll(async () => {
    await buildExplorer({ quiet: true });
    store = await backend.open();
    const services = createServices(store, {});
    t = await startTestServer(services.metadata, {
      privacy: createPersonalDataService(store, { subjectKey: testSubjectKey() }),
      ...options,
    });
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...OFFLINE_FLAGS, `--user-data-dir=${profile}`] });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (store && backend.name === 'neo4j') {
      const { clearNeo4jDatabase } = await import('../support/neo4j-database.js');
      await clearNeo4jDatabase(store);
    }
    await store?.close();
    rmSync(profile, { recursive: true, force: true });
  });
  return {
    get t() { if (!t) throw new Error('server not started'); return t; },
    get store() { if (!store) throw new Error('store not open'); return store; },
    get browser() { if (!browser) throw new Error('browser not started'); return browser; },
    async open(hash, { key, width = 1400, height = 900 } = {}) {
      if (!browser || !t) throw new Error('not started');
      const page = await browser.newPage();
      await page.setViewport({ width, height });
      const watch: PageWatch = { refused: [], operations: [], pageErrors: [], consoleErrors: [] };
      const origin = t.origin;
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.origin === origin || url.protocol === 'data:' || url.protocol === 'blob:') {
          if (url.pathname === '/graphql' && request.method() === 'POST') {
            try { watch.operations.push(String((JSON.parse(request.postData() ?? '{}') as { operationName?: string }).operationName)); } catch { /* not JSON */ }
          }
          void request.continue();
        } else {
          watch.refused.push(request.url());
          void request.abort('internetdisconnected');
        }
      });
      page.on('pageerror', (e) => watch.pageErrors.push(e instanceof Error ? e.message : String(e)));
      page.on('console', (m) => { if (m.type() === 'error') watch.consoleErrors.push(m.text()); });
      await page.evaluateOnNewDocument((k: string | null) => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
        if (k !== null) window.sessionStorage.setItem('data-journey.api-key', k);
      }, key ?? null);
      await page.goto(`${origin}/${hash}`, { waitUntil: 'domcontentloaded' });
      return { page, watch };
    },
    async cspViolations(page) {
      return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    },
    async screenshot(page, name) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const file = path.join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path: file as `${string}.png` });
      return file;
    },
  };
}

/** Waits until the graph canvas has laid out and drawn; returns the drawn node ids and edge ids (from React Flow's DOM). */
export async function drawnGraph(page: Page, timeout = 30_000): Promise<{ nodes: string[]; edges: string[] }> {
  await page.waitForSelector('.graph-canvas[data-layout="done"] .react-flow__node', { timeout });
  return page.evaluate(() => ({
    nodes: [...document.querySelectorAll('.react-flow__node')].map((e) => e.getAttribute('data-id') ?? '').sort(),
    edges: [...document.querySelectorAll('.react-flow__edge')].map((e) => e.getAttribute('data-id') ?? e.getAttribute('data-testid') ?? '').sort(),
  }));
}
