/**
 * DOT and Mermaid renderings of lineage answers: shapes per kind, labels of type and
 * name, and escaping of names that carry quotes, newlines, brackets and arrows.
 */
import { describe, expect, it } from 'vitest';
import { dotText, mermaidText, renderDot, renderMermaid } from '../../src/service/lineage/lineage-render.js';
import { BACKENDS, useService } from '../support/backends.js';
import { lineageOf, putLineageTypes } from './lineage-fixtures.js';

/** A name built to break naive quoting in both languages. */
const NASTY = 'he said "hi"\nthen [left] --> {right}; <b>#1</b> `x` back\\slash';

describe('label escaping', () => {
  it('escapes DOT strings: backslash, quote, line breaks, other control characters', () => {
    expect(dotText(NASTY)).toBe('he said \\"hi\\"\\nthen [left] --> {right}; <b>#1</b> `x` back\\\\slash');
    expect(dotText('a\tb\r\nc\rd\u0000e')).toBe('a b\\nc\\nd e');
  });

  it('turns every Mermaid-significant character into an entity code', () => {
    expect(mermaidText(NASTY)).toBe(
      'he said #34;hi#34;<br/>then #91;left#93; --#62; #123;right#125;#59; #60;b#62;#35;1#60;/b#62; #96;x#96; back#92;slash',
    );
    expect(mermaidText('run|1 -.-> ([end])')).toBe('run#124;1 -.-#62; #40;#91;end#93;#41;');
    expect(mermaidText('ключ 🚀\tx')).toBe('ключ #128640;#9;x');
  });
});

describe.each(BACKENDS)('lineage rendering on $name', (backend) => {
  const t = useService(backend);

  /**
   *   d (named NASTY) -> x (named "run|1 -.-> ([end])") -DECLARED_OUTPUT-> m (unnamed)
   */
  async function nasty() {
    await putLineageTypes(t.api);
    const [d] = await t.api.putArtifacts([{ type: 'Dataset', name: NASTY }]);
    const [x] = await t.api.putExecutions([{ type: 'Trainer', name: 'run|1 -.-> ([end])' }]);
    const [m] = await t.api.putArtifacts([{ type: 'Model' }], { reuseByName: false });
    await t.api.putEvents([
      { artifactId: d!.id, executionId: x!.id, type: 'INPUT' },
      { artifactId: m!.id, executionId: x!.id, type: 'DECLARED_OUTPUT' },
    ]);
    const graph = await lineageOf(t.store).lineage({ start: [d!.id], direction: 'DOWNSTREAM', eventTypes: ['INPUT', 'DECLARED_OUTPUT'] });
    return { graph, m: m!.id };
  }

  it('renders DOT with boxes for artifacts, ellipses for executions, and escaped labels', async () => {
    const { graph, m } = await nasty();
    expect(renderDot(graph)).toBe([
      'digraph lineage {',
      '  rankdir=LR;',
      '  n1 [shape=box, label="Dataset\\nhe said \\"hi\\"\\nthen [left] --> {right}; <b>#1</b> `x` back\\\\slash", penwidth=2];',
      '  n2 [shape=ellipse, label="Trainer\\nrun|1 -.-> ([end])"];',
      `  n3 [shape=box, label="Model\\n${m}"];`,
      '  n1 -> n2;',
      '  n2 -> n3 [style=dashed, label="DECLARED_OUTPUT"];',
      '}',
      '',
    ].join('\n'));
  });

  it('renders a Mermaid flowchart with safe ids, entity-escaped labels and the start marked', async () => {
    const { graph, m } = await nasty();
    expect(renderMermaid(graph)).toBe([
      'flowchart LR',
      '  n1["Dataset<br/>he said #34;hi#34;<br/>then #91;left#93; --#62; #123;right#125;#59; #60;b#62;#35;1#60;/b#62; #96;x#96; back#92;slash"]',
      '  n2(["Trainer<br/>run#124;1 -.-#62; #40;#91;end#93;#41;"])',
      `  n3["Model<br/>${m}"]`,
      '  n1 --> n2',
      '  n2 -.->|DECLARED_OUTPUT| n3',
      '  classDef start stroke-width:3px',
      '  class n1 start',
      '',
    ].join('\n'));
  });

  it('escapes type names too, and renders an empty graph', async () => {
    await putLineageTypes(t.api);
    await t.api.putType('ARTIFACT_TYPE', { name: 'Odd "type" -->', version: 'v[2]' });
    const [odd] = await t.api.putArtifacts([{ type: 'Odd "type" -->', typeVersion: 'v[2]', name: 'o' }]);
    const graph = await lineageOf(t.store).lineage({ start: [odd!.id] });
    expect(renderDot(graph)).toContain('n1 [shape=box, label="Odd \\"type\\" --> v[2]\\no", penwidth=2];');
    expect(renderMermaid(graph)).toContain('n1["Odd #34;type#34; --#62; v#91;2#93;<br/>o"]');
    const empty = await lineageOf(t.store).lineage({ start: [odd!.id], asOf: 0 });
    expect(renderDot(empty)).toBe('digraph lineage {\n  rankdir=LR;\n}\n');
    expect(renderMermaid(empty)).toBe('flowchart LR\n');
  });
});
