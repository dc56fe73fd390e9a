/**
 * `journey keys create | list | revoke`: API key management from the command line, over
 * the same store the server uses. Every command writes plain lines; `create` prints the
 * new key as its last line, so a script can take it with `tail -n 1`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { keyStatus, ROLES, type ApiKeyApi, type ApiKeyInfo } from '../service/keys/api-keys.js';
import { clientCertificateFingerprint } from '../service/keys/client-certificates.js';

import { UsageError } from './exit-codes.js';

// Kept exported here, where the store commands have always taken it from.
export { UsageError };

import { KEYS_USAGE } from './store-usage.js';

export { KEYS_USAGE };

/** How a command needs the store: `create` may make a new one; list and revoke only read or change an existing one. */
export type StoreUse = 'create' | 'existing';

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

/** Milliseconds since the epoch of --expires-in (from `now`) or --expires-at; null when neither is given. */
export function expiryOf(values: { 'expires-in'?: string; 'expires-at'?: string }, now: number): number | null {
  const { 'expires-in': within, 'expires-at': at } = values;
  if (within !== undefined && at !== undefined) throw new UsageError('give --expires-in or --expires-at, not both');
  if (within !== undefined) {
    const match = /^(\d{1,6})([dhm])$/.exec(within);
    if (!match || Number(match[1]) === 0) throw new UsageError(`--expires-in must be a positive number of d, h or m (e.g. 30d), got ${JSON.stringify(within)}`);
    return now + Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  if (at !== undefined) {
    const time = Date.parse(at);
    if (Number.isNaN(time)) throw new UsageError(`--expires-at must be an ISO time such as 2027-01-31T00:00:00Z, got ${JSON.stringify(at)}`);
    return time;
  }
  return null;
}

const iso = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());

/**
 * One line per key, under a header; no secrets exist to print. The client certificate
 * column (its SHA-256) shows only when some key has one, so a deployment without mutual
 * TLS reads the table as before.
 */
export function keyTable(keys: readonly ApiKeyInfo[], now: number): string[] {
  const certificates = keys.some((k) => k.clientCertSha256 !== undefined);
  const rows = [['ID', 'ROLE', 'STATUS', 'CREATED', 'EXPIRES', 'REVOKED', ...(certificates ? ['CLIENT-CERT-SHA256'] : []), 'NAME']];
  for (const k of keys) {
    rows.push([
      k.id, k.role, keyStatus(k, now), iso(k.createTime), iso(k.expireTime), iso(k.revokeTime),
      ...(certificates ? [k.clientCertSha256 ?? '-'] : []), JSON.stringify(k.name),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
}

/**
 * Runs `journey keys <args>`, writing lines through `print`. The arguments are checked
 * before `openKeys` is called, so a usage mistake costs no database connection.
 */
export async function runKeysCommand(
  args: readonly string[], openKeys: (use: StoreUse) => Promise<ApiKeyApi>, print: (line: string) => void,
): Promise<void> {
  const [command, ...rest] = args;
  switch (command) {
    case '--help':
    case '-h':
    case 'help':
      print(KEYS_USAGE);
      return;
    case 'create': {
      const { values } = parse(rest, {
        role: { type: 'string' }, name: { type: 'string' }, 'expires-in': { type: 'string' }, 'expires-at': { type: 'string' },
        'client-cert': { type: 'string' },
      });
      if (values.role === undefined || !(ROLES as readonly string[]).includes(values.role)) {
        throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      }
      if (values.name === undefined) throw new UsageError('--name is required: say what the key is for');
      const expiresAt = expiryOf(values, Date.now());
      const clientCertificate = values['client-cert'] === undefined ? null : readCertificate(values['client-cert']);
      const keys = await openKeys('create');
      const created = await keys.create({ name: values.name, role: values.role, expiresAt, clientCertificate });
      const { key } = created;
      print(`created API key ${key.id}: role ${key.role}, name ${JSON.stringify(key.name)}, expires ${key.expireTime === null ? 'never' : iso(key.expireTime)}`);
      if (key.clientCertSha256 !== undefined) {
        print(`It stands for the client certificate with SHA-256 ${key.clientCertSha256} on the gRPC port (mutual TLS); revoking the key ends that too.`);
      }
      print('Send it as "Authorization: Bearer <key>". It is shown only now: only its hash is stored.');
      print(created.token);
      return;
    }
    case 'list': {
      parse(rest, {});
      const all = await (await openKeys('existing')).list();
      if (all.length === 0) print('no API keys: the server runs open for local development (loopback only)');
      else for (const line of keyTable(all, Date.now())) print(line);
      return;
    }
    case 'revoke': {
      const { positionals } = parse(rest, {}, true);
      if (positionals.length !== 1) throw new UsageError('revoke takes one key id (see journey keys list)');
      const keys = await openKeys('existing');
      const key = await keys.revoke(await idOfPrefix(keys, positionals[0]!));
      print(`revoked API key ${key.id} (${key.role}, ${JSON.stringify(key.name)}) at ${iso(key.revokeTime)}; it stops working at once`);
      return;
    }
    default:
      throw new UsageError(command === undefined ? 'keys needs a command' : `unknown keys command ${JSON.stringify(command)}`);
  }
}

/**
 * The PEM text of --client-cert's file, checked before any store opens: a missing file or
 * one without exactly one certificate is refused naming the option and the file.
 */
function readCertificate(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`--client-cert ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  clientCertificateFingerprint(pem, `--client-cert ${file}`);
  return pem;
}

/**
 * The one key id that starts with `prefix` (ids are long; people copy the start). An
 * unknown prefix is passed on as it is, for the key service to refuse by its own message;
 * a prefix several keys share is refused, with how many.
 */
async function idOfPrefix(keys: ApiKeyApi, prefix: string): Promise<string> {
  if (prefix === '') return prefix;
  const matches = (await keys.list()).filter((k) => k.id.startsWith(prefix));
  if (matches.length > 1) {
    throw new Error(`${matches.length} API keys have ids starting with ${JSON.stringify(prefix)}: give more of the id (see journey keys list)`);
  }
  return matches[0]?.id ?? prefix;
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<O extends Options>(args: readonly string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
