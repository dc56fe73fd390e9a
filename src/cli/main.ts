/**
 * The `journey` command (bin/journey.js runs it): reads the same environment as the
 * server (JOURNEY_BACKEND, JOURNEY_SQLITE_PATH, NEO4J_URI, ...) and opens the same store.
 * Exit codes: 0 done, 1 failed (the store refused or is unreachable), 2 a usage mistake.
 */
import { loadConfig, storeConfigOf } from '../config.js';
import { isStoreError } from '../graph/errors.js';
import { openStore } from '../graph/open-store.js';
import type { GraphStore } from '../graph/store.js';
import { createApiKeyService } from '../service/api-keys.js';
import { KEYS_USAGE, runKeysCommand, UsageError } from './keys-command.js';

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
    await runKeysCommand(rest, async () => {
      store = await openStore(storeConfigOf(config));
      return createApiKeyService(store);
    }, (line) => console.log(line));
    return 0;
  } finally {
    await store?.close();
  }
}

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
