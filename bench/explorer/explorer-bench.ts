/**
 * The explorer's bench cell (issue 16): how long from navigation to an interactive
 * 1,000-node lineage graph in headless Chromium (target ≤ 2 s on this machine), and how
 * many GraphQL requests each view of the explorer makes.
 *
 * One real server (src/server/create-server.ts) over a fresh SQLite store, reached with an
 * admin key (so every view, the personal-data one included, is open to it), seeded through
 * the GraphQL API with the fan graph (bench/explorer/fan-graph.ts) and the TFX pipeline of
 * the end-to-end tests. Debian's Chromium through puppeteer-core, every request to another
 * origin refused. `#/lineage/<model>` is opened `iterations` times cold (a fresh browser
 * context each: empty cache) and as many times warm (one context, after a warm-up load);
 * each time the page's own clock (performance.now(), from navigation start) is read when the
 * laid-out graph is in the DOM ("drawn") and when a click on the start node has opened its
 * panel ("interactive": the click is sent as soon as the graph is drawn).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { buildExplorer } from '../../scripts/web/build.mjs';
import { openStore } from '../../src/graph/open-store.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { startServer } from '../../src/server/create-server.js';
import { createLogger } from '../../src/server/logging.js';
import { createServices } from '../../src/service/services.js';
import { seedTfxPipeline } from '../../test/explorer/tfx-seed.js';
import type { TestServer } from '../../test/api/harness.js';
import { machineInfo } from '../report/machine.js';
import type { MachineInfo } from '../report/results.js';
import { summarize, type LatencySummary } from '../report/stats.js';
import { seedFanGraph, type Send } from './fan-graph.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The issue's target for navigation → interactive 1,000-node graph. */
export const TARGET_MS = 2000;
const KEY_ITEM = 'data-journey.api-key';

export interface LoadSample {
  /** Navigation start → the laid-out graph's nodes in the DOM. */
  drawnMs: number;
  /** Navigation start → a click on the start node has opened its side panel. */
  interactiveMs: number;
}

export interface ViewRequests {
  view: string;
  /** The hash opened (ids of the seeded data). */
  hash: string;
  /** GraphQL operations the view sent, by name, in order (the frame's `Me` left out). */
  operations: string[];
}

export interface ExplorerBenchResult {
  schema: 'explorer-1';
  command: string;
  date: string;
  machine: MachineInfo;
  versions: { node: string; chromium: string };
  backend: 'sqlite';
  /** The lineage answer opened: its size, and what the page drew of it (folded into groups). */
  answer: { nodes: number; edges: number; truncated: boolean; drawnNodes: number; groups: number };
  iterations: number;
  cold: { drawn: LatencySummary; interactive: LatencySummary; samples: LoadSample[] };
  warm: { drawn: LatencySummary; interactive: LatencySummary; samples: LoadSample[] };
  targetMs: number;
  views: ViewRequests[];
  /** The frame's own request per page load (who the key is), beside each view's. */
  frameOperations: string[];
}

export interface ExplorerBenchOptions {
  shards: number;
  scorers: number;
  iterations: number;
  command: string;
  log(line: string): void;
}

const OFFLINE_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

interface Opened { page: Page; operations: string[] }

/** A page of `context` at 1400×900, the key in its session, other origins refused, GraphQL operations recorded. */
async function openPage(context: BrowserContext, origin: string, key: string): Promise<Opened> {
  const page = await context.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const operations: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === origin || url.protocol === 'data:' || url.protocol === 'blob:') {
      if (url.pathname === '/graphql' && request.method() === 'POST') {
        try { operations.push(String((JSON.parse(request.postData() ?? '{}') as { operationName?: string }).operationName)); } catch { /* not JSON */ }
      }
      void request.continue();
    } else {
      void request.abort('internetdisconnected');
    }
  });
  await page.evaluateOnNewDocument((item: string, k: string) => { window.sessionStorage.setItem(item, k); }, KEY_ITEM, key);
  return { page, operations };
}

/** Opens the lineage of `start` and times it from navigation start, in the page's clock. */
async function timeLineage(context: BrowserContext, origin: string, key: string, start: string): Promise<LoadSample> {
  const { page } = await openPage(context, origin, key);
  try {
    await page.goto(`${origin}/#/lineage/${encodeURIComponent(start)}?direction=BOTH&hops=4`, { waitUntil: 'domcontentloaded' });
    const drawn = await page.waitForFunction(
      () => (document.querySelector('.graph-canvas[data-layout="done"] .react-flow__node') ? performance.now() : 0),
      { polling: 'raf', timeout: 60_000 },
    );
    const drawnMs = (await drawn.jsonValue()) as number;
    await page.click(`.react-flow__node[data-id="${start}"]`);
    const open = await page.waitForFunction(
      (id: string) => (document.querySelector(`.node-panel[data-panel-node="${id}"]`) ? performance.now() : 0),
      { polling: 'raf', timeout: 30_000 }, start,
    );
    return { drawnMs, interactiveMs: (await open.jsonValue()) as number };
  } finally {
    await page.close();
  }
}

/** Runs the cell; returns what it measured. */
export async function runExplorerBench(o: ExplorerBenchOptions): Promise<ExplorerBenchResult> {
  await buildExplorer({ quiet: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'journey-explorer-bench-'));
  const store = await openStore({ backend: 'sqlite', sqlitePath: path.join(dir, 'bench.sqlite') });
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const key = (await createApiKeyService(store).create({ name: 'explorer bench', role: 'admin' })).token;
    server = await startServer({
      api: createServices(store).metadata, logger: createLogger({ level: 'warn' }), host: '127.0.0.1', port: 0,
      // Without the per-caller limit, which would otherwise be what a run of page loads measures.
      security: { rateLimit: { perSecond: 0, burst: 1 } },
    });
    const origin = new URL(server.url).origin;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<{ data?: unknown; errors?: unknown[] }> => {
      const res = await fetch(`${origin}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return (await res.json()) as { data?: unknown; errors?: unknown[] };
    };
    const send: Send = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
      const res = await gql(query, variables);
      if (res.errors?.length || !res.data) throw new Error(`seed failed: ${JSON.stringify(res.errors)}`);
      return res.data as T;
    };
    o.log(`seeding a fan graph of ${4 + o.shards + o.scorers} nodes and the TFX pipeline through the API`);
    const fan = await seedFanGraph(send, { shards: o.shards, scorers: o.scorers });
    const tfx = await seedTfxPipeline({ gql: (q: string, v?: Record<string, unknown>) => gql(q, v) } as unknown as TestServer);
    const answer = await send<{ lineage: { truncated: boolean; nodes: unknown[]; edges: unknown[] } }>(
      'query A($s: [ID!]!) { lineage(start: $s, direction: BOTH, maxHops: 4, maxNodes: 2000) { truncated nodes { id } edges { source } } }', { s: [fan.model] });

    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: OFFLINE_FLAGS });
    const chromium = await browser.version();

    // What the page drew of the answer (once, outside the timed loads).
    const probeContext = await browser.createBrowserContext();
    const probe = await openPage(probeContext, origin, key);
    await probe.page.goto(`${origin}/#/lineage/${encodeURIComponent(fan.model)}?direction=BOTH&hops=4`, { waitUntil: 'domcontentloaded' });
    await probe.page.waitForSelector('.graph-canvas[data-layout="done"] .react-flow__node', { timeout: 60_000 });
    const drawn = await probe.page.evaluate(() => ({
      nodes: document.querySelectorAll('.gnode').length, groups: document.querySelectorAll('.gnode[data-kind="GROUP"]').length,
    }));
    await probeContext.close();

    const cold: LoadSample[] = [];
    for (let i = 0; i < o.iterations; i++) {
      const context = await browser.createBrowserContext();
      try { cold.push(await timeLineage(context, origin, key, fan.model)); } finally { await context.close(); }
      o.log(`cold ${i + 1}/${o.iterations}: drawn ${cold.at(-1)!.drawnMs.toFixed(0)} ms, interactive ${cold.at(-1)!.interactiveMs.toFixed(0)} ms`);
    }
    const warmContext = await browser.createBrowserContext();
    const warm: LoadSample[] = [];
    try {
      await timeLineage(warmContext, origin, key, fan.model); // fills the cache: not counted
      for (let i = 0; i < o.iterations; i++) {
        warm.push(await timeLineage(warmContext, origin, key, fan.model));
        o.log(`warm ${i + 1}/${o.iterations}: drawn ${warm.at(-1)!.drawnMs.toFixed(0)} ms, interactive ${warm.at(-1)!.interactiveMs.toFixed(0)} ms`);
      }
    } finally {
      await warmContext.close();
    }

    // Requests per view: every view the explorer routes, opened on the seeded data.
    const ids = (r: Record<string, string>, k: string): string => encodeURIComponent(r[k]!);
    const viewHashes: [string, string][] = [
      ['find', '#/find?q=taxi-model'],
      ['browse', `#/browse/${encodeURIComponent(tfx.pipeline)}`],
      ['node', `#/node/${ids(tfx.artifacts[0], 'model')}`],
      ['lineage', `#/lineage/${encodeURIComponent(fan.model)}?direction=BOTH&hops=4`],
      ['path', `#/path?from=${encodeURIComponent(tfx.raw)}&to=${ids(tfx.artifacts[1], 'pushed')}`],
      ['impact', `#/impact/${encodeURIComponent(tfx.raw)}`],
      ['compare', `#/compare?ids=${tfx.runs.map(encodeURIComponent).join(',')}`],
      // The subject form asks nothing until a subject is typed in; the other sections ask on opening.
      ['privacy', '#/privacy'],
      ['privacy-inventory', '#/privacy/inventory'],
      ['privacy-erasure', '#/privacy/erasure'],
      ['privacy-audit', '#/privacy/audit'],
      ['access', '#/access'],
    ];
    const views: ViewRequests[] = [];
    let frameOperations: string[] = [];
    const context = await browser.createBrowserContext();
    try {
      for (const [view, hash] of viewHashes) {
        const { page, operations } = await openPage(context, origin, key);
        await page.goto(`${origin}/${hash}`, { waitUntil: 'domcontentloaded' });
        // Settled: no request for a while (a view's one request, or its several).
        await page.waitForNetworkIdle({ idleTime: 750, timeout: 30_000 });
        frameOperations = operations.filter((op) => op === 'Me');
        views.push({ view, hash, operations: operations.filter((op) => op !== 'Me') });
        await page.close();
      }
    } finally {
      await context.close();
    }
    o.log(`requests per view: ${views.map((v) => `${v.view} ${v.operations.length}`).join(', ')}`);

    const summary = (samples: LoadSample[]): ExplorerBenchResult['cold'] => ({
      drawn: summarize(samples.map((s) => s.drawnMs)), interactive: summarize(samples.map((s) => s.interactiveMs)), samples,
    });
    return {
      schema: 'explorer-1', command: o.command, date: new Date().toISOString(), machine: machineInfo(),
      versions: { node: process.versions.node, chromium }, backend: 'sqlite',
      answer: { nodes: answer.lineage.nodes.length, edges: answer.lineage.edges.length, truncated: answer.lineage.truncated, drawnNodes: drawn.nodes, groups: drawn.groups },
      iterations: o.iterations, cold: summary(cold), warm: summary(warm), targetMs: TARGET_MS, views, frameOperations,
    };
  } finally {
    await browser?.close();
    await server?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
