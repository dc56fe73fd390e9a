/**
 * Opens the ML Metadata store a user names: a `mysql://user[:password]@host[:port]/db`
 * URL (mlmd-mysql-source.ts) or a SQLite file (mlmd-sqlite-source.ts).
 */
import path from 'node:path';
import type { MlmdSource } from './mlmd-source.js';
import { isMysqlUrl, openMlmdMysql } from './mlmd-mysql-source.js';
import { openMlmdSqlite } from './mlmd-sqlite-source.js';

/** The source `where` names; its `location` is what messages show (a file's absolute path, a URL without its password). */
export async function openMlmdSource(where: string): Promise<MlmdSource> {
  return isMysqlUrl(where) ? openMlmdMysql(where) : openMlmdSqlite(path.resolve(where));
}
