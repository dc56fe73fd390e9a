/**
 * The impact report as Markdown for a pull-request comment (src/cli/impact/impact-markdown.ts):
 * hostile names stay text (no pipe splits a cell, no backtick opens code, no newline ends a
 * row, no HTML or link renders), the summary line and the models and contexts come first,
 * the rest folded in <details>. And the CSV rows match the explorer's export.
 */
import { describe, expect, it } from 'vitest';
import { impactCsvRecords, IMPACT_CSV_HEADER } from '../../src/cli/impact/impact-csv.js';
import { impactMarkdown, type MarkdownImpact } from '../../src/cli/impact/impact-markdown.js';
import { markdownText } from '../../src/cli/output/text-escapes.js';

const HOSTILE = 'a|b `code` <img src=x onerror=alert(1)>\nnext [link](javascript:x) _em_ @team https://evil.example &amp; \u202eevil';

/** What a renderer shows for text written by markdownText: references decoded. */
const decode = (text: string): string => text.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

const node = (id: string, name: string | null, type: string, distance: number, kind: 'ARTIFACT' | 'EXECUTION' = 'ARTIFACT') => kind === 'ARTIFACT'
  ? { id, kind, distance, artifact: { name, uri: `gs://x/${id}`, state: 'LIVE', type: { name: type } }, execution: null }
  : { id, kind, distance, artifact: null, execution: { name, lastKnownState: 'COMPLETE', type: { name: type } } };

const REPORT: MarkdownImpact = {
  start: [node('s1', 'raw', 'ExternalArtifact', 0)],
  truncated: false,
  artifactCount: 3, executionCount: 2, modelCount: 1,
  countsByType: [{ kind: 'ARTIFACT', typeName: 'Examples', typeVersion: null, baseType: 'DATASET', count: 2 }, { kind: 'ARTIFACT', typeName: 'Model', typeVersion: '1', baseType: 'MODEL', count: 1 },
    { kind: 'EXECUTION', typeName: 'Trainer', typeVersion: null, baseType: null, count: 2 }],
  models: { totalCount: 1, nodes: [node('m1', HOSTILE, 'Model', 4)] },
  artifacts: { totalCount: 3, nodes: [node('e1', 'examples', 'Examples', 2), node('m1', HOSTILE, 'Model', 4)] },
  executions: { totalCount: 2, nodes: [node('x1', null, 'Trainer', 1, 'EXECUTION'), node('x2', 'train', 'Trainer', 3, 'EXECUTION')] },
  contexts: { totalCount: 1, nodes: [{ artifactCount: 3, executionCount: 2, context: { id: 'c1', name: 'taxi|run', type: { name: 'Pipeline' } } }] },
};

describe('markdownText', () => {
  it('leaves plain names as they are', () => {
    expect(markdownText('taxi-model-1.0 v2/run=3+x, ok')).toBe('taxi-model-1.0 v2/run=3+x, ok');
    expect(markdownText('Ünïcode 名前')).toBe('Ünïcode 名前');
  });

  it('writes every markup character as a reference that displays as itself, and control characters as their visible escapes', () => {
    const written = markdownText(HOSTILE);
    expect(written.replace(/&#\d+;/g, '')).not.toMatch(/[|`<>\[\]()_@:&;#\\\n\r\u202e]/);
    expect(decode(written)).toBe(HOSTILE.replace('\n', '\\n').replace('\u202e', '\\u202e'));
    expect(markdownText('a\r\nb\tc\u0000d\u200be')).toBe('a&#92;r&#92;nb&#92;tc&#92;x00d&#92;u200be');
  });
});

describe('the impact report as Markdown', () => {
  const md = impactMarkdown(REPORT);
  const lines = md.split('\n');

  it('starts with the summary line, then the models, then the contexts, and folds the rest', () => {
    expect(lines[0]).toBe('## Impact analysis');
    expect(lines[2]).toBe('**1 model**, 3 artifacts, 2 executions and 1 context affected downstream of ExternalArtifact/raw.');
    const at = (text: string) => lines.indexOf(text);
    expect(at('#### Affected models (1)')).toBeGreaterThan(2);
    expect(at('#### Affected pipelines and runs (1)')).toBeGreaterThan(at('#### Affected models (1)'));
    expect(at('<details>')).toBeGreaterThan(at('#### Affected pipelines and runs (1)'));
    expect(lines[at('<details>') + 1]).toBe('<summary>Every affected artifact (3) and execution (2), and the counts by type</summary>');
    expect(lines[at('<details>') + 2]).toBe(''); // GitHub renders Markdown inside <details> only after a blank line
    expect(at('#### Artifacts (3)')).toBeGreaterThan(at('<details>'));
    expect(at('</details>')).toBe(lines.length - 2);
    expect(md).toContain('| execution | Trainer | — | 2 |');
    expect(md).toContain('| artifact | Model (1) | MODEL | 1 |');
    expect(md).toContain('| (unnamed x1) | Trainer | COMPLETE | 1 | x1 |');
    expect(md).not.toContain('Truncated');
    expect(md).not.toContain('Gate');
  });

  it('keeps every table row whole with hostile names: the same count of cell pipes in every row of a table, one line each', () => {
    const tableRows = lines.filter((l) => l.startsWith('|'));
    expect(tableRows.length).toBeGreaterThan(8);
    for (const row of tableRows) {
      const cells = row.split('|').length - 2;
      expect(cells === 5 || cells === 4, row).toBe(true);
    }
    const modelRow = tableRows.find((r) => r.includes('| m1 |'))!;
    const name = modelRow.split('|')[1]!.trim();
    expect(decode(name)).toBe(HOSTILE.replace('\n', '\\n').replace('\u202e', '\\u202e'));
    expect(md).not.toMatch(/<img|`|\]\(|javascript:|@team/);
    expect(md).toContain('| taxi&#124;run | Pipeline | 3 | 2 | c1 |');
  });

  it('says when lists are cut and when the walk was truncated', () => {
    const cut = impactMarkdown({ ...REPORT, truncated: true, artifacts: { totalCount: 250, nodes: REPORT.artifacts.nodes } });
    expect(cut).toContain('**Truncated:** the walk hit the server\'s hop or node limit; more may be affected.');
    expect(cut).toContain('…and 248 more not listed here (the first 2 are).');
  });

  it('gives the gate\'s verdict when the command was given flags', () => {
    expect(impactMarkdown(REPORT, [{ flag: 'Model', reached: true }, { flag: 'Pipeline/x|y', reached: false }]))
      .toContain('**Gate failed:** the change reaches Model (not Pipeline/x&#124;y).');
    expect(impactMarkdown(REPORT, [{ flag: 'Pusher', reached: false }])).toContain('**Gate passed:** the change reaches none of Pusher.');
    expect(impactMarkdown({ ...REPORT, truncated: true }, [{ flag: 'Pusher', reached: false }], true))
      .toContain('**Gate failed:** the walk was cut short by the server\'s limit, so the change may reach Pusher beyond it.');
  });

  it('says so plainly when nothing is affected', () => {
    const none = impactMarkdown({ ...REPORT, artifactCount: 0, executionCount: 0, modelCount: 0, countsByType: [],
      models: { totalCount: 0, nodes: [] }, artifacts: { totalCount: 0, nodes: [] }, executions: { totalCount: 0, nodes: [] }, contexts: { totalCount: 0, nodes: [] } });
    expect(none).toContain('**0 models**, 0 artifacts, 0 executions and 0 contexts affected downstream of ExternalArtifact/raw.');
    expect(none.split('\n').filter((l) => l === 'None.')).toHaveLength(4);
  });
});

describe('the impact report as CSV records', () => {
  it('holds the explorer export\'s rows: models, artifacts, executions, contexts, with a section column', () => {
    const records = impactCsvRecords(REPORT);
    expect(records[0]).toEqual([...IMPACT_CSV_HEADER]);
    expect(records.map((r) => r[0])).toEqual(['section', 'model', 'artifact', 'artifact', 'execution', 'execution', 'context']);
    expect(records[1]).toEqual(['model', 'ARTIFACT', 'm1', 'Model', HOSTILE, 'gs://x/m1', 'LIVE', 4, null, null]);
    expect(records[4]).toEqual(['execution', 'EXECUTION', 'x1', 'Trainer', null, null, 'COMPLETE', 1, null, null]);
    expect(records[6]).toEqual(['context', 'CONTEXT', 'c1', 'Pipeline', 'taxi|run', null, null, null, 3, 2]);
  });
});
