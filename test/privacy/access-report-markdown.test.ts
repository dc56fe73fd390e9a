/**
 * The Markdown access report is read by people, often in a renderer that turns links and
 * HTML into live elements. Every value written into it comes from callers (names, types,
 * URIs, categories), so a hostile name must come out as text: no link, no image, no tag,
 * no broken table, and the value still readable once the escapes are undone.
 */
import { describe, expect, it } from 'vitest';
import { renderAccessReport, type AccessReport } from '../../src/service/privacy/access-report.js';
import { BACKENDS, useService } from '../support/backends.js';
import { personalDataService, step } from './fixtures.js';

const HOSTILE = [
  '[x](javascript:alert(1))',
  '<img src=x onerror=alert(1)>',
  '![pixel](https://evil.example/p.png)',
  '<script>alert(1)</script>',
  '`code` **bold** _em_ ~~gone~~ # heading',
  'a | b \\| c\nnew line',
  '&lt;img&gt; already-entity',
  '<https://evil.example>',
];

function reportNaming(value: string): AccessReport {
  const artifact = {
    id: 'a1', name: value, type: value, uri: value, distance: 0, categories: [value], specialCategories: [], pseudonymized: false,
  };
  return {
    generatedAt: '2026-01-01T00:00:00.000Z', found: true, categories: [value], specialCategories: [],
    artifacts: [artifact], models: [{ ...artifact, id: 'm1' }],
    processing: [{ id: 'c1', name: value, type: value }], executions: [{ id: 'x1', name: value, type: value }], truncated: false,
  };
}

/** Undoes the report's escapes: what a reader sees once the Markdown is rendered. */
const unescape = (text: string): string =>
  text.replace(/\\([\\`*_{}[\]()#+\-.!|~<>"'&:])/g, '$1')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('the Markdown access report escapes every value written into it', () => {
  it.each(HOSTILE)('%s comes out as text, not as Markdown or HTML', (value) => {
    const markdown = renderAccessReport(reportNaming(value), 'MARKDOWN');
    const lines = markdown.split('\n');
    // No live HTML: no tag opens anywhere in the report.
    expect(markdown).not.toMatch(/<[a-z!/]/i);
    // No link or image: every bracket and parenthesis from a value is escaped.
    expect(markdown).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
    expect(markdown).not.toMatch(/(?<!\\)!\[/);
    // No emphasis, code span or strike from a value.
    for (const line of lines.filter((l) => l.startsWith('| a1') || l.startsWith('| x1'))) {
      expect(line).not.toMatch(/(?<!\\)[`*_~]/);
      // The table keeps its shape: 8 columns for artifacts, 3 for executions, so 9 or 4 unescaped pipes.
      expect(line.match(/(?<!\\)\|/g)?.length).toBe(line.startsWith('| a1') ? 9 : 4);
    }
    // The value is still there for the reader once the escapes are undone (line breaks flattened).
    const flat = value.replace(/[\r\n]+/g, ' ');
    const row = lines.find((l) => l.startsWith('| x1'))!;
    expect(unescape(row.split(/(?<!\\)\|/)[2]!.trim())).toBe(flat);
    expect(unescape(lines.find((l) => l.startsWith('- Categories: '))!.slice('- Categories: '.length))).toBe(flat);
  });
});

describe.each(BACKENDS)('the Markdown access report of hostile names stored on $name', (backend) => {
  const h = useService(backend);

  it('shows names, types, URIs and categories as text', async () => {
    await h.api.putType('ARTIFACT_TYPE', { name: '<img src=x onerror=alert(1)>', baseType: 'DATASET' });
    await h.api.putType('EXECUTION_TYPE', { name: 'Step' });
    const [raw, out] = await h.api.putArtifacts([
      { type: '<img src=x onerror=alert(1)>', name: '[x](javascript:alert(1))', uri: 'javascript:alert(1)', personalData: { categories: ['<script>alert(1)</script>'] } },
      { type: '<img src=x onerror=alert(1)>', name: '![pixel](https://evil.example/p.png)' },
    ]);
    await step(h.api, '**step** `x`', [raw!.id], [out!.id]);
    const privacy = personalDataService(h.store);
    await privacy.registerDataSubjects(raw!.id, ['alice'], 'test');
    const markdown = await privacy.accessReport('alice', 'MARKDOWN', 'test');
    expect(markdown).toContain('\\[x\\]\\(javascript:alert\\(1\\)\\)');
    expect(markdown).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(markdown).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt;');
    expect(markdown).not.toMatch(/<[a-z!/]/i);
    expect(markdown).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
    expect(markdown).not.toMatch(/(?<!\\)[`*]/);
  });
});
