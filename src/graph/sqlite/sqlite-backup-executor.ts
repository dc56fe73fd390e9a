/**
 * The driver's half of `journey backup` (sqlite-backup.ts holds the procedure: names,
 * places, checks, the report): SQLite's online backup API over one pinned read snapshot,
 * and the check of a copy. Like sqlite-executor.ts, a file that imports better-sqlite3.
 */
import Database from 'better-sqlite3';
import { storageFaultReason } from './sqlite-executor.js';

/** What the online copy read and wrote. */
export interface OnlineCopy {
  /** Pages copied: the source's size at the snapshot. */
  totalPages: number;
  pageSize: number;
  /** The source's journal mode (the server keeps its files in WAL). */
  journalMode: string;
}

/** What checking a copy found. */
export interface CopyCheck {
  /** `PRAGMA integrity_check` and `foreign_key_check` findings; empty when the copy is whole. */
  problems: string[];
  /** `PRAGMA user_version`: the schema version the copy's migrations reached. */
  schemaVersion: number;
  pageCount: number;
  pageSize: number;
}

/** A copy or check that SQLite refused; `code` is SQLite's (SQLITE_FULL, ...), when it gave one. */
export class SqliteCopyError extends Error {
  constructor(message: string, readonly code: string | undefined, cause: unknown) {
    super(message);
    this.name = 'SqliteCopyError';
    Object.defineProperty(this, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  }
}

/** SQLite's refusal in words an operator can act on: the fault's meaning and its code. */
function copyError(doing: string, error: unknown): SqliteCopyError {
  const code = error instanceof Database.SqliteError ? error.code : undefined;
  const reason = storageFaultReason(code) ?? (error instanceof Error ? error.message : String(error));
  return new SqliteCopyError(`${doing}: ${reason}${code ? ` (${code})` : ''}`, code, error);
}

/**
 * Copies the database at `sourcePath` to the new file `targetPath` with SQLite's online
 * backup API, `pagesPerStep` pages per step (the event loop turns between steps), calling
 * `onProgress(copied, total)` after each. The source is opened read-only (this connection
 * never writes nor checkpoints the store) and one read transaction is held across every
 * step. That pin is what makes the copy finish under load: without it each step reads
 * afresh, and SQLite restarts a backup from page 1 whenever another connection (the
 * server) committed since the last step, so under steady writes it never ends (seen: a
 * store written by one process every millisecond was still restarting after 20,000 steps).
 * With it, the copy is the store as of the moment the snapshot was taken, and in WAL mode
 * a reader does not block the server's writers; the WAL only grows until the copy ends.
 */
export async function copyOnline(
  sourcePath: string,
  targetPath: string,
  options: { pagesPerStep: number; busyTimeoutMs: number; onProgress?: (copied: number, total: number) => void },
): Promise<OnlineCopy> {
  let source: Database.Database | undefined;
  try {
    source = new Database(sourcePath, { readonly: true, fileMustExist: true, timeout: options.busyTimeoutMs });
    const journalMode = String(source.pragma('journal_mode', { simple: true }));
    source.prepare('BEGIN DEFERRED').run();
    // The first read takes the snapshot: every write committed before this line is in the copy.
    const pageSize = Number(source.pragma('page_size', { simple: true }));
    source.prepare('SELECT count(*) FROM sqlite_schema').get();
    const { totalPages } = await source.backup(targetPath, {
      progress: ({ totalPages: total, remainingPages }) => {
        options.onProgress?.(total - remainingPages, total);
        return options.pagesPerStep;
      },
    });
    options.onProgress?.(totalPages, totalPages);
    return { totalPages, pageSize, journalMode };
  } catch (error) {
    throw copyError('the online copy failed', error);
  } finally {
    if (source?.open) {
      if (source.inTransaction) source.prepare('ROLLBACK').run();
      source.close();
    }
  }
}

/**
 * Checks the copy at `path` with `PRAGMA integrity_check` (every page, index and
 * constraint) and `PRAGMA foreign_key_check` (no event or link without its nodes), and
 * reads its schema version. Opened read-write because a read-only connection to a WAL file
 * needs its -shm to exist; the check writes nothing, and closing removes the -wal and -shm
 * it made.
 */
export function checkCopy(path: string): CopyCheck {
  let copy: Database.Database | undefined;
  try {
    copy = new Database(path, { fileMustExist: true });
    const integrity = (copy.pragma('integrity_check') as { integrity_check: string }[])
      .map((row) => row.integrity_check)
      .filter((finding) => finding !== 'ok');
    const orphans = (copy.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[])
      .map((row) => `a row of ${row.table} (rowid ${String(row.rowid)}) refers to a missing row of ${row.parent}`);
    return {
      problems: [...integrity, ...orphans],
      schemaVersion: Number(copy.pragma('user_version', { simple: true })),
      pageCount: Number(copy.pragma('page_count', { simple: true })),
      pageSize: Number(copy.pragma('page_size', { simple: true })),
    };
  } catch (error) {
    throw copyError('checking the copy failed', error);
  } finally {
    copy?.close();
  }
}
