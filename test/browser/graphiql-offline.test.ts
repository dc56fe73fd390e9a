/**
 * GraphiQL works without the internet: headless Chromium loads /graphql of a real server
 * while every request to another origin is refused, and the query editor appears with the
 * example query in it. Chromium comes from the system (Debian's `chromium`); outside CI a
 * machine without it skips this file with one loud line, in CI it fails.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { startTestServer, type TestServer } from '../api/harness.js';
import { toolAvailable } from '../support/requirements.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAS_CHROMIUM = toolAvailable(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}`, 'the GraphiQL browser test (apt-get install chromium)');

// Flags that keep Chromium itself off the network: no component updates, sync, QUIC or first-run fetches.
const OFFLINE_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

describe.skipIf(!HAS_CHROMIUM)('GraphiQL with no network', () => {
  let t: TestServer;
  let browser: Browser;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'journey-chromium-'));

  beforeAll(async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    await store.init();
    t = await startTestServer(createMetadataService(store), { security: { graphiql: true } });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM, headless: true, args: [...OFFLINE_FLAGS, `--user-data-dir=${profile}`],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('renders the query editor with the example query, asking nothing of any other origin', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = new URL(request.url());
      // data: and blob: URLs are made in the page itself (the editor's workers); nothing leaves the machine.
      if (url.origin === t.origin || url.protocol === 'data:' || url.protocol === 'blob:') {
        void request.continue();
      } else {
        refused.push(request.url());
        void request.abort('internetdisconnected');
      }
    });

    const response = await page.goto(t.url, { waitUntil: 'domcontentloaded' });
    expect(response?.status()).toBe(200);
    const editor = await page.waitForSelector('.graphiql-query-editor .view-lines', { timeout: 20_000 }).catch(() => null);
    const text = editor ? await editor.evaluate((node) => (node as HTMLElement).innerText) : await page.evaluate(() => document.body.innerText);
    expect({ editor: editor !== null, refused }).toEqual({ editor: true, refused: [] });
    expect(text.replace(/\s+/g, ' ')).toContain('query RecentArtifacts {');
    await page.close();
  }, 60_000);
});
