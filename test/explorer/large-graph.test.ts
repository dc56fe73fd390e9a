/**
 * A 1,000-node lineage answer in Chromium: the 600-shard fan-out/fan-in and the 396
 * readers of the model are each folded into one group, so the drawing is a handful of
 * nodes; every node of the answer is either drawn or counted in a group; a group opens in
 * place (its members drawn) or lists them with links; `truncated` is shown exactly when
 * the answer says so; one Lineage request.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { seedFanGraph, type FanGraph } from '../../bench/explorer/fan-graph.js';
import { backendNamed } from '../support/backends.js';
import { HAS_CHROMIUM, useExplorer } from './explorer-harness.js';
import { apiLineage, clickPanelButton, expectHealthy, openPanel, readDrawing } from './lineage-graph-helpers.js';

const viewOperations = (ops: string[]): string[] => ops.filter((o) => o !== 'Me');

describe.skipIf(!HAS_CHROMIUM)('a 1,000-node lineage answer in Chromium (sqlite)', () => {
  const x = useExplorer(backendNamed('sqlite')!);
  let fan: FanGraph;
  beforeAll(async () => { fan = await seedFanGraph((q, v) => x.t.data(q, v), { shards: 600, scorers: 396 }); }, 120_000);

  it('folds the fans into groups whose counts and the drawn nodes add up to the answer', async () => {
    const answer = await apiLineage(x, { start: [fan.model], direction: 'BOTH', maxHops: 4 });
    expect(answer.nodes).toHaveLength(1000);
    expect(answer.truncated).toBe(false);
    const opened = Date.now();
    const { page, watch } = await x.open(`#/lineage/${fan.model}?direction=BOTH&hops=4`);
    const drawn = await readDrawing(page);
    const ms = Date.now() - opened;
    const groups = await page.$$eval('.gnode[data-kind="GROUP"]', (els) => els.map((e) => ({
      id: e.getAttribute('data-node-id'), members: Number(e.getAttribute('data-members')), label: e.querySelector('.gnode-label')?.textContent,
    })));
    expect(groups.map((g) => g.label).sort()).toEqual(['396 × Score', '600 × Shard']);
    const plain = drawn.nodes.filter((id) => !id.startsWith('group:'));
    expect(plain.sort()).toEqual([fan.raw, fan.split, fan.merge, fan.model].sort());
    expect(plain.length + groups.reduce((s, g) => s + g.members, 0)).toBe(answer.nodes.length);
    expect(await page.$$('.lineage-truncated')).toHaveLength(0);
    expect(await page.$eval('.lineage-summary', (e) => e.textContent)).toContain('folded into 2 groups');
    await x.screenshot(page, 'lineage-large');
    console.log(`1,000-node answer drawn (grouped) ${ms} ms after navigation`);

    // The shard group lists its members with links (200 of them, the rest counted) …
    const shards = groups.find((g) => g.label === '600 × Shard')!.id!;
    await openPanel(page, shards);
    const links = await page.$$eval('.node-panel-members a[href^="#/node/"]', (as) => as.length);
    expect(links).toBe(200);
    expect(await page.$eval('.node-panel-members', (e) => e.textContent)).toContain('and 400 more');
    // … and draws them in place.
    const scorers = groups.find((g) => g.label === '396 × Score')!.id!;
    await openPanel(page, scorers);
    await clickPanelButton(page, 'Draw all 396');
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas[data-layout="done"]')?.getAttribute('data-node-count')) === 401);
    expect(await page.$$('.gnode[data-kind="GROUP"]')).toHaveLength(1);
    // The opened group is in the link, and folds again.
    expect(new URL(page.url()).hash).toContain(`open=${encodeURIComponent(scorers)}`);
    await page.click('.lineage-summary .link-button');
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas[data-layout="done"]')?.getAttribute('data-node-count')) === 6);
    expect(viewOperations(watch.operations)).toEqual(['Lineage']);
    await expectHealthy(x, page, watch);
    await page.close();
  }, 90_000);

  it('says the answer is truncated when it is', async () => {
    const answer = await apiLineage(x, { start: [fan.model], direction: 'BOTH', maxHops: 3 });
    expect(answer.truncated).toBe(true);
    const { page, watch } = await x.open(`#/lineage/${fan.model}?direction=BOTH&hops=3`);
    await readDrawing(page);
    expect(await page.$eval('.lineage-truncated', (e) => e.textContent)).toContain('Truncated: the walk stopped at the hop limit (3)');
    expect(await page.$eval('[data-answer-nodes]', (e) => Number(e.getAttribute('data-answer-nodes')))).toBe(answer.nodes.length);
    await expectHealthy(x, page, watch);
    await page.close();
    // A node limit below the answer truncates it too, and the page says so.
    const limited = await x.open(`#/lineage/${fan.model}?direction=BOTH&hops=4&limit=500`);
    const cut = await apiLineage(x, { start: [fan.model], direction: 'BOTH', maxHops: 4, maxNodes: 500 });
    expect(cut.truncated).toBe(true);
    await readDrawing(limited.page);
    expect(await limited.page.$eval('[data-answer-nodes]', (e) => Number(e.getAttribute('data-answer-nodes')))).toBe(cut.nodes.length);
    expect(await limited.page.$eval('.lineage-truncated', (e) => e.textContent)).toContain('node limit (500)');
    await expectHealthy(x, limited.page, limited.watch);
    await limited.page.close();
  }, 60_000);
});
