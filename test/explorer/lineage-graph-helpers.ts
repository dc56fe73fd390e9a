/**
 * What the graph views' end-to-end tests share: the lineage answer as the API gives it (to
 * compare the page with), the drawing read from the DOM, and a page's health (nothing
 * refused, no CSP violation, no script error, no hostile markup run).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { expect } from 'vitest';
import type { ExplorerHarness, PageWatch } from './explorer-harness.js';

export interface ApiLineage {
  truncated: boolean;
  nodes: { id: string; distance: number; name: string | null }[];
  edges: { source: string; target: string }[];
}

/** The lineage the API answers for the same question as the page asks. */
export async function apiLineage(x: ExplorerHarness, args: {
  start: string[]; direction: string; maxHops: number; maxNodes?: number;
  stopAt?: { artifactTypes?: string[]; executionTypes?: string[] }; artifactTypes?: string[]; executionTypes?: string[];
}): Promise<ApiLineage> {
  const data = await x.t.data<{ lineage: { truncated: boolean; nodes: { id: string; distance: number; artifact: { name: string | null } | null; execution: { name: string | null } | null }[]; edges: { source: string; target: string }[] } }>(
    `query L($start: [ID!]!, $direction: Direction, $maxHops: Int, $maxNodes: Int, $stopAt: LineageStopInput, $a: [String!], $e: [String!]) {
      lineage(start: $start, direction: $direction, maxHops: $maxHops, maxNodes: $maxNodes, stopAt: $stopAt, artifactTypes: $a, executionTypes: $e) {
        truncated nodes { id distance artifact { name } execution { name } } edges { source target }
      }
    }`,
    { start: args.start, direction: args.direction, maxHops: args.maxHops, maxNodes: args.maxNodes ?? 2000, stopAt: args.stopAt, a: args.artifactTypes, e: args.executionTypes },
  );
  return {
    truncated: data.lineage.truncated,
    nodes: data.lineage.nodes.map((n) => ({ id: n.id, distance: n.distance, name: (n.artifact ?? n.execution)?.name ?? null })),
    edges: data.lineage.edges,
  };
}

/** Node ids, and `source->target` edges (each pair once), sorted: the way the page draws an answer. */
export function expectedDrawing(answer: Pick<ApiLineage, 'nodes' | 'edges'>): { nodes: string[]; edges: string[] } {
  return {
    nodes: answer.nodes.map((n) => n.id).sort(),
    edges: [...new Set(answer.edges.map((e) => `${e.source}->${e.target}`))].sort(),
  };
}

/** The drawing once laid out: node ids from the node divs and edges from React Flow's edge elements. */
export async function readDrawing(page: Page, timeout = 20_000): Promise<{ nodes: string[]; edges: string[] }> {
  try {
    await page.waitForSelector('.graph-canvas[data-layout="done"] .react-flow__node', { timeout });
  } catch (e) {
    // Say what the page shows instead (an error, a message) rather than only "timed out".
    const text = await page.evaluate(() => document.body.innerText.slice(0, 2000));
    throw new Error(`no drawing after ${timeout} ms; the page reads: ${text}`, { cause: e });
  }
  return page.evaluate(() => ({
    nodes: [...document.querySelectorAll('.gnode')].map((e) => e.getAttribute('data-node-id') ?? '').sort(),
    edges: [...document.querySelectorAll('.react-flow__edge')].map((e) => (e.getAttribute('data-id') ?? e.getAttribute('data-testid')?.replace(/^rf__edge-/, '') ?? '')).sort(),
  }));
}

/** Waits until the drawing has `count` nodes (after a change the old drawing is replaced). */
export async function waitForNodeCount(page: Page, count: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction((n: number) => {
    const c = document.querySelector('.graph-canvas[data-layout="done"]');
    return c !== null && Number(c.getAttribute('data-node-count')) === n && document.querySelectorAll('.gnode').length === n;
  }, { timeout }, count);
}

/** Clicks the drawn node `id` and waits for its side panel. */
export async function openPanel(page: Page, id: string): Promise<void> {
  // The panel lies over the canvas's right side: close it first, as a user would.
  if (await page.$('.node-panel')) await page.click('.node-panel .close');
  await page.click(`.react-flow__node[data-id="${id}"]`);
  await page.waitForSelector(`.node-panel[data-panel-node="${id}"]`);
}

/** Clicks the panel's button whose text is `label`. */
export async function clickPanelButton(page: Page, label: string): Promise<void> {
  const buttons = await page.$$('.node-panel button');
  for (const b of buttons) {
    if ((await b.evaluate((e) => e.textContent)) === label) { await b.click(); return; }
  }
  throw new Error(`no panel button "${label}"`);
}

/** Nothing refused, no page error, no CSP violation, no hostile markup run. */
export async function expectHealthy(x: ExplorerHarness, page: Page, watch: PageWatch): Promise<void> {
  expect(watch.refused).toEqual([]);
  expect(watch.pageErrors).toEqual([]);
  expect(watch.consoleErrors).toEqual([]);
  expect(await x.cspViolations(page)).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
}

/** Lets the page download into a fresh directory; returns it. */
export async function allowDownloads(page: Page): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'journey-explorer-download-'));
  const session = await page.createCDPSession();
  await session.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
  return dir;
}

/** The bytes of the first file in `dir` ending in `suffix`, once it is complete. */
export async function downloaded(dir: string, suffix: string, timeout = 15_000): Promise<Buffer> {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const file = readdirSync(dir).find((f) => f.endsWith(suffix));
    if (file) return readFileSync(path.join(dir, file));
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${suffix} downloaded into ${dir}`);
}
