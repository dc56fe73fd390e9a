/**
 * Writes a generated graph as JSON lines for the ML Metadata driver (bench/mlmd/): a
 * header line with the types and per-node type numbers, then one line per step,
 * `[type, inputs, outputs, contexts]`. The Python side rebuilds exactly the same graph.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { BenchGraph } from './bench-graph.js';
import { artifactBaseType, executionBaseType } from './type-bases.js';

/** Writes `graph` to `path`; resolves when the file is flushed. */
export async function writeGraphFile(graph: BenchGraph, path: string): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${JSON.stringify({
    workload: graph.workload,
    artifactTypes: graph.artifactTypes,
    executionTypes: graph.executionTypes,
    contextTypes: graph.contextTypes,
    artifactBaseTypes: graph.artifactTypes.map(artifactBaseType),
    executionBaseTypes: graph.executionTypes.map(executionBaseType),
    artifactType: Array.from(graph.artifactType),
    contextType: Array.from(graph.contextType),
    contextParent: Array.from(graph.contextParent),
  })}\n`);
  let chunk = '';
  for (const s of graph.steps) {
    chunk += `${JSON.stringify([s.type, s.inputs, s.outputs, s.contexts])}\n`;
    if (chunk.length > 1 << 20) { await write(chunk); chunk = ''; }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
}
