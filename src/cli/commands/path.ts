/**
 * `journey path <from> <to>`: the server's `path` query, one shortest chain of INPUT and
 * OUTPUT events leading from one node to the other along the data flow ("why is this model
 * affected by that dataset?"). Requests: one resolving both references, the path, one
 * naming the nodes along it. No path is its own exit code (EXIT.NO_PATH) with a line on
 * stderr, so a CI step can assert that one thing does (or does not) derive from another.
 */
import { resolveReferences, type ResolvedNode } from '../client/node-references.js';
import { CliError, EXIT } from '../exit-codes.js';
import { PathDocument, type PathQuery } from '../generated/graphql.js';
import { chooseFormat, formatOption, renderTabular, writeOut, type Tabular } from '../output/output.js';
import type { CliCommand } from './command.js';
import { clientOf, hopsOf, serverCommand } from './server-command.js';

const FORMATS = ['table', 'json', 'csv', 'markdown'] as const;

/** A node along the path, as the JSON output lists it. */
export interface PathNode { id: string; kind: string; mlmdId: number; type: string; typeVersion: string | null; name: string | null }

/** The JSON output: the server's `path` answer as it stands, and the nodes it passes through, from first to last ([] when there is no path). */
export interface PathOutput { path: PathQuery['path']; nodes: PathNode[] }

export const pathCommand: CliCommand = {
  register(program) {
    serverCommand(program, 'path', 'one shortest chain of events leading from one node to another along the data flow')
      .argument('<from>', 'where the data comes from: an id, kind:MLMD_ID or Type/name (Type@version/name)')
      .argument('<to>', 'where it goes, given the same ways')
      .option('--hops <n>', "at most this many events (default and ceiling: the server's, 100 unless configured)")
      .addOption(formatOption(FORMATS))
      .addHelpText('after', `
Each row is a node of the chain, from <from> to <to>, with the event that led to it.
When no chain of at most --hops events exists, stderr says so and the exit code is 7
(json still prints {"path": null, "nodes": []}).
Examples:
  journey path ExternalArtifact/raw-span-1 PushedModel/pushed-model-1
  journey path artifact:1 artifact:9 --hops 6 --format json`)
      .action(async (from: string, to: string, flags: { hops?: string; format?: string }, command) => {
        const format = chooseFormat(flags.format, FORMATS);
        const maxHops = hopsOf(flags.hops);
        const client = clientOf(command);
        const [start, end] = await resolveReferences(client, [from, to], ['artifact', 'execution']);
        const answer = await client.request(PathDocument, { from: start!.id, to: end!.id, maxHops });
        const chain = answer.path === null ? [] : answer.path.length === 0 ? [start!.id] : [answer.path[0]!.source, ...answer.path.map((e) => e.target)];
        const named = await resolveReferences(client, chain);
        const output: PathOutput = { path: answer.path, nodes: named.map(pathNodeOf) };
        if (answer.path === null) {
          if (format === 'json') await writeOut(renderTabular('json', pathTable(output), output));
          const within = maxHops === undefined ? '' : ` within ${maxHops} hops`;
          throw new CliError(`no path from ${JSON.stringify(from)} to ${JSON.stringify(to)}${within}`, EXIT.NO_PATH);
        }
        await writeOut(renderTabular(format, pathTable(output), output));
      });
  },
};

const pathNodeOf = (n: ResolvedNode): PathNode => ({ id: n.id, kind: n.kind, mlmdId: n.mlmdId, type: n.typeName, typeVersion: n.typeVersion, name: n.name });

/** One row per node of the chain, with the event that led to it (none for the first). */
export function pathTable(output: PathOutput): Tabular {
  return {
    columns: ['STEP', 'EVENT', 'KIND', 'TYPE', 'NAME', 'MLMD ID', 'ID'],
    rows: output.nodes.map((n, i) => [
      i, i === 0 ? null : output.path![i - 1]!.type, n.kind, n.typeVersion === null ? n.type : `${n.type}@${n.typeVersion}`, n.name, n.mlmdId, n.id,
    ]),
  };
}
