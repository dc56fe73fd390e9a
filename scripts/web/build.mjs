#!/usr/bin/env node
/**
 * Builds the web explorer (web/ → web/dist) with Vite, unless web/dist was built from the
 * same sources: a hash of web/'s source files, the lock file and this script is kept in
 * web/dist/.source-hash. Run by `npm install` (prepare), `npm start` (prestart) and the
 * tests' global setup, so the README's two commands serve a current explorer with no
 * separate step. `--force` builds whatever the hash says.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB = path.join(ROOT, 'web');
const DIST = path.join(WEB, 'dist');
const STAMP = path.join(DIST, '.source-hash');

/** Every file under web/ that the build reads: not dist/, not the tests. */
function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'test' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else out.push(full);
  }
  return out.sort();
}

export function sourceHash() {
  const hash = createHash('sha256');
  // The lock file (versions of Vite, React, ...) and this script (how it builds) count too.
  for (const file of [...sourceFiles(WEB), path.join(ROOT, 'package-lock.json'), fileURLToPath(import.meta.url)]) {
    hash.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export async function buildExplorer({ force = false, quiet = false } = {}) {
  const wanted = sourceHash();
  if (!force && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === wanted && existsSync(path.join(DIST, 'index.html'))) {
    if (!quiet) console.log('web explorer: web/dist is current');
    return false;
  }
  let vite;
  try {
    vite = await import('vite');
  } catch {
    // A production install (npm ci --omit=dev) has no Vite: the image builds the explorer in its build stage.
    if (existsSync(path.join(DIST, 'index.html'))) return false;
    console.warn('web explorer: Vite is not installed (a production install?); the server will answer / without the explorer');
    return false;
  }
  // Vite builds React's development bundle when NODE_ENV is set to anything else (vitest sets
  // 'test'), and that bundle runs StrictMode's effects twice: every view would ask twice.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(STAMP, `${wanted}\n`);
  if (!quiet) console.log(`web explorer: built into ${path.relative(ROOT, DIST)} (${statSync(path.join(DIST, 'index.html')).size} B index)`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildExplorer({ force: process.argv.includes('--force') }).catch((error) => {
    console.error(`web explorer: the build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
