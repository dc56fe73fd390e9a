/**
 * The first admin key of a fresh deployment (JOURNEY_BOOTSTRAP_ADMIN_KEY_FILE): a server
 * that must listen on 0.0.0.0 (a container) cannot start without a key, and nobody can
 * run the CLI before the store exists. So on start, while no key has ever been created,
 * one admin key is created and its token written to a file only its owner may read.
 * The token is never logged; a later start with keys in place changes nothing.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { ApiKeyApi, ApiKeyInfo } from './api-keys.js';

/** The name the bootstrap key is listed under (`journey keys list`). */
export const BOOTSTRAP_KEY_NAME = 'bootstrap admin';

/**
 * Creates an admin key and writes its token to `file` (mode 0600, replacing a file left
 * from an emptied store) when no key exists; returns it, or null when keys exist already.
 * Of processes starting together on an empty store, one makes the key (keys.createFirst
 * decides under a lock, in one write) and the others write no file and return null.
 */
export async function bootstrapAdminKey(keys: ApiKeyApi, file: string): Promise<ApiKeyInfo | null> {
  if (await keys.anyExist()) return null;
  // The file is opened before the key exists: a key whose token could not be written
  // would end open mode with nobody holding a key.
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, 'wx', 0o600);
  } catch (error) {
    throw new Error(`JOURNEY_BOOTSTRAP_ADMIN_KEY_FILE: cannot write ${file}: ${(error as Error).message}`);
  }
  let created: Awaited<ReturnType<ApiKeyApi['createFirst']>> = null;
  try {
    created = await keys.createFirst({ name: BOOTSTRAP_KEY_NAME, role: 'admin' });
    if (created === null) {
      // Another process made the first key since the check above: its file is the one.
      closeSync(fd);
      rmSync(temporary, { force: true });
      return null;
    }
    writeSync(fd, `${created.token}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, file);
    return created.key;
  } catch (error) {
    try { closeSync(fd); } catch { /* closed already */ }
    rmSync(temporary, { force: true });
    if (created) await keys.revoke(created.key.id).catch(() => undefined);
    throw error;
  }
}
