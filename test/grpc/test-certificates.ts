/**
 * Throw-away certificates for the mutual TLS tests, made by the `openssl` command line
 * (present wherever the tests run: Debian's openssl package, also in CI's image): a CA,
 * a server certificate for 127.0.0.1 and localhost, client certificates it signs, and a
 * stranger: a client certificate from another CA. P-256 keys, which take milliseconds.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { commandRuns, toolAvailable } from '../support/requirements.js';

export interface CertificatePair { cert: string; key: string }

/** Whether openssl runs here (outside CI a missing one skips `what`, loudly). */
export const opensslAvailable = (what: string): boolean =>
  toolAvailable(commandRuns('openssl', ['version']), 'openssl is not on PATH', what);

const openssl = (args: string[], cwd: string): string => execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed CA named `name` in `dir`. */
export function makeCa(dir: string, name: string): CertificatePair {
  const pair = { cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) };
  openssl(['req', '-x509', ...EC_KEY, '-keyout', pair.key, '-out', pair.cert, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return pair;
}

/** A certificate named `name` signed by `ca`: a server's (127.0.0.1 and localhost) or a client's. */
export function makeSigned(dir: string, ca: CertificatePair, name: string, use: 'server' | 'client'): CertificatePair {
  const pair = { cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) };
  const request = path.join(dir, `${name}.csr`);
  const extensions = path.join(dir, `${name}.ext`);
  writeFileSync(extensions, use === 'server'
    ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'
    : 'extendedKeyUsage=clientAuth\n');
  openssl(['req', ...EC_KEY, '-keyout', pair.key, '-out', request, '-subj', `/CN=${name}`], dir);
  openssl(['x509', '-req', '-in', request, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', String(Date.now() + Math.floor(Math.random() * 1e6)),
    '-days', '2', '-out', pair.cert, '-extfile', extensions], dir);
  return pair;
}

/** The certificate's SHA-256 as openssl prints it, in the keys' form (lowercase hex, no colons). */
export function opensslFingerprint(cert: string): string {
  const printed = openssl(['x509', '-in', cert, '-noout', '-fingerprint', '-sha256'], path.dirname(cert));
  return printed.trim().split('=')[1]!.replaceAll(':', '').toLowerCase();
}
