/**
 * The `journey` program, parsed by commander (main.ts runs it). Server commands
 * (lineage, path, ...: src/cli/commands/) talk to a running server over GraphQL; store
 * commands (keys, import, export, migrate, backup) open the server's store themselves,
 * reading the same environment as the server (JOURNEY_BACKEND, JOURNEY_SQLITE_PATH,
 * NEO4J_URI, ...). Every failure is one line on stderr, `journey: <what went wrong>`,
 * with the exit code EXIT names (listed in `journey --help`).
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { CONNECTION_HELP } from './commands/server-command.js';
import { STORE_USAGE } from './commands/store-commands.js';
import { CliError, EXIT, EXIT_CODES_HELP, UsageError } from './exit-codes.js';

/** The program with every command of commands/index.ts; commander's exits become thrown CommanderErrors. */
export function journeyProgram(): Command {
  const program = new Command('journey')
    .description("Data Journey's command line: ask a running server about lineage, and manage the server's store")
    .enablePositionalOptions()
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      // commander's own usage errors, as the rest: `journey: <message>` and where to look.
      outputError: (text, write) => write(`journey: ${text.replace(/^error: /, '').trimEnd()} (see journey --help)\n`),
    });
  for (const command of COMMANDS) command.register(program);
  program.addHelpText('after', `\n${CONNECTION_HELP}\n\n${STORE_USAGE}\n\n${EXIT_CODES_HELP}`);
  return program;
}

/** Runs `journey <args>`; resolves to the exit code. */
export async function runJourney(args: readonly string[]): Promise<number> {
  const program = journeyProgram();
  if (args.length === 0) {
    program.outputHelp({ error: false });
    return EXIT.USAGE;
  }
  const [first] = args;
  const names = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
  if (!first!.startsWith('-') && first !== 'help' && !names.has(first!)) {
    console.error(`journey: unknown command ${JSON.stringify(first)}\n${program.helpInformation()}`);
    return EXIT.USAGE;
  }
  try {
    process.exitCode = undefined;
    await program.parseAsync([...args], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (error) {
    return failure(error);
  }
}

/** The exit code for `error`, its one line written on stderr. */
function failure(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version output are answers, not failures; everything else commander refuses is a usage mistake (already printed).
    return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code) ? EXIT.OK : EXIT.USAGE;
  }
  if (error instanceof CliError) {
    console.error(`journey: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof UsageError) {
    console.error(`journey: ${error.message} (see journey --help)`);
    return EXIT.USAGE;
  }
  // A plain Error is written for users (the store commands make their known refusals CliErrors); a bug shows its stack too.
  const known = !(error instanceof Error) || error.constructor === Error;
  console.error(`journey: ${known ? String(error instanceof Error ? error.message : error) : (error as Error).stack}`);
  return EXIT.FAILED;
}

