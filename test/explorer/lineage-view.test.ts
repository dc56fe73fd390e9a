/**
 * The lineage view in Chromium over the seeded TFX pipeline, each drawing compared with the
 * GraphQL answer to the same question: the nodes and edges drawn, the start marked, hops
 * and the "stop at" / "show only" choices, expanding a node by one hop (one request) and a
 * link that carries the expansion, collapsing a node, the side panel's links, the hostile
 * name drawn as text, the SVG and PNG exports; one Lineage request per view, nothing refused.
 */
import { rmSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backendNamed } from '../support/backends.js';
import { HAS_CHROMIUM, useExplorer } from './explorer-harness.js';
import {
  allowDownloads, apiLineage, clickPanelButton, downloaded, expectedDrawing, expectHealthy, openPanel, readDrawing, waitForNodeCount,
} from './lineage-graph-helpers.js';
import { HOSTILE_NAME, seedTfxPipeline, type TfxSeed } from './tfx-seed.js';

/** Operations the page sent, without the frame's own `Me`. */
const viewOperations = (ops: string[]): string[] => ops.filter((o) => o !== 'Me');

describe.skipIf(!HAS_CHROMIUM)('the lineage view in Chromium (sqlite)', () => {
  const x = useExplorer(backendNamed('sqlite')!);
  let seed: TfxSeed;
  beforeAll(async () => { seed = await seedTfxPipeline(x.t); });

  it('draws exactly the nodes and edges of the answer, the start marked, in one request', async () => {
    const model = seed.artifacts[0].model!;
    const { page, watch } = await x.open(`#/lineage/${model}?direction=BOTH&hops=4`);
    const drawn = await readDrawing(page);
    const answer = await apiLineage(x, { start: [model], direction: 'BOTH', maxHops: 4 });
    expect(drawn).toEqual(expectedDrawing(answer));
    expect(drawn.nodes.length).toBeGreaterThan(5);
    const starts = await page.$$eval('.gnode[data-start="true"]', (els) => els.map((e) => e.getAttribute('data-node-id')));
    expect(starts).toEqual([model]);
    expect(viewOperations(watch.operations)).toEqual(['Lineage']);
    // The summary says how many nodes the answer has.
    expect(await page.$eval('[data-answer-nodes]', (e) => Number(e.getAttribute('data-answer-nodes')))).toBe(answer.nodes.length);
    // From the keyboard: a focused node opens its panel with Enter.
    await page.focus(`.react-flow__node[data-id="${seed.executions[0].Trainer!}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.node-panel[data-panel-node="${seed.executions[0].Trainer!}"]`);
    const links = await page.$$eval('.node-panel a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toContain(`#/node/${encodeURIComponent(seed.executions[0].Trainer!)}`);
    expect(links).toContain(`#/impact/${encodeURIComponent(seed.executions[0].Trainer!)}`);
    expect(links).toContain(`#/path?from=${encodeURIComponent(model)}&to=${encodeURIComponent(seed.executions[0].Trainer!)}`);
    expect(await page.$eval('.node-panel dd', (e) => e.textContent)).toBe('Trainer (execution)');
    await x.screenshot(page, 'lineage');
    await expectHealthy(x, page, watch);
    await page.close();
  });

  it('changes the drawing with the hops as the API says', async () => {
    const trainer = seed.executions[1].Trainer!;
    const { page, watch } = await x.open(`#/lineage/${trainer}?direction=DOWNSTREAM&hops=4`);
    const four = await apiLineage(x, { start: [trainer], direction: 'DOWNSTREAM', maxHops: 4 });
    expect(await readDrawing(page)).toEqual(expectedDrawing(four));
    const one = await apiLineage(x, { start: [trainer], direction: 'DOWNSTREAM', maxHops: 1 });
    expect(one.nodes.length).not.toBe(four.nodes.length);
    const hops = await page.$('input[type="number"]');
    await hops!.click({ count: 3 });
    await hops!.type('1');
    await waitForNodeCount(page, one.nodes.length);
    expect(await readDrawing(page)).toEqual(expectedDrawing(one));
    expect(new URL(page.url()).hash).toContain('hops=1');
    expect(viewOperations(watch.operations)).toEqual(['Lineage', 'Lineage']);
    await expectHealthy(x, page, watch);
    await page.close();
  });

  it('stops at the chosen types and shows only the chosen ones, as the API does', async () => {
    const raw = seed.raw;
    const { page, watch } = await x.open(`#/lineage/${raw}?direction=DOWNSTREAM&hops=20`);
    const all = await apiLineage(x, { start: [raw], direction: 'DOWNSTREAM', maxHops: 20 });
    expect(await readDrawing(page)).toEqual(expectedDrawing(all));
    // Stop at Examples: the examples are drawn, what lies beyond them is not.
    await page.select('select[name="stop"]', 'a:Examples');
    const stopped = await apiLineage(x, { start: [raw], direction: 'DOWNSTREAM', maxHops: 20, stopAt: { artifactTypes: ['Examples'] } });
    expect(stopped.nodes.length).toBeLessThan(all.nodes.length);
    await waitForNodeCount(page, stopped.nodes.length);
    expect(await readDrawing(page)).toEqual(expectedDrawing(stopped));
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain('stop=a:Examples');
    // Show only Examples artifacts (executions still all shown): a link with both choices.
    await page.close();
    const second = await x.open(`#/lineage/${raw}?direction=DOWNSTREAM&hops=20&stop=e:Evaluator&types=a:Examples,a:ExternalArtifact`);
    const filtered = await apiLineage(x, {
      start: [raw], direction: 'DOWNSTREAM', maxHops: 20, stopAt: { executionTypes: ['Evaluator'] }, artifactTypes: ['Examples', 'ExternalArtifact'],
    });
    expect(await readDrawing(second.page)).toEqual(expectedDrawing(filtered));
    expect(filtered.nodes.length).toBeLessThan(all.nodes.length);
    // The choices shown are the link's.
    expect(await second.page.$eval('select[name="types"]', (s) => [...(s as HTMLSelectElement).selectedOptions].map((o) => o.value)))
      .toEqual(['a:Examples', 'a:ExternalArtifact']);
    expect(viewOperations(watch.operations)).toEqual(['Lineage', 'Lineage']);
    expect(viewOperations(second.watch.operations)).toEqual(['Lineage']);
    await expectHealthy(x, second.page, second.watch);
    await second.page.close();
  });

  it('expands a node by one hop in one request, keeps it in the link, and collapses what lies only beyond a node', async () => {
    const trainer = seed.executions[0].Trainer!;
    const model = seed.artifacts[0].model!;
    const { page, watch } = await x.open(`#/lineage/${trainer}?direction=DOWNSTREAM&hops=1`);
    const base = await apiLineage(x, { start: [trainer], direction: 'DOWNSTREAM', maxHops: 1 });
    expect(await readDrawing(page)).toEqual(expectedDrawing(base));
    await openPanel(page, model);
    await clickPanelButton(page, 'Expand one hop');
    const more = await apiLineage(x, { start: [model], direction: 'DOWNSTREAM', maxHops: 1 });
    const union = expectedDrawing({ nodes: [...base.nodes, ...more.nodes.filter((n) => !base.nodes.some((b) => b.id === n.id))], edges: [...base.edges, ...more.edges] });
    expect(union.nodes.length).toBeGreaterThan(base.nodes.length);
    await waitForNodeCount(page, union.nodes.length);
    expect(await readDrawing(page)).toEqual(union);
    expect(viewOperations(watch.operations)).toEqual(['Lineage', 'LineageExpand']);
    const link = new URL(page.url()).hash;
    expect(link).toContain(`expand=${encodeURIComponent(model)}`);

    // The link draws the same in one request.
    const again = await x.open(link);
    expect(await readDrawing(again.page)).toEqual(union);
    expect(viewOperations(again.watch.operations)).toEqual(['Lineage']);

    // Collapsing the model hides what was reached only through it.
    await openPanel(again.page, model);
    await clickPanelButton(again.page, 'Collapse');
    await waitForNodeCount(again.page, base.nodes.length);
    expect(await readDrawing(again.page)).toEqual(expectedDrawing(base));
    expect(await again.page.$eval('.lineage-summary', (e) => e.textContent)).toContain(`${union.nodes.length - base.nodes.length} hidden behind collapsed nodes`);
    await expectHealthy(x, page, watch);
    await expectHealthy(x, again.page, again.watch);
    await page.close();
    await again.page.close();
  });

  it('draws the hostile name as text', async () => {
    const examples = seed.artifacts[1].examples!;
    const { page, watch } = await x.open(`#/lineage/${examples}?direction=DOWNSTREAM&hops=2`);
    const drawn = await readDrawing(page);
    expect(drawn.nodes).toContain(seed.hostile);
    const label = await page.$eval(`.gnode[data-node-id="${seed.hostile}"] .gnode-label`, (e) => ({ text: e.textContent, children: e.children.length }));
    expect(label).toEqual({ text: HOSTILE_NAME, children: 0 });
    expect(await page.$$('.react-flow img, .react-flow script')).toHaveLength(0);
    await openPanel(page, seed.hostile);
    expect(await page.$eval('.node-panel h2', (e) => e.textContent)).toBe(HOSTILE_NAME);
    await expectHealthy(x, page, watch);
    await page.close();
  });

  it('exports the drawing as SVG (the names as text) and PNG', async () => {
    const examples = seed.artifacts[1].examples!;
    const { page, watch } = await x.open(`#/lineage/${examples}?direction=BOTH&hops=2`);
    const answer = await apiLineage(x, { start: [examples], direction: 'BOTH', maxHops: 2 });
    await readDrawing(page);
    const dir = await allowDownloads(page);
    try {
      await page.click('.export-buttons button:nth-child(1)');
      const svg = (await downloaded(dir, '.svg')).toString('utf8');
      expect(svg.startsWith('<?xml')).toBe(true);
      for (const n of answer.nodes) {
        const name = (n.name ?? n.id).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        expect(svg).toContain(name);
      }
      expect(svg).not.toContain('<script');
      expect(svg).not.toContain('<img');
      await page.click('.export-buttons button:nth-child(2)');
      const png = await downloaded(dir, '.png');
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.length).toBeGreaterThan(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(viewOperations(watch.operations)).toEqual(['Lineage']);
    await expectHealthy(x, page, watch);
    await page.close();
  });
});
