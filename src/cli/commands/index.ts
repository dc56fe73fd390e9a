/**
 * Every `journey` command, in the order `journey --help` lists them. A new command is a
 * module in this folder exporting a CliCommand, and one line here.
 */
import type { CliCommand } from './command.js';
import { lineageCommand } from './lineage.js';
import { pathCommand } from './path.js';
import { storeCommands } from './store-commands.js';

export const COMMANDS: readonly CliCommand[] = [
  lineageCommand,
  pathCommand,
  storeCommands,
];
