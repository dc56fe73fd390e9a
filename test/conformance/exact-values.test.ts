/**
 * The service refuses values a store could not keep as sent (issue 12, items 15 and 16),
 * so in-process callers get the same answer as the API: integers beyond ±(2^53−1), a
 * `__proto__` property and unpaired UTF-16 surrogates, on every write path.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { personalDataService } from '../privacy/fixtures.js';
import { countsOf, expectStoreError, putBasicTypes, snapshotGraph } from './fixtures.js';

describe.each(BACKENDS)('values kept exactly or refused on $name', (backend) => {
  const t = useService(backend);

  it('refuses a big integer in a custom property, on putArtifacts, recordExecution and putLineageSubgraph', async () => {
    await putBasicTypes(t.api);
    const big = { customProperties: { seed: 2 ** 60 } };
    await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'd', ...big }]), 'INVALID_ARGUMENT', 'artifacts[0].customProperties.seed');
    await expectStoreError(() => t.api.recordExecution({ execution: { type: 'Trainer', ...big } }), 'INVALID_ARGUMENT', 'input.execution.customProperties.seed');
    await expectStoreError(() => t.api.putLineageSubgraph({ contexts: [{ type: 'Pipeline', name: 'p', customProperties: { a: [{ b: -(2 ** 53) }] } }] }),
      'INVALID_ARGUMENT', 'input.contexts[0].customProperties.a[0].b');
    expect(countsOf(await snapshotGraph(t.api))).toMatchObject({ artifacts: 0, executions: 0, contexts: 0 });
  });

  it('refuses __proto__ as a custom property parsed from JSON, and as a property definition', async () => {
    await putBasicTypes(t.api);
    const customProperties = JSON.parse('{"__proto__": {"admin": true}}') as Record<string, unknown>;
    await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'd', customProperties }]), 'INVALID_ARGUMENT', 'artifacts[0].customProperties.__proto__');
    await expectStoreError(() => t.api.putType('CONTEXT_TYPE', { name: 'P', properties: [{ name: '__proto__', type: 'STRING' }] }), 'INVALID_ARGUMENT', 'input.properties[0].name');
    expect(await t.api.findType('CONTEXT_TYPE', 'P')).toBeNull();
  });

  it('refuses a lone surrogate in a type name, and the type is not stored in any form', async () => {
    await expectStoreError(() => t.api.putType('ARTIFACT_TYPE', { name: 'Data\ud800' }), 'INVALID_ARGUMENT', 'input.name');
    expect(await t.api.listTypes('ARTIFACT_TYPE')).toEqual([]);
    expect(await t.api.findType('ARTIFACT_TYPE', 'Data\ufffd')).toBeNull();
  });

  it('refuses a lone surrogate in a subject identifier, which would hash like every other one (as U+FFFD)', async () => {
    await putBasicTypes(t.api);
    const [raw] = await t.api.putArtifacts([{ type: 'Dataset', name: 'raw', personalData: { categories: ['contact'] } }]);
    const privacy = personalDataService(t.store);
    const error = await expectStoreError(() => privacy.registerDataSubjects(raw!.id, ['ok', 'a\ud800'], 'local'), 'INVALID_ARGUMENT', 'subjectIds[1]');
    expect(error.message).not.toContain('a\ud800');
    expect(await privacy.registerDataSubjects(raw!.id, ['a\ufffd'], 'local')).toBe(1);
    await expectStoreError(() => privacy.dataSubjectLineage('a\udc00', {}, 'local'), 'INVALID_ARGUMENT', 'subjectId');
  });
});
