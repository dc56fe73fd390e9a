/**
 * Data-subject identifiers are personal data themselves (an e-mail address, a customer
 * number), so they are kept nowhere: not in the store, the logs or an error message.
 * Only a keyed hash is stored, HMAC-SHA-256 under a secret from the configuration, so
 * the same subject always finds the same registrations while no one without the secret
 * can test a guessed identifier against the store (a plain hash of an e-mail address
 * falls to a dictionary).
 */
import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../graph/errors.js';
import { requireWellFormed } from '../shared/validate.js';

/** Shortest secret accepted: 32 characters (a generated one is 64 hex digits, 256 bits). */
export const MIN_SUBJECT_SECRET_LENGTH = 32;
/** Longest subject identifier accepted. */
export const MAX_SUBJECT_ID_LENGTH = 1024;

/**
 * Hashes subject identifiers; the secret lives only inside a private KeyObject. Given a
 * function instead of the secret, it asks for the secret on the first hash only: a
 * server whose personal-data features are never used never makes (or warns about) one.
 */
export class SubjectKey {
  #key: KeyObject | undefined;
  #load: (() => string) | undefined;

  constructor(secret: string | (() => string)) {
    if (typeof secret === 'function') this.#load = secret;
    else this.#key = keyOf(secret);
  }

  /** The subject's keyed hash: 64 lower-case hex digits. */
  hash(subjectId: string): string {
    if (this.#key === undefined) {
      this.#key = keyOf(this.#load!());
      this.#load = undefined;
    }
    return createHmac('sha256', this.#key).update(subjectId, 'utf8').digest('hex');
  }

  /** Never the secret, whoever logs or prints this object. */
  toJSON(): string {
    return '[SubjectKey]';
  }
}

function keyOf(secret: string): KeyObject {
  if (secret.length < MIN_SUBJECT_SECRET_LENGTH) {
    throw new Error(`the subject secret must be at least ${MIN_SUBJECT_SECRET_LENGTH} characters, got ${secret.length}`);
  }
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/**
 * A subject identifier, or INVALID_ARGUMENT naming the field and the rule only: unlike
 * every other validation message, this one never quotes the value it refuses.
 */
export function requireSubjectId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SUBJECT_ID_LENGTH) {
    throw new InvalidArgumentError(`${field} must be a non-empty string of at most ${MAX_SUBJECT_ID_LENGTH} characters`, field);
  }
  // UTF-8 turns every unpaired surrogate into U+FFFD, so distinct subjects would share one hash.
  return requireWellFormed(value, field);
}

export interface SubjectSecretOptions {
  /** JOURNEY_SUBJECT_SECRET; null when unset. */
  configured: string | null;
  /** NODE_ENV is unset or "development". */
  development: boolean;
  /** Where a development secret is kept (next to the SQLite file): created with mode 0600 when missing. */
  secretFile: string;
  /** Told once, when the development secret is first used. */
  warn(message: string): void;
}

/**
 * The key subject identifiers are hashed with. Outside development a configured secret
 * is required: the personal-data features refuse to start without one (this throws). In
 * development a generated secret is kept in `secretFile`, so hashes stay the same across
 * restarts of a local server; it is read (or made) and warned about once, when a
 * personal-data feature first hashes an identifier, not at every start.
 */
export function resolveSubjectKey(options: SubjectSecretOptions): SubjectKey {
  if (options.configured !== null) {
    if (options.configured.length < MIN_SUBJECT_SECRET_LENGTH) {
      throw new Error(`JOURNEY_SUBJECT_SECRET must be at least ${MIN_SUBJECT_SECRET_LENGTH} characters, got ${options.configured.length}`);
    }
    return new SubjectKey(options.configured);
  }
  if (!options.development) {
    throw new Error(
      'JOURNEY_SUBJECT_SECRET is required outside development (NODE_ENV is set and not "development"): '
      + 'the personal-data features hash data-subject identifiers with it and refuse to start without one',
    );
  }
  return new SubjectKey(() => {
    const secret = developmentSecret(options.secretFile);
    options.warn(
      `JOURNEY_SUBJECT_SECRET is unset: data-subject identifiers are hashed with a development secret kept in ${options.secretFile}; `
      + 'set JOURNEY_SUBJECT_SECRET outside development',
    );
    return secret;
  });
}

/** Reads the development secret, creating it (mode 0600) when the file is missing. */
function developmentSecret(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // 'wx' fails when the file exists, so two servers starting at once keep the first one's secret.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A copy that others may read would let them test guessed identifiers against the store.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SUBJECT_SECRET_LENGTH) {
    throw new Error(`${file} holds a secret shorter than ${MIN_SUBJECT_SECRET_LENGTH} characters; delete it to have a new one made`);
  }
  return secret;
}
