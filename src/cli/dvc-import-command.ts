/**
 * `journey import dvc <repo-dir>`: records a DVC project's stage runs (dvc.yaml and
 * dvc.lock) and their file versions in the store the server uses (src/service/import/dvc-import.ts),
 * under the Git commit the directory is at.
 */
import { parseArgs } from 'node:util';
import { prepareDvcImport, recordDvcImport, type DvcImportReport } from '../service/import/dvc-import.js';
import type { MetadataApi } from '../service/metadata/metadata-service.js';
import { UsageError } from './keys-command.js';

export { DVC_IMPORT_USAGE } from './store-usage.js';

/** Runs `journey import dvc <args>`; `print` takes the summary's lines (stdout). */
export async function runDvcImportCommand(
  args: readonly string[], openServices: () => Promise<{ metadata: MetadataApi }>, print: (line: string) => void,
): Promise<DvcImportReport> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { 'dry-run': { type: 'boolean' } } });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1) throw new UsageError(`import dvc takes one project directory, got ${positionals.length}`);
  // Read first: a missing or malformed project is refused before the store is opened (or made).
  const prepared = await prepareDvcImport(positionals[0]!);
  const { metadata } = await openServices();
  const report = await recordDvcImport(metadata, prepared, values['dry-run'] ?? false);
  for (const line of describe(report)) print(line);
  return report;
}

function describe(r: DvcImportReport): string[] {
  const lines = [
    r.commit === null ? `no commit context: ${r.gitReason}` : `commit ${r.commit}`,
    `${r.dryRun ? 'would import' : 'imported'} ${r.root} as pipeline ${JSON.stringify(r.project)} in ${r.seconds.toFixed(1)} s: `
      + `${r.found.stages} stage runs, ${r.found.versions} file versions of ${r.found.datasets} paths; `
      + `${r.written.executions} runs, ${r.written.versions} versions, ${r.written.contexts} contexts new`,
  ];
  if (!r.lockCommitted) lines.push('warning: dvc.yaml or dvc.lock differ from the commit: commit after `dvc repro`, then import, so the runs are the commit\'s');
  return lines;
}
