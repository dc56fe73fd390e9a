/**
 * The `journey` command (bin/journey.js runs it): reads the same environment as the
 * server (JOURNEY_BACKEND, JOURNEY_SQLITE_PATH, NEO4J_URI, ...) and opens the same store.
 * Exit codes: 0 done, 1 failed (the store refused or is unreachable), 2 a usage mistake.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, storeConfigOf, type Config } from '../config.js';
import { isStoreError } from '../graph/errors.js';
import { openStore } from '../graph/open-store.js';
import { describeMigration, type SchemaMigration } from '../graph/schema-migration.js';
import type { GraphStore } from '../graph/store.js';
import { createApiKeyService } from '../service/keys/api-keys.js';
import { createLineageService } from '../service/lineage/lineage-service.js';
import { personalDataSettings } from '../service/privacy/personal-data-settings.js';
import { createServices } from '../service/services.js';
import { DvcProjectError } from '../service/import/dvc-project.js';
import { NotMlmdSourceError } from '../service/import/mlmd-source.js';
import { UnimportableError } from '../service/import/mlmd-values.js';
import { BackupError } from '../graph/sqlite/sqlite-backup.js';
import { BACKUP_USAGE, runBackupCommand } from './backup-command.js';
import { runDvcImportCommand } from './dvc-import-command.js';
import { IMPORT_USAGE, runImportCommand } from './import-command.js';
import { KEYS_USAGE, runKeysCommand, UsageError, type StoreUse } from './keys-command.js';
import { runExportCommand, runImportJsonlCommand, runMigrateCommand, TRANSFER_USAGE } from './transfer-commands.js';
import { ExportFileError } from '../service/transfer/record-checks.js';

const USAGE = `journey: Data Journey's command line\n${KEYS_USAGE}\n\n${IMPORT_USAGE}\n\n${TRANSFER_USAGE}\n\n${BACKUP_USAGE}`;

async function main(args: string[]): Promise<number> {
  const [group, ...rest] = args;
  if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
    console.log(USAGE);
    return group === undefined ? 2 : 0;
  }
  if (group === 'import') {
    if (rest.some((a) => a === '--help' || a === '-h' || a === 'help')) {
      console.log(USAGE);
      return 0;
    }
    if (rest[0] === 'jsonl') {
      await runImportJsonlCommand(rest.slice(1), loadConfig(), (line) => console.log(line));
      return 0;
    }
    return importCommand(rest);
  }
  if (group === 'export' || group === 'migrate') {
    if (rest.some((a) => a === '--help' || a === '-h')) {
      console.log(USAGE);
      return 0;
    }
    const config = loadConfig();
    // The export reads one page at a time, so reader threads would only add their memory
    // (about 30 MB each) and a copy of every page between threads: it reads in this thread.
    const openConfigured = (use: StoreUse) => openStoreFor({ ...config, sqliteReaders: 0 }, use);
    // The export's summary goes to stderr: stdout may be the export itself.
    if (group === 'export') await runExportCommand(rest, openConfigured, (line) => console.error(line));
    else await runMigrateCommand(rest, config, openConfigured, (line) => console.log(line));
    return 0;
  }
  if (group === 'backup') {
    if (rest.some((a) => a === '--help' || a === '-h' || a === 'help')) {
      console.log(USAGE);
      return 0;
    }
    // The copy is made from the file itself: no store is opened, so nothing is migrated or created.
    await runBackupCommand(rest, loadConfig(), (line) => console.log(line));
    return 0;
  }
  if (group !== 'keys') throw new UsageError(`unknown command ${JSON.stringify(group)}`);
  const config = loadConfig();
  let store: GraphStore | undefined;
  try {
    await runKeysCommand(rest, async (use) => {
      store = await openStoreFor(config, use);
      return createApiKeyService(store);
    }, (line) => console.log(line));
    return 0;
  } finally {
    await store?.close();
  }
}

/** `journey import`: exit 1 when the verification found a difference (each printed). */
async function importCommand(args: string[]): Promise<number> {
  const config = loadConfig();
  let store: GraphStore | undefined;
  const openServices = async () => {
    const opened = await openStoreFor(config, 'create');
    store = opened;
    const { metadata } = createServices(opened, {
      personalData: personalDataSettings({ aggregateMinK: config.personalData.aggregateMinK, limits: config.lineage }),
    });
    return { metadata, lineage: createLineageService(opened, config.lineage) };
  };
  try {
    if (args[0] === 'dvc') {
      await runDvcImportCommand(args.slice(1), openServices, (line) => console.log(line));
      return 0;
    }
    const { mismatches } = await runImportCommand(args, openServices, (line) => console.log(line));
    if (mismatches.length > 0) console.error(`journey: the store differs from the source in ${mismatches.length} checks (MISMATCH above)`);
    return mismatches.length > 0 ? 1 : 0;
  } finally {
    await store?.close();
  }
}

/**
 * Opens the configured store, saying on stderr which one (stdout stays the command's
 * answer). A SQLite file that does not exist is made only by `create`: a `list` run from
 * the wrong folder must not make an empty store there and report that no key exists.
 */
async function openStoreFor(config: Config, use: StoreUse): Promise<GraphStore> {
  if (config.backend === 'neo4j') {
    console.error(`journey: using the Neo4j store at ${config.neo4j.uri}`);
    return openStore(storeConfigOf(config), sayMigrated);
  }
  const file = config.sqlitePath === ':memory:' ? config.sqlitePath : path.resolve(config.sqlitePath);
  const exists = file === ':memory:' || existsSync(file);
  if (!exists && use === 'existing') {
    throw new Error(
      `no SQLite store at ${file}: JOURNEY_SQLITE_PATH is relative to the current folder (default ./data/journey.sqlite). `
      + 'Run journey where the server runs, or set JOURNEY_SQLITE_PATH (or JOURNEY_BACKEND=neo4j and NEO4J_URI) to its store',
    );
  }
  console.error(`journey: ${exists ? 'using the' : 'creating a new'} SQLite store at ${file}`);
  return openStore({ backend: 'sqlite', sqlitePath: file, sqliteReaders: config.sqliteReaders }, sayMigrated);
}

/** A store written by an older release is migrated on open: the CLI says so, as the server logs it. */
const sayMigrated = (migration: SchemaMigration): void => console.error(`journey: ${describeMigration(migration)}`);

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`journey: ${err.message}\n${USAGE}`);
      process.exitCode = 2;
    } else {
      // Configuration errors, StoreErrors and an import's refusals are written for users; a bug shows its stack too.
      const known = isStoreError(err) || !(err instanceof Error) || err.constructor === Error
        || err instanceof UnimportableError || err instanceof BackupError || err instanceof NotMlmdSourceError || err instanceof DvcProjectError
        || err instanceof ExportFileError;
      console.error(`journey: ${known ? String(err instanceof Error ? err.message : err) : (err as Error).stack}`);
      process.exitCode = 1;
    }
  },
);
