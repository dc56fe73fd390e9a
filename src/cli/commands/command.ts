/**
 * What a `journey` command module exports: one function that adds the command (its
 * arguments, options, help and action) to the program. commands/index.ts lists them all,
 * in the order `journey --help` shows them.
 */
import type { Command } from 'commander';

export interface CliCommand {
  /** Adds the command to `program`. */
  register(program: Command): void;
}
