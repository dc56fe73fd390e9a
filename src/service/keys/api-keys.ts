/**
 * API keys: creation (the secret shown once), listing without secrets, revocation with
 * immediate effect, and the check of a presented key or client certificate. A key is
 * `djk_<id>_<secret>`: the id finds the stored record in one indexed read, and the
 * SHA-256 of the whole token is compared in constant time with the stored hash. The
 * secret is 256 random bits, so a fast hash is safe: there is nothing to guess from it.
 * A key may also stand for a TLS client certificate (mutual TLS on the gRPC face): it
 * keeps the certificate's fingerprint (client-certificates.ts), at most one live key per
 * certificate, and revoking or expiring the key ends the certificate's access with it.
 * Such a key still works as a bearer token too.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AlreadyExistsError, NotFoundError, InvalidArgumentError } from '../../graph/errors.js';
import { ROLES, type ApiKeyRecord, type Role } from '../../graph/key-store.js';
import type { GraphStore } from '../../graph/store.js';
import { systemClock, type ServiceClock } from '../shared/clock.js';
import { describe, isPresent, MAX_TEXT_LENGTH, requireEnum, requireInt, requireName } from '../shared/validate.js';
import { newId } from '../shared/ids.js';
import { clientCertificateFingerprint } from './client-certificates.js';

export { ROLES, type Role } from '../../graph/key-store.js';

/** Who is calling: the key's id (null in open local mode) and the role it grants. */
export interface Caller {
  keyId: string | null;
  role: Role;
}

/** A key as it is shown: everything but the hash. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  role: Role;
  createTime: number;
  expireTime: number | null;
  revokeTime: number | null;
  /** Lowercase hex SHA-256 of the DER of the client certificate the key stands for; absent when none. */
  clientCertSha256?: string;
}

export interface CreatedApiKey {
  key: ApiKeyInfo;
  /** The whole key, to send as `Authorization: Bearer <token>`. Shown once: only its hash is kept. */
  token: string;
}

export interface NewApiKeyInput {
  name: string;
  role: string;
  /** Milliseconds since the epoch, in the future; absent: the key never expires. */
  expiresAt?: number | null;
  /** One PEM certificate the key stands for over mutual TLS (only its fingerprint is kept); absent: none. */
  clientCertificate?: string | null;
}

/** Why a presented key was refused; never told to the client, only logged. */
export type RefusalReason = 'malformed' | 'unknown' | 'expired' | 'revoked';

export type Authentication = { ok: true; caller: Caller } | { ok: false; reason: RefusalReason; keyId: string | null };

export interface ApiKeyApi {
  create(input: NewApiKeyInput): Promise<CreatedApiKey>;
  /** Every key, oldest first, without secrets or hashes. */
  list(): Promise<ApiKeyInfo[]>;
  /** Revokes the key with `id` from now on (NOT_FOUND when there is none); revoking twice keeps the first time. */
  revoke(id: string): Promise<ApiKeyInfo>;
  /** The caller a presented token stands for, or why it is refused. One store read. */
  authenticate(token: string): Promise<Authentication>;
  /**
   * The caller a client certificate stands for, by its fingerprint (the SHA-256 of its
   * DER), or why it is refused: 'unknown' when no key has it, else the newest key's
   * state. The certificate must already be verified by the TLS layer. One store read.
   */
  authenticateCertificate(fingerprint: string): Promise<Authentication>;
  /** Whether any key was ever created (revoked and expired ones count). */
  anyExist(): Promise<boolean>;
  /**
   * Creates a key as `create` does, but only while no key exists (revoked and expired ones
   * count); null when one does. However many processes ask at once on one store, at most
   * one key is made: the check and the creation are one write transaction under the key
   * creation lock.
   */
  createFirst(input: NewApiKeyInput): Promise<CreatedApiKey | null>;
}

const TOKEN_PREFIX = 'djk_';
const SECRET_BYTES = 32;
// The id is a UUID; the secret is base64url, which may itself hold `_` and `-`.
const TOKEN_SHAPE = /^djk_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const MAX_KEY_NAME_LENGTH = 200;

const hashOf = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const infoOf = ({ secretHash: _hash, ...info }: ApiKeyRecord): ApiKeyInfo => info;

/** Builds the key service over a store; `clock` defaults to the system clock. */
export function createApiKeyService(store: GraphStore, options: { clock?: ServiceClock } = {}): ApiKeyApi {
  const clock = options.clock ?? systemClock;

  /** Creates a key; with `onlyFirst`, only while no key exists (null when one does). */
  async function createKey(input: NewApiKeyInput, onlyFirst: boolean): Promise<CreatedApiKey | null> {
    const name = requireName(input?.name, 'name', MAX_KEY_NAME_LENGTH);
    const role = requireEnum(input.role, ROLES, 'role');
    const now = clock.now();
    let expireTime: number | null = null;
    if (isPresent(input.expiresAt)) {
      expireTime = requireInt(input.expiresAt, 'expiresAt', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      if (expireTime <= now) {
        throw new InvalidArgumentError(`expiresAt must be in the future, got ${new Date(expireTime).toISOString()}`, 'expiresAt');
      }
    }
    const clientCertSha256 = isPresent(input.clientCertificate) ? clientCertificateFingerprint(input.clientCertificate) : null;
    const id = newId();
    const token = `${TOKEN_PREFIX}${id}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
    const record: ApiKeyRecord = {
      id, name, role, secretHash: hashOf(token), createTime: now, expireTime, revokeTime: null,
      ...(clientCertSha256 === null ? {} : { clientCertSha256 }),
    };
    const made = await store.write(async (tx) => {
      if (onlyFirst) {
        // Counted under the lock, so of processes asking at once only the first finds none.
        await tx.lockApiKeyCreation();
        if ((await tx.countApiKeys()) > 0) return false;
      }
      if (clientCertSha256 !== null) {
        // One live key per certificate: otherwise which role would a call over it have?
        const live = (await tx.getApiKeysByClientCert([clientCertSha256])).find((k) => keyStatus(k, now) === 'ACTIVE');
        if (live) {
          throw new AlreadyExistsError(
            `clientCertificate: the certificate (SHA-256 ${clientCertSha256}) is already mapped to API key ${live.id} `
            + `(${live.role}, ${describe(live.name)}); revoke that key first`, 'clientCertificate',
          );
        }
      }
      await tx.insertApiKeys([record]);
      return true;
    });
    return made ? { key: infoOf(record), token } : null;
  }


  return {
    async create(input) {
      return (await createKey(input, false))!;
    },

    createFirst: (input) => createKey(input, true),

    async list() {
      return (await store.read((tx) => tx.listApiKeys())).map(infoOf);
    },

    async revoke(id) {
      const keyId = requireName(id, 'id', MAX_TEXT_LENGTH);
      const revoked = await store.write(async (tx) => {
        const [key] = await tx.getApiKeys([keyId]);
        if (!key) throw new NotFoundError(`id: no API key ${describe(keyId)}`, 'id');
        if (key.revokeTime !== null) return key;
        const updated = { ...key, revokeTime: clock.now() };
        await tx.updateApiKeys([updated]);
        return updated;
      });
      return infoOf(revoked);
    },

    async authenticate(token) {
      const match = typeof token === 'string' ? TOKEN_SHAPE.exec(token) : null;
      if (!match) return { ok: false, reason: 'malformed', keyId: null };
      const keyId = match[1]!;
      const [key] = await store.read((tx) => tx.getApiKeys([keyId]));
      if (!key || !sameHash(key.secretHash, hashOf(token))) return { ok: false, reason: 'unknown', keyId };
      switch (keyStatus(key, clock.now())) {
        case 'REVOKED': return { ok: false, reason: 'revoked', keyId };
        case 'EXPIRED': return { ok: false, reason: 'expired', keyId };
        case 'ACTIVE': return { ok: true, caller: { keyId: key.id, role: key.role } };
      }
    },

    async authenticateCertificate(fingerprint) {
      const keys = await store.read((tx) => tx.getApiKeysByClientCert([fingerprint]));
      const now = clock.now();
      const live = keys.find((k) => keyStatus(k, now) === 'ACTIVE');
      if (live) return { ok: true, caller: { keyId: live.id, role: live.role } };
      const newest = keys.at(-1);
      if (!newest) return { ok: false, reason: 'unknown', keyId: null };
      return { ok: false, reason: keyStatus(newest, now) === 'REVOKED' ? 'revoked' : 'expired', keyId: newest.id };
    },

    async anyExist() {
      return (await store.read((tx) => tx.countApiKeys())) > 0;
    },
  };
}

export type ApiKeyStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

/** Whether `key` works at `now` (milliseconds). */
export function keyStatus(key: ApiKeyInfo, now: number): ApiKeyStatus {
  if (key.revokeTime !== null) return 'REVOKED';
  return key.expireTime !== null && key.expireTime <= now ? 'EXPIRED' : 'ACTIVE';
}

/** Constant-time comparison of two hex digests. */
function sameHash(storedHex: string, presentedHex: string): boolean {
  const stored = Buffer.from(storedHex, 'hex');
  const presented = Buffer.from(presentedHex, 'hex');
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}
