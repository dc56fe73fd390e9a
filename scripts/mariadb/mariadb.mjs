#!/usr/bin/env node
// Provisions and runs Debian's MariaDB server for the tests that import an ML Metadata
// MySQL store, without Docker and without installing anything on the system:
// `apt-get download` fetches the pinned packages (PACKAGES below; the versions are the
// machine's Debian release's) into .cache/mariadb/debs, `dpkg -x` unpacks them into
// .cache/mariadb/root, and each start makes a throw-away data folder with
// mariadb-install-db and runs mariadbd on 127.0.0.1, a free port and a private socket.
// Usage: node scripts/mariadb/mariadb.mjs install|status
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const cache = path.join(root, '.cache', 'mariadb');
const debDir = path.join(cache, 'debs');
const unpacked = path.join(cache, 'root');
const marker = path.join(unpacked, '.installed');

/**
 * The server (mariadbd, mariadb-install-db and its SQL), the client tools install-db
 * calls (my_print_defaults) and the shared libraries mariadbd needs that a plain Debian
 * machine lacks; the rest (libc, libssl, libpcre2, libsystemd, zlib) every Debian has.
 */
const PACKAGES = ['mariadb-server-core', 'mariadb-client-core', 'mariadb-common', 'libaio1', 'libnuma1', 'liburing2'];

const usr = path.join(unpacked, 'usr');
const mariadbd = path.join(usr, 'sbin', 'mariadbd');
const installDb = path.join(usr, 'bin', 'mariadb-install-db');
const libPath = path.join(usr, 'lib', 'x86_64-linux-gnu');

/** Whether apt-get and dpkg are here to fetch and unpack the packages (a Debian machine). */
export function canInstall() {
  return spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0
    && spawnSync('dpkg', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Whether a server was unpacked into .cache/mariadb already. */
export function installed() {
  return fs.existsSync(marker) && fs.existsSync(mariadbd);
}

/** Downloads and unpacks the packages once; later calls are no-ops. Returns the unpacked root. */
export function install({ quiet = false } = {}) {
  if (installed()) return unpacked;
  fs.rmSync(cache, { recursive: true, force: true });
  fs.mkdirSync(debDir, { recursive: true });
  if (!quiet) console.log(`mariadb: downloading ${PACKAGES.join(', ')} into ${path.relative(root, debDir)} ...`);
  // apt-get download writes into the working folder; it needs no root, only apt's lists.
  let fetched = spawnSync('apt-get', ['download', '-q', ...PACKAGES], { cwd: debDir, encoding: 'utf8' });
  if (fetched.status !== 0 && /Unable to locate|no installation candidate|has no installation/i.test(fetched.stderr ?? '')) {
    // A machine whose package lists were never fetched knows no package yet.
    spawnSync('apt-get', ['update', '-qq'], { stdio: quiet ? 'ignore' : 'inherit' });
    fetched = spawnSync('apt-get', ['download', '-q', ...PACKAGES], { cwd: debDir, encoding: 'utf8' });
  }
  if (fetched.status !== 0) throw new Error(`mariadb: apt-get download failed (exit ${fetched.status}): ${fetched.stderr}`);
  for (const deb of fs.readdirSync(debDir).filter((f) => f.endsWith('.deb'))) {
    const x = spawnSync('dpkg', ['-x', path.join(debDir, deb), unpacked], { encoding: 'utf8' });
    if (x.status !== 0) throw new Error(`mariadb: dpkg -x ${deb} failed: ${x.stderr}`);
  }
  if (!fs.existsSync(mariadbd)) throw new Error(`mariadb: ${mariadbd} is missing after unpacking`);
  fs.writeFileSync(marker, new Date().toISOString());
  return unpacked;
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

const env = () => ({ ...process.env, LD_LIBRARY_PATH: [libPath, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') });

/** mariadbd runs as the calling user; as root it must be told so, or it refuses to start. */
const userArgs = () => (process.getuid?.() === 0 ? ['--user=root'] : []);

/**
 * Starts a MariaDB with a new data folder under a temp dir, on 127.0.0.1:port (a free one
 * by default) with its socket in that folder; `root` logs in with no password from
 * 127.0.0.1. Resolves when it accepts connections: { host, port, user, dir, startupMs, stop() },
 * stop() ending the server and removing the folder.
 */
export async function start({ port, timeoutMs = 60_000 } = {}) {
  install({ quiet: true });
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-mariadb-'));
  const dataDir = path.join(dir, 'data');
  const common = ['--no-defaults', `--basedir=${usr}`, `--datadir=${dataDir}`, ...userArgs()];
  // normal: root@localhost and root@127.0.0.1 with no password, not the socket-only login Debian sets up.
  const init = spawnSync(installDb, [...common, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'],
    { env: env(), encoding: 'utf8' });
  if (init.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb: mariadb-install-db failed (exit ${init.status}): ${init.stderr}${init.stdout}`);
  }
  const listenPort = port ?? await freePort();
  const logPath = path.join(dir, 'mariadbd.log');
  const log = fs.openSync(logPath, 'a');
  const child = spawn(mariadbd, [
    ...common, `--port=${listenPort}`, '--bind-address=127.0.0.1', `--socket=${path.join(dir, 'mariadb.sock')}`,
    `--pid-file=${path.join(dir, 'mariadb.pid')}`, `--lc-messages-dir=${path.join(usr, 'share', 'mysql')}`, '--skip-name-resolve',
    // A test server: small buffers, and no fsync per commit (its data is thrown away).
    '--innodb-buffer-pool-size=128M', '--innodb-log-file-size=48M', '--innodb-flush-log-at-trx-commit=0', '--skip-log-bin',
  ], { env: env(), stdio: ['ignore', log, log] });
  const stop = () => new Promise((done) => {
    const cleanup = () => { fs.rmSync(dir, { recursive: true, force: true }); done(); };
    if (child.exitCode !== null || child.signalCode !== null) return cleanup();
    child.once('exit', cleanup);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
  const deadline = Date.now() + timeoutMs;
  while (!fs.readFileSync(logPath, 'utf8').includes('ready for connections')) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const text = fs.readFileSync(logPath, 'utf8');
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`mariadb: mariadbd exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${text.slice(-2000)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mariadb: not ready after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { host: '127.0.0.1', port: listenPort, user: 'root', dir, pid: child.pid, startupMs: Date.now() - started, stop };
}

async function main(command) {
  switch (command) {
    case 'install':
      install();
      console.log(`mariadb: server unpacked in ${path.relative(root, unpacked)}`);
      break;
    case 'status':
      console.log(installed() ? `mariadb: unpacked in ${path.relative(root, unpacked)}` : 'mariadb: not installed (npm run mariadb:install)');
      break;
    case 'try': {
      // Starts one, says how long it took, and stops it: a check that the unpacked server runs here.
      const server = await start();
      console.log(`mariadb: ready on ${server.host}:${server.port} in ${server.startupMs} ms`);
      await server.stop();
      break;
    }
    default:
      console.error('usage: node scripts/mariadb/mariadb.mjs install|status|try');
      process.exit(2);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv[2]).catch((e) => { console.error(e.message); process.exit(1); });
}
