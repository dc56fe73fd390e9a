/**
 * The path view in Chromium over the seeded TFX pipeline: the chain the API's `path`
 * answers is what is highlighted (nodes and edges) and listed in order, in one Path
 * request, with the lineage between the ends drawn around it; "no path" said plainly; the
 * ends picked by a name search; hostile names listed as text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backendNamed } from '../support/backends.js';
import { HAS_CHROMIUM, useExplorer } from './explorer-harness.js';
import { apiLineage, expectHealthy, readDrawing } from './lineage-graph-helpers.js';
import { HOSTILE_NAME, seedTfxPipeline, type TfxSeed } from './tfx-seed.js';

const viewOperations = (ops: string[]): string[] => ops.filter((o) => o !== 'Me');

describe.skipIf(!HAS_CHROMIUM)('the path view in Chromium (sqlite)', () => {
  const x = useExplorer(backendNamed('sqlite')!);
  let seed: TfxSeed;
  beforeAll(async () => { seed = await seedTfxPipeline(x.t); });

  const apiPath = async (from: string, to: string): Promise<{ source: string; target: string }[] | null> =>
    (await x.t.data<{ path: { source: string; target: string }[] | null }>('query P($f: ID!, $t: ID!) { path(from: $f, to: $t, maxHops: 20) { source target } }', { f: from, t: to })).path;

  it('highlights the chain the API answers, lists it in order, and draws the lineage between the ends, in one request', async () => {
    const from = seed.raw;
    const to = seed.artifacts[1].pushed!;
    const { page, watch } = await x.open(`#/path?from=${from}&to=${to}`);
    const drawn = await readDrawing(page);
    const path = await apiPath(from, to);
    expect(path).not.toBeNull();
    const chain = [from, ...path!.map((e) => e.target)];
    const highlighted = await page.$$eval('.gnode[data-highlighted="true"]', (els) => els.map((e) => e.getAttribute('data-node-id')));
    expect(highlighted.sort()).toEqual([...chain].sort());
    const listed = await page.$$eval('.path-hops li', (els) => els.map((e) => e.getAttribute('data-node-id')));
    expect(listed).toEqual(chain);
    const edges = await page.$$eval('.react-flow__edge.gedge-highlighted', (els) => els.map((e) => e.getAttribute('data-id') ?? e.getAttribute('data-testid')?.replace(/^rf__edge-/, '')));
    expect(edges.sort()).toEqual(path!.map((e) => `${e.source}->${e.target}`).sort());
    // Around the chain: exactly what is downstream of `from` and upstream of `to`.
    const down = await apiLineage(x, { start: [from], direction: 'DOWNSTREAM', maxHops: 20 });
    const up = await apiLineage(x, { start: [to], direction: 'UPSTREAM', maxHops: 20 });
    const between = down.nodes.map((n) => n.id).filter((id) => up.nodes.some((u) => u.id === id)).sort();
    expect(drawn.nodes).toEqual(between);
    expect(between.length).toBeGreaterThan(chain.length);
    expect(viewOperations(watch.operations)).toEqual(['Path']);
    await x.screenshot(page, 'path');
    await expectHealthy(x, page, watch);
    await page.close();
  });

  it('says plainly when there is no path, and offers the other way round', async () => {
    const from = seed.artifacts[0].pushed!;
    const to = seed.raw;
    expect(await apiPath(from, to)).toBeNull();
    const { page, watch } = await x.open(`#/path?from=${from}&to=${to}`);
    await page.waitForSelector('.path-none');
    expect(await page.$eval('.path-none', (e) => e.textContent)).toContain('No path: nothing that pushed-model-1 led to, within 20 hops along the data flow, leads to raw-span-1.');
    expect(await page.$$('.graph-canvas')).toHaveLength(0);
    const other = await page.$eval('.path-none a', (a) => a.getAttribute('href'));
    expect(other).toBe(`#/path?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`);
    expect(viewOperations(watch.operations)).toEqual(['Path']);
    await expectHealthy(x, page, watch);
    await page.close();
  });

  it('picks both ends by name and then draws their chain', async () => {
    const { page, watch } = await x.open('#/path');
    const pick = async (end: 'from' | 'to', text: string, id: string): Promise<void> => {
      await page.type(`fieldset[data-end="${end}"] input`, text);
      await page.click(`fieldset[data-end="${end}"] button[type="submit"]`);
      await page.waitForSelector(`fieldset[data-end="${end}"] button[data-pick="${id}"]`);
      await page.click(`fieldset[data-end="${end}"] button[data-pick="${id}"]`);
    };
    await pick('from', 'examples-1', seed.artifacts[0].examples!);
    await page.waitForFunction(() => document.querySelector('fieldset[data-end="from"] strong')?.textContent === 'examples-1');
    await pick('to', 'taxi-model-1', seed.artifacts[0].model!);
    await readDrawing(page);
    const path = await apiPath(seed.artifacts[0].examples!, seed.artifacts[0].model!);
    const listed = await page.$$eval('.path-hops li', (els) => els.map((e) => e.getAttribute('data-node-id')));
    expect(listed).toEqual([seed.artifacts[0].examples!, ...path!.map((e) => e.target)]);
    const hash = new URL(page.url()).hash;
    expect(hash).toBe(`#/path?from=${encodeURIComponent(seed.artifacts[0].examples!)}&to=${encodeURIComponent(seed.artifacts[0].model!)}`);
    expect(viewOperations(watch.operations)).toEqual(['PathPick', 'Path', 'PathPick', 'Path']);
    await expectHealthy(x, page, watch);
    await page.close();
  });

  it('lists a hostile name as text', async () => {
    const from = seed.artifacts[1].examples!;
    const { page, watch } = await x.open(`#/path?from=${from}&to=${seed.hostile}`);
    await readDrawing(page);
    const last = await page.$eval(`.path-hops li[data-node-id="${seed.hostile}"] a`, (a) => ({ text: a.textContent, children: a.children.length }));
    expect(last).toEqual({ text: HOSTILE_NAME, children: 0 });
    expect(await page.$eval('fieldset[data-end="to"] strong', (e) => e.textContent)).toBe(HOSTILE_NAME);
    await expectHealthy(x, page, watch);
    await page.close();
  });
});
