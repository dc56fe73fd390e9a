/**
 * What every server command shares: the connection options (--url, --key, --key-file),
 * the help text that explains them, a client made from them, and the checks of the
 * numeric options they have in common. A server command goes through GraphQL only: it
 * never opens the store or calls src/service/ (the server's rules stay the server's).
 */
import type { Command } from 'commander';
import { addConnectionOptions, connectionOf, DEFAULT_URL, type ConnectionFlags } from '../client/connection.js';
import { createGraphQLClient, type GraphQLClient } from '../client/graphql-client.js';
import { UsageError } from '../exit-codes.js';

/** The connection settings as `journey --help` and each server command's help explain them. */
export const CONNECTION_HELP = `Connection (server commands):
  --url URL        the server's GraphQL endpoint; env JOURNEY_URL; default ${DEFAULT_URL}
  --key KEY        an API key; env JOURNEY_API_KEY (preferred: a flag shows in ps)
  --key-file FILE  read the API key from FILE's first line
  Without a key, only a server in open local mode (no key made yet, loopback) answers.`;

/** Adds command `name` to `program` with the connection options and their help. */
export function serverCommand(program: Command, name: string, description: string): Command {
  const command = program.command(name).description(description);
  addConnectionOptions(command);
  command.addHelpText('after', `\n${CONNECTION_HELP}`);
  return command;
}

/** A client for the connection `command`'s options name (UsageError for a bad --url or key file). */
export function clientOf(command: Command): GraphQLClient {
  return createGraphQLClient(connectionOf(command.opts<ConnectionFlags>()));
}

/** A --hops value: a whole number from 0 (the server refuses one above its ceiling, naming it); undefined: the server's default. */
export function hopsOf(text: string | undefined, flag = '--hops'): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,6}$/.test(text)) throw new UsageError(`${flag} must be a whole number of events (0 or more), got ${JSON.stringify(text)}`);
  return Number(text);
}
