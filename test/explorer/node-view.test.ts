/**
 * A node's page in Chromium: the model's type, properties, producer and consumers,
 * contexts and events with their paths are what the API says; an execution's inputs and
 * outputs likewise; history shows an update by id; personal data is asked for only when
 * the key's role may read it. One request per page.
 */
import type { Page } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeKey } from '../security/security-harness.js';
import { backendNamed } from '../support/backends.js';
import { HAS_CHROMIUM, useExplorer } from './explorer-harness.js';
import { expectClean, waitFor } from './record-view-checks.js';
import { seedTfxPipeline, type TfxSeed } from './tfx-seed.js';

interface Ref { id: string; name: string }

const listIds = (page: Page, testId: string): Promise<string[]> =>
  page.$$eval(`[data-testid="${testId}"] li[data-node-id]`, (lis) => lis.map((li) => li.getAttribute('data-node-id') ?? ''));

/** The rows of an event table: [event type, path text, the other node's id]. */
const eventRows = (page: Page, testId: string): Promise<string[][]> =>
  page.$$eval(`[data-testid="${testId}"] tbody tr[data-node-id]`, (trs) => trs.map((tr) => [
    tr.getAttribute('data-event-type') ?? '', tr.querySelector('.event-path')?.textContent ?? '', tr.getAttribute('data-node-id') ?? '']));

/** [{key: "model"}, {index: 0}] as the page writes it: model[0]. */
const pathText = (path: { key: string | null; index: number | null }[]): string =>
  path.length === 0 ? '—' : path.map((s, i) => (s.key !== null ? `${i > 0 ? '.' : ''}${s.key}` : `[${s.index}]`)).join('');


describe.skipIf(!HAS_CHROMIUM)('a node\'s page (sqlite)', () => {
  const x = useExplorer(backendNamed('sqlite')!);
  let seed: TfxSeed;
  let model: string;
  beforeAll(async () => {
    seed = await seedTfxPipeline(x.t);
    model = seed.artifacts[0].model!;
    // A reader of the model at an event path, and an update by id (a history record).
    await x.t.data(`mutation R($m: ID!) {
      recordExecution(input: { execution: { type: "Notebook", name: "inspect-model" }, inputs: [{ id: $m, path: [{ key: "model" }, { index: 0 }] }] }) { execution { id } }
      putArtifacts(artifacts: [{ id: $m, type: "Model", state: LIVE, customProperties: { note: { tags: ["a", "b"], ok: true } } }]) { id }
    }`, { m: model });
  }, 120_000);

  it('shows the model as the API has it: type, properties, producer, consumers, contexts, events with paths', async () => {
    const answer = await x.t.data<{ artifact: {
      type: { name: string }; uri: string; state: string; customProperties: Record<string, unknown>;
      producedBy: Ref[]; consumedBy: Ref[]; contexts: Ref[]; history: unknown[];
      events: { type: string; path: { key: string | null; index: number | null }[]; execution: Ref }[];
    } }>(`query A($id: ID!) { artifact(id: $id) { type { name } uri state customProperties producedBy { id name } consumedBy { id name }
      contexts { id name } history { validFrom } events { type path { key index } execution { id name } } } }`, { id: model });
    const a = answer.artifact;
    expect(a.producedBy.map((e) => e.name)).toEqual(['Trainer-1']);
    const { page, watch } = await x.open(`#/node/${model}`);
    await waitFor(page, '[data-testid="node-type"]', watch);
    expect(await page.$eval('[data-testid="node-kind"]', (e) => e.textContent)).toBe('Artifact');
    expect(await page.$eval('[data-testid="node-type"]', (e) => e.textContent)).toBe(`${a.type.name} · MODEL`);
    expect(await page.$eval('[data-testid="node-name"]', (e) => e.textContent)).toBe('taxi-model-1');
    expect(await page.$eval('[data-testid="node-uri"]', (e) => e.textContent)).toBe(a.uri);
    // gs:// is not a scheme a browser may follow: text, not a link
    expect(await page.$('[data-testid="node-uri"] a')).toBeNull();
    expect(await listIds(page, 'producers')).toEqual(a.producedBy.map((e) => e.id));
    expect(await listIds(page, 'consumers')).toEqual(a.consumedBy.map((e) => e.id));
    expect(await listIds(page, 'contexts')).toEqual(a.contexts.map((c) => c.id));
    expect(a.contexts.map((c) => c.name)).toEqual(['taxi', 'taxi-run-1']);
    expect(await eventRows(page, 'events')).toEqual(a.events.map((e) => [e.type, pathText(e.path), e.execution.id]));
    expect(await eventRows(page, 'events')).toContainEqual(['INPUT', 'model[0]', expect.any(String)]);
    // a custom property's JSON value as formatted text
    const note = await page.$eval('tr[data-property="note"] pre', (e) => e.textContent);
    expect(JSON.parse(note ?? '')).toEqual(a.customProperties.note);
    expect(note).toContain('\n');
    // the update by id left two records
    expect(a.history).toHaveLength(2);
    expect(await page.$$eval('[data-testid="history"] tbody tr', (trs) => trs.length)).toBe(2);
    // links to its lineage, impact and path
    const hrefs = await page.$$eval('.node-actions a', (as) => as.map((el) => el.getAttribute('href')));
    expect(hrefs).toEqual([`#/lineage/${model}?direction=UPSTREAM`, `#/lineage/${model}?direction=DOWNSTREAM`, `#/impact/${model}`, `#/path?from=${model}`]);
    await x.screenshot(page, 'node');
    expect(watch.operations).toEqual(['Me', 'NodePage']);
    await expectClean(x, page, watch);
    await page.close();
  });

  it('lists a dataset\'s versions as the API has them', async () => {
    // A dataset is a context of type openlineage.Dataset; its versions are the artifacts attributed to it.
    const made = await x.t.data<{ a: { id: string }[]; c: { id: string }[] }>(`mutation V {
      t: putContextType(input: { name: "openlineage.Dataset" }) { id }
      a: putArtifacts(artifacts: [
        { type: "Examples", name: "trips@v1", uri: "s3://trips/v1", properties: { span: 1 }, customProperties: { version: "v1", versionTime: "2026-01-01T00:00:00.000Z" } },
        { type: "Examples", name: "trips@v2", uri: "https://data.example/trips/v2", properties: { span: 2 }, customProperties: { version: "v2", versionTime: "2026-02-01T00:00:00.000Z" } }]) { id }
      c: putContexts(contexts: [{ type: "openlineage.Dataset", name: "s3://trips/trips" }]) { id }
    }`);
    await x.t.data('mutation L($l: [AttributionInput!]!) { putAttributions(links: $l) }', { l: made.a.map((a) => ({ contextId: made.c[0]!.id, artifactId: a.id })) });
    const answer = await x.t.data<{ artifact: { versions: { totalCount: number; nodes: { version: string; artifact: { id: string } }[] } } }>(
      'query V($id: ID!) { artifact(id: $id) { versions { totalCount nodes { version artifact { id } } } } }', { id: made.a[1]!.id });
    expect(answer.artifact.versions.nodes.map((v) => v.version)).toEqual(['v1', 'v2']);
    const { page, watch } = await x.open(`#/node/${made.a[1]!.id}`);
    await waitFor(page, '[data-testid="versions"]', watch);
    const rows = await page.$$eval('[data-testid="versions"] tbody tr', (trs) => trs.map((tr) => [tr.children[1]?.textContent, tr.querySelector('td:last-child a')?.getAttribute('href'), tr.className]));
    expect(rows).toEqual(answer.artifact.versions.nodes.map((v) => [v.version, `#/node/${v.artifact.id}`, v.artifact.id === made.a[1]!.id ? 'current' : '']));
    // an https URI may be followed; the page's own is a link
    expect(await page.$eval('[data-testid="node-uri"] a', (a) => a.getAttribute('href'))).toBe('https://data.example/trips/v2');
    expect(watch.operations).toEqual(['Me', 'NodePage']);
    await expectClean(x, page, watch);
    await page.close();
  });

  it('shows an execution\'s parameters, inputs and outputs as the API has them', async () => {
    const trainer = seed.executions[0].Trainer!;
    const answer = await x.t.data<{ execution: { properties: Record<string, unknown>; inputs: { type: string; artifact: Ref }[]; outputs: { type: string; artifact: Ref }[] } }>(
      'query E($id: ID!) { execution(id: $id) { properties inputs { type artifact { id name } } outputs { type artifact { id name } } } }', { id: trainer });
    const { page, watch } = await x.open(`#/node/${trainer}`);
    await waitFor(page, '[data-testid="inputs"]', watch);
    expect(await page.$eval('tr[data-property="learning_rate"] td', (e) => e.textContent)).toBe(String(answer.execution.properties.learning_rate));
    expect((await eventRows(page, 'inputs')).map((r) => r[2])).toEqual(answer.execution.inputs.map((e) => e.artifact.id));
    expect((await eventRows(page, 'outputs')).map((r) => [r[0], r[2]])).toEqual(answer.execution.outputs.map((e) => [e.type, e.artifact.id]));
    expect(watch.operations).toEqual(['Me', 'NodePage']);
    await expectClean(x, page, watch);
    await page.close();
  });

  it('asks for personal data only with a key whose role may read it', async () => {
    const viewer = await makeKey(x.store, 'viewer');
    const privacy = await makeKey(x.store, 'privacy');
    const asked: boolean[] = [];
    for (const key of [viewer, privacy]) {
      const { page, watch } = await x.open(`#/node/${model}`, { key });
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/graphql')) {
          const body = JSON.parse(r.postData() ?? '{}') as { operationName?: string; variables?: { privacy?: boolean } };
          if (body.operationName === 'NodePage') asked.push(body.variables?.privacy === true);
        }
      });
      await waitFor(page, '[data-testid="node-type"]', watch);
      const shown = await page.$('[data-testid="node-personal-data"]');
      expect(shown !== null).toBe(key === privacy);
      if (shown) expect(await shown.evaluate((e) => e.textContent)).toBe('none');
      expect(watch.operations).toEqual(['Me', 'NodePage']);
      await expectClean(x, page, watch);
      await page.close();
    }
    expect(asked).toEqual([false, true]);
  });
});
