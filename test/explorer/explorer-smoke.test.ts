/**
 * The explorer opens in a real browser with no network beyond the server: the page loads
 * under its Content-Security-Policy, asks who it is talking as (open local mode: editor),
 * finds the model by name and draws its lineage, with nothing refused, no CSP violation
 * and no script error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backendNamed } from '../support/backends.js';
import { drawnGraph, HAS_CHROMIUM, useExplorer } from './explorer-harness.js';
import { seedTfxPipeline, type TfxSeed } from './tfx-seed.js';

describe.skipIf(!HAS_CHROMIUM)('the explorer in Chromium (sqlite)', () => {
  const x = useExplorer(backendNamed('sqlite')!);
  let seed: TfxSeed;
  beforeAll(async () => { seed = await seedTfxPipeline(x.t); });

  it('serves the page at / under a strict CSP', async () => {
    const res = await fetch(`${x.t.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<div id="root">');
  });

  it('finds the model and draws its lineage', async () => {
    const { page, watch } = await x.open('#/find?q=taxi-model');
    await page.waitForSelector(`li[data-node-id="${seed.artifacts[0].model}"]`);
    await page.click(`li[data-node-id="${seed.artifacts[0].model}"] a`);
    const drawn = await drawnGraph(page);
    const answer = await x.t.data<{ lineage: { nodes: { id: string }[] } }>(
      'query L($s: [ID!]!) { lineage(start: $s, direction: BOTH, maxHops: 3) { nodes { id } } }', { s: [seed.artifacts[0].model] });
    expect(drawn.nodes).toEqual(answer.lineage.nodes.map((n) => n.id).sort());
    await x.screenshot(page, 'smoke-lineage');
    expect(watch.refused).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(await x.cspViolations(page)).toEqual([]);
    await page.close();
  });
});
