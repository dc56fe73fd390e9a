// @vitest-environment jsdom
/**
 * The SVG export (web/src/graph/svg-export.ts): a layout with hostile names serialises to
 * well-formed XML whose elements are only the builder's own (no element, attribute or
 * script made from a name), with each name present as text.
 */
import { describe, expect, it } from 'vitest';
import type { Layout } from '../src/graph/graph-model';
import { buildSvg, svgText } from '../src/graph/svg-export';

const HOSTILE = [
  '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>',
  ']]><svg onload=alert(1)>&amp;&lt;',
  '"\'><foreignObject><body onload=alert(1)>',
];

function layoutOf(names: string[]): Layout {
  const nodes = names.map((label, i) => ({
    id: `n${i}`, kind: (i % 2 ? 'EXECUTION' : 'ARTIFACT') as 'ARTIFACT' | 'EXECUTION', label, typeName: label,
    badge: label, x: i * 270, y: 0, width: 200, height: 56, start: i === 0, highlighted: i === 1,
  }));
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: `n${i}`, target: n.id, highlighted: i === 0 }));
  return { nodes, edges, width: names.length * 270, height: 56 };
}

const ALLOWED = new Set(['svg', 'defs', 'marker', 'path', 'rect', 'g', 'title', 'text']);

describe('the SVG export', () => {
  it('keeps hostile names as text in well-formed XML', () => {
    const text = svgText(layoutOf(HOSTILE));
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    const names = [...doc.getElementsByTagName('*')].map((e) => e.localName);
    for (const name of names) expect(ALLOWED.has(name)).toBe(true);
    expect(names).not.toContain('script');
    expect(names).not.toContain('img');
    expect(names).not.toContain('foreignObject');
    for (const e of doc.getElementsByTagName('*')) {
      for (const a of e.getAttributeNames()) expect(a.startsWith('on')).toBe(false);
    }
    const titles = [...doc.getElementsByTagName('title')].map((t) => t.textContent);
    for (const name of HOSTILE) expect(titles).toContain(`${name}: ${name}`);
  });

  it('draws one group per node and one path per edge, highlighted ones marked', () => {
    const layout = layoutOf(['raw', 'train', 'model']);
    const svg = buildSvg(layout);
    expect(svg.querySelectorAll('g.nodes > g')).toHaveLength(3);
    expect(svg.querySelectorAll('g.edges > path')).toHaveLength(2);
    expect(svg.querySelectorAll('g.edges > path[stroke="#d9480f"]')).toHaveLength(1);
    expect(Number(svg.getAttribute('width'))).toBeGreaterThan(layout.width);
    expect([...svg.querySelectorAll('text')].map((t) => t.textContent)).toEqual(expect.arrayContaining(['raw', 'train', 'model']));
  });
});
