/**
 * The lineage view on Neo4j: the same drawings as on SQLite, each compared with the
 * GraphQL answer over Neo4j (nodes and edges, start, hops, "stop at", expanding one hop,
 * a hostile name as text), in one request per view. Skipped only where Neo4j is absent
 * (never in CI, where NEO4J_URI is required).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backendNamed } from '../support/backends.js';
import { HAS_CHROMIUM, useExplorer } from './explorer-harness.js';
import {
  apiLineage, clickPanelButton, expectedDrawing, expectHealthy, openPanel, readDrawing, waitForNodeCount,
} from './lineage-graph-helpers.js';
import { HOSTILE_NAME, seedTfxPipeline, type TfxSeed } from './tfx-seed.js';

const neo4j = backendNamed('neo4j');
const viewOperations = (ops: string[]): string[] => ops.filter((o) => o !== 'Me');

describe.skipIf(!HAS_CHROMIUM || !neo4j)('the lineage view in Chromium (neo4j)', () => {
  const x = useExplorer(neo4j!);
  let seed: TfxSeed;
  beforeAll(async () => { seed = await seedTfxPipeline(x.t); });

  it('draws exactly the answer, follows the hops, and stops at the chosen types', async () => {
    const model = seed.artifacts[1].model!;
    const { page, watch } = await x.open(`#/lineage/${model}?direction=BOTH&hops=4`);
    const four = await apiLineage(x, { start: [model], direction: 'BOTH', maxHops: 4 });
    expect(await readDrawing(page)).toEqual(expectedDrawing(four));
    expect(await page.$$eval('.gnode[data-start="true"]', (els) => els.map((e) => e.getAttribute('data-node-id')))).toEqual([model]);
    const two = await apiLineage(x, { start: [model], direction: 'BOTH', maxHops: 2 });
    const hops = await page.$('input[type="number"]');
    await hops!.click({ count: 3 });
    await hops!.type('2');
    await waitForNodeCount(page, two.nodes.length);
    expect(await readDrawing(page)).toEqual(expectedDrawing(two));
    await x.screenshot(page, 'lineage-neo4j');
    expect(viewOperations(watch.operations)).toEqual(['Lineage', 'Lineage']);
    await expectHealthy(x, page, watch);
    await page.close();

    const raw = seed.raw;
    const stopped = await x.open(`#/lineage/${raw}?direction=DOWNSTREAM&hops=20&stop=a:Examples`);
    const answer = await apiLineage(x, { start: [raw], direction: 'DOWNSTREAM', maxHops: 20, stopAt: { artifactTypes: ['Examples'] } });
    expect(await readDrawing(stopped.page)).toEqual(expectedDrawing(answer));
    await expectHealthy(x, stopped.page, stopped.watch);
    await stopped.page.close();
  });

  it('expands a node by one hop in one request, and draws the hostile name as text', async () => {
    const examples = seed.artifacts[1].examples!;
    const { page, watch } = await x.open(`#/lineage/${examples}?direction=DOWNSTREAM&hops=1`);
    const base = await apiLineage(x, { start: [examples], direction: 'DOWNSTREAM', maxHops: 1 });
    expect(await readDrawing(page)).toEqual(expectedDrawing(base));
    const notebook = base.nodes.find((n) => n.name === 'exploration')!.id;
    await openPanel(page, notebook);
    await clickPanelButton(page, 'Expand one hop');
    const more = await apiLineage(x, { start: [notebook], direction: 'DOWNSTREAM', maxHops: 1 });
    const union = expectedDrawing({ nodes: [...base.nodes, ...more.nodes.filter((n) => !base.nodes.some((b) => b.id === n.id))], edges: [...base.edges, ...more.edges] });
    await waitForNodeCount(page, union.nodes.length);
    expect(await readDrawing(page)).toEqual(union);
    expect(union.nodes).toContain(seed.hostile);
    expect(await page.$eval(`.gnode[data-node-id="${seed.hostile}"] .gnode-label`, (e) => e.textContent)).toBe(HOSTILE_NAME);
    expect(viewOperations(watch.operations)).toEqual(['Lineage', 'LineageExpand']);
    await expectHealthy(x, page, watch);
    await page.close();
  });
});
