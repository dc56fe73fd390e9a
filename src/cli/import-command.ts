/**
 * `journey import mlmd <file | mysql://…>`: imports an ML Metadata SQLite database, or a
 * MySQL one by URL (its password shown nowhere), into the store the server uses (src/service/import/), showing a progress bar per phase on a terminal (one
 * line per phase otherwise), then verifies the store against the source and fails (exit
 * 1) naming every check that differed.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { LineageApi } from '../service/lineage/lineage-service.js';
import type { MetadataApi } from '../service/metadata/metadata-service.js';
import { importMlmd, type ImportPhase, type ImportReport, type PhaseProgress } from '../service/import/mlmd-import.js';
import { writeImportMapping } from '../service/import/mlmd-mapping.js';
import type { MlmdSource } from '../service/import/mlmd-source.js';
import { openMlmdSource } from '../service/import/mlmd-open.js';
import { verifyImport, type Check } from '../service/import/mlmd-verify.js';
import { MAX_BATCH } from '../service/shared/validate.js';
import { UsageError } from './keys-command.js';

export { IMPORT_USAGE } from './store-usage.js';

/** What the command needs of the store: opened after the arguments and the source were checked. */
export interface ImportServices { metadata: MetadataApi; lineage: LineageApi }

/** The command's outcome: the exit code's reason. */
export interface ImportOutcome { report: ImportReport; mismatches: Check[] }

/** Runs `journey import mlmd <args>` (main.ts sends `import dvc` to dvc-import-command.ts); `print` takes the summary's lines (stdout), progress goes to stderr. */
export async function runImportCommand(
  args: readonly string[], openServices: () => Promise<ImportServices>, print: (line: string) => void,
): Promise<ImportOutcome> {
  const [format, ...rest] = args;
  if (format !== 'mlmd') throw new UsageError(format === undefined ? 'import needs a format: mlmd or dvc' : `unknown import format ${JSON.stringify(format)}: mlmd or dvc`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest, allowPositionals: true,
      options: { source: { type: 'string' }, batch: { type: 'string' }, mapping: { type: 'string' }, 'no-verify': { type: 'boolean' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1) throw new UsageError(`import mlmd takes one database file, got ${positionals.length}: a SQLite file or a mysql:// URL`);
  const batch = values.batch === undefined ? MAX_BATCH : Number(values.batch);
  if (!/^\d+$/.test(values.batch ?? '1') || batch < 1 || batch > MAX_BATCH) {
    throw new UsageError(`--batch must be an integer from 1 to ${MAX_BATCH}, got ${JSON.stringify(values.batch)}`);
  }
  const source = await openMlmdSource(positionals[0]!);
  // The source's location: a file's absolute path, or the URL without its password.
  const file = source.location;
  const origin = values.source ?? file;
  try {
    // Refused values are found before the store is opened (or made), so a refusal leaves nothing behind.
    await source.checkValues(await source.bounds());
    const services = await openServices();
    const bars = new PhaseBars();
    let report: ImportReport;
    try {
      report = await importMlmd(services.metadata, source, { source: origin, pageSize: batch, onProgress: (p) => bars.show(p) });
    } finally {
      bars.stop();
    }
    for (const line of bars.summary()) print(line);
    print(`imported ${file} as source ${JSON.stringify(origin)} in ${report.seconds.toFixed(1)} s: ${describeWritten(report)}`);
    print(report.keptSourceIds
      ? "ids: the store was empty, so types and nodes kept ML Metadata's ids"
      : 'ids: the store was not empty, so it gave imported records its own ids; `--mapping FILE.csv` writes ML Metadata id -> store id');
    if (values.mapping !== undefined) print(`mapping: ${await writeMapping(services.metadata, source, origin, report, values.mapping)} nodes written to ${values.mapping}`);
    if (values['no-verify']) return { report, mismatches: [] };
    return { report, mismatches: await verify(services, source, origin, report, print) };
  } finally {
    await source.close();
  }
}

function describeWritten(report: ImportReport): string {
  const c = report.counts;
  const w = report.written;
  return [
    `${w.types} of ${c.types} types`, `${w.contexts} of ${c.CONTEXT} contexts`, `${w.artifacts} of ${c.ARTIFACT} artifacts`,
    `${w.executions} of ${c.EXECUTION} executions`, `${w.events} of ${c.events} events`,
    `${w.links} of ${c.attributions + c.associations + c.parentContexts} links`,
  ].join(', ') + ' new';
}

async function writeMapping(api: MetadataApi, source: MlmdSource, origin: string, report: ImportReport, file: string): Promise<number> {
  const out = createWriteStream(file);
  const lines = await writeImportMapping(api, source, origin, report.bounds, (line) => { out.write(`${line}\n`); });
  out.end();
  await once(out, 'finish');
  return lines;
}

async function verify(services: ImportServices, source: MlmdSource, origin: string, report: ImportReport, print: (line: string) => void): Promise<Check[]> {
  const checks = await verifyImport(services.metadata, services.lineage, source, { source: origin, bounds: report.bounds, counts: report.counts });
  const mismatches = checks.filter((c) => !c.equal);
  for (const c of checks.slice(0, 6)) print(`verify ${c.what}: source ${c.source}, store ${c.store}${c.equal ? '' : '  MISMATCH'}`);
  for (const c of mismatches.filter((m) => checks.indexOf(m) >= 6)) print(`verify ${c.what}: source ${c.source}, store ${c.store}  MISMATCH`);
  print(`verified: ${checks.length - mismatches.length} of ${checks.length} checks equal`
    + ` (counts per kind, ${checks.filter((c) => /^(context|artifact|execution) \d/.test(c.what)).length} nodes, ${checks.filter((c) => c.what.startsWith('lineage')).length} lineage walks)`);
  return mismatches;
}

/**
 * A bar per phase on a terminal (stderr); without one, nothing while it runs, and a line
 * per phase for the summary, so a log or a pipe gets no control characters.
 */
class PhaseBars {
  private readonly multi = process.stderr.isTTY
    ? new cliProgress.MultiBar({
      stream: process.stderr, clearOnComplete: false, hideCursor: true, etaBuffer: 50,
      format: '{phase} |{bar}| {value}/{total} read, {written} new, {rate}/s',
    }, cliProgress.Presets.shades_classic)
    : null;
  private readonly phases = new Map<ImportPhase, { started: number; at: number; last: PhaseProgress; bar: cliProgress.SingleBar | null }>();

  show(p: PhaseProgress): void {
    let phase = this.phases.get(p.phase);
    if (!phase) {
      phase = { started: performance.now(), at: performance.now(), last: p, bar: this.multi?.create(p.total, 0, { phase: p.phase.padEnd(10), written: 0, rate: 0 }) ?? null };
      this.phases.set(p.phase, phase);
    }
    phase.last = p;
    phase.at = performance.now();
    phase.bar?.update(p.done, { phase: p.phase.padEnd(10), written: p.written, rate: Math.round(p.done / this.seconds(p.phase)) });
  }

  /** From the phase's first page to its latest. */
  private seconds(phase: ImportPhase): number {
    const p = this.phases.get(phase)!;
    return Math.max(0.001, (p.at - p.started) / 1000);
  }

  stop(): void {
    this.multi?.stop();
  }

  summary(): string[] {
    return [...this.phases.entries()].map(([name, { last }]) =>
      `${name.padEnd(10)} ${last.done} read, ${last.written} new, ${this.seconds(name).toFixed(1)} s, ${Math.round(last.done / this.seconds(name))}/s`);
  }
}
