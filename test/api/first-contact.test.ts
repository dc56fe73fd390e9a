/**
 * What a new user meets first: GET / is the web explorer (test/explorer/); without it, GET /
 * leads to GraphiQL (or says where the API is when GraphiQL is off), and the log is readable text on a terminal, JSON lines otherwise.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logging.js';
import { BACKENDS, useService } from '../support/backends.js';
import { startTestServer, type TestServer } from './harness.js';
import { ROOT } from '../hardening/hardening-support.js';

describe.each(BACKENDS)('GET / ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it('redirects to GraphiQL at /graphql when GraphiQL is on and the explorer is off', async () => {
    t = await startTestServer(h.api, { security: { graphiql: true }, explorerDir: false });
    const res = await fetch(`${t.origin}/`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect({ status: res.status, location: res.headers.get('location') }).toEqual({ status: 302, location: '/graphql' });
    const followed = await fetch(`${t.origin}/`, { headers: { accept: 'text/html' } });
    expect(await followed.text()).toContain('<title>Data Journey</title>');
  });

  it('says in plain text where the API is when GraphiQL and the explorer are off', async () => {
    t = await startTestServer(h.api, { security: { graphiql: false }, explorerDir: false });
    const res = await fetch(`${t.origin}/`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('Data Journey: the GraphQL API is at /graphql (POST, application/json). Health: /healthz, readiness: /readyz.\n');
  });
});

describe('the log format', () => {
  const capture = (): { stream: Writable; text: () => string } => {
    let text = '';
    const stream = new Writable({ write(chunk: Buffer, _enc, done) { text += chunk.toString(); done(); } });
    return { stream, text: () => text };
  };

  it('writes human-readable lines when asked to (main.ts asks when stdout is a terminal)', () => {
    const out = capture();
    createLogger({ pretty: true, destination: out.stream as never }).warn({ url: 'http://127.0.0.1:4000/graphql' }, 'serving GraphQL');
    expect(out.text()).toMatch(/WARN.*: serving GraphQL\n\s+url: "http:\/\/127\.0\.0\.1:4000\/graphql"/);
    expect(() => JSON.parse(out.text())).toThrow();
  });

  it('writes JSON lines otherwise', () => {
    const out = capture();
    createLogger({ destination: out.stream as never }).warn({ url: 'x' }, 'serving GraphQL');
    expect(JSON.parse(out.text())).toMatchObject({ level: 40, msg: 'serving GraphQL', url: 'x', service: 'data-journey' });
  });
});

describe('npm start on a terminal', () => {
  it('logs readable text when stdout is a terminal (util-linux script gives it one)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'journey-tty-'));
    const command = `env JOURNEY_SQLITE_PATH=${path.join(dir, 'j.sqlite')} JOURNEY_PORT=0 NODE_ENV=development ${process.execPath} --import tsx src/main.ts`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); if (out.includes('serving GraphQL')) resolve(); });
        child.once('exit', () => reject(new Error(`exited before serving: ${out}`)));
      });
      const first = out.split(/\r?\n/).find((l) => l.includes('serving GraphQL'))!;
      expect(first).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] .*INFO.*: .*serving GraphQL at http:\/\/127\.0\.0\.1:\d+\/graphql/);
      expect(first.startsWith('{')).toBe(false);
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
