/** What a process and a database take: peak resident memory (Linux /proc) and bytes on disk. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Peak resident set (VmHWM) of a live process, in KiB; null when it cannot be read. */
export function peakRssKb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Bytes of a file or of everything under a folder; 0 when absent. */
export function bytesOnDisk(target: string): number {
  if (!existsSync(target)) return 0;
  const st = statSync(target);
  if (!st.isDirectory()) return st.size;
  return readdirSync(target).reduce((sum, name) => sum + bytesOnDisk(path.join(target, name)), 0);
}

/** A SQLite database with its -wal and -shm files. */
export const sqliteBytes = (file: string): number => ['', '-wal', '-shm', '-journal'].reduce((s, x) => s + bytesOnDisk(file + x), 0);
