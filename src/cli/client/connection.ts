/**
 * Where the server commands send their requests and with which key: --url / JOURNEY_URL
 * (default the local server on the server's default port), --key / JOURNEY_API_KEY or
 * --key-file. Shared by every server command (addConnectionOptions), so each reads the
 * same flags the same way.
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { UsageError } from '../exit-codes.js';

/** The server `npm start` runs when JOURNEY_PORT is unset (src/config.ts). */
export const DEFAULT_URL = 'http://127.0.0.1:4000/graphql';

/** A resolved connection: the GraphQL endpoint and the key sent as a bearer token (null: none, open local mode). */
export interface Connection {
  url: URL;
  key: string | null;
}

/** The options addConnectionOptions declares, as commander parses them. */
export interface ConnectionFlags {
  url?: string;
  key?: string;
  keyFile?: string;
}

/** Declares --url, --key and --key-file on `command` (every server command has them). */
export function addConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', `the server's GraphQL endpoint (env JOURNEY_URL; default ${DEFAULT_URL})`))
    .addOption(new Option('--key <key>', 'API key (env JOURNEY_API_KEY; prefer the variable or --key-file: a flag shows in ps)'))
    .addOption(new Option('--key-file <file>', 'read the API key from this file (its first line)'));
}

/**
 * The connection `flags` and `env` name: a flag wins over its variable; --key and
 * --key-file together are a usage mistake, as are a URL that is not http(s) and an
 * unreadable or empty key file (named, never its content).
 */
export function connectionOf(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Connection {
  const urlText = flags.url ?? nonEmpty(env.JOURNEY_URL) ?? DEFAULT_URL;
  const from = flags.url !== undefined ? '--url' : nonEmpty(env.JOURNEY_URL) !== undefined ? 'JOURNEY_URL' : 'the default URL';
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new UsageError(`${from} must be an http(s) URL such as ${DEFAULT_URL}, got ${JSON.stringify(urlText)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${from} must be an http(s) URL such as ${DEFAULT_URL}, got a ${url.protocol} URL`);
  }
  // fetch refuses such a URL, and a password in it would show in ps and in every message.
  if (url.username !== '' || url.password !== '') throw new UsageError(`${from} must not hold a user name or password: give the API key with --key-file or JOURNEY_API_KEY`);
  if (flags.key !== undefined && flags.keyFile !== undefined) throw new UsageError('give --key or --key-file, not both');
  const key = flags.key ?? (flags.keyFile !== undefined ? readKeyFile(flags.keyFile) : nonEmpty(env.JOURNEY_API_KEY)) ?? null;
  if (key !== null && key.trim() === '') throw new UsageError('--key is empty');
  return { url, key: key?.trim() ?? null };
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** The key in `file`'s first line; the file's text never reaches a message. */
function readKeyFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--key-file ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const key = text.split(/\r?\n/, 1)[0]!.trim();
  if (key === '') throw new UsageError(`--key-file ${file}: the file's first line is empty`);
  return key;
}

/** `url` as messages show it: without a user name or password someone put in it. */
export function shownUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}
