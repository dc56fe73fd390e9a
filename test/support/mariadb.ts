/**
 * A real MariaDB for the tests that import an ML Metadata MySQL store: Debian's
 * mariadb-server, unpacked into .cache/mariadb by scripts/mariadb (no Docker, no system
 * install), one throw-away server per test file, stopped at its end. Outside CI a machine
 * that has no unpacked server and cannot fetch one (no apt-get) skips those tests, loudly;
 * with CI=true it fails them (test/support/requirements.ts).
 */
// @ts-expect-error a plain .mjs script with no type declarations
import { canInstall, install, installed, start } from '../../scripts/mariadb/mariadb.mjs';
import { toolAvailable } from './requirements.js';

export interface RunningMariadb {
  host: string;
  port: number;
  /** root, with no password, from 127.0.0.1. */
  user: string;
  startupMs: number;
  stop(): Promise<void>;
}

/**
 * Whether this machine has a MariaDB to start, fetching and unpacking it first if it can
 * (at collection, once); says loudly what is skipped when not.
 */
export function mariadbAvailable(what: string): boolean {
  let problem: string | null = null;
  if (!installed()) {
    if (!canInstall()) {
      problem = "no MariaDB in .cache/mariadb and no apt-get and dpkg to fetch Debian's (npm run mariadb:install)";
    } else {
      try {
        install({ quiet: true });
      } catch (err) {
        problem = `Debian's MariaDB could not be fetched into .cache/mariadb (${(err as Error).message.trim()})`;
      }
    }
  }
  return toolAvailable(problem === null, problem ?? '', what);
}

/** Starts a MariaDB for one test file; call stop() in afterAll. */
export async function startMariadb(): Promise<RunningMariadb> {
  return (await start()) as RunningMariadb;
}
