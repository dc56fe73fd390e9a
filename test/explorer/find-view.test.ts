/**
 * The Find view in Chromium against the seeded TFX pipeline: what it lists is what the API
 * answers for the same filter, the type choices are the server's types, a bad filter shows
 * the server's own message (naming the field), a cursor continues where the API says, and
 * the page asks once.
 */
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { backendNamed } from '../support/backends.js';
import { HAS_CHROMIUM, useExplorer, type PageWatch } from './explorer-harness.js';
import { seedTfxPipeline, type TfxSeed } from './tfx-seed.js';

interface Conn { totalCount: number; nodes: { id: string }[]; pageInfo: { endCursor: string | null } }

/** The ids the page lists for a kind, in order, and the total it shows. */
async function listed(page: Page, kind: string): Promise<{ ids: string[]; total: number }> {
  await page.waitForSelector(`.result-${kind}`);
  return page.$eval(`.result-${kind}`, (el) => ({
    ids: [...el.querySelectorAll('li[data-node-id]')].map((li) => li.getAttribute('data-node-id') ?? ''),
    total: Number(el.getAttribute('data-total')),
  }));
}

function expectClean(watch: PageWatch): void {
  expect(watch.refused).toEqual([]);
  expect(watch.pageErrors).toEqual([]);
  expect(watch.consoleErrors).toEqual([]);
}

describe.skipIf(!HAS_CHROMIUM)('Find view (sqlite)', () => {
  const x = useExplorer(backendNamed('sqlite')!);
  let seed: TfxSeed;
  beforeAll(async () => { seed = await seedTfxPipeline(x.t); }, 120_000);

  it('finds the models by name: the lists are the API\'s answer for the same filter, in one request', async () => {
    const where = "name LIKE '%taxi-model%'";
    const answer = await x.t.data<{ a: Conn; e: Conn; c: Conn }>(
      `query A($w: String!) { a: artifacts(where: $w) { totalCount nodes { id } } e: executions(where: $w) { totalCount nodes { id } } c: contexts(where: $w) { totalCount nodes { id } } }`,
      { w: where });
    expect(answer.a.nodes.map((n) => n.id)).toContain(seed.artifacts[0].model);
    const { page, watch } = await x.open('#/find?q=taxi-model');
    const artifacts = await listed(page, 'artifacts');
    expect(artifacts.ids).toEqual(answer.a.nodes.map((n) => n.id));
    expect(artifacts.total).toBe(answer.a.totalCount);
    expect((await listed(page, 'executions')).ids).toEqual(answer.e.nodes.map((n) => n.id));
    expect((await listed(page, 'contexts')).ids).toEqual(answer.c.nodes.map((n) => n.id));
    // each artifact links to its lineage, its page and its impact
    const links = await page.$$eval(`li[data-node-id="${seed.artifacts[0].model}"] a`, (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual([`#/lineage/${seed.artifacts[0].model}`, `#/node/${seed.artifacts[0].model}`, `#/impact/${seed.artifacts[0].model}`]);
    // the type choices are the server's types, by kind
    const types = await x.t.data<{ artifactTypes: { name: string }[]; executionTypes: { name: string }[]; contextTypes: { name: string }[] }>(
      '{ artifactTypes { name } executionTypes { name } contextTypes { name } }');
    const options = await page.$$eval('select[name="type"] option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''));
    expect(options).toEqual([
      ...types.artifactTypes.map((t) => `artifacts:${t.name}`), ...types.executionTypes.map((t) => `executions:${t.name}`),
      ...types.contextTypes.map((t) => `contexts:${t.name}`)]);
    await x.screenshot(page, 'find');
    expect(watch.operations).toEqual(['Me', 'Find']);
    expectClean(watch);
    expect(await x.cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('searches one kind by type and property with the filter language, typed into the form', async () => {
    const where = 'properties.learning_rate.double_value > 0.015';
    const answer = await x.t.data<{ e: Conn }>(
      'query E($w: String!) { e: executions(where: $w, filter: { type: "Trainer" }) { totalCount nodes { id } } }', { w: where });
    expect(answer.e.nodes.map((n) => n.id)).toEqual([seed.executions[1].Trainer]);
    const { page, watch } = await x.open('#/find');
    await page.waitForSelector('select[name="type"] option[value="executions:Trainer"]');
    await page.select('select[name="type"]', 'executions:Trainer');
    await page.click('details.advanced summary');
    await page.type('textarea[name="where"]', where);
    await page.click('form[role="search"] button[type="submit"]');
    await page.waitForFunction(() => window.location.hash.includes('where='));
    const executions = await listed(page, 'executions');
    expect(executions.ids).toEqual(answer.e.nodes.map((n) => n.id));
    expect(await page.$('.result-artifacts')).toBeNull();
    const hash = await page.evaluate(() => window.location.hash);
    const params = new URLSearchParams(hash.slice(hash.indexOf('?') + 1));
    expect([params.get('kind'), params.get('type'), params.get('where')]).toEqual(['executions', 'Trainer', where]);
    expectClean(watch);
    await page.close();
  });

  it('finds executions by a property\'s value, declared or custom, typed as text', async () => {
    const answer = await x.t.data<{ e: Conn }>('{ e: executions(filter: { properties: [{ name: "learning_rate", eq: 0.02 }] }) { totalCount nodes { id } } }');
    expect(answer.e.nodes.map((n) => n.id)).toEqual([seed.executions[1].Trainer]);
    const { page, watch } = await x.open('#/find?kind=executions&prop=learning_rate&value=0.02');
    expect((await listed(page, 'executions')).ids).toEqual(answer.e.nodes.map((n) => n.id));
    expect(await page.$eval('input[name="prop"]', (e) => (e as HTMLInputElement).value)).toBe('learning_rate');
    expectClean(watch);
    await page.close();
    // without a value: every execution that has the property
    const having = await x.t.data<{ e: Conn }>('{ e: executions(where: "properties.learning_rate.double_value IS NOT NULL") { nodes { id } } }');
    expect(having.e.nodes.map((n) => n.id)).toEqual([seed.executions[0].Trainer, seed.executions[1].Trainer]);
    const any = await x.open('#/find?kind=executions&prop=learning_rate');
    expect((await listed(any.page, 'executions')).ids).toEqual(having.e.nodes.map((n) => n.id));
    expectClean(any.watch);
    await any.page.close();
  });

  it('shows the server\'s message for a malformed filter, naming the field', async () => {
    const where = 'properties.accuracy.double_value >> 1';
    const res = await x.t.gql('query A($w: String) { artifacts(where: $w) { totalCount } }', { w: where });
    const serverError = res.errors![0]!;
    const { page, watch } = await x.open(`#/find?kind=artifacts&where=${encodeURIComponent(where)}`);
    await page.waitForSelector('[data-testid="find-error"]');
    const shown = await page.$eval('[data-testid="find-error"]', (el) => el.textContent);
    expect(shown).toContain(serverError.message);
    expect(serverError.extensions?.field).toBe('where');
    expect(shown).toContain('(field: where)');
    expect(watch.operations).toEqual(['Me', 'Find']);
    expect(watch.refused).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await page.close();
  });

  it('continues after a cursor as the API does', async () => {
    const first = await x.t.data<{ a: Conn }>('{ a: artifacts(first: 5) { totalCount nodes { id } pageInfo { endCursor } } }');
    const rest = await x.t.data<{ a: Conn }>('query R($c: String) { a: artifacts(first: 50, after: $c) { totalCount nodes { id } } }', { c: first.a.pageInfo.endCursor });
    expect(rest.a.nodes.length).toBeGreaterThan(0);
    const { page, watch } = await x.open(`#/find?kind=artifacts&after=${encodeURIComponent(first.a.pageInfo.endCursor!)}`);
    expect((await listed(page, 'artifacts')).ids).toEqual(rest.a.nodes.map((n) => n.id));
    expectClean(watch);
    await page.close();
  });
});
