/**
 * Compare runs and Pipelines in Chromium: the comparison of taxi-run-1 and taxi-run-2
 * shows learning_rate (0.01 vs 0.02) and accuracy differing and highlighted, every row's
 * mark as compareContexts says; fewer than 2 or more than 20 contexts are refused before
 * the server is asked; Pipelines lists the pipeline and its runs, and "Compare selected"
 * leads to the comparison. One request per view.
 */
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { backendNamed } from '../support/backends.js';
import { HAS_CHROMIUM, useExplorer } from './explorer-harness.js';
import { expectClean, waitFor } from './record-view-checks.js';
import { seedTfxPipeline, type TfxSeed } from './tfx-seed.js';

interface Prop { name: string; values: unknown[]; differs: boolean }
interface Comparison {
  contexts: { id: string }[];
  executions: { type: { name: string }; properties: Prop[] }[];
  inputs: { type: { name: string }; differs: boolean }[];
  metrics: { type: { name: string }; properties: Prop[] }[];
}
const COMPARE = `query C($ids: [ID!]!) { compareContexts(ids: $ids) {
  contexts { id }
  executions { type { name } properties { name values differs } }
  inputs { type { name } differs }
  metrics { type { name } properties { name values differs } }
} }`;

/** A property row of the page: its differs mark, and each value cell's class, differs text and value text. */
async function propertyRow(page: Page, section: string, group: string, name: string) {
  return page.$eval(`[data-testid="${section}"] tbody[data-${section === 'compare-metrics' ? 'metrics' : 'execution'}-type="${group}"] tr[data-property="${name}"]`, (tr) => ({
    differs: tr.getAttribute('data-differs'),
    cells: [...tr.querySelectorAll('td')].map((td) => ({
      highlighted: td.classList.contains('differs'),
      marked: (td.querySelector('.differs-mark')?.textContent ?? '').trim() === '≠' && (td.querySelector('.sr-only')?.textContent ?? '').includes('differs'),
      value: [...td.childNodes].filter((n) => !(n instanceof HTMLElement && (n.classList.contains('differs-mark') || n.classList.contains('sr-only')))).map((n) => n.textContent).join(''),
    })),
  }));
}

/** The variables of each Compare operation the page sends. */
function compareVariables(page: Page): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'POST' || !r.url().endsWith('/graphql')) return;
    const body = JSON.parse(r.postData() ?? '{}') as { operationName?: string; variables?: Record<string, unknown> };
    if (body.operationName === 'Compare') seen.push(body.variables ?? {});
  });
  return seen;
}

describe.skipIf(!HAS_CHROMIUM)('Compare runs and Pipelines (sqlite)', () => {
  const x = useExplorer(backendNamed('sqlite')!);
  let seed: TfxSeed;
  beforeAll(async () => { seed = await seedTfxPipeline(x.t); }, 120_000);

  it('shows learning_rate and accuracy differing and highlighted, every mark as compareContexts says', async () => {
    const { compareContexts: c } = await x.t.data<{ compareContexts: Comparison }>(COMPARE, { ids: seed.runs });
    const { page, watch } = await x.open(`#/compare?ids=${seed.runs.join(',')}`);
    await waitFor(page, '[data-testid="comparison"]', watch);
    const rate = await propertyRow(page, 'compare-executions', 'Trainer', 'learning_rate');
    expect(rate.differs).toBe('true');
    expect(rate.cells.map((cell) => cell.value)).toEqual(['0.01', '0.02']);
    expect(rate.cells.every((cell) => cell.highlighted && cell.marked)).toBe(true);
    const steps = await propertyRow(page, 'compare-executions', 'Trainer', 'train_steps');
    expect(steps).toEqual({ differs: 'false', cells: [{ highlighted: false, marked: false, value: '1000' }, { highlighted: false, marked: false, value: '1000' }] });
    const accuracy = await propertyRow(page, 'compare-metrics', 'ModelEvaluation', 'accuracy');
    expect(accuracy.differs).toBe('true');
    expect(accuracy.cells.map((cell) => cell.value)).toEqual(['0.81', '0.86']);
    expect(accuracy.cells.every((cell) => cell.highlighted && cell.marked)).toBe(true);
    // every property row's mark is the API's differs, in the API's order
    const marks = await page.$$eval('[data-testid="compare-executions"] tr[data-property], [data-testid="compare-metrics"] tr[data-property]',
      (trs) => trs.map((tr) => `${tr.getAttribute('data-property')}:${tr.getAttribute('data-differs')}`));
    expect(marks).toEqual([...c.executions, ...c.metrics].flatMap((row) => row.properties.map((p) => `${p.name}:${p.differs}`)));
    const inputs = await page.$$eval('[data-testid="compare-inputs"] tr[data-input-type]', (trs) => trs.map((tr) => `${tr.getAttribute('data-input-type')}:${tr.getAttribute('data-differs')}`));
    expect(inputs).toEqual(c.inputs.map((row) => `${row.type.name}:${row.differs}`));
    const columns = await page.$$eval('[data-testid="compare-executions"] thead th[data-context-id]', (ths) => ths.map((th) => th.getAttribute('data-context-id')));
    expect(columns).toEqual(c.contexts.map((ctx) => ctx.id));
    await x.screenshot(page, 'compare');
    expect(watch.operations).toEqual(['Me', 'Compare']);
    await expectClean(x, page, watch);
    await page.close();
  });

  it('refuses fewer than 2 or more than 20 contexts with a message, without asking the server to compare', async () => {
    const many = Array.from({ length: 21 }, (_, i) => `id-${i}`);
    for (const [ids, message] of [[[seed.runs[0]], /at least 2/], [many, /At most 20 .*remove 1/]] as const) {
      const { page, watch } = await x.open(`#/compare?ids=${ids.join(',')}`);
      const sent = compareVariables(page);
      await waitFor(page, '[data-testid="compare-problem"]', watch);
      expect(await page.$eval('[data-testid="compare-problem"]', (e) => e.textContent)).toMatch(message);
      await waitFor(page, '.candidates', watch);
      expect(await page.$('[data-testid="comparison"]')).toBeNull();
      expect(sent.map((v) => v.compare)).toEqual([false]);
      expect(watch.operations).toEqual(['Me', 'Compare']);
      await expectClean(x, page, watch);
      await page.close();
    }
  });

  it('picks runs by name with the picker and compares them', async () => {
    const { page, watch } = await x.open('#/compare');
    await waitFor(page, '.candidates', watch);
    await page.type('input[name="pick"]', 'taxi-run');
    await page.click('.compare-picker button[type="submit"]');
    await page.waitForFunction(() => window.location.hash.includes('pick=taxi-run'));
    await waitFor(page, `.candidates li[data-context-id="${seed.runs[1]}"]`, watch);
    const listed = await page.$$eval('.candidates li[data-context-id]', (lis) => lis.map((li) => li.getAttribute('data-context-id')));
    expect(new Set(listed)).toEqual(new Set(seed.runs));
    await page.click(`.candidates li[data-context-id="${seed.runs[0]}"] input`);
    await page.click(`.candidates li[data-context-id="${seed.runs[1]}"] input`);
    await waitFor(page, '[data-testid="comparison"]', watch);
    expect(await page.evaluate(() => decodeURIComponent(window.location.hash))).toContain(`ids=${seed.runs[0]},${seed.runs[1]}`);
    await expectClean(x, page, watch);
    await page.close();
  });

  it('browses the pipeline and its two runs, and "Compare selected" leads to the comparison', async () => {
    const { page, watch } = await x.open('#/browse');
    await waitFor(page, `li[data-context-id="${seed.pipeline}"]`, watch);
    // runs have a parent: only the pipeline is top-level
    expect(await page.$(`li[data-context-id="${seed.runs[0]}"]`)).toBeNull();
    await x.screenshot(page, 'browse-root');
    expect(watch.operations).toEqual(['Me', 'BrowseRoot']);
    await page.click(`li[data-context-id="${seed.pipeline}"] a`);
    await waitFor(page, '[data-testid="children"] li', watch);
    const answer = await x.t.data<{ context: { children: { id: string; name: string }[]; executions: { totalCount: number }; artifacts: { totalCount: number } } }>(
      'query P($id: ID!) { context(id: $id) { children { id name } executions { totalCount } artifacts { totalCount } } }', { id: seed.pipeline });
    expect(answer.context.children.map((ch) => ch.name)).toEqual(['taxi-run-1', 'taxi-run-2']);
    const children = await page.$$eval('[data-testid="children"] li[data-context-id]', (lis) => lis.map((li) => li.getAttribute('data-context-id')));
    expect(children).toEqual(answer.context.children.map((ch) => ch.id));
    expect(await page.$eval('[data-testid="executions"] caption', (e) => e.textContent)).toContain(`(${answer.context.executions.totalCount}`);
    expect(await page.$eval('[data-testid="artifacts"] caption', (e) => e.textContent)).toContain(`(${answer.context.artifacts.totalCount}`);
    const button = '[data-testid="children"] button';
    expect(await page.$eval(button, (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    for (const run of seed.runs) await page.click(`[data-testid="children"] li[data-context-id="${run}"] input[type="checkbox"]`);
    await x.screenshot(page, 'browse');
    await page.click(button);
    await waitFor(page, '[data-testid="comparison"]', watch);
    expect(await page.evaluate(() => decodeURIComponent(window.location.hash))).toBe(`#/compare?ids=${seed.runs.join(',')}`);
    expect(watch.operations).toEqual(['Me', 'BrowseRoot', 'BrowseContext', 'Compare']);
    await expectClean(x, page, watch);
    await page.close();
  });
});
