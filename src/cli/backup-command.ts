/**
 * `journey backup PATH [--force]`: an online, consistent copy of the SQLite store the
 * server uses (src/graph/sqlite/sqlite-backup.ts), safe to run while the server writes.
 * Prints one report line on stdout; a progress bar on stderr when it is a terminal.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Config } from '../config.js';
import { backupSqliteFile, BackupError, type BackupReport } from '../graph/sqlite/sqlite-backup.js';
import { UsageError } from './keys-command.js';

export { BACKUP_USAGE } from './store-usage.js';

/** Runs `journey backup <args>` for `config`'s store; `print` takes the report line (stdout). */
export async function runBackupCommand(args: readonly string[], config: Config, print: (line: string) => void): Promise<BackupReport> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { force: { type: 'boolean' }, 'pages-per-step': { type: 'string' } } });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1 || positionals[0] === '') {
    throw new UsageError(`backup takes one PATH to write the copy to, got ${positionals.length === 1 ? 'an empty one' : positionals.length}`);
  }
  const stepText = values['pages-per-step'];
  if (stepText !== undefined && !/^[1-9]\d{0,8}$/.test(stepText)) {
    throw new UsageError(`--pages-per-step must be a positive integer, got ${JSON.stringify(stepText)}`);
  }
  if (config.backend === 'neo4j') {
    throw new BackupError(
      'journey backup copies the SQLite store only, and JOURNEY_BACKEND is neo4j: back up Neo4j with '
      + '`journey export` (a portable JSON Lines copy) or the database\'s own neo4j-admin database dump/backup (see docs/deploy.md)',
    );
  }
  if (config.sqlitePath === ':memory:') throw new BackupError('JOURNEY_SQLITE_PATH is :memory:, a store that lives only in its process: there is no file to back up');
  const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ stream: process.stderr, format: 'journey backup [{bar}] {percentage}% {value}/{total} pages' }, cliProgress.Presets.shades_classic) : undefined;
  let started = false;
  try {
    const report = await backupSqliteFile({
      sourcePath: config.sqlitePath,
      targetPath: positionals[0]!,
      replace: values.force ?? false,
      pagesPerStep: stepText === undefined ? undefined : Number(stepText),
      onProgress: bar && ((copied, total) => {
        if (!started) bar.start(total, copied);
        started = true;
        bar.update(copied);
      }),
    });
    bar?.stop();
    print(describe(report));
    return report;
  } finally {
    if (started) bar?.stop();
  }
}

/** `backed up A to B: 1,234 pages of 4096 bytes (4.8 MiB), schema version 9, integrity_check ok, in 0.21 s`. */
function describe(r: BackupReport): string {
  const mib = (r.bytes / 1_048_576).toFixed(1);
  return `backed up ${r.sourcePath} to ${r.targetPath}${r.replaced ? ' (replaced)' : ''}: `
    + `${r.pages.toLocaleString('en-US')} pages of ${r.pageSize} bytes (${mib} MiB), schema version ${r.schemaVersion}, `
    + `integrity_check ok, in ${(r.millis / 1000).toFixed(2)} s`;
}
