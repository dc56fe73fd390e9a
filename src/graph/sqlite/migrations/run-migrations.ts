/**
 * Brings a SQLite database to the latest schema version: reads PRAGMA user_version,
 * copies a file that already holds a schema to `<file>.backup-v<N>-<timestamp>`, then runs
 * each missing step in a write transaction of its own that also stamps its version, so a
 * crash leaves the file at the last step that committed and the next open carries on.
 */
import { FailedPreconditionError } from '../../errors.js';
import type { SchemaMigration } from '../../schema-migration.js';
import type { SqliteExecutor } from '../sqlite-executor.js';
import type { SqliteMigration } from './migration.js';
import { SQLITE_MIGRATIONS } from './index.js';

const MEMORY_PATH = ':memory:';

/** `<file>.backup-v<version>-<UTC time to the second>`, e.g. journey.sqlite.backup-v3-20261204T234501Z. */
export const backupPathFor = (file: string, version: number, at: Date): string =>
  `${file}.backup-v${version}-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;

function refuseNewer(version: number, latest: number): void {
  if (version > latest) {
    throw new FailedPreconditionError(
      `the SQLite database has schema version ${version}; this build reads up to ${latest} and does not downgrade: `
      + 'run the release that wrote it, or restore the backup taken before it migrated',
    );
  }
}

/**
 * Runs the steps of `migrations` the executor's database lacks, after copying the file at
 * `file` (null or ':memory:': no copy); returns what it did, or null when the database was
 * already current. Refuses a database newer than this build.
 */
export async function migrateSqlite(
  executor: SqliteExecutor,
  file: string | null,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
  now: () => Date = () => new Date(),
): Promise<SchemaMigration | null> {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const readVersion = executor.prepare('PRAGMA user_version');
  const versionNow = (): number => readVersion.get<{ user_version: number }>()?.user_version ?? 0;
  // Read under the write lock, as the schema was applied before: two processes opening one
  // file wait for each other here instead of both deciding from a version about to change.
  const found = await executor.write(async () => versionNow());
  refuseNewer(found, latest);
  if (found === latest) return null;

  // A new file (version 0) has nothing to lose; one that holds a schema is copied first.
  let backupPath: string | null = null;
  if (found > 0 && file !== null && file !== MEMORY_PATH) {
    backupPath = backupPathFor(file, found, now());
    // VACUUM INTO writes a consistent copy through SQLite itself (WAL content included) and
    // needs no second connection, so the driver stays in the executor. It cannot run
    // inside a transaction; nothing else uses this store while it opens.
    executor.prepare('VACUUM INTO :backupPath').run({ backupPath });
  }

  for (const step of migrations) {
    if (step.version <= found) continue;
    await executor.write(async () => {
      // Another process opening the same file may have run this step since the read above.
      const current = versionNow();
      refuseNewer(current, latest);
      if (current >= step.version) return;
      executor.execScript(step.script);
      // PRAGMA takes no parameters; the version is an integer from code, never input.
      executor.execScript(`PRAGMA user_version = ${Math.trunc(step.version)}`);
    });
  }
  return { backend: 'sqlite', where: file ?? MEMORY_PATH, from: found, to: latest, backupPath };
}
