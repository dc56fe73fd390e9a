import { it } from 'vitest';
import { createMetadataService } from '../../src/service/metadata-service.js';
import { createSqliteStore } from '../../src/graph/sqlite/index.js';
import { startSecureServer } from './security-harness.js';
it('probe', async () => {
  const store = await createSqliteStore({ path: ':memory:' });
  const t = await startSecureServer(createMetadataService(store));
  const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: artifactTypes { id }`).join(' ')} }`;
  console.log(JSON.stringify((await t.gql(aliases(3))).errors?.slice(0,2)));
  console.log(JSON.stringify((await t.gql(`{ artifactTypes { ${'id '.repeat(2_000)} } }`)).errors?.slice(0,2)));
  console.log(JSON.stringify((await t.gql('{ artifactTypez { id } }')).errors?.slice(0,2)));
  await t.close();
});
