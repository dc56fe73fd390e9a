#!/usr/bin/env node
// Provisions and runs Neo4j Community 5.26 for development, tests and CI, without Docker:
// Maven resolves the jars from Maven Central (pom.xml), Launcher.java runs them embedded
// with Bolt on 127.0.0.1. Usage: node scripts/neo4j/neo4j.mjs install|start|stop|reset|status
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const cache = path.join(root, '.cache', 'neo4j');
const libDir = path.join(cache, 'lib');
const pomPath = path.join(here, 'pom.xml');
const launcher = path.join(here, 'Launcher.java');
const devDataDir = path.join(cache, 'data');
const devPidFile = path.join(cache, 'neo4j.pid');
const DEV_PORT = Number(process.env.NEO4J_PORT ?? 7687);

// Java 17 needs these for Neo4j's off-heap and NIO internals.
const JAVA_OPENS = ['java.base/java.nio', 'java.base/java.io', 'java.base/sun.nio.ch', 'java.base/java.lang']
  .flatMap((m) => ['--add-opens', `${m}=ALL-UNNAMED`]);

/** The pinned version, read from pom.xml so there is one place to change it. */
function pinnedVersion() {
  const match = /<neo4j\.version>([^<]+)<\/neo4j\.version>/.exec(fs.readFileSync(pomPath, 'utf8'));
  if (!match) throw new Error('scripts/neo4j/pom.xml has no <neo4j.version>');
  return match[1];
}

export function hasJava() {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

/** Copies the pinned Neo4j jars into .cache/neo4j/lib once; later calls are no-ops. */
export function install({ quiet = false } = {}) {
  const version = pinnedVersion();
  const marker = path.join(libDir, `.installed-${version}`);
  if (fs.existsSync(marker)) return libDir;
  fs.rmSync(libDir, { recursive: true, force: true });
  if (!quiet) console.log(`neo4j: resolving Neo4j Community ${version} from Maven Central into ${path.relative(root, libDir)} ...`);
  const result = spawnSync('mvn', ['-q', '-B', '-f', pomPath, 'dependency:copy-dependencies', `-DoutputDirectory=${libDir}`],
    { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`neo4j: mvn dependency:copy-dependencies failed (exit ${result.status}): ${result.stderr ?? ''}${result.stdout ?? ''}`);
  }
  fs.writeFileSync(marker, new Date().toISOString());
  return libDir;
}

/** A free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Neo4j on 127.0.0.1:port with its data in dataDir; resolves when it prints its
 * readiness line. Returns { uri, pid, startupMs, stop() }.
 */
export function start({ port, dataDir, heap = '1g', pageCache = '256m', detached = false, timeoutMs = 180_000 }) {
  install({ quiet: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const logPath = path.join(dataDir, 'launcher.log');
  const log = fs.openSync(logPath, 'a');
  const started = Date.now();
  const child = spawn('java', [`-Xms${heap}`, `-Xmx${heap}`, ...JAVA_OPENS, '-cp', path.join(libDir, '*'), launcher, dataDir, String(port)], {
    cwd: root,
    env: { ...process.env, NEO4J_PAGECACHE: pageCache },
    stdio: ['ignore', 'pipe', log],
    detached,
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`neo4j: not ready after ${timeoutMs} ms; see ${logPath}`)); }, timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`neo4j: exited with ${code} before it was ready; see ${logPath}`)); });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      fs.appendFileSync(logPath, chunk);
      if (!/NEO4J READY/.test(out)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data');
      child.stdout.on('data', (c) => fs.appendFileSync(logPath, c));
      if (detached) { child.stdout.destroy(); child.unref(); }
      const stop = () => new Promise((done) => {
        // Ended already, by exit or by signal: a second stop() resolves at once.
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      });
      resolve({ uri: `bolt://127.0.0.1:${port}`, pid: child.pid, startupMs: Date.now() - started, stop });
    });
  });
}

function readPid() {
  try { return Number(fs.readFileSync(devPidFile, 'utf8')); } catch { return null; }
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function stopDev() {
  const pid = readPid();
  if (!pid || !alive(pid)) { fs.rmSync(devPidFile, { force: true }); console.log('neo4j: not running'); return; }
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 200));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(devPidFile, { force: true });
  console.log('neo4j: stopped');
}

async function main(command) {
  switch (command) {
    case 'install':
      install();
      console.log(`neo4j: jars in ${path.relative(root, libDir)}`);
      break;
    case 'start': {
      const pid = readPid();
      if (pid && alive(pid)) { console.log(`neo4j: already running (pid ${pid}) on bolt://127.0.0.1:${DEV_PORT}`); break; }
      install();
      const neo = await start({ port: DEV_PORT, dataDir: devDataDir, detached: true });
      fs.writeFileSync(devPidFile, String(neo.pid));
      console.log(`neo4j: ready on ${neo.uri} in ${neo.startupMs} ms (pid ${neo.pid}); stop with npm run neo4j:stop`);
      break;
    }
    case 'stop':
      await stopDev();
      break;
    case 'reset':
      await stopDev();
      fs.rmSync(devDataDir, { recursive: true, force: true });
      console.log('neo4j: data removed');
      break;
    case 'status': {
      const pid = readPid();
      console.log(pid && alive(pid) ? `neo4j: running (pid ${pid})` : 'neo4j: not running');
      break;
    }
    default:
      console.error('usage: node scripts/neo4j/neo4j.mjs install|start|stop|reset|status');
      process.exit(2);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv[2]).catch((e) => { console.error(e.message); process.exit(1); });
}
