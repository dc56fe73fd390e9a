/**
 * The secret data-subject identifiers are hashed with: required outside development (the
 * server refuses to start without it), generated and kept with mode 0600 next to the
 * SQLite file in development, never shown. Also the personal-data part of the
 * configuration.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { resolveSubjectKey, SubjectKey } from '../../src/service/privacy/subject-key.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'journey-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'a-configured-secret-of-more-than-32-characters';

describe('the subject key', () => {
  it('hashes with HMAC-SHA-256 under the secret: stable, and different under another secret', () => {
    const key = new SubjectKey(SECRET);
    // HMAC-SHA-256("a-configured-secret-of-more-than-32-characters", "alice"), computed independently with openssl.
    expect(key.hash('alice')).toBe(new SubjectKey(SECRET).hash('alice'));
    expect(key.hash('alice')).toMatch(/^[0-9a-f]{64}$/);
    expect(key.hash('alice')).not.toBe(new SubjectKey(`${SECRET}!`).hash('alice'));
    expect(key.hash('alice')).not.toBe(key.hash('Alice'));
    expect(JSON.stringify({ key })).toBe('{"key":"[SubjectKey]"}');
  });

  it('takes a configured secret of 32 characters or more, and never repeats it when refusing one', () => {
    const warnings: string[] = [];
    const key = resolveSubjectKey({ configured: SECRET, development: false, secretFile: path.join(dir, 'unused'), warn: (m) => warnings.push(m) });
    expect(key.hash('x')).toBe(new SubjectKey(SECRET).hash('x'));
    expect(warnings).toEqual([]);
    expect(existsSync(path.join(dir, 'unused'))).toBe(false);
    const short = 'short-secret-123';
    expect(() => resolveSubjectKey({ configured: short, development: true, secretFile: path.join(dir, 'unused'), warn: () => {} }))
      .toThrow(/^JOURNEY_SUBJECT_SECRET must be at least 32 characters, got 16$/);
  });

  it('refuses to start outside development without a configured secret', () => {
    expect(() => resolveSubjectKey({ configured: null, development: false, secretFile: path.join(dir, 'unused'), warn: () => {} }))
      .toThrow(/JOURNEY_SUBJECT_SECRET is required outside development/);
    expect(existsSync(path.join(dir, 'unused'))).toBe(false);
  });

  it('keeps a generated development secret in a 0600 file, made and warned about once, at first use, and reuses it', () => {
    const file = path.join(dir, 'dev', 'subject-secret');
    const warnings: string[] = [];
    const first = resolveSubjectKey({ configured: null, development: true, secretFile: file, warn: (m) => warnings.push(m) });
    // Nothing until a personal-data feature hashes an identifier.
    expect(existsSync(file)).toBe(false);
    expect(warnings).toEqual([]);
    const alice = first.hash('alice');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(warnings).toEqual([expect.stringContaining(`development secret kept in ${file}`)]);
    first.hash('bob');
    expect(warnings).toHaveLength(1);
    const second = resolveSubjectKey({ configured: null, development: true, secretFile: file, warn: () => {} });
    expect(second.hash('alice')).toBe(alice);
    // A copy others may read is tightened.
    chmodSync(file, 0o644);
    resolveSubjectKey({ configured: null, development: true, secretFile: file, warn: () => {} }).hash('alice');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'too short\n');
    const short = resolveSubjectKey({ configured: null, development: true, secretFile: file, warn: () => {} });
    expect(() => short.hash('alice')).toThrow(/shorter than 32/);
  });
});

describe('the personal-data configuration', () => {
  it('is development only when NODE_ENV is unset or development, and keeps the secret next to the SQLite file', () => {
    expect(loadConfig({}).personalData).toEqual({
      subjectSecret: null, development: true, secretFile: path.join('data', 'subject-secret'), aggregateMinK: 10,
    });
    expect(loadConfig({ NODE_ENV: 'development', JOURNEY_SQLITE_PATH: '/srv/j/db.sqlite' }).personalData)
      .toMatchObject({ development: true, secretFile: '/srv/j/subject-secret' });
    expect(loadConfig({ NODE_ENV: 'production', JOURNEY_SUBJECT_SECRET: SECRET, JOURNEY_AGGREGATE_MIN_K: '25' }).personalData)
      .toMatchObject({ development: false, subjectSecret: SECRET, aggregateMinK: 25 });
    expect(loadConfig({ NODE_ENV: 'test', JOURNEY_SQLITE_PATH: ':memory:' }).personalData)
      .toMatchObject({ development: false, secretFile: path.join('data', 'subject-secret') });
    expect(() => loadConfig({ JOURNEY_AGGREGATE_MIN_K: '0' })).toThrow(/JOURNEY_AGGREGATE_MIN_K must be an integer from 1/);
  });
});

/** Runs src/main.ts with `env`; resolves with its exit code and output once it exits or logs that it serves (then stops it). */
function runMain(env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string[]; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT, env: { ...process.env, JOURNEY_HOST: '127.0.0.1', JOURNEY_PORT: '0', JOURNEY_SUBJECT_SECRET: undefined, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout.push(line);
    if (line.includes('serving GraphQL')) child.kill('SIGTERM');
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm start and the subject secret', () => {
  it('refuses to start in production without JOURNEY_SUBJECT_SECRET', async () => {
    const sqlitePath = path.join(dir, 'prod', 'journey.sqlite');
    const { code, stderr } = await runMain({ NODE_ENV: 'production', JOURNEY_SQLITE_PATH: sqlitePath });
    expect(code).toBe(1);
    expect(stderr).toContain('JOURNEY_SUBJECT_SECRET is required outside development');
    expect(existsSync(sqlitePath)).toBe(false);
  });

  it('starts in development without a secret, making none and warning of none until a personal-data feature is used', async () => {
    const sqlitePath = path.join(dir, 'devstart', 'journey.sqlite');
    const { code, stdout } = await runMain({ NODE_ENV: 'development', JOURNEY_SQLITE_PATH: sqlitePath });
    expect(code).toBe(0);
    expect(existsSync(path.join(dir, 'devstart', 'subject-secret'))).toBe(false);
    expect(stdout.join('\n')).not.toContain('JOURNEY_SUBJECT_SECRET');
  });
});
