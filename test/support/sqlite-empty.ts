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
    // Triggers guard some tables (the audit log refuses deletes): they are set aside for
    // the deletes and put back as they were, in the same transaction.
    const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as { name: string; sql: string }[];
    const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;
    db.transaction(() => {
      for (const { name } of triggers) db.prepare(`DROP TRIGGER ${quoted(name)}`).run();
      for (const { name } of tables) db.prepare(`DELETE FROM ${quoted(name)}`).run();
      if (hasSequence) db.prepare('DELETE FROM sqlite_sequence').run();
      for (const { sql } of triggers) db.exec(sql);
    })();
  } finally {
    db.close();
  }
}
