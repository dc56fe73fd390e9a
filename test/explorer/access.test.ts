/**
 * Access by role in Chromium. In open local mode (no key exists) the explorer talks as an
 * editor and shows no personal data. Once keys exist: a key typed into the Access form works,
 * is kept in sessionStorage only (not localStorage, not a URL, in no request but its
 * Authorization header) and is forgotten on request; a wrong key gets a clear error; a
 * viewer sees no Personal data item and `#/privacy/...` sends no personal-data operation
 * but says which role is needed; privacy and admin keys see the views.
 */
import type { HTTPRequest, Page } from 'puppeteer-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeKey } from '../security/security-harness.js';
import { backendNamed } from '../support/backends.js';
import { HAS_CHROMIUM, useExplorer, type PageWatch } from './explorer-harness.js';
import { seedTfxPipeline } from './tfx-seed.js';

/** A refused Me (401, no key or a wrong one) is reported by Chromium as a failed resource load: expected there, nothing else is. */
const UNAUTHORIZED_LOAD = /Failed to load resource: the server responded with a status of 401/;

const navLabels = (page: Page): Promise<string[]> => page.$$eval('.topbar nav a', (links) => links.map((a) => a.textContent ?? ''));
const whoText = (page: Page, text: string): Promise<unknown> =>
  page.waitForFunction((t: string) => document.querySelector('.who')?.textContent === t, { timeout: 10_000 }, text);

describe.skipIf(!HAS_CHROMIUM)('access by role in Chromium (sqlite)', () => {
  const x = useExplorer(backendNamed('sqlite')!);
  const pages: { page: Page; watch: PageWatch; allow401: boolean }[] = [];

  async function open(hash: string, options: { key?: string; allow401?: boolean } = {}): Promise<{ page: Page; watch: PageWatch }> {
    const opened = await x.open(hash, options.key === undefined ? {} : { key: options.key });
    pages.push({ ...opened, allow401: options.allow401 ?? false });
    return opened;
  }

  beforeAll(async () => { await seedTfxPipeline(x.t); }, 120_000);

  afterEach(async () => {
    for (const { page, watch, allow401 } of pages.splice(0)) {
      expect(watch.refused).toEqual([]);
      expect(watch.pageErrors).toEqual([]);
      expect(watch.consoleErrors.filter((m) => !(allow401 && UNAUTHORIZED_LOAD.test(m)))).toEqual([]);
      expect(await x.cspViolations(page)).toEqual([]);
      await page.close();
    }
  });

  it('open local mode (no key exists): an editor, with no Personal data view', async () => {
    const { page, watch } = await open('#/privacy/subject');
    await whoText(page, 'open local mode: editor');
    expect(await navLabels(page)).not.toContain('Personal data');
    const needs = await page.waitForSelector('.needs-role');
    expect(await needs!.evaluate((e) => e.textContent)).toMatch(/privacy.*admin.*editor/s);
    expect(await page.$('#subject-id')).toBeNull();
    expect(watch.operations).toEqual(['Me']);
  });

  describe('with API keys', () => {
    const keys: Record<'viewer' | 'privacy' | 'admin', string> = { viewer: '', privacy: '', admin: '' };
    beforeAll(async () => {
      for (const role of ['viewer', 'privacy', 'admin'] as const) keys[role] = await makeKey(x.store, role);
    });

    it('takes a key typed into the Access form, keeps it in sessionStorage only, sends it only as Authorization, and forgets it', async () => {
      const { page, watch } = await open('#/access', { allow401: true });
      const sent: { url: string; body: string; headers: Record<string, string> }[] = [];
      page.on('request', (r: HTTPRequest) => sent.push({ url: r.url(), body: r.postData() ?? '', headers: r.headers() }));
      // No key yet and the server now needs one: the page says so.
      const refusal = await page.waitForSelector('.access-view .error');
      expect(await refusal!.evaluate((e) => e.textContent)).toMatch(/API key is required/);
      await whoText(page, 'not signed in');

      await page.type('#api-key', keys.privacy);
      await page.click('.key-form button[type="submit"]');
      await whoText(page, 'key: privacy');
      expect(await page.$eval('[data-testid="caller-role"]', (e) => e.textContent)).toBe('privacy');
      expect(await navLabels(page)).toContain('Personal data');
      // The field is emptied; the key is in sessionStorage and nowhere else the page can keep it.
      expect(await page.$eval('#api-key', (e) => (e as HTMLInputElement).value)).toBe('');
      const kept = await page.evaluate(() => ({
        session: window.sessionStorage.getItem('data-journey.api-key'), local: JSON.stringify({ ...window.localStorage }), cookie: document.cookie,
      }));
      expect(kept).toEqual({ session: keys.privacy, local: '{}', cookie: '' });
      await x.screenshot(page, 'access');

      // The key works for the personal-data views: through the nav, the inventory loads.
      await page.click('.topbar nav a[href="#/privacy"]');
      await page.waitForSelector('.privacy-view[data-allowed="true"]');
      await page.click('.privacy-tabs a[href="#/privacy/inventory"]');
      await page.waitForSelector('[data-testid="inventory-table"]');
      expect(watch.operations).toEqual(['Me', 'Me', 'PersonalDataInventory']);

      const withKey = sent.filter((s) => s.headers.authorization === `Bearer ${keys.privacy}`);
      expect(withKey.map((s) => new URL(s.url).pathname)).toEqual(['/graphql', '/graphql']);
      const leaks = sent.filter((s) => s.url.includes(keys.privacy) || s.body.includes(keys.privacy)
        || Object.entries(s.headers).some(([name, value]) => name !== 'authorization' && value.includes(keys.privacy)));
      expect(leaks).toEqual([]);
      expect(page.url()).not.toContain(keys.privacy);

      // Forget the key: gone from the session, and the server is asked again without it.
      await page.goto(`${x.t.origin}/#/access`);
      await whoText(page, 'key: privacy');
      await page.click('.key-form button[type="button"]');
      await whoText(page, 'not signed in');
      expect(await page.evaluate(() => window.sessionStorage.getItem('data-journey.api-key'))).toBeNull();
      expect(await navLabels(page)).not.toContain('Personal data');
    });

    it('says clearly that a wrong key is not valid', async () => {
      const { page } = await open('#/access', { allow401: true });
      await page.waitForSelector('#api-key');
      await page.type('#api-key', 'djk_not-a-real-key-0000');
      await page.click('.key-form button[type="submit"]');
      await page.waitForFunction(() => document.querySelector('.access-view .error')?.textContent?.includes('not valid') ?? false, { timeout: 10_000 });
      expect(await page.$eval('.access-view .error', (e) => [e.getAttribute('role'), e.textContent])).toEqual(['alert', 'the API key is not valid: it is unknown, expired or revoked']);
      expect(await page.$eval('.who', (e) => e.textContent)).toBe('not signed in');
      // A refused key can be forgotten from the same form.
      expect(await page.$('.key-form button[type="button"]')).not.toBeNull();
    });

    it('shows a viewer no Personal data, and #/privacy sends no personal-data query but names the roles needed', async () => {
      for (const hash of ['#/privacy/subject', '#/privacy/erasure', '#/privacy/audit']) {
        const { page, watch } = await open(hash, { key: keys.viewer });
        await whoText(page, 'key: viewer');
        expect(await navLabels(page)).not.toContain('Personal data');
        const needs = await page.waitForSelector('.needs-role');
        expect(await needs!.evaluate((e) => e.textContent)).toMatch(/need the privacy or admin role; this key has viewer/);
        expect(watch.operations).toEqual(['Me']);
      }
    });

    it('shows the privacy and admin roles the personal-data views', async () => {
      for (const role of ['privacy', 'admin'] as const) {
        const { page, watch } = await open('#/privacy/erasure', { key: keys[role] });
        await whoText(page, `key: ${role}`);
        expect(await navLabels(page)).toContain('Personal data');
        await page.waitForSelector('[data-testid="erasure-table"]');
        expect(await page.$$eval('.privacy-tabs a', (a) => a.map((e) => e.textContent))).toEqual(['Data subject', 'Inventory', 'Erasure', 'Audit log']);
        expect(watch.operations).toEqual(['Me', 'ErasureRequests']);
      }
    });
  });
});
