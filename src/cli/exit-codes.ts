/**
 * The `journey` command's exit codes and its one error class for the server commands.
 * Every code is listed in `journey --help` (EXIT_CODES_HELP), so a CI script can tell a
 * tripped gate from an outage without reading stderr.
 */

/** Exit codes, one per outcome a script may want to branch on. */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** Failed: the server or the store refused the request, or something else went wrong. */
  FAILED: 1,
  /** A usage mistake: an unknown command or option, a bad argument. */
  USAGE: 2,
  /** A gate tripped: `impact --fail-if-affected` reached what it names. */
  GATE_TRIPPED: 3,
  /** The server could not be reached at the URL (or answered something that is not GraphQL). */
  UNREACHABLE: 4,
  /** The API key is wrong, absent or expired (401), or its role lacks the permission (FORBIDDEN). */
  NOT_ALLOWED: 5,
  /** A node reference names no node. */
  UNKNOWN_NODE: 6,
  /** `journey path`: no chain of events leads from the one node to the other within --hops. */
  NO_PATH: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit codes as `journey --help` lists them. */
export const EXIT_CODES_HELP = `Exit codes:
  0  done
  1  failed: the server or the store refused the request (the message and its code on stderr)
  2  usage mistake (unknown command or option, bad argument)
  3  gate tripped (impact --fail-if-affected)
  4  server unreachable at --url / JOURNEY_URL
  5  not allowed: wrong, absent or expired API key (401), or FORBIDDEN (the role needed is named)
  6  unknown node: a reference names no node
  7  no path (journey path)`;

/**
 * An outcome of a server command that ends it with `exitCode` and one line on stderr
 * (`journey: <message>`), never a stack trace.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
  }
}

/** A command-line mistake: one line (the store commands add their usage), exit code 2. */
export class UsageError extends Error {}
