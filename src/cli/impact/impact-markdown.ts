/**
 * The impact report as Markdown for a pull-request comment: a summary line, the gate's
 * verdict when there is one, the affected models and the contexts (pipelines, runs) they
 * sit in, then the rest (counts by type, every listed artifact and execution) folded in a
 * <details> block so that a big blast radius does not bury the review. Every name is
 * written through markdownText (hostile names stay text).
 */
import { markdownText } from '../output/text-escapes.js';

export interface MarkdownNode {
  id: string;
  kind: 'ARTIFACT' | 'EXECUTION';
  distance: number;
  artifact?: { name?: string | null; state: string; type: { name: string } } | null;
  execution?: { name?: string | null; lastKnownState: string; type: { name: string } } | null;
}
interface Page<T> { totalCount: number; nodes: readonly T[] }
export interface MarkdownImpact {
  start: readonly MarkdownNode[];
  truncated: boolean;
  artifactCount: number;
  executionCount: number;
  modelCount: number;
  countsByType: readonly { kind: string; typeName: string; typeVersion?: string | null; baseType?: string | null; count: number }[];
  models: Page<MarkdownNode>;
  artifacts: Page<MarkdownNode>;
  executions: Page<MarkdownNode>;
  contexts: Page<{ artifactCount: number; executionCount: number; context: { id: string; name: string; type: { name: string } } }>;
}

/** A gate flag and whether the impact reached it, for the comment's verdict line. */
export interface MarkdownGate { flag: string; reached: boolean }

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
const item = (n: MarkdownNode) => n.artifact ?? n.execution ?? null;
const nameOf = (n: MarkdownNode): string => {
  const name = item(n)?.name;
  return name ? markdownText(name) : `(unnamed ${markdownText(n.id)})`;
};
const stateOf = (n: MarkdownNode): string => n.artifact?.state ?? n.execution?.lastKnownState ?? '';
const row = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;
const header = (...titles: string[]): string[] => [row(titles), row(titles.map(() => '---'))];

function nodeTable(page: Page<MarkdownNode>, none: string): string[] {
  if (page.nodes.length === 0) return [none];
  return [
    ...header('Name', 'Type', 'State', 'Hops', 'Id'),
    ...page.nodes.map((n) => row([nameOf(n), markdownText(item(n)?.type.name ?? ''), stateOf(n), n.distance, markdownText(n.id)])),
    ...more(page),
  ];
}

function more(page: Page<unknown>): string[] {
  const left = page.totalCount - page.nodes.length;
  return left > 0 ? ['', `…and ${left} more not listed here (the first ${page.nodes.length} are).`] : [];
}

/**
 * The report as Markdown (see the module comment); `gate` only when the command was given
 * flags; `failedClosed` when the gate failed because the server cut the walk short.
 */
export function impactMarkdown(report: MarkdownImpact, gate: readonly MarkdownGate[] = [], failedClosed = false): string {
  const starts = report.start.map((n) => `${markdownText(item(n)?.type.name ?? '')}/${nameOf(n)}`).join(', ');
  const lines: string[] = [
    '## Impact analysis',
    '',
    `**${plural(report.modelCount, 'model')}**, ${plural(report.artifactCount, 'artifact')}, ${plural(report.executionCount, 'execution')} and ` +
      `${plural(report.contexts.totalCount, 'context')} affected downstream of ${starts || 'no existing node'}.`,
  ];
  if (report.truncated) lines.push('', '**Truncated:** the walk hit the server\'s hop or node limit; more may be affected.');
  if (gate.length > 0) {
    const reached = gate.filter((g) => g.reached).map((g) => markdownText(g.flag));
    const clear = gate.filter((g) => !g.reached).map((g) => markdownText(g.flag));
    lines.push('', reached.length > 0
      ? `**Gate failed:** the change reaches ${reached.join(', ')}${clear.length > 0 ? ` (not ${clear.join(', ')})` : ''}.`
      : failedClosed
        ? `**Gate failed:** the walk was cut short by the server's limit, so the change may reach ${clear.join(', ')} beyond it.`
        : `**Gate passed:** the change reaches none of ${clear.join(', ')}.`);
  }
  lines.push('', `#### Affected models (${report.models.totalCount})`, '', ...nodeTable(report.models, 'None.'));
  lines.push('', `#### Affected pipelines and runs (${report.contexts.totalCount})`, '');
  if (report.contexts.nodes.length === 0) lines.push('None.');
  else {
    lines.push(...header('Context', 'Type', 'Artifacts', 'Executions', 'Id'));
    for (const c of report.contexts.nodes) {
      lines.push(row([markdownText(c.context.name), markdownText(c.context.type.name), c.artifactCount, c.executionCount, markdownText(c.context.id)]));
    }
    lines.push(...more(report.contexts));
  }
  lines.push(
    '',
    '<details>',
    `<summary>Every affected artifact (${report.artifacts.totalCount}) and execution (${report.executions.totalCount}), and the counts by type</summary>`,
    '',
    ...header('Kind', 'Type', 'Base type', 'Count'),
    ...report.countsByType.map((c) => row([
      c.kind.toLowerCase(), `${markdownText(c.typeName)}${c.typeVersion ? ` (${markdownText(c.typeVersion)})` : ''}`, c.baseType ?? '—', c.count,
    ])),
    '',
    `#### Artifacts (${report.artifacts.totalCount})`, '', ...nodeTable(report.artifacts, 'None.'),
    '',
    `#### Executions (${report.executions.totalCount})`, '', ...nodeTable(report.executions, 'None.'),
    '',
    '</details>',
  );
  return `${lines.join('\n')}\n`;
}
