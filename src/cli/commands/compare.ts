/**
 * `journey compare <context>...`: runs side by side (the server's compareContexts), one
 * column per run in the order given and one row per step, parameter, input and metric
 * (compare/compare-grid.ts), rows that differ marked with ≠. Requests: one resolving the
 * references, one comparison.
 */
import { resolveReferences } from '../client/node-references.js';
import { compareGrid } from '../compare/compare-grid.js';
import { CompareRunsDocument } from '../generated/graphql.js';
import { UsageError } from '../exit-codes.js';
import { chooseFormat, formatOption, renderTabular, writeOut, type Tabular } from '../output/output.js';
import type { CliCommand } from './command.js';
import { clientOf, serverCommand } from './server-command.js';

const FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
/** compareContexts takes 1 to 20 contexts; the command wants at least two to set side by side. */
const MIN_COMPARED = 2;
const MAX_COMPARED = 20;

/** The marker of a row whose values are not all equal (the explorer's too). */
export const DIFFERS_MARK = '≠';

export const compareCommand: CliCommand = {
  register(program) {
    serverCommand(program, 'compare', 'runs side by side: each step\'s parameters, the inputs read, the metrics, one column per run')
      .argument('<context...>', `${MIN_COMPARED} to ${MAX_COMPARED} contexts (runs): an id, context:MLMD_ID or Type/name (Type@version/name)`)
      .addOption(formatOption(FORMATS))
      .addHelpText('after', `
Rows: each execution type with the run's execution and its state, that step's properties
under it, the inputs each run read from outside itself (their uris), the metrics with their
values. "${DIFFERS_MARK}" starts a row whose values are not all equal; a run without the row's step
shows "none", a missing value "—". json is the server's answer ({"compareContexts": ...});
csv and markdown hold the table's rows, with a DIFFERS column.
Examples:
  journey compare PipelineRun/taxi-run-1 PipelineRun/taxi-run-2
  journey compare context:3 context:4 context:5 --format json`)
      .action(async (contexts: string[], flags: { format?: string }, command) => {
        const format = chooseFormat(flags.format, FORMATS);
        if (contexts.length < MIN_COMPARED || contexts.length > MAX_COMPARED) {
          throw new UsageError(`compare takes ${MIN_COMPARED} to ${MAX_COMPARED} contexts, got ${contexts.length}`);
        }
        const client = clientOf(command);
        const resolved = await resolveReferences(client, contexts, ['context']);
        const ids = resolved.map((c) => c.id);
        const repeated = contexts.filter((_, i) => ids.indexOf(ids[i]!) !== i);
        if (repeated.length > 0) throw new UsageError(`compare: ${repeated.map((r) => JSON.stringify(r)).join(', ')} names a context given before`);
        const data = await client.request(CompareRunsDocument, { ids });
        if (data.compareContexts.truncated) console.error('journey: a run has more than 1,000 executions: only its 1,000 oldest were compared');
        await writeOut(renderTabular(format, compareTable(data.compareContexts, format === 'table'), data));
      });
  },
};

/** The comparison as rows under one column per run; on a terminal a differing row's label starts with ≠, elsewhere a DIFFERS column says so. */
export function compareTable(comparison: Parameters<typeof compareGrid>[0], forTerminal: boolean): Tabular {
  const grid = compareGrid(comparison);
  if (forTerminal) {
    return {
      columns: ['', ...grid.columns],
      rows: grid.rows.map((r) => [`${r.differs ? `${DIFFERS_MARK} ` : '  '}${r.label}`, ...r.cells]),
    };
  }
  // For machines: each property row says its step (or metrics) in its own column, instead of by indentation.
  let group = '';
  return {
    columns: ['ROW', 'PROPERTY', ...grid.columns, 'DIFFERS'],
    rows: grid.rows.map((r) => {
      if (r.heading) group = r.label;
      return [group, r.heading ? null : r.label.trim(), ...r.cells, r.differs];
    }),
  };
}
