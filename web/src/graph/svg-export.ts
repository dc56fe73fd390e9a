/**
 * Export of the drawn graph as a standalone SVG (and a PNG rendered from it). The SVG is
 * built from the layout with createElementNS and textContent and serialised by
 * XMLSerializer, so a hostile name stays text: no element or attribute is ever made from
 * a name, and the serialiser escapes `<`, `&` and quotes in text.
 */
import type { Layout, PositionedNode } from './graph-model';

const SVG_NS = 'http://www.w3.org/2000/svg';
const MARGIN = 20;

const FILL: Record<PositionedNode['kind'], string> = {
  ARTIFACT: '#eef5ff', EXECUTION: '#f3f0ff', CONTEXT: '#eefaf0', GROUP: '#fff8e6',
};

/** Text cut to about what fits in a node's width (the full name is in the title). */
function fit(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

/** The layout as an <svg> element of `doc` (not attached). */
export function buildSvg(layout: Layout, doc: Document = document): SVGSVGElement {
  const el = <K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] => {
    const e = doc.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  };
  const width = Math.ceil(layout.width + 2 * MARGIN);
  const height = Math.ceil(layout.height + 2 * MARGIN);
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, 'font-family': 'sans-serif' });
  const defs = el('defs', {});
  const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' });
  marker.appendChild(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#555' }));
  defs.appendChild(marker);
  svg.appendChild(defs);
  svg.appendChild(el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));

  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  const edges = el('g', { class: 'edges', fill: 'none', stroke: '#555', 'stroke-width': 1.2 });
  for (const e of layout.edges) {
    const s = at.get(e.source);
    const t = at.get(e.target);
    if (!s || !t) continue;
    const x1 = MARGIN + s.x + s.width;
    const y1 = MARGIN + s.y + s.height / 2;
    const x2 = MARGIN + t.x;
    const y2 = MARGIN + t.y + t.height / 2;
    const mid = (x1 + x2) / 2;
    const path = el('path', { d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`, 'marker-end': 'url(#arrow)' });
    if (e.highlighted) { path.setAttribute('stroke', '#d9480f'); path.setAttribute('stroke-width', '3'); }
    edges.appendChild(path);
  }
  svg.appendChild(edges);

  const nodes = el('g', { class: 'nodes', 'font-size': 12 });
  for (const n of layout.nodes) {
    const g = el('g', { transform: `translate(${MARGIN + n.x} ${MARGIN + n.y})` });
    const title = el('title', {});
    title.textContent = `${n.typeName}: ${n.label}`;
    g.appendChild(title);
    const stroke = n.highlighted ? '#d9480f' : n.start ? '#1f5fbf' : '#9aa3b5';
    g.appendChild(el('rect', {
      width: n.width, height: n.height, rx: n.kind === 'EXECUTION' ? 18 : 6, fill: FILL[n.kind], stroke,
      'stroke-width': n.highlighted || n.start ? 3 : 1, ...(n.kind === 'GROUP' ? { 'stroke-dasharray': '4 3' } : {}),
    }));
    const type = el('text', { x: 8, y: 18, fill: '#6b7385', 'font-size': 11 });
    type.textContent = fit(n.kind === 'GROUP' ? 'group' : n.typeName, 30);
    const label = el('text', { x: 8, y: 36, fill: '#1d2330', 'font-weight': 600 });
    label.textContent = fit(n.label, 26);
    g.append(type, label);
    if (n.badge) {
      const badge = el('text', { x: 8, y: 50, fill: '#a11a1a', 'font-size': 10 });
      badge.textContent = fit(n.badge, 32);
      g.appendChild(badge);
    }
    nodes.appendChild(g);
  }
  svg.appendChild(nodes);
  return svg;
}

/** The layout as SVG text, with its XML declaration. */
export function svgText(layout: Layout, doc: Document = document): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(buildSvg(layout, doc))}\n`;
}

/** Renders SVG text to a PNG (through an <img> of a blob: URL and a canvas: both allowed by the page's CSP). */
export async function svgToPng(svg: string, width: number, height: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    // A very large drawing is scaled down to what a canvas can hold.
    const scale = Math.min(1, 16_000 / Math.max(width, height, 1));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot draw on a canvas');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Offers `blob` as a download named `name` (a blob: URL on a temporary link). */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click has started the download; the URL is released after it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads the layout as `<base>.svg`. */
export function exportSvg(layout: Layout, base: string): void {
  download(new Blob([svgText(layout)], { type: 'image/svg+xml' }), `${base}.svg`);
}

/** Downloads the layout as `<base>.png`. */
export async function exportPng(layout: Layout, base: string): Promise<void> {
  const svg = buildSvg(layout);
  const png = await svgToPng(svgText(layout), Number(svg.getAttribute('width')), Number(svg.getAttribute('height')));
  download(png, `${base}.png`);
}
