/**
 * SVG drawn from DOT by Graphviz compiled to WebAssembly (@viz-js/viz): a real layout
 * engine, no system Graphviz needed. The DOT is the server's (its labels escaped there),
 * and Graphviz writes every label into the SVG as escaped XML text.
 */
import { instance } from '@viz-js/viz';

/** `dot` laid out by Graphviz's dot engine, as an SVG document; a DOT Graphviz refuses is an Error naming its first message. */
export async function renderSvg(dot: string): Promise<string> {
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz could not draw the graph: ${result.errors.map((e) => e.message).join('; ') || 'no reason given'}`);
  }
  return result.output.endsWith('\n') ? result.output : `${result.output}\n`;
}
