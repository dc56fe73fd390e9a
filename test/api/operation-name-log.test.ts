/**
 * The operation log line names the operation only by a valid GraphQL name cut to a short
 * length: a caller's operationName is free text that may be huge or carry personal data
 * (an e-mail address), and neither may reach the log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_LOGGED_OPERATION_NAME } from '../../src/server/logging.js';
import { BACKENDS, useService } from '../support/backends.js';
import { startTestServer, type TestServer } from './harness.js';

describe.each(BACKENDS)('the operation name in the log ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => { t = await startTestServer(h.api); });
  afterEach(async () => { await t?.close(); });

  const post = (body: Record<string, unknown>): Promise<Response> =>
    fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('logs a valid name as it is', async () => {
    await post({ query: 'query Ping { artifactTypes { id } }', operationName: 'Ping' });
    expect(t.logs.operations().at(-1)).toMatchObject({ operationName: 'Ping' });
  });

  it('never logs a 1 MB name, in the document or in operationName: it is cut short', async () => {
    const huge = `Q${'x'.repeat(1024 * 1024)}`;
    await post({ query: `query ${huge} { artifactTypes { id } }` });
    await post({ query: `query ${huge} { artifactTypes { id } }`, operationName: huge });
    await post({ query: '{ artifactTypes { id } }', operationName: huge });
    const names = t.logs.operations().map((l) => l.operationName as string);
    expect(names).toHaveLength(3);
    for (const name of names) expect(name).toBe(huge.slice(0, MAX_LOGGED_OPERATION_NAME));
    expect(t.logs.text().length).toBeLessThan(20_000);
  });

  it('never logs a name that is not a GraphQL name (an e-mail address, control characters, a variable value)', async () => {
    const hostile = ['jane.doe@example.com', 'line\nbreak {"level":60}', ' Ping', 'Ping ', '9lives', '', 'Ünïcode'];
    for (const operationName of hostile) {
      await post({ query: 'query Ping { artifactTypes { id } }', operationName });
      await post({ query: '{ artifactTypes { id } }', operationName });
    }
    const names = t.logs.operations().map((l) => l.operationName);
    expect(names).toHaveLength(hostile.length * 2);
    for (const name of names) expect(name).toBe('(invalid)');
    expect(t.logs.text()).not.toContain('jane.doe');
    expect(t.logs.text()).not.toContain('example.com');
  });

  it('logs null for an anonymous operation', async () => {
    await post({ query: '{ artifactTypes { id } }' });
    expect(t.logs.operations().at(-1)).toMatchObject({ operationName: null });
  });
});
