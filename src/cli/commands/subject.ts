/**
 * `journey subject <id>`: where one data subject's data went (dataSubjectLineage: the
 * artifacts registered as holding the subject's records, everything the data reached
 * downstream, the models, executions and contexts), as tables or the answer's JSON; with
 * `--report json|markdown`, the server's access report (GDPR Art. 15) as it writes it,
 * ready to be sent to the person. Both need the privacy (or admin) role; the server
 * hashes the identifier at once and audits the query. One request.
 */
import { Option } from 'commander';
import { SubjectAccessReportDocument, SubjectLineageDocument, type SubjectLineageQuery } from '../generated/graphql.js';
import { chooseFormat, formatOption, renderJson, renderTable, terminalText, writeOut, type Tabular } from '../output/output.js';
import { SUBJECT_ARGUMENT_HELP, subjectOf } from '../privacy/subject-argument.js';
import type { CliCommand } from './command.js';
import { clientOf, hopsOf, serverCommand } from './server-command.js';

const FORMATS = ['table', 'json'] as const;
const REPORTS = ['json', 'markdown'] as const;

type Report = SubjectLineageQuery['dataSubjectLineage'];

export const subjectCommand: CliCommand = {
  register(program) {
    serverCommand(program, 'subject', "where a data subject's data went, or their access report (GDPR Art. 15); needs the privacy role")
      .argument('<subject>', SUBJECT_ARGUMENT_HELP)
      .option('--hops <n>', "at most this many events downstream of the registered sources (default and ceiling: the server's)")
      .addOption(new Option('--report <format>', 'print the access report the server writes instead (for the person: it never names them)').choices(REPORTS).conflicts('format'))
      .addOption(formatOption(FORMATS))
      .addHelpText('after', `
The identifier is sent only in the request's body; the server keeps a keyed hash of it,
never the identifier, and records the query in its audit log. Use - to pass it on stdin:
  printf '%s\\n' "$SUBJECT" | journey subject - --report markdown > access-report.md
A subject no artifact is registered for is an answer, not an error: found is false, stderr
says so, the exit code is 0.
Examples:
  journey subject - < subject.txt
  journey subject - --format json < subject.txt | jq '.dataSubjectLineage.models'`)
      .action(async (argument: string, flags: { hops?: string; report?: 'json' | 'markdown'; format?: string }, command) => {
        const maxHops = hopsOf(flags.hops);
        const format = flags.report === undefined ? chooseFormat(flags.format, FORMATS) : null;
        const subjectId = await subjectOf(argument);
        const client = clientOf(command);
        if (flags.report !== undefined) {
          const data = await client.request(SubjectAccessReportDocument, { subjectId, format: flags.report === 'json' ? 'JSON' : 'MARKDOWN' });
          await writeOut(data.accessReport.endsWith('\n') ? data.accessReport : `${data.accessReport}\n`);
          return;
        }
        const data = await client.request(SubjectLineageDocument, { subjectId, maxHops });
        const report = data.dataSubjectLineage;
        if (!report.found) console.error('journey: no artifact is registered as holding this subject\'s records');
        if (report.truncated) console.error('journey: the search was cut short (--hops or the server\'s node ceiling): the data may reach further');
        await writeOut(format === 'json' ? renderJson(data) : subjectTables(report));
      });
  },
};

const nameOf = (n: { id: string; name: string | null }): string => n.name ?? `#${n.id}`;
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
const section = (title: string, tabular: Tabular): string => `${title} (${tabular.rows.length})\n${tabular.rows.length === 0 ? 'none\n' : renderTable(tabular)}`;

/** The subject's lineage as terminal tables: a summary, the models, every affected artifact, the executions, contexts and the anonymised boundary. */
export function subjectTables(report: Report): string {
  if (!report.found) return 'No artifact is registered as holding this subject\'s records.\n';
  const models = new Set(report.models.map((m) => m.artifact.id));
  const affected = (rows: Report['affected']): Tabular => ({
    columns: ['DISTANCE', 'TYPE', 'NAME', 'CATEGORIES', 'SPECIAL CATEGORIES', 'PSEUDONYMISED', 'ID'],
    rows: rows.map((a) => [a.distance, a.artifact.type.name, nameOf(a.artifact), a.categories.join(', '), a.specialCategories.join(', '),
      a.pseudonymized ? 'yes' : 'no', a.artifact.id]),
  });
  const nodes = (list: readonly { id: string; name: string | null; type: { name: string } }[]): Tabular => ({
    columns: ['TYPE', 'NAME', 'ID'], rows: list.map((n) => [n.type.name, nameOf(n), n.id]),
  });
  const summary = `The data reached ${plural(report.affected.length, 'artifact')} (${plural(models.size, 'model')}) from ${plural(report.sources.length, 'registered source')}, ` +
    `through ${plural(report.executions.length, 'execution')} in ${plural(report.contexts.length, 'context')}${report.truncated ? ' (truncated: it may reach further)' : ''}.`;
  return [
    `${terminalText(summary)}\n`,
    section('Affected models', affected(report.affected.filter((a) => models.has(a.artifact.id)))),
    section('Affected artifacts (the sources at distance 0)', affected(report.affected)),
    section('Executions that read the data', {
      columns: ['TYPE', 'NAME', 'PRIVACY TRANSFORM', 'ID'],
      rows: report.executions.map((x) => [x.type.name, nameOf(x), x.privacy?.transform ?? 'NONE', x.id]),
    }),
    section('Contexts', nodes(report.contexts)),
    section('Anonymised boundary (outputs of anonymising steps the data did not pass)', nodes(report.anonymizedBoundary)),
  ].join('\n');
}
