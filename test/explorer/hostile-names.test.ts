/**
 * Hostile names on every record view, in Chromium: tfx-seed's HOSTILE_NAME (an <img
 * onerror> and a <script>) and strings of the hardening issue's HOSTILE_TEXT, written as
 * names, property names and property values, render as text: the script never runs
 * (window.__pwned stays undefined), the text is on the page, no element came from it,
 * the `javascript:` URI is no link; no CSP violation, no refused request, no page error,
 * and one request per view.
 */
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_TEXT } from '../hardening/fuzz-operations.js';
import { backendNamed } from '../support/backends.js';
import { HAS_CHROMIUM, useExplorer } from './explorer-harness.js';
import { expectClean, waitFor } from './record-view-checks.js';
import { HOSTILE_NAME, seedTfxPipeline, type TfxSeed } from './tfx-seed.js';

/** Hostile strings that are valid names (HOSTILE_TEXT also holds NUL and lone surrogates, which the API refuses as names). */
const NAMES = ["x'); DROP TABLE nodes;--", '" OR 1=1 --', '<script>alert(1)</script>', '${ids}', 'a\u202Eb', '🚀👩‍👩‍👧', '../../etc/passwd', 'constructor']
  .filter((name) => HOSTILE_TEXT.includes(name));

describe.skipIf(!HAS_CHROMIUM)('hostile names on the record views (sqlite)', () => {
  const x = useExplorer(backendNamed('sqlite')!);
  let seed: TfxSeed;
  let hostileExecution: string;
  let hostileContext: string;
  beforeAll(async () => {
    seed = await seedTfxPipeline(x.t);
    expect(NAMES).toHaveLength(8);
    const properties = Object.fromEntries(NAMES.map((n, i) => [n, i % 2 === 0 ? HOSTILE_NAME : NAMES[(i + 1) % NAMES.length]]));
    const recorded = await x.t.data<{ recordExecution: { execution: { id: string } } }>(`mutation R($input: RecordExecutionInput!) {
      recordExecution(input: $input) { execution { id } } }`, { input: {
      execution: { type: 'Notebook', name: NAMES[2], lastKnownState: 'COMPLETE', customProperties: { ...properties, [HOSTILE_NAME]: NAMES[0] } },
      inputs: [{ id: seed.hostile }],
      outputs: NAMES.map((name) => ({ artifact: { type: 'Schema', name, uri: 'javascript:alert(2)', customProperties: { [name]: HOSTILE_NAME } } })),
      contexts: [{ type: 'PipelineRun', name: 'taxi-run-2' }],
    } });
    hostileExecution = recorded.recordExecution.execution.id;
    const ctx = await x.t.data<{ putContexts: { id: string }[] }>('mutation C($n: String!) { putContexts(contexts: [{ type: "PipelineRun", name: $n, customProperties: { note: $n } }]) { id } }', { n: HOSTILE_NAME });
    hostileContext = ctx.putContexts[0]!.id;
    await x.t.data('mutation P($l: [ParentContextInput!]!) { putParentContexts(links: $l) }', { l: [{ childId: hostileContext, parentId: seed.pipeline }] });
  }, 120_000);

  /** The checks every view passes, with the hostile strings it must show as text. */
  async function expectInert(page: Page, shows: string[]): Promise<void> {
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      text: document.body.innerText,
      images: document.querySelectorAll('#root img').length,
      scripts: document.querySelectorAll('#root script').length,
      handlers: [...document.querySelectorAll('#root *')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      scriptLinks: [...document.querySelectorAll('a[href]')].filter((a) => (a as HTMLAnchorElement).protocol !== 'http:' && (a as HTMLAnchorElement).protocol !== 'https:').map((a) => a.getAttribute('href')),
    }));
    expect(state.pwned).toBeUndefined();
    expect([state.images, state.scripts, state.handlers]).toEqual([0, 0, 0]);
    expect(state.scriptLinks).toEqual([]);
    for (const s of shows) expect(state.text).toContain(s);
  }

  const VIEWS: [string, () => string, string, () => string[]][] = [
    ['find', () => '#/find', 'Find', () => [HOSTILE_NAME, ...NAMES]],
    ['find by name', () => `#/find?q=${encodeURIComponent('<img')}`, 'Find', () => [HOSTILE_NAME]],
    ['node (the hostile artifact)', () => `#/node/${seed.hostile}`, 'NodePage', () => [HOSTILE_NAME, 'javascript:alert(1)', NAMES[2]!]],
    ['node (the hostile execution)', () => `#/node/${hostileExecution}`, 'NodePage', () => [HOSTILE_NAME, ...NAMES]],
    ['impact', () => `#/impact/${seed.artifacts[1].examples}`, 'Impact', () => [HOSTILE_NAME, ...NAMES]],
    ['compare', () => `#/compare?ids=${seed.runs.join(',')}`, 'Compare', () => [HOSTILE_NAME, ...NAMES]],
    ['browse (pipelines)', () => '#/browse', 'BrowseRoot', () => ['taxi']],
    ['browse (the pipeline)', () => `#/browse/${seed.pipeline}`, 'BrowseContext', () => [HOSTILE_NAME]],
    ['browse (the run)', () => `#/browse/${seed.runs[1]}`, 'BrowseContext', () => [HOSTILE_NAME, ...NAMES]],
    ['browse (the hostile context)', () => `#/browse/${hostileContext}`, 'BrowseContext', () => [HOSTILE_NAME]],
  ];

  it('finds nodes by a hostile name and by a hostile property name and value: the filter escapes them', async () => {
    const byName = `#/find?q=${encodeURIComponent(NAMES[0]!)}`;
    const byProperty = `#/find?kind=executions&custom=1&prop=${encodeURIComponent(NAMES[0]!)}&value=${encodeURIComponent(HOSTILE_NAME)}`;
    for (const [hash, kind, id] of [[byName, 'artifacts', null], [byProperty, 'executions', hostileExecution]] as const) {
      const { page, watch } = await x.open(hash);
      await waitFor(page, `.result-${kind} li[data-node-id]`, watch);
      const found = await page.$$eval(`.result-${kind} li[data-node-id]`, (lis) => lis.map((li) => [li.getAttribute('data-node-id'), li.querySelector('.hit-name')?.textContent]));
      if (id === null) expect(found.map(([, name]) => name)).toEqual([NAMES[0]]);
      else expect(found).toEqual([[id, NAMES[2]]]);
      await expectInert(page, [id === null ? NAMES[0]! : NAMES[2]!]);
      await expectClean(x, page, watch);
      await page.close();
    }
  });

  for (const [label, hash, operation, shows] of VIEWS) {
    it(`${label}: renders the hostile strings as text`, async () => {
      const { page, watch } = await x.open(hash());
      await waitFor(page, 'main section.view', watch);
      await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Loading…') && !document.querySelector('main')?.textContent?.includes('Searching…'));
      expect(await page.$('main .error')).toBeNull();
      await expectInert(page, shows());
      expect(watch.operations).toEqual(['Me', operation]);
      await expectClean(x, page, watch);
      await page.close();
    });
  }
});
