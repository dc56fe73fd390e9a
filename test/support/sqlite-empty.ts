/**
 * Empties a SQLite store's file between tests, through a connection of its own: the
 * store's interface has no "delete everything", and a test helper has no place in it.
 */
import Database from 'better-sqlite3';

/** Deletes every row of every table (the schema stays); the store's `init()` then puts back its default rows. */
export function emptySqliteFile(path: string): void {
  const db = new Database(path);
  try {
    // Table names come from the file's own schema, never from input. With foreign keys off
    // (better-sqlite3 turns them on) the order of the deletes does not matter.
    db.pragma('foreign_keys = OFF');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    const hasSequence = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get() !== undefined;
    db.transaction(() => {
      for (const { name } of tables) db.prepare(`DELETE FROM "${name.replaceAll('"', '""')}"`).run();
      if (hasSequence) db.prepare('DELETE FROM sqlite_sequence').run();
    })();
  } finally {
    db.close();
  }
}
