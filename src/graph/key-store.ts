/**
 * API keys as the store keeps them, and the StoreTx methods that keep them. A key's
 * secret is never stored: only its SHA-256 hash, which a random 256-bit secret makes
 * safe to keep (no dictionary to try). Rules (who may create, when a key counts as
 * valid) live in src/service/api-keys.ts; the backends only store and find.
 */

/** The roles a key grants, least to most. What each may do is decided in src/server/authorization.ts. */
export const ROLES = ['viewer', 'editor', 'privacy', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKeyRecord {
  /** Server-made (UUIDv7); part of the token, so a presented key is found by id, then its hash compared. */
  id: string;
  /** What the key is for, chosen by whoever made it; not unique. */
  name: string;
  role: Role;
  /** Hex SHA-256 of the whole token. */
  secretHash: string;
  /** Milliseconds since the epoch. */
  createTime: number;
  /** The key stops working at this time; null: never. */
  expireTime: number | null;
  /** The key stopped working at this time; null: not revoked. */
  revokeTime: number | null;
  /**
   * Lowercase hex SHA-256 of the DER of the TLS client certificate the key stands for
   * (mutual TLS on the gRPC face); absent when the key has none. Set at creation only.
   */
  clientCertSha256?: string;
}

/** The API-key part of StoreTx (src/graph/store.ts), implemented by both backends. */
export interface ApiKeyTx {
  insertApiKeys(keys: readonly ApiKeyRecord[]): Promise<void>;
  getApiKeys(ids: readonly string[]): Promise<(ApiKeyRecord | null)[]>;
  /** Every key standing for one of the certificate `fingerprints` (clientCertSha256), oldest first; revoked and expired ones included. */
  getApiKeysByClientCert(fingerprints: readonly string[]): Promise<ApiKeyRecord[]>;
  /** Every key, oldest first (createTime, then id). */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Replaces each key's name, role, expireTime and revokeTime by id (id, secretHash, createTime and clientCertSha256 never change). */
  updateApiKeys(keys: readonly ApiKeyRecord[]): Promise<void>;
  /** How many keys exist, revoked and expired ones included. */
  countApiKeys(): Promise<number>;
  /**
   * Takes the lock that writes deciding on the set of keys as a whole (the first key, made
   * only while none exists) hold until their transaction ends, so such writes from several
   * processes run one after another, each seeing what the one before committed.
   */
  lockApiKeyCreation(): Promise<void>;
}
