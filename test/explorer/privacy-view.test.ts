/**
 * The personal-data views in Chromium, with a privacy key, over the TFX pipeline carrying
 * personal data: the raw span declares contact, location and health data and holds a
 * subject's records; run 1's Transform pseudonymises; run 2's StatisticsGen anonymises.
 * Each view is compared with the GraphQL answer to the same question: the subject's graph
 * (nodes, sources, badges, models first), the inventory, the audit log, and an erasure
 * request made in the page with an item's status changed there. The subject identifier
 * must appear in no URL, storage, console message or server log line; each view sends one
 * request; nothing is refused, violates the CSP or throws.
 */
import type { Page } from 'puppeteer-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeKey } from '../security/security-harness.js';
import { backendNamed } from '../support/backends.js';
import { drawnGraph, HAS_CHROMIUM, useExplorer, type PageWatch } from './explorer-harness.js';
import { HOSTILE_NAME, seedTfxPipeline, type TfxSeed } from './tfx-seed.js';

const SUBJECT = 'PRIVCANARY-rider-4711@example.org';
/** Pieces of it too: a copy cut short is still a leak. */
const NEEDLES = [SUBJECT, 'PRIVCANARY', 'rider-4711'];

interface Affected { distance: number; categories: string[]; specialCategories: string[]; pseudonymized: boolean; artifact: { id: string } }
interface Report {
  found: boolean;
  sources: { id: string }[];
  affected: Affected[];
  models: { artifact: { id: string } }[];
  executions: { id: string }[];
  anonymizedBoundary: { id: string }[];
}

const REPORT = `query R($s: String!) { dataSubjectLineage(subjectId: $s) {
  found sources { id } models { artifact { id } } executions { id } anonymizedBoundary { id }
  affected { distance categories specialCategories pseudonymized artifact { id } }
} }`;

/** The badge the page should draw for an affected artifact, from the API's words. */
const badgeOf = (a: Affected): string => {
  const held = [...a.categories, ...a.specialCategories.map((s) => s.toLowerCase().replace(/_/g, ' '))].join(', ');
  return a.pseudonymized ? `pseudonymised: ${held}` : held;
};

describe.skipIf(!HAS_CHROMIUM)('the personal-data views in Chromium (sqlite)', () => {
  const x = useExplorer(backendNamed('sqlite')!);
  let seed: TfxSeed;
  let admin: Record<string, string>;
  let privacyKey: string;
  const pages: { page: Page; watch: PageWatch; urls: string[]; console: string[] }[] = [];

  /** An admin's answer (the page's own key is the privacy role's). */
  async function api<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await x.t.gql<T>(query, variables, admin);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data as T;
  }

  /** Opens `hash` with the privacy key, recording every URL the page asks for or shows and every console message. */
  async function open(hash: string): Promise<{ page: Page; watch: PageWatch; urls: string[]; console: string[] }> {
    const opened = await x.open(hash, { key: privacyKey });
    const urls: string[] = [opened.page.url()];
    const console: string[] = [];
    opened.page.on('request', (r) => urls.push(r.url()));
    opened.page.on('framenavigated', (f) => urls.push(f.url()));
    opened.page.on('console', (m) => console.push(m.text()));
    const entry = { ...opened, urls, console };
    pages.push(entry);
    return entry;
  }

  beforeAll(async () => {
    admin = bearer(await makeKey(x.store, 'admin'));
    privacyKey = await makeKey(x.store, 'privacy');
    seed = await seedTfxPipeline(x.t, admin);
    await api(`mutation Declare($raw: ID!, $t: ID!, $s: ID!) {
      putArtifacts(artifacts: [{ id: $raw, type: "ExternalArtifact", name: "raw-span-1", uri: "gs://taxi/raw/span-1",
        personalData: { categories: ["contact", "location"], specialCategories: [HEALTH] } }]) { id }
      p: putExecutions(executions: [{ id: $t, type: "Transform", name: "Transform-1", lastKnownState: COMPLETE, privacy: { transform: PSEUDONYMIZE } }]) { id }
      a: putExecutions(executions: [{ id: $s, type: "StatisticsGen", name: "StatisticsGen-2", lastKnownState: COMPLETE, privacy: { transform: ANONYMIZE } }]) { id }
    }`, { raw: seed.raw, t: seed.executions[0].Transform, s: seed.executions[1].StatisticsGen });
    await api('mutation Reg($a: ID!, $s: [String!]!) { registerDataSubjects(artifactId: $a, subjectIds: $s) }',
      { a: seed.raw, s: [SUBJECT, 'another-rider@example.org'] });
  }, 120_000);

  afterEach(async () => {
    for (const { page, watch } of pages.splice(0)) {
      expect(watch.refused).toEqual([]);
      expect(watch.pageErrors).toEqual([]);
      expect(watch.consoleErrors).toEqual([]);
      expect(await x.cspViolations(page)).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null)).toBeNull();
      await page.close();
    }
  });

  /** Everything of `p` the identifier must never reach: URLs, both storages, console messages, and the server's log. */
  async function leaks(p: { page: Page; urls: string[]; console: string[] }): Promise<string[]> {
    const storage = await p.page.evaluate(() => JSON.stringify([{ ...window.sessionStorage }, { ...window.localStorage }, window.location.href, document.cookie]));
    const places = [...p.urls, p.page.url(), storage, ...p.console, x.t.logs.text()].join('\n');
    return NEEDLES.filter((n) => places.includes(n));
  }

  it('traces a subject: draws the nodes, sources, badges and boundary the API reports, models first, and offers the access report', async () => {
    const p = await open('#/privacy/subject');
    await p.page.waitForSelector('#subject-id');
    // The form's field carries no name and asks the browser not to remember it.
    expect(await p.page.$eval('#subject-id', (e) => [e.getAttribute('autocomplete'), e.getAttribute('name')])).toEqual(['off', null]);
    await p.page.type('#subject-id', SUBJECT);
    await p.page.click('.subject-form button[type="submit"]');
    const drawn = await drawnGraph(p.page);
    const { dataSubjectLineage: report } = await api<{ dataSubjectLineage: Report }>(REPORT, { s: SUBJECT });
    expect(report.found).toBe(true);
    const expected = [...report.affected.map((a) => a.artifact.id), ...report.executions.map((e) => e.id), ...report.anonymizedBoundary.map((b) => b.id)];
    expect(drawn.nodes).toEqual([...new Set(expected)].sort());
    expect(report.anonymizedBoundary.map((b) => b.id)).toEqual([seed.artifacts[1].statistics]);

    const shown = await p.page.$$eval('.gnode', (nodes) => nodes.map((n) => ({
      id: n.getAttribute('data-node-id'),
      highlighted: n.getAttribute('data-highlighted') === 'true',
      badge: n.querySelector('.gnode-badge')?.textContent ?? null,
    })));
    const byId = new Map(shown.map((n) => [n.id, n]));
    for (const a of report.affected) {
      expect(byId.get(a.artifact.id), a.artifact.id).toEqual({ id: a.artifact.id, highlighted: report.sources.some((s) => s.id === a.artifact.id), badge: badgeOf(a) });
    }
    for (const b of report.anonymizedBoundary) expect(byId.get(b.id)?.badge).toMatch(/^anonymised boundary/);
    // Both kinds of boundary are in the answer, so both are drawn: pseudonymised data and clear data.
    expect(report.affected.some((a) => a.pseudonymized)).toBe(true);
    expect(report.affected.some((a) => !a.pseudonymized)).toBe(true);
    expect(shown.filter((n) => n.highlighted).map((n) => n.id)).toEqual(report.sources.map((s) => s.id));

    // Affected models come first, in the API's order.
    const modelRows = await p.page.$$eval('[data-testid="models-table"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-node-id')));
    expect(modelRows).toEqual(report.models.map((m) => m.artifact.id));
    expect(modelRows.length).toBeGreaterThan(0);
    const affectedRows = await p.page.$$eval('[data-testid="affected-table"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-node-id')));
    expect(affectedRows).toEqual(report.affected.map((a) => a.artifact.id));
    await x.screenshot(p.page, 'privacy-subject');

    // The access report, prepared in the page and offered as a blob: URL whose file name does not carry the identifier.
    await p.page.click('.access-report button');
    const link = await p.page.waitForSelector('.access-report a.download');
    const offered = await link!.evaluate((a) => ({ href: a.getAttribute('href') ?? '', download: a.getAttribute('download'), bytes: Number(a.getAttribute('data-bytes')) }));
    expect(offered.href.startsWith('blob:')).toBe(true);
    expect(offered.download).toBe('access-report.json');
    const { accessReport } = await api<{ accessReport: string }>('query A($s: String!) { accessReport(subjectId: $s) }', { s: SUBJECT });
    // The same report but for its generation time, which is as long in both.
    expect(offered.bytes).toBe(Buffer.byteLength(accessReport, 'utf8'));

    expect(p.watch.operations).toEqual(['Me', 'DataSubjectLineage', 'AccessReport']);
    expect(await leaks(p)).toEqual([]);
    // The page asked for the subject: the identifier did reach the server (as a POST variable), so the log scan is not vacuous.
    const audit = await api<{ auditLog: { nodes: { operation: string; caller: string }[] } }>('{ auditLog(first: 1000) { nodes { operation caller } } }');
    expect(audit.auditLog.nodes.filter((e) => e.operation === 'dataSubjectLineage').length).toBeGreaterThanOrEqual(2);
  });

  it('says plainly when no artifact holds the subject', async () => {
    const p = await open('#/privacy/subject');
    await p.page.waitForSelector('#subject-id');
    await p.page.type('#subject-id', 'nobody-registered@example.org');
    await p.page.click('.subject-form button[type="submit"]');
    await p.page.waitForSelector('.subject-not-found');
    expect(await p.page.$('.graph-canvas')).toBeNull();
    expect(p.watch.operations).toEqual(['Me', 'DataSubjectLineage']);
  });

  it('lists the inventory the API lists, with its filters in the URL', async () => {
    type Inv = { personalDataInventory: { totalCount: number; nodes: { id: string }[] } };
    const all = await api<Inv>('{ personalDataInventory(first: 50) { totalCount nodes { id } } }');
    const health = await api<Inv>('{ personalDataInventory(specialCategory: HEALTH, first: 50) { totalCount nodes { id } } }');
    const location = await api<Inv>('{ personalDataInventory(category: "location", first: 50) { totalCount nodes { id } } }');
    const rows = async (page: Page): Promise<{ ids: (string | null)[]; total: string | null }> => {
      await page.waitForSelector('[data-testid="inventory-table"]');
      return {
        ids: await page.$$eval('[data-testid="inventory-table"] tbody tr', (r) => r.map((e) => e.getAttribute('data-node-id'))),
        total: await page.$eval('.inventory-count', (e) => e.getAttribute('data-total')),
      };
    };
    const p = await open('#/privacy/inventory');
    expect(await rows(p.page)).toEqual({ ids: all.personalDataInventory.nodes.map((n) => n.id), total: String(all.personalDataInventory.totalCount) });
    // The hostile name holds data derived from the raw span: rendered as text, never as markup.
    expect(all.personalDataInventory.nodes.map((n) => n.id)).toContain(seed.hostile);
    expect(await p.page.$eval(`tr[data-node-id="${seed.hostile}"] td a`, (a) => a.textContent)).toBe(HOSTILE_NAME);
    expect(p.watch.operations).toEqual(['Me', 'PersonalDataInventory']);

    const h = await open('#/privacy/inventory?special=HEALTH');
    expect((await rows(h.page)).ids).toEqual(health.personalDataInventory.nodes.map((n) => n.id));
    await h.page.type('#inventory-category', 'location');
    await h.page.click('.privacy-inventory form button[type="submit"]');
    await h.page.waitForFunction(() => window.location.hash.includes('category=location'));
    await h.page.waitForFunction((n: number) => document.querySelector('.inventory-count')?.getAttribute('data-total') === String(n), {},
      location.personalDataInventory.totalCount);
    // Both filters apply together: the location rows that also hold health data.
    const both = await api<Inv>('{ personalDataInventory(category: "location", specialCategory: HEALTH, first: 50) { totalCount nodes { id } } }');
    expect((await rows(h.page)).ids).toEqual(both.personalDataInventory.nodes.map((n) => n.id));
    expect(h.watch.operations).toEqual(['Me', 'PersonalDataInventory', 'PersonalDataInventory']);
  });

  it('shows the audit log as the API has it (its own reading appended last)', async () => {
    type Log = { auditLog: { nodes: { id: string; operation: string; caller: string; resultCount: number }[] } };
    const before = await api<Log>('{ auditLog(first: 1000) { nodes { id operation caller resultCount } } }');
    // 500 entries a page keeps the query under the server's cost limit; the log holds far fewer.
    const p = await open('#/privacy/audit?first=500');
    await p.page.waitForSelector('[data-testid="audit-table"] tbody tr');
    const shown = await p.page.$$eval('[data-testid="audit-table"] tbody tr', (rows) => rows.map((r) => ({
      id: r.getAttribute('data-entry-id'), operation: r.children[2]?.textContent, resultCount: Number(r.children[5]?.textContent),
    })));
    const after = await api<Log>('{ auditLog(first: 1000) { nodes { id operation caller resultCount } } }');
    // The page read the log after the admin's first reading was recorded and before its own was.
    expect(shown).toEqual(after.auditLog.nodes.slice(0, before.auditLog.nodes.length + 1).map(({ id, operation, resultCount }) => ({ id, operation, resultCount })));
    expect(shown.at(-1)?.operation).toBe('auditLog');
    expect(p.watch.operations).toEqual(['Me', 'AuditLog']);
  });

  it('makes an erasure request in the page, lists it with its progress, and records an item status change', async () => {
    const p = await open('#/privacy/erasure');
    await p.page.waitForSelector('[data-testid="erasure-table"]');
    await p.page.type('#erasure-subject', SUBJECT);
    await p.page.type('#erasure-reason', 'ticket 4711-A');
    await p.page.click('.erasure-form button[type="submit"]');
    const notice = await p.page.waitForSelector('.erasure-form .notice a');
    const requestHref = await notice!.evaluate((a) => a.getAttribute('href') ?? '');
    const requestId = decodeURIComponent(requestHref.replace('#/privacy/erasure/', ''));
    // The field is emptied once the request is made: the identifier is not kept for another.
    expect(await p.page.$eval('#erasure-subject', (e) => (e as HTMLInputElement).value)).toBe('');

    type Req = { erasureRequest: { id: string; items: { status: string; artifact: { id: string } }[]; progress: { total: number; pending: number } } };
    const REQ = 'query Q($id: ID!) { erasureRequest(id: $id) { id items { status artifact { id } } progress { total pending } } }';
    const made = await api<Req>(REQ, { id: requestId });
    const top = await p.page.$eval('[data-testid="erasure-table"] tbody tr', (r) => ({
      id: r.getAttribute('data-request-id'), total: r.querySelector('.erasure-progress')?.getAttribute('data-total'),
      pending: r.querySelector('.erasure-progress')?.getAttribute('data-pending'),
    }));
    expect(top).toEqual({ id: requestId, total: String(made.erasureRequest.progress.total), pending: String(made.erasureRequest.progress.total) });
    expect(made.erasureRequest.progress.total).toBeGreaterThan(1);
    expect(p.watch.operations).toEqual(['Me', 'ErasureRequests', 'RequestErasure']);
    expect(await leaks(p)).toEqual([]);

    // The request's page: its items in the API's order, each with its status; then one changed in the page.
    const r = await open(`#/privacy/erasure/${encodeURIComponent(requestId)}`);
    await r.page.waitForSelector('[data-testid="erasure-items"] tbody tr');
    const items = await r.page.$$eval('[data-testid="erasure-items"] tbody tr', (rows) => rows.map((e) => [e.getAttribute('data-artifact-id'), e.getAttribute('data-status')]));
    expect(items).toEqual(made.erasureRequest.items.map((i) => [i.artifact.id, i.status]));
    const target = made.erasureRequest.items[0]!.artifact.id;
    const row = `[data-testid="erasure-items"] tr[data-artifact-id="${target}"]`;
    await r.page.select(`${row} select`, 'EXEMPT');
    await r.page.type(`${row} input`, 'Art. 17(3)(b): legal obligation');
    await r.page.click(`${row} button[type="submit"]`);
    await r.page.waitForSelector(`${row}[data-status="EXEMPT"]`);
    const changed = await api<Req>(REQ, { id: requestId });
    expect(changed.erasureRequest.items[0]!.status).toBe('EXEMPT');
    expect(await r.page.$eval('.erasure-request .erasure-progress', (e) => e.getAttribute('data-pending')))
      .toBe(String(changed.erasureRequest.progress.pending));
    expect(changed.erasureRequest.progress.pending).toBe(made.erasureRequest.progress.total - 1);
    await x.screenshot(r.page, 'privacy-erasure');
    expect(r.watch.operations).toEqual(['Me', 'ErasureRequest', 'UpdateErasureItem']);

    // The list shows the new progress when opened again.
    const l = await open('#/privacy/erasure');
    await l.page.waitForSelector(`[data-testid="erasure-table"] tr[data-request-id="${requestId}"]`);
    expect(await l.page.$eval(`tr[data-request-id="${requestId}"] .erasure-progress`, (e) => e.getAttribute('data-pending')))
      .toBe(String(changed.erasureRequest.progress.pending));
    expect(l.watch.operations).toEqual(['Me', 'ErasureRequests']);
    expect(await leaks(r)).toEqual([]);
  });
});
