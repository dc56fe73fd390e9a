/**
 * A lineage graph as Graphviz DOT and as a Mermaid flowchart. Names are user text, so
 * nothing of them reaches the output unescaped: node ids are made here (n1, n2... in the
 * graph's node order), and labels are quoted with every character that could close or
 * steer the quoting escaped.
 */
import type { LineageGraph, LineageNode } from './lineage-graph.js';

/** Event kinds drawn as plain arrows; the others are dashed and labelled with their kind. */
const PLAIN_EVENTS = new Set(['INPUT', 'OUTPUT']);

/** The two lines of a node's label: its type (with version) and its name (or id, for an unnamed node). */
function labelLines(graph: LineageGraph, node: LineageNode): [string, string] {
  const type = graph.types.get(node.typeId);
  const typeText = type ? (type.version === null ? type.name : `${type.name} ${type.version}`) : '?';
  return [typeText, node.record?.name ?? node.id];
}

function nodeIds(graph: LineageGraph): Map<string, string> {
  return new Map(graph.nodes.map((n, i) => [n.id, `n${i + 1}`]));
}

/** Text inside a DOT double-quoted string: backslash and quote escaped, line breaks as DOT's `\n`, other controls as spaces. */
export function dotText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** The graph as a Graphviz digraph: artifacts are boxes, executions ellipses, start nodes drawn bold. */
export function renderDot(graph: LineageGraph): string {
  const ids = nodeIds(graph);
  const lines = ['digraph lineage {', '  rankdir=LR;'];
  for (const node of graph.nodes) {
    const [type, name] = labelLines(graph, node);
    const shape = node.kind === 'ARTIFACT' ? 'box' : 'ellipse';
    const bold = node.distance === 0 ? ', penwidth=2' : '';
    lines.push(`  ${ids.get(node.id)} [shape=${shape}, label="${dotText(type)}\\n${dotText(name)}"${bold}];`);
  }
  for (const edge of graph.edges) {
    const style = PLAIN_EVENTS.has(edge.type) ? '' : ` [style=dashed, label="${edge.type}"]`;
    lines.push(`  ${ids.get(edge.source)} -> ${ids.get(edge.target)}${style};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

// Characters kept as they are inside a Mermaid label; everything else becomes an entity
// code (#34; for a quote), which Mermaid decodes, so no quote, bracket, arrow, `#`, `;`
// or markup in a name can end the label or start a new statement.
const MERMAID_PLAIN = /[\p{L}\p{N} _.,:/@+=-]/u;

/** Text inside a Mermaid quoted label: line breaks as <br/>, every other character outside a small safe set as #code;. */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n|\r/g, '\n')) {
    if (ch === '\n') out += '<br/>';
    else if (MERMAID_PLAIN.test(ch)) out += ch;
    else out += `#${ch.codePointAt(0)};`;
  }
  return out;
}

/** The graph as a Mermaid flowchart: artifacts are rectangles, executions stadiums, start nodes in class `start`. */
export function renderMermaid(graph: LineageGraph): string {
  const ids = nodeIds(graph);
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) {
    const [type, name] = labelLines(graph, node);
    const label = `"${mermaidText(type)}<br/>${mermaidText(name)}"`;
    lines.push(`  ${ids.get(node.id)}${node.kind === 'ARTIFACT' ? `[${label}]` : `([${label}])`}`);
  }
  for (const edge of graph.edges) {
    const arrow = PLAIN_EVENTS.has(edge.type) ? '-->' : `-.->|${edge.type}|`;
    lines.push(`  ${ids.get(edge.source)} ${arrow} ${ids.get(edge.target)}`);
  }
  const starts = graph.nodes.filter((n) => n.distance === 0).map((n) => ids.get(n.id));
  if (starts.length > 0) {
    lines.push('  classDef start stroke-width:3px');
    lines.push(`  class ${starts.join(',')} start`);
  }
  return `${lines.join('\n')}\n`;
}
