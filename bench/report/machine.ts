/** What machine and software a run measured: recorded with every result. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MachineInfo, Versions } from './results.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function machineInfo(): MachineInfo {
  return {
    nproc: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    os: `${os.type()} ${os.release()}`,
  };
}

const packageVersion = (name: string): string => {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

/** Versions of everything measured; `sqlite` is the library better-sqlite3 embeds, `mlmd` the installed wheel. */
export async function versions(mlmd: string, pythonPath: string | null): Promise<Versions> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(':memory:');
  const sqlite = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  db.close();
  const pom = readFileSync(path.join(root, 'scripts', 'neo4j', 'pom.xml'), 'utf8');
  let python = 'unknown';
  if (pythonPath) {
    try { python = execFileSync(pythonPath, ['--version'], { encoding: 'utf8' }).trim().replace(/^Python /, ''); } catch { /* left unknown */ }
  }
  return {
    node: process.versions.node,
    sqlite,
    betterSqlite3: packageVersion('better-sqlite3'),
    neo4j: /<neo4j\.version>([^<]+)</.exec(pom)?.[1] ?? 'unknown',
    neo4jDriver: packageVersion('neo4j-driver'),
    mlmd,
    python,
    autocannon: packageVersion('autocannon'),
  };
}
