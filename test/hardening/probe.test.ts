import fc from 'fast-check';
import { it } from 'vitest';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import { createMetadataService } from '../../src/service/metadata-service.js';
import { startSecureServer } from '../security/security-harness.js';
import { requestArb, send } from './fuzz-operations.js';
it('probe', async () => {
  const store = await createSqliteStore({ path: ':memory:' });
  const t = await startSecureServer(createMetadataService(store), { security: { rateLimit: { perSecond: 0, burst: 1 }, maxBodyBytes: 256 * 1024 } });
  const tally = new Map<string, number>();
  for (const r of fc.sample(requestArb, { numRuns: 600, seed: 7 })) {
    const res = await send(t.url, r);
    const text = await res.text();
    let code = 'ok';
    try { const b = JSON.parse(text); code = b.errors ? b.errors.map((e: any) => e.extensions?.code).join('+') : 'ok'; } catch { code = 'nonjson'; }
    const k = `${r.label.split(' ')[0]} ${res.status} ${code}`;
    tally.set(k, (tally.get(k) ?? 0) + 1);
  }
  console.log([...tally.entries()].sort().map(([k, v]) => `${v}\t${k}`).join('\n'));
  await t.close();
});
