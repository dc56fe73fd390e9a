/**
 * Every `journey` command, in the order `journey --help` lists them. A new command is a
 * module in this folder exporting a CliCommand, and one line here.
 */
import type { CliCommand } from './command.js';
import { compareCommand } from './compare.js';
import { erasureCommand } from './erasure.js';
import { impactCommand } from './impact.js';
import { lineageCommand } from './lineage.js';
import { pathCommand } from './path.js';
import { subjectCommand } from './subject.js';
import { storeCommands } from './store-commands.js';

export const COMMANDS: readonly CliCommand[] = [
  lineageCommand,
  pathCommand,
  impactCommand,
  compareCommand,
  subjectCommand,
  erasureCommand,
  storeCommands,
];
