/**
 * `journey lineage <node>...`: the server's `lineage` walk from the nodes (artifacts or
 * executions), upstream by default, as a table, the answer's JSON, or a drawing: DOT and
 * Mermaid as the server renders them (it escapes every name), SVG drawn from the DOT by
 * Graphviz compiled to WebAssembly. Requests: one resolving every reference (with the
 * type names when --types is given, in parallel), one walk.
 */
import { Option } from 'commander';
import { resolveReferences } from '../client/node-references.js';
import { LineageDocument, TypeNamesDocument, type Direction, type LineageQuery, type LineageQueryVariables } from '../generated/graphql.js';
import { renderSvg } from '../output/graph-drawing.js';
import { chooseFormat, formatOption, renderJson, renderTable, writeOut, type Tabular } from '../output/output.js';
import type { CliCommand } from './command.js';
import { clientOf, hopsOf, serverCommand } from './server-command.js';
import { UsageError } from '../exit-codes.js';

const FORMATS = ['table', 'json', 'dot', 'mermaid', 'svg'] as const;

interface LineageFlags { up?: boolean; down?: boolean; both?: boolean; hops?: string; types?: string[]; format?: string }

export const lineageCommand: CliCommand = {
  register(program) {
    serverCommand(program, 'lineage', 'the lineage of nodes: what they came from (--up, the default), what came from them (--down), or both')
      .argument('<node...>', 'artifacts or executions: an id, artifact:MLMD_ID / execution:MLMD_ID, or Type/name (Type@version/name)')
      .addOption(new Option('--up', 'walk upstream: the producing executions, their inputs... (default)').conflicts(['down', 'both']))
      .addOption(new Option('--down', 'walk downstream: the consuming executions, their outputs...').conflicts(['up', 'both']))
      .addOption(new Option('--both', 'the union of the upstream and the downstream walk').conflicts(['up', 'down']))
      .option('--hops <n>', "at most this many events from a start node (default and ceiling: the server's, 20 unless configured)")
      .option('--types <type...>', 'return only nodes of these artifact or execution type names (the walk still passes through the rest)')
      .addOption(formatOption(FORMATS))
      .addHelpText('after', `
The table lists each node once, at its smallest distance; json is the server's answer
({"lineage": {nodes, edges, truncated}}); dot and mermaid are the server's drawings; svg
is the dot drawn by Graphviz. When the walk was cut short by --hops or the server's node
ceiling, stderr says so (the answer's "truncated").
Examples:
  journey lineage Model/taxi-model-1 --up --hops 4
  journey lineage artifact:12 --down --format svg > impact.svg
  journey lineage Examples/examples-1 --down --types Model PushedModel --format json`)
      .action(async (nodes: string[], flags: LineageFlags, command) => {
        const format = chooseFormat(flags.format, FORMATS);
        const maxHops = hopsOf(flags.hops);
        const direction: Direction = flags.both ? 'BOTH' : flags.down ? 'DOWNSTREAM' : 'UPSTREAM';
        const client = clientOf(command);
        const [start, typeFilter] = await Promise.all([
          resolveReferences(client, nodes, ['artifact', 'execution']),
          flags.types === undefined ? Promise.resolve(undefined) : typeFilterOf(client, flags.types),
        ]);
        const variables: LineageQueryVariables = {
          start: start.map((n) => n.id), direction, maxHops,
          ...typeFilter, withDot: format === 'dot' || format === 'svg', withMermaid: format === 'mermaid',
        };
        const data = await client.request(LineageDocument, variables);
        if (data.lineage.truncated) console.error('journey: the walk was cut short (--hops or the server\'s node ceiling): more lies beyond');
        await writeOut(await renderLineage(format, data));
      });
  },
};

/**
 * The type filter --types names: each name sorted into artifact and execution types (a name
 * may be both); one naming neither is a UsageError. Both lists are sent, so
 * `--types Model` returns models and no executions.
 */
async function typeFilterOf(client: ReturnType<typeof clientOf>, names: readonly string[]): Promise<{ artifactTypes: string[]; executionTypes: string[] }> {
  const known = await client.request(TypeNamesDocument, {});
  const artifactNames = new Set(known.artifactTypes.map((t) => t.name));
  const executionNames = new Set(known.executionTypes.map((t) => t.name));
  const unknown = names.filter((n) => !artifactNames.has(n) && !executionNames.has(n));
  if (unknown.length > 0) throw new UsageError(`--types: no artifact or execution type is named ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
  const unique = [...new Set(names)];
  return { artifactTypes: unique.filter((n) => artifactNames.has(n)), executionTypes: unique.filter((n) => executionNames.has(n)) };
}

/** One row per node, by distance then id (the server's order). */
export function lineageTable(data: LineageQuery): Tabular {
  return {
    columns: ['DISTANCE', 'KIND', 'TYPE', 'NAME', 'MLMD ID', 'STATE', 'ID'],
    rows: data.lineage.nodes.map((n) => {
      const record = n.artifact ?? n.execution;
      const type = record ? (record.type.version === null ? record.type.name : `${record.type.name}@${record.type.version}`) : null;
      const state = n.artifact?.state ?? n.execution?.lastKnownState ?? null;
      return [n.distance, n.kind.toLowerCase(), type, record?.name ?? null, record ? Number(record.mlmdId) : null, state, n.id];
    }),
  };
}

/** The answer in `format`. */
export async function renderLineage(format: (typeof FORMATS)[number], data: LineageQuery): Promise<string> {
  switch (format) {
    case 'table': return renderTable(lineageTable(data));
    case 'json': return renderJson(data);
    case 'dot': return data.lineage.dot!;
    case 'mermaid': return data.lineage.mermaid!;
    case 'svg': return renderSvg(data.lineage.dot!);
  }
}
