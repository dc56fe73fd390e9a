/**
 * `journey impact <node>...`: the server's `impact` report (everything downstream of the
 * nodes, affected models first), as a table, the answer's JSON, the explorer's CSV or
 * Markdown for a pull-request comment; with `--fail-if-affected X ...` it is a CI gate
 * (impact/impact-gate.ts says precisely what X matches). Requests: one resolving the start
 * nodes and, in parallel, one looking up the contexts the flags may name; ONE impact
 * request for all the start nodes; more pages of contexts only when a flag names a context
 * and the report holds more contexts than one page.
 */
import { Option } from 'commander';
import { resolveReferences } from '../client/node-references.js';
import { CliError, EXIT } from '../exit-codes.js';
import {
  ImpactContextsPageDocument, ImpactReportDocument, type ImpactedContextFieldsFragment, type ImpactReportQuery,
} from '../generated/graphql.js';
import { gateContexts } from '../impact/gate-contexts.js';
import { impactCsvRecords, IMPACT_CSV_HEADER } from '../impact/impact-csv.js';
import { gateFailsClosed, gateTrips, typeNamedBy, unknownGateTargets, type GateTarget, type GateTrip } from '../impact/impact-gate.js';
import { impactMarkdown } from '../impact/impact-markdown.js';
import { UsageError } from '../exit-codes.js';
import { chooseFormat, formatOption, renderCsv, renderJson, renderTable, terminalText, writeOut, type Tabular } from '../output/output.js';
import type { CliCommand } from './command.js';
import { clientOf, hopsOf, serverCommand } from './server-command.js';

const FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
type ImpactFormat = (typeof FORMATS)[number];

/**
 * How many of each list (models, artifacts, executions, contexts) one report holds at most,
 * and by default: the explorer's page. Four lists of 100 nodes with their names, types and
 * states cost about 17,600 of the server's default limit of 20,000 per operation
 * (src/server/limits.ts); 120 would be refused. The counts are always whole, the gate
 * reads every context (below) and every affected type, and a cut list says how many it
 * leaves out.
 */
export const MAX_LIST_SIZE = 100;
/** The extra pages of contexts the gate reads: 500 cost about 16,600 (1,000 would be refused). */
const CONTEXT_PAGE_SIZE = 500;

type Report = ImpactReportQuery['impact'];

interface ImpactFlags { hops?: string; limit?: string; format?: string; failIfAffected?: string[] }

export const impactCommand: CliCommand = {
  register(program) {
    serverCommand(program, 'impact', 'what a change to nodes affects downstream: models, pipelines, every artifact and execution; a CI gate with --fail-if-affected')
      .argument('<node...>', 'the changed artifacts or executions: an id, artifact:MLMD_ID / execution:MLMD_ID, or Type/name (Type@version/name)')
      .option('--hops <n>', "at most this many events downstream (default and ceiling: the server's, 50 unless configured)")
      .option('--limit <n>', `list at most n of each list: models, artifacts, executions, contexts (1 to ${MAX_LIST_SIZE}, the default; the counts are always whole)`)
      .addOption(formatOption(FORMATS))
      .addOption(new Option('--fail-if-affected <target...>', 'exit 3 when the impact reaches one of these: an artifact or execution TYPE (Name or Name@version), or a CONTEXT (an id, context:MLMD_ID or Type/name) that holds an affected node'))
      .addHelpText('after', `
Affected nodes are those downstream of the start nodes (distance 1 or more), through
INPUT and OUTPUT events; a start node is never affected by itself.
--fail-if-affected (the CI gate): a TYPE is reached when an affected node is of it (any
version for Name); a CONTEXT when an affected node belongs to it (a context only a start
node belongs to is not reached). A value naming both a type and a context is reached when
either is; one naming neither is a usage mistake (exit 2), never a silent pass. When the
gate trips, the report is still written to stdout, stderr has one line per affected node
that tripped a flag, and the exit code is 3. A walk the server's ceiling cut short fails
the gate too (exit 3) unless --hops was given: what lies beyond could be what it names.
Give the nodes before --fail-if-affected: it takes every value after it (a node given
after it is read as a flag, and the missing node is a usage mistake, exit 2).
Formats: table (a terminal), json (the server's answer, {"impact": ...}), csv (the
explorer's export: one row per listed model, artifact, execution and context), markdown
(for a pull-request comment: names are escaped, the rest folded in <details>).
Examples:
  journey impact ExternalArtifact/raw-span-1
  journey impact Examples/examples-1 artifact:12 --hops 10 --format csv > impact.csv
  journey impact ExternalArtifact/raw-span-1 --format markdown --fail-if-affected Model PushedModel > comment.md`)
      .action(async (nodes: string[], flags: ImpactFlags, command) => {
        const format = chooseFormat(flags.format, FORMATS);
        const maxHops = hopsOf(flags.hops);
        const first = limitOf(flags.limit);
        const gateFlags = [...new Set(flags.failIfAffected ?? [])];
        const client = clientOf(command);
        const [start, contexts] = await Promise.all([
          resolveReferences(client, nodes, ['artifact', 'execution']),
          gateContexts(client, gateFlags),
        ]);
        const startIds = [...new Set(start.map((n) => n.id))];
        const data = await client.request(ImpactReportDocument, { start: startIds, maxHops, first, withTypes: gateFlags.length > 0 });
        const report = data.impact;
        let trips: GateTrip[] = [];
        let targets: GateTarget[] = [];
        if (gateFlags.length > 0) {
          const types = [...(data.artifactTypes ?? []), ...(data.executionTypes ?? [])];
          targets = gateFlags.map((flag, i) => ({ flag, type: typeNamedBy(flag, types), context: contexts[i] ?? null }));
          const unknown = unknownGateTargets(targets);
          if (unknown !== null) throw new UsageError(unknown);
          const allContexts = targets.some((t) => t.context !== null)
            ? await everyContext(client, report, { start: startIds, maxHops })
            : report.contexts.nodes;
          trips = gateTrips({
            countsByType: report.countsByType,
            nodes: [...report.models.nodes, ...report.artifacts.nodes, ...report.executions.nodes],
            contexts: allContexts,
          }, targets);
        }
        if (report.truncated) console.error('journey: the walk was cut short (--hops or the server\'s node ceiling): more may be affected');
        const reached = new Set(trips.map((t) => t.flag));
        const failedClosed = gateFlags.length > 0 && gateFailsClosed(trips, report.truncated, maxHops !== undefined);
        await writeOut(renderImpact(format, report, targets.map((t) => ({ flag: t.flag, reached: reached.has(t.flag) })), failedClosed));
        if (failedClosed) {
          throw new CliError('gate tripped: the walk was cut short by the server\'s ceiling, so the impact may reach what --fail-if-affected names beyond it (give --hops to gate within that many hops)', EXIT.GATE_TRIPPED);
        }
        if (trips.length > 0) {
          for (const trip of trips) console.error(`journey: ${trip.line}`);
          throw new CliError(`gate tripped: the impact reaches ${[...reached].map((f) => JSON.stringify(f)).join(', ')} (--fail-if-affected)`, EXIT.GATE_TRIPPED);
        }
      });
  },
};

/** A --limit value: a whole number from 1 to MAX_LIST_SIZE, which it is when absent. */
export function limitOf(text: string | undefined): number {
  if (text === undefined) return MAX_LIST_SIZE;
  const n = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_LIST_SIZE)) throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIST_SIZE}, got ${JSON.stringify(text)}`);
  return n;
}

/**
 * Every context of the report: the first page, then the rest CONTEXT_PAGE_SIZE at a time.
 * Each page is a new walk, so a graph written in between could shift the pages; the gate
 * then sees the union, which only errs towards tripping.
 */
async function everyContext(
  client: ReturnType<typeof clientOf>, report: Report, args: { start: string[]; maxHops: number | undefined },
): Promise<ImpactedContextFieldsFragment[]> {
  const all = [...report.contexts.nodes];
  let page = report.contexts.pageInfo;
  while (page.hasNextPage && page.endCursor !== null) {
    const next = await client.request(ImpactContextsPageDocument, { ...args, first: CONTEXT_PAGE_SIZE, after: page.endCursor });
    all.push(...next.impact.contexts.nodes);
    page = next.impact.contexts.pageInfo;
  }
  return all;
}

/** The report in `format`; `gate` is each flag with whether it was reached, and `failedClosed` whether the gate failed on a cut walk (markdown says so). */
export function renderImpact(format: ImpactFormat, report: Report, gate: readonly { flag: string; reached: boolean }[], failedClosed = false): string {
  switch (format) {
    case 'json': return renderJson({ impact: report });
    case 'csv': return renderCsv({ columns: IMPACT_CSV_HEADER, rows: impactCsvRecords(report).slice(1) });
    case 'markdown': return impactMarkdown(report, gate, failedClosed);
    case 'table': return impactTables(report);
  }
}

type Node = Report['models']['nodes'][number];
const itemOf = (n: Node) => n.artifact ?? n.execution;
const typeText = (t: { name: string; version: string | null }): string => (t.version === null ? t.name : `${t.name}@${t.version}`);
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

function nodeTable(nodes: readonly Node[]): Tabular {
  return {
    columns: ['DISTANCE', 'KIND', 'TYPE', 'NAME', 'STATE', 'ID'],
    rows: nodes.map((n) => {
      const item = itemOf(n);
      return [n.distance, n.kind.toLowerCase(), item ? typeText(item.type) : null, item?.name ?? null, n.artifact?.state ?? n.execution?.lastKnownState ?? null, n.id];
    }),
  };
}

/** A titled section: its title, the table (or "none"), and how many rows a cut list left out. */
function section(title: string, totalCount: number, tabular: Tabular): string {
  const left = totalCount - tabular.rows.length;
  const body = tabular.rows.length === 0 ? 'none\n' : renderTable(tabular);
  return `${title} (${totalCount})\n${body}${left > 0 ? `...and ${left} more (--limit lists more)\n` : ''}`;
}

/** The report as terminal tables: the summary line, models, contexts, counts by type, then every listed artifact and execution. */
export function impactTables(report: Report): string {
  const starts = report.start.map((n) => {
    const item = itemOf(n);
    return item ? `${item.type.name}/${item.name ?? n.id}` : n.id;
  });
  const summary = `Downstream of ${starts.join(', ') || 'no existing node'}: ${plural(report.modelCount, 'model')}, ${plural(report.artifactCount, 'artifact')}, ` +
    `${plural(report.executionCount, 'execution')} and ${plural(report.contexts.totalCount, 'context')} affected${report.truncated ? ' (truncated: more may be affected)' : ''}`;
  const contextRows: Tabular = {
    columns: ['TYPE', 'NAME', 'ARTIFACTS', 'EXECUTIONS', 'ID'],
    rows: report.contexts.nodes.map((c) => [typeText(c.context.type), c.context.name, c.artifactCount, c.executionCount, c.context.id]),
  };
  const counts: Tabular = {
    columns: ['KIND', 'TYPE', 'BASE TYPE', 'COUNT'],
    rows: report.countsByType.map((c) => [c.kind.toLowerCase(), c.typeVersion === null ? c.typeName : `${c.typeName}@${c.typeVersion}`, c.baseType, c.count]),
  };
  return [
    `${terminalText(summary)}\n`,
    section('Affected models', report.models.totalCount, nodeTable(report.models.nodes)),
    section('Affected contexts', report.contexts.totalCount, contextRows),
    section('Affected nodes by type', report.countsByType.length, counts),
    section('Affected artifacts', report.artifacts.totalCount, nodeTable(report.artifacts.nodes)),
    section('Affected executions', report.executions.totalCount, nodeTable(report.executions.nodes)),
  ].join('\n');
}
