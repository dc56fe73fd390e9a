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
import { KEYS_USAGE, runKeysCommand, UsageError, type StoreUse } from './keys-command.js';

const USAGE = `journey: Data Journey's command line\n${KEYS_USAGE}`;

async function main(args: string[]): Promise<number> {
  const [group, ...rest] = args;
  if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
    console.log(USAGE);
    return group === undefined ? 2 : 0;
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
      // Configuration errors and StoreErrors are written for users; a bug shows its stack too.
      const known = isStoreError(err) || !(err instanceof Error) || err.constructor === Error;
      console.error(`journey: ${known ? String(err instanceof Error ? err.message : err) : (err as Error).stack}`);
      process.exitCode = 1;
    }
  },
);
