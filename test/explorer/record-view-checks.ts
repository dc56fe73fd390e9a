/**
 * What the record views' browser tests (find, node, impact, compare, browse, hostile names)
 * share: waiting for a selector with the page's own error as the failure message, and the
 * checks every page passes (nothing refused, no script or console error, no CSP violation).
 */
import type { Page } from 'puppeteer-core';
import { expect } from 'vitest';
import type { ExplorerHarness, PageWatch } from './explorer-harness.js';

/** Waits for `selector`; on a timeout, fails with what the page shows in its error box and what it logged. */
export async function waitFor(page: Page, selector: string, watch: PageWatch, timeout = 15_000): Promise<void> {
  try {
    await page.waitForSelector(selector, { timeout });
  } catch {
    const shown = await page.evaluate(() => [...document.querySelectorAll('.error, .warning')].map((e) => e.textContent).join(' | '));
    throw new Error(`no ${selector} on ${page.url()}: page says "${shown}"; operations ${watch.operations.join(',')}; errors ${[...watch.pageErrors, ...watch.consoleErrors].join(' | ')}`);
  }
}

export async function expectClean(x: ExplorerHarness, page: Page, watch: PageWatch): Promise<void> {
  expect(watch.refused).toEqual([]);
  expect(watch.pageErrors).toEqual([]);
  expect(watch.consoleErrors).toEqual([]);
  expect(await x.cspViolations(page)).toEqual([]);
}

/** A strict RFC 4180 reader (CRLF-ended records, doubled quotes), to read back an exported CSV. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; } else if (c === '"') { quoted = false; i += 1; } else { field += c; i += 1; }
      continue;
    }
    if (c === '"' && field === '') { quoted = true; i += 1; continue; }
    if (c === '"') throw new Error(`a bare quote at ${i}`);
    if (c === ',') { record.push(field); field = ''; i += 1; continue; }
    if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i += 2; continue; }
    if (c === '\r' || c === '\n') throw new Error(`a bare line break at ${i}`);
    field += c;
    i += 1;
  }
  if (field !== '' || record.length > 0) throw new Error('the last record is not ended by CRLF');
  return records;
}
