/**
 * The Impact view in Chromium: affected models first, the counts, the lists and the
 * contexts are the API's ImpactReport for the same start; the CSV it downloads (through a
 * blob: URL) holds exactly the report's rows. One request.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { backendNamed } from '../support/backends.js';
import { HAS_CHROMIUM, useExplorer } from './explorer-harness.js';
import { expectClean, parseCsv, waitFor } from './record-view-checks.js';
import { seedTfxPipeline, type TfxSeed } from './tfx-seed.js';

interface Node { id: string; artifact: { name: string | null } | null; execution: { name: string | null } | null }
interface Report {
  artifactCount: number; executionCount: number; modelCount: number; truncated: boolean;
  countsByType: { typeName: string; count: number }[];
  countsByBaseType: { baseType: string | null; count: number }[];
  models: { nodes: Node[] }; artifacts: { nodes: Node[] }; executions: { nodes: Node[] };
  contexts: { totalCount: number; nodes: { context: { id: string } }[] };
}

const REPORT = `query I($s: [ID!]!) { impact(start: $s) {
  artifactCount executionCount modelCount truncated
  countsByType { typeName count } countsByBaseType { baseType count }
  models(first: 100) { nodes { id artifact { name } execution { name } } }
  artifacts(first: 100) { nodes { id artifact { name } execution { name } } }
  executions(first: 100) { nodes { id artifact { name } execution { name } } }
  contexts(first: 100) { totalCount nodes { context { id } } }
} }`;

const rowIds = (page: Page, testId: string): Promise<string[]> =>
  page.$$eval(`[data-testid="${testId}"] tbody tr[data-node-id]`, (trs) => trs.map((tr) => tr.getAttribute('data-node-id') ?? ''));
const text = (page: Page, testId: string): Promise<string> => page.$eval(`[data-testid="${testId}"]`, (e) => e.textContent ?? '');

describe.skipIf(!HAS_CHROMIUM)('Impact view (sqlite)', () => {
  const x = useExplorer(backendNamed('sqlite')!);
  let seed: TfxSeed;
  beforeAll(async () => { seed = await seedTfxPipeline(x.t); }, 120_000);

  it('lists the affected models first and shows the API\'s counts, lists and contexts', async () => {
    const { impact: r } = await x.t.data<{ impact: Report }>(REPORT, { s: [seed.raw] });
    expect(r.modelCount).toBe(4); // both runs' model and pushed model
    const { page, watch } = await x.open(`#/impact/${seed.raw}`);
    await waitFor(page, '[data-testid="models"]', watch);
    // the models' table comes before every other list on the page
    const order = await page.$$eval('table[data-testid]', (ts) => ts.map((t) => t.getAttribute('data-testid')));
    expect(order[0]).toBe('models');
    expect(await rowIds(page, 'models')).toEqual(r.models.nodes.map((n) => n.id));
    expect(await rowIds(page, 'artifacts')).toEqual(r.artifacts.nodes.map((n) => n.id));
    expect(await rowIds(page, 'executions')).toEqual(r.executions.nodes.map((n) => n.id));
    expect(await rowIds(page, 'contexts')).toEqual(r.contexts.nodes.map((n) => n.context.id));
    expect(await text(page, 'model-count')).toBe(String(r.modelCount));
    expect(await text(page, 'artifact-count')).toBe(String(r.artifactCount));
    expect(await text(page, 'execution-count')).toBe(String(r.executionCount));
    expect(await text(page, 'context-count')).toBe(String(r.contexts.totalCount));
    const byType = await page.$$eval('[data-testid="counts-by-type"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-type-name'), tr.querySelector('.count')?.textContent]));
    expect(byType).toEqual(r.countsByType.map((c) => [c.typeName, String(c.count)]));
    const byBase = await page.$$eval('[data-testid="counts-by-base-type"] tbody tr', (trs) => trs.map((tr) => [tr.children[1]?.textContent, tr.querySelector('.count')?.textContent]));
    expect(byBase).toEqual(r.countsByBaseType.map((c) => [c.baseType ?? 'none', String(c.count)]));
    expect(await page.$('[data-testid="truncated"]')).toBe(r.truncated ? expect.anything() : null);
    await x.screenshot(page, 'impact');
    expect(watch.operations).toEqual(['Me', 'Impact']);
    await expectClean(x, page, watch);
    await page.close();
  });

  it('downloads a CSV holding exactly the report\'s rows', async () => {
    const { impact: r } = await x.t.data<{ impact: Report }>(REPORT, { s: [seed.raw] });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'journey-impact-csv-'));
    try {
      const { page, watch } = await x.open(`#/impact/${seed.raw}`);
      const session = await page.createCDPSession();
      await session.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, eventsEnabled: true });
      await waitFor(page, '[data-testid="models"]', watch);
      await page.click('.impact-view button');
      const deadline = Date.now() + 10_000;
      while (!readdirSync(dir).some((f) => f.endsWith('.csv')) && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 100));
      const file = readdirSync(dir).find((f) => f.endsWith('.csv'));
      expect(file).toBe(`impact-${seed.raw}.csv`);
      const rows = parseCsv(readFileSync(path.join(dir, file!), 'utf8'));
      expect(rows[0]).toEqual(['section', 'kind', 'id', 'type', 'name', 'uri', 'state', 'distance', 'artifactCount', 'executionCount']);
      const bySection = (section: string): string[][] => rows.slice(1).filter((row) => row[0] === section).map((row) => [row[2]!, row[4]!]);
      const named = (nodes: Node[]): string[][] => nodes.map((n) => [n.id, (n.artifact ?? n.execution)?.name ?? '']);
      expect(bySection('model')).toEqual(named(r.models.nodes));
      expect(bySection('artifact')).toEqual(named(r.artifacts.nodes));
      expect(bySection('execution')).toEqual(named(r.executions.nodes));
      expect(bySection('context').map(([id]) => id)).toEqual(r.contexts.nodes.map((n) => n.context.id));
      expect(rows).toHaveLength(1 + r.models.nodes.length + r.artifacts.nodes.length + r.executions.nodes.length + r.contexts.nodes.length);
      // the download asked nothing more of the server
      expect(watch.operations).toEqual(['Me', 'Impact']);
      await expectClean(x, page, watch);
      await page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes several start nodes from ?ids=', async () => {
    const starts = [seed.artifacts[0].examples!, seed.artifacts[1].examples!];
    const { impact: r } = await x.t.data<{ impact: Report }>(REPORT, { s: starts });
    const { page, watch } = await x.open(`#/impact?ids=${starts.join(',')}`);
    await waitFor(page, '[data-testid="models"]', watch);
    expect(await page.$$eval('.start-node a', (as) => as.map((a) => a.getAttribute('href')))).toEqual(starts.map((s) => `#/node/${s}`));
    expect(await rowIds(page, 'models')).toEqual(r.models.nodes.map((n) => n.id));
    expect(await text(page, 'artifact-count')).toBe(String(r.artifactCount));
    await expectClean(x, page, watch);
    await page.close();
  });
});
