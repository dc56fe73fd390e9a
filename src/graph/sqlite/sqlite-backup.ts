/**
 * `journey backup`: a consistent copy of a SQLite store that a server may be writing,
 * never a half-written file at the place asked for. The copy is made under a temporary
 * name beside it (`<path>.partial-<pid>`, same folder so the last step is a rename within
 * one file system), checked, flushed to disk, and only then put in place: with a hard
 * link when nothing may be replaced (link refuses an existing name atomically, so a file
 * that appeared meanwhile is never overwritten), with a rename under --force. Any failure
 * removes the temporary file; a process killed part-way leaves only `<path>.partial-<pid>`.
 */
import { closeSync, existsSync, fsyncSync, linkSync, lstatSync, openSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkCopy, copyOnline, SqliteCopyError } from './sqlite-backup-executor.js';

/** A backup refused or failed; the message says what and where, for the operator. */
export class BackupError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message);
    this.name = 'BackupError';
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  }
}

export interface BackupRequest {
  /** The store's file (JOURNEY_SQLITE_PATH). */
  sourcePath: string;
  /** Where the copy goes; its folder must exist. */
  targetPath: string;
  /** Replace a file already at targetPath (--force). Default false. */
  replace?: boolean;
  /**
   * Pages copied per step of the online backup; the event loop turns between steps.
   * Default 1,000 (4 MiB of 4 KiB pages): the source is a pinned read snapshot, so the
   * size of a step never holds up the server's writers (see copyOnline), and larger steps
   * copy faster.
   */
  pagesPerStep?: number;
  /** How long to wait for a lock on the source before failing. Default 5,000 ms. */
  busyTimeoutMs?: number;
  onProgress?: (copied: number, total: number) => void;
}

export interface BackupReport {
  sourcePath: string;
  targetPath: string;
  bytes: number;
  pages: number;
  pageSize: number;
  /** The copy's schema version (PRAGMA user_version), equal to the store's. */
  schemaVersion: number;
  /** Whether a file was replaced (--force). */
  replaced: boolean;
  millis: number;
}

const DEFAULT_PAGES_PER_STEP = 1000;
const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** Files SQLite may make beside a database. */
const SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/** Copies the store at `sourcePath` to `targetPath` while it may be in use; see the file comment. */
export async function backupSqliteFile(request: BackupRequest): Promise<BackupReport> {
  const started = performance.now();
  const sourcePath = path.resolve(request.sourcePath);
  const targetPath = path.resolve(request.targetPath);
  const replace = request.replace ?? false;
  const pagesPerStep = request.pagesPerStep ?? DEFAULT_PAGES_PER_STEP;
  if (!Number.isSafeInteger(pagesPerStep) || pagesPerStep < 1) throw new BackupError(`pagesPerStep must be a positive integer, got ${pagesPerStep}`);

  if (!existsSync(sourcePath)) {
    throw new BackupError(`no SQLite store at ${sourcePath}: set JOURNEY_SQLITE_PATH to the server's store (it is relative to the current folder)`);
  }
  const folder = path.dirname(targetPath);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new BackupError(`cannot write the backup: the folder ${folder} does not exist`);
  refuseTheStoreItself(sourcePath, targetPath);
  const replaced = existingTarget(targetPath, replace);

  const partial = `${targetPath}.partial-${process.pid}`;
  // A file of this name is the leftover of an earlier run killed with this same pid: ours to remove.
  removeWithSideFiles(partial);
  try {
    const copy = await copyOnline(sourcePath, partial, {
      pagesPerStep,
      busyTimeoutMs: request.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      onProgress: request.onProgress,
    });
    const check = checkCopy(partial);
    if (check.problems.length > 0) {
      throw new BackupError(`the copy failed its check, so it was not kept (${check.problems.length} problems; first: ${check.problems.slice(0, 3).join('; ')})`);
    }
    if (check.pageCount !== copy.totalPages) {
      throw new BackupError(`the copy holds ${check.pageCount} pages where the store's snapshot had ${copy.totalPages}, so it was not kept`);
    }
    flushToDisk(partial);
    place(partial, targetPath, replace);
    flushToDisk(folder);
    return {
      sourcePath,
      targetPath,
      bytes: statSync(targetPath).size,
      pages: check.pageCount,
      pageSize: check.pageSize,
      schemaVersion: check.schemaVersion,
      replaced,
      millis: performance.now() - started,
    };
  } catch (error) {
    removeWithSideFiles(partial);
    if (error instanceof BackupError) throw error;
    const what = error instanceof SqliteCopyError || errnoOf(error) !== undefined ? (error as Error).message : String(error);
    throw new BackupError(`backup of ${sourcePath} failed, nothing was written at ${targetPath}: ${what}`, error);
  }
}

/** Refuses a target that is the store or one of its side files: --force must not destroy the store. */
function refuseTheStoreItself(sourcePath: string, targetPath: string): void {
  const source = realpathSync(sourcePath);
  const target = path.join(realpathSync(path.dirname(targetPath)), path.basename(targetPath));
  const suffix = SIDE_FILES.find((side) => target === `${source}${side}`);
  if (suffix !== undefined) {
    const what = suffix === '' ? 'the store itself' : `the store's ${suffix} file`;
    throw new BackupError(`the backup path ${targetPath} is ${what}: choose another path`);
  }
}

/** Whether a file is at `targetPath` to be replaced; refuses one without --force, and anything that is not a regular file. */
function existingTarget(targetPath: string, replace: boolean): boolean {
  let stat;
  try {
    stat = lstatSync(targetPath);
  } catch {
    return false;
  }
  if (!stat.isFile()) throw new BackupError(`${targetPath} exists and is not a regular file; choose another path`);
  if (!replace) throw new BackupError(`${targetPath} already exists; pass --force to replace it`);
  return true;
}

/** Puts the finished copy at `targetPath`; without `replace`, never over a file that appeared meanwhile. */
function place(partial: string, targetPath: string, replace: boolean): void {
  if (replace) {
    renameSync(partial, targetPath);
    return;
  }
  try {
    linkSync(partial, targetPath);
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') throw new BackupError(`${targetPath} appeared while the backup ran; pass --force to replace it`);
    // A file system without hard links: check, then rename (the check and the rename are two steps).
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(errnoOf(error) ?? '')) throw error;
    if (existsSync(targetPath)) throw new BackupError(`${targetPath} appeared while the backup ran; pass --force to replace it`);
    renameSync(partial, targetPath);
    return;
  }
  rmSync(partial);
}

/** fsync of a file or a folder (the folder's entry for a renamed file), so a power cut after the report keeps the copy. */
function flushToDisk(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeWithSideFiles(file: string): void {
  for (const suffix of SIDE_FILES) rmSync(`${file}${suffix}`, { force: true });
}

const errnoOf = (error: unknown): string | undefined =>
  typeof (error as { code?: unknown })?.code === 'string' && !(error instanceof SqliteCopyError) ? (error as { code: string }).code : undefined;
