/**
 * `journey erasure ...`: the privacy role's erasure workflow (GDPR Art. 17), one
 * subcommand per operation of the API:
 *   request <subject> [--reason]   requestErasure: every artifact the data reached, each PENDING
 *   list [--first] [--after]       erasureRequests: newest first, with progress (names no subject)
 *   show <request>                 erasureRequest: the items, their status and notes
 *   update <request> <artifact> --status erased|retrained|exempt [--note]
 *                                  updateErasureItem: completing the last item removes the registrations
 * Each is one request (update: one more resolving the artifact reference). All need the
 * privacy (or admin) role and are audited by the server.
 */
import { Option, type Command } from 'commander';
import { resolveReferences } from '../client/node-references.js';
import { CliError, EXIT } from '../exit-codes.js';
import {
  ErasureItemUpdateDocument, ErasureRequestCreateDocument, ErasureRequestListDocument, ErasureRequestShowDocument,
  type ErasureRequestFieldsFragment, type ErasureStatus, type ErasureSummaryFieldsFragment,
} from '../generated/graphql.js';
import { UsageError } from '../exit-codes.js';
import { chooseFormat, formatOption, renderJson, renderTable, renderTabular, terminalText, writeOut, type Tabular } from '../output/output.js';
import { SUBJECT_ARGUMENT_HELP, subjectOf } from '../privacy/subject-argument.js';
import type { CliCommand } from './command.js';
import { clientOf, serverCommand } from './server-command.js';

const FORMATS = ['table', 'json'] as const;
const LIST_FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
/** What an operator may set: PENDING is where every item starts, never where one returns. */
const SETTABLE: readonly ErasureStatus[] = ['ERASED', 'RETRAINED', 'EXEMPT'];

export const erasureCommand: CliCommand = {
  register(program) {
    const erasure = program.command('erasure')
      .description('erasure requests (GDPR Art. 17): request, list, show, update; needs the privacy role')
      .addHelpText('after', `
The workflow: request one for a subject (every artifact their data reached becomes a
PENDING item), deal with each item (erase the data, retrain the model, or keep it under an
exemption the note names) and mark it with update; when no item is PENDING the request is
complete and the subject's registrations on the listed artifacts are removed. Every call
is audited by the server; no answer names the subject.
Examples:
  printf '%s\\n' "$SUBJECT" | journey erasure request - --reason "ticket 4711"
  journey erasure list
  journey erasure show <request-id>
  journey erasure update <request-id> Model/taxi-model-1 --status retrained --note "retrained without the data"`);

    serverCommand(erasure, 'request', "opens an erasure request for a subject: every artifact their data reached, each PENDING")
      .argument('<subject>', SUBJECT_ARGUMENT_HELP)
      .option('--reason <text>', 'why (e.g. a ticket number); it must not hold the identifier: the server refuses it if it does')
      .addOption(formatOption(FORMATS))
      .action(async (argument: string, flags: { reason?: string; format?: string }, command: Command) => {
        const format = chooseFormat(flags.format, FORMATS);
        const subjectId = await subjectOf(argument);
        const data = await clientOf(command).request(ErasureRequestCreateDocument, { subjectId, reason: flags.reason ?? null });
        await writeOut(format === 'json' ? renderJson(data) : requestTables(data.requestErasure));
      });

    serverCommand(erasure, 'list', 'erasure requests, newest first, with how far each has got')
      .option('--first <n>', 'at most n requests (1 to 1,000; default the server\'s, 100)')
      .option('--after <cursor>', 'continue after this cursor (the previous page\'s, said on stderr)')
      .addOption(formatOption(LIST_FORMATS))
      .action(async (flags: { first?: string; after?: string; format?: string }, command: Command) => {
        const format = chooseFormat(flags.format, LIST_FORMATS);
        const first = firstOf(flags.first);
        const data = await clientOf(command).request(ErasureRequestListDocument, { first, after: flags.after ?? null });
        const page = data.erasureRequests;
        if (page.pageInfo.hasNextPage) console.error(`journey: more requests follow: --after ${page.pageInfo.endCursor}`);
        await writeOut(renderTabular(format, listTable(page.nodes), data));
      });

    serverCommand(erasure, 'show', 'one erasure request: each artifact, its status and note')
      .argument('<request>', "the request's id (journey erasure list shows them)")
      .addOption(formatOption(FORMATS))
      .action(async (id: string, flags: { format?: string }, command: Command) => {
        const format = chooseFormat(flags.format, FORMATS);
        const data = await clientOf(command).request(ErasureRequestShowDocument, { id });
        if (data.erasureRequest === null) throw new CliError(`no erasure request has id ${JSON.stringify(id)}`, EXIT.FAILED);
        await writeOut(format === 'json' ? renderJson(data) : requestTables(data.erasureRequest));
      });

    serverCommand(erasure, 'update', "marks one artifact of a request as dealt with; the request's last PENDING item completes it")
      .argument('<request>', "the request's id")
      .argument('<artifact>', 'the artifact: an id, artifact:MLMD_ID or Type/name (Type@version/name)')
      .addOption(new Option('--status <status>', 'erased (the data was erased), retrained (the model was trained anew without it) or exempt (kept; --note says why)')
        .choices(SETTABLE.map((s) => s.toLowerCase())).makeOptionMandatory())
      .option('--note <text>', "the operator's note (required for exempt)")
      .addOption(formatOption(FORMATS))
      .action(async (requestId: string, artifact: string, flags: { status: string; note?: string; format?: string }, command: Command) => {
        const format = chooseFormat(flags.format, FORMATS);
        const status = flags.status.toUpperCase() as ErasureStatus;
        if (status === 'EXEMPT' && (flags.note === undefined || flags.note.trim() === '')) throw new UsageError('--status exempt needs --note naming the exemption');
        const client = clientOf(command);
        const [resolved] = await resolveReferences(client, [artifact], ['artifact']);
        const data = await client.request(ErasureItemUpdateDocument, { requestId, artifactId: resolved!.id, status, note: flags.note ?? null });
        await writeOut(format === 'json' ? renderJson(data) : requestTables(data.updateErasureItem));
      });
  },
};

/** A --first value: a whole number from 1 to 1,000 (the API's page bounds); undefined: the server's default. */
function firstOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 1000)) throw new UsageError(`--first must be a whole number from 1 to 1000, got ${JSON.stringify(text)}`);
  return n;
}

const progressText = (r: ErasureSummaryFieldsFragment): string => {
  const p = r.progress;
  return `${p.pending} pending, ${p.erased} erased, ${p.retrained} retrained, ${p.exempt} exempt of ${p.total}`;
};

/** One row per request: its id, when, whether complete, its progress counts and reason. */
export function listTable(requests: readonly ErasureSummaryFieldsFragment[]): Tabular {
  return {
    columns: ['ID', 'CREATED', 'COMPLETE', 'PENDING', 'ERASED', 'RETRAINED', 'EXEMPT', 'TOTAL', 'NOT COVERED', 'REASON'],
    rows: requests.map((r) => [r.id, r.createdAt, r.complete ? 'yes' : 'no', r.progress.pending, r.progress.erased, r.progress.retrained,
      r.progress.exempt, r.progress.total, r.notCovered.length, r.reason]),
  };
}

/** A request as terminal tables: a summary, its items, and the artifacts registered since that it does not cover. */
export function requestTables(r: ErasureRequestFieldsFragment): string {
  const summary = `Erasure request ${r.id}, made ${r.createdAt}${r.reason ? ` (${r.reason})` : ''}: ${r.complete ? 'complete' : 'open'}; ${progressText(r)}.`;
  const items: Tabular = {
    columns: ['STATUS', 'TYPE', 'ARTIFACT', 'NOTE', 'UPDATED', 'ID'],
    rows: r.items.map((i) => [i.status, i.artifact.type.name, i.artifact.name ?? `#${i.artifact.id}`, i.note, i.updatedAt, i.artifact.id]),
  };
  const parts = [`${terminalText(summary)}\n`, `Items (${r.items.length})\n${r.items.length === 0 ? 'none\n' : renderTable(items)}`];
  if (r.notCovered.length > 0) {
    parts.push(`Not covered: registered since the request was made (a new request covers them) (${r.notCovered.length})\n${renderTable({
      columns: ['TYPE', 'ARTIFACT', 'ID'], rows: r.notCovered.map((a) => [a.type.name, a.name ?? `#${a.id}`, a.id]),
    })}`);
  }
  return parts.join('\n');
}
