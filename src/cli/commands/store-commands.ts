/**
 * The commands that open the server's store themselves (keys, import, export, migrate,
 * backup), as they were before the command line moved to commander: each takes its
 * arguments as they come and parses them itself (parseArgs), prints its own usage for
 * --help, and answers a usage mistake with the usage on stderr and exit code 2. They read
 * the server's environment (JOURNEY_BACKEND, JOURNEY_SQLITE_PATH, NEO4J_URI...), not --url.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import type { SchemaMigration } from '../../graph/schema-migration.js';
import type { GraphStore } from '../../graph/store.js';
import { CliError, EXIT, UsageError } from '../exit-codes.js';
import type { StoreUse } from '../keys-command.js';
import { BACKUP_USAGE, IMPORT_USAGE, KEYS_USAGE, TRANSFER_USAGE } from '../store-usage.js';
import type { CliCommand } from './command.js';

// The store's modules (the SQLite binding, the Neo4j driver, the services) are imported
// when a store command runs, never for `journey --help` or a server command: they cost a
// second at start, and a server command must work where the store's native parts do not.
const config = async (): Promise<Config> => (await import('../../config.js')).loadConfig();

/** The store commands' usage, as `journey --help` ends with it and each prints it for --help. */
export const STORE_USAGE = `Store commands (run where the server's store is; they take no --url):\n${KEYS_USAGE}\n\n${IMPORT_USAGE}\n\n${TRANSFER_USAGE}\n\n${BACKUP_USAGE}`;

const isHelp = (args: readonly string[]): boolean => args.some((a) => a === '--help' || a === '-h' || a === 'help');

/**
 * Adds `name` as a command whose arguments reach `run` untouched (commander's own help
 * and option checks are off: the command does both as it always has). A UsageError it
 * throws prints the usage after the message and exits 2, as before.
 */
function passThrough(program: Command, name: string, description: string, run: (args: string[]) => Promise<number>): void {
  program.command(name)
    .description(description)
    .argument('[arguments...]')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .action(async (args: string[]) => {
      try {
        process.exitCode = await run(args);
      } catch (error) {
        if (!(error instanceof UsageError)) throw await failureOf(error);
        console.error(`journey: ${error.message}\n${STORE_USAGE}`);
        process.exitCode = EXIT.USAGE;
      }
    });
}

export const storeCommands: CliCommand = {
  register(program) {
    passThrough(program, 'keys', 'create, list and revoke API keys (journey keys --help)', keysCommand);
    passThrough(program, 'import', 'import an ML Metadata store, a DVC project or an export file (journey import --help)', async (args) => {
      if (isHelp(args)) return printUsage();
      if (args[0] === 'jsonl') {
        const { runImportJsonlCommand } = await import('../transfer-commands.js');
        await runImportJsonlCommand(args.slice(1), await config(), (line) => console.log(line));
        return EXIT.OK;
      }
      return importCommand(args);
    });
    passThrough(program, 'export', 'write the whole store as JSON Lines (journey export --help)', async (args) => {
      if (args.some((a) => a === '--help' || a === '-h')) return printUsage();
      const [configured, { runExportCommand }] = await Promise.all([config(), import('../transfer-commands.js')]);
      // The export's summary goes to stderr: stdout may be the export itself.
      await runExportCommand(args, (use) => openStoreFor(configured, use), (line) => console.error(line));
      return EXIT.OK;
    });
    passThrough(program, 'migrate', 'copy the store into the other backend (journey migrate --help)', async (args) => {
      if (args.some((a) => a === '--help' || a === '-h')) return printUsage();
      const [configured, { runMigrateCommand }] = await Promise.all([config(), import('../transfer-commands.js')]);
      await runMigrateCommand(args, configured, (use) => openStoreFor(configured, use), (line) => console.log(line));
      return EXIT.OK;
    });
    passThrough(program, 'backup', 'copy the SQLite store while the server runs (journey backup --help)', async (args) => {
      if (isHelp(args)) return printUsage();
      // The copy is made from the file itself: no store is opened, so nothing is migrated or created.
      const { runBackupCommand } = await import('../backup-command.js');
      await runBackupCommand(args, await config(), (line) => console.log(line));
      return EXIT.OK;
    });
  },
};

function printUsage(): number {
  console.log(STORE_USAGE);
  return EXIT.OK;
}

async function keysCommand(args: string[]): Promise<number> {
  const [configured, { runKeysCommand }, { createApiKeyService }] = await Promise.all([
    config(), import('../keys-command.js'), import('../../service/keys/api-keys.js'),
  ]);
  let store: GraphStore | undefined;
  try {
    await runKeysCommand(args, async (use) => {
      store = await openStoreFor(configured, use);
      return createApiKeyService(store);
    }, (line) => console.log(line));
    return EXIT.OK;
  } finally {
    await store?.close();
  }
}

/** `journey import`: exit 1 when the verification found a difference (each printed). */
async function importCommand(args: string[]): Promise<number> {
  const [configured, { runImportCommand }, { runDvcImportCommand }, { createServices }, { personalDataSettings }, { createLineageService }] = await Promise.all([
    config(), import('../import-command.js'), import('../dvc-import-command.js'), import('../../service/services.js'),
    import('../../service/privacy/personal-data-settings.js'), import('../../service/lineage/lineage-service.js'),
  ]);
  let store: GraphStore | undefined;
  const openServices = async () => {
    const opened = await openStoreFor(configured, 'create');
    store = opened;
    const { metadata } = createServices(opened, {
      personalData: personalDataSettings({ aggregateMinK: configured.personalData.aggregateMinK, limits: configured.lineage }),
    });
    return { metadata, lineage: createLineageService(opened, configured.lineage) };
  };
  try {
    if (args[0] === 'dvc') {
      await runDvcImportCommand(args.slice(1), openServices, (line) => console.log(line));
      return EXIT.OK;
    }
    const { mismatches } = await runImportCommand(args, openServices, (line) => console.log(line));
    if (mismatches.length > 0) console.error(`journey: the store differs from the source in ${mismatches.length} checks (MISMATCH above)`);
    return mismatches.length > 0 ? EXIT.FAILED : EXIT.OK;
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
  const [{ storeConfigOf }, { openStore }, { describeMigration }] = await Promise.all([
    import('../../config.js'), import('../../graph/open-store.js'), import('../../graph/schema-migration.js'),
  ]);
  // A store written by an older release is migrated on open: the CLI says so, as the server logs it.
  const sayMigrated = (migration: SchemaMigration): void => console.error(`journey: ${describeMigration(migration)}`);
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


/**
 * What a store command's error becomes: configuration errors, StoreErrors and an import's,
 * a backup's or an export file's refusals are written for users, so their message alone
 * (a CliError, exit 1); anything else is a bug and goes on as it is (printed with its stack).
 */
async function failureOf(error: unknown): Promise<unknown> {
  const [{ isStoreError }, { UnimportableError }, { BackupError }, { NotMlmdSourceError }, { DvcProjectError }, { ExportFileError }] = await Promise.all([
    import('../../graph/errors.js'), import('../../service/import/mlmd-values.js'), import('../../graph/sqlite/sqlite-backup.js'),
    import('../../service/import/mlmd-source.js'), import('../../service/import/dvc-project.js'), import('../../service/transfer/record-checks.js'),
  ]);
  const known = isStoreError(error) || !(error instanceof Error) || error.constructor === Error
    || error instanceof UnimportableError || error instanceof BackupError || error instanceof NotMlmdSourceError || error instanceof DvcProjectError
    || error instanceof ExportFileError;
  return known ? new CliError(error instanceof Error ? error.message : String(error), EXIT.FAILED) : error;
}
