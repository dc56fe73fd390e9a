/**
 * Errors: the closed set of src/graph/errors.ts, delivered as rejected promises, naming
 * the field and the bad value, and never carrying SQL, Cypher or driver text.
 */
import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError, FailedPreconditionError, InvalidArgumentError, NotFoundError, StoreError, UnavailableError,
} from '../../src/graph/errors.js';
import { createMetadataService, type MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS, useService } from '../support/backends.js';
import { ABSENT_ID, expectStoreError, leaksQueryText, putBasicTypes } from './fixtures.js';

/** A call of every API method that takes user input, with an argument it must refuse. */
const BAD_CALLS: [string, (api: MetadataApi) => Promise<unknown>][] = [
  ['putType', (api) => api.putType('ARTIFACT_TYPE', { name: '' })],
  ['getTypes', (api) => api.getTypes(null as never)],
  ['findType', (api) => api.findType('ARTIFACT_TYPE', '')],
  ['putArtifacts', (api) => api.putArtifacts(null as never)],
  ['putExecutions', (api) => api.putExecutions(null as never)],
  ['putContexts', (api) => api.putContexts(null as never)],
  ['getNodes', (api) => api.getNodes(null as never)],
  ['findNodeByName', (api) => api.findNodeByName('ARTIFACT', '', '')],
  ['findNodesByExternalId', (api) => api.findNodesByExternalId('ARTIFACT', null as never)],
  ['listNodes', (api) => api.listNodes('ARTIFACT', { first: 0 })],
  ['deleteNodes', (api) => api.deleteNodes(null as never)],
  ['putEvents', (api) => api.putEvents(null as never)],
  ['putAttributions', (api) => api.putAttributions(null as never)],
  ['putAssociations', (api) => api.putAssociations(null as never)],
  ['putParentContexts', (api) => api.putParentContexts(null as never)],
  ['eventsByArtifacts', (api) => api.eventsByArtifacts(null as never)],
  ['eventsByExecutions', (api) => api.eventsByExecutions(null as never)],
  ['contextsOfNodes', (api) => api.contextsOfNodes(null as never)],
  ['parentContexts', (api) => api.parentContexts(null as never)],
  ['childContexts', (api) => api.childContexts(null as never)],
  ['recordExecution', (api) => api.recordExecution({ execution: { type: 'T' }, inputs: [{}] })],
  ['putLineageSubgraph', (api) => api.putLineageSubgraph({ events: [{ artifactIndex: 0, executionIndex: 0, type: 'INPUT' }] })],
];

describe.each(BACKENDS)('errors on $name', (backend) => {
  const t = useService(backend);

  it.each(BAD_CALLS)('%s reports a bad argument as a rejected promise with INVALID_ARGUMENT, never a synchronous throw', async (_name, call) => {
    let result: Promise<unknown> | undefined;
    expect(() => { result = call(t.api); }).not.toThrow();
    await expect(result).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('uses the closed set: each class a StoreError with its code and its own name', async () => {
    await putBasicTypes(t.api);
    const [a] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a', externalId: 'x' }]);
    const [c] = await t.api.putContexts([{ type: 'Pipeline', name: 'c' }]);
    const cases: [() => Promise<unknown>, new (...args: never[]) => StoreError, string][] = [
      [() => t.api.putArtifacts([{ type: 'Nope' }]), NotFoundError, 'NOT_FOUND'],
      [() => t.api.putArtifacts([{ type: 'Dataset', name: 'b', externalId: 'x' }]), AlreadyExistsError, 'ALREADY_EXISTS'],
      [() => t.api.putArtifacts([{ type: 'Dataset', properties: { rows: 'many' } }]), InvalidArgumentError, 'INVALID_ARGUMENT'],
      [() => t.api.putParentContexts([{ childId: c!.id, parentId: c!.id }]), FailedPreconditionError, 'FAILED_PRECONDITION'],
      [() => t.api.putArtifacts([{ id: a!.id, type: 'Dataset', name: 'renamed' }]), FailedPreconditionError, 'FAILED_PRECONDITION'],
    ];
    for (const [call, errorClass, code] of cases) {
      const error = await call().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(errorClass);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe(code);
      expect((error as StoreError).name).toBe(errorClass.name);
    }
  });

  it('names the rule and the bad value in the message', async () => {
    await putBasicTypes(t.api);
    const first = await expectStoreError(() => t.api.listNodes('ARTIFACT', { first: 2500 }), 'INVALID_ARGUMENT', 'first');
    expect(first.message).toMatch(/\b1\b.*\b1,?000\b.*\b2500\b/);
    const prop = await expectStoreError(() => t.api.putArtifacts([{ type: 'Model', properties: { lr: 'fast' } }]), 'INVALID_ARGUMENT', 'artifacts[0].properties.lr');
    expect(prop.message).toContain('DOUBLE');
    expect(prop.message).toContain('"fast"');
    const type = await expectStoreError(() => t.api.putArtifacts([{ type: 'Modle' }]), 'NOT_FOUND', 'artifacts[0].type');
    expect(type.message).toContain('Modle');
    const missing = await expectStoreError(() => t.api.putEvents([{ artifactId: ABSENT_ID, executionId: ABSENT_ID, type: 'INPUT' }]), 'NOT_FOUND', 'events[0].artifactId');
    expect(missing.message).toContain(ABSENT_ID);
  });

  it('keeps a huge bad value out of the message', async () => {
    await putBasicTypes(t.api);
    const huge = 'x'.repeat(100_000);
    const error = await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', properties: { rows: huge } }]), 'INVALID_ARGUMENT', 'artifacts[0].properties.rows');
    expect(error.message.length).toBeLessThan(500);
  });

  it('never lets query text or driver words into a message, whichever rule fails', async () => {
    await putBasicTypes(t.api);
    const [a] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a', externalId: 'x' }]);
    const [e] = await t.api.putExecutions([{ type: 'Trainer', name: 'e' }]);
    const [c] = await t.api.putContexts([{ type: 'Pipeline', name: 'c' }]);
    await t.api.putEvents([{ artifactId: a!.id, executionId: e!.id, type: 'INPUT' }]);
    const failing: (() => Promise<unknown>)[] = [
      () => t.api.putType('ARTIFACT_TYPE', { name: 'Dataset', properties: [{ name: 'rows', type: 'STRING' }] }),
      () => t.api.putType('ARTIFACT_TYPE', { name: 'Other', externalId: 'ext' }).then(() => t.api.putType('ARTIFACT_TYPE', { name: 'Other2', externalId: 'ext' })),
      () => t.api.putArtifacts([{ type: 'Dataset', name: 'b', externalId: 'x' }]),
      () => t.api.putArtifacts([{ type: 'Dataset', name: 'a' }], { reuseByName: false }),
      () => t.api.putArtifacts([{ id: ABSENT_ID, type: 'Dataset' }]),
      () => t.api.putEvents([{ artifactId: a!.id, executionId: e!.id, type: 'INPUT', path: [{ index: 1 }] }]),
      () => t.api.putParentContexts([{ childId: c!.id, parentId: c!.id }]),
      () => t.api.listNodes('ARTIFACT', { after: 'bm90IGEgY3Vyc29y' }),
      () => t.api.listNodes('ARTIFACT', { filter: { properties: [{ name: 'rows' }] } }),
      () => t.api.putLineageSubgraph({ artifacts: [{ type: 'Dataset' }], executions: [{ type: 'Trainer' }], events: [{ artifactIndex: 5, executionIndex: 0, type: 'INPUT' }] }),
    ];
    for (const call of failing) {
      const error = await call().then(() => null, (err: unknown) => err);
      expect(error).toBeInstanceOf(StoreError);
      expect(leaksQueryText((error as Error).message), (error as Error).message).toBe(false);
      expect((error as StoreError).code).not.toBe('UNAVAILABLE');
    }
  });

  it('answers calls on a closed store with UNAVAILABLE, without driver text', async () => {
    // A store of its own: closing the shared one would break the tests after this one.
    const store = await backend.open();
    const api = createMetadataService(store);
    await api.putType('ARTIFACT_TYPE', { name: 'Dataset' });
    await store.close();
    for (const call of [() => api.getNodes([ABSENT_ID]), () => api.putArtifacts([{ type: 'Dataset' }]), () => store.ping()]) {
      const error = await call().then(() => null, (err: unknown) => err);
      expect(error).toBeInstanceOf(UnavailableError);
      expect(leaksQueryText((error as Error).message), (error as Error).message).toBe(false);
    }
  });

  it('recognises query text in a message (the check above can fail)', () => {
    expect(leaksQueryText('MATCH (n) RETURN n')).toBe(true);
    expect(leaksQueryText('UNIQUE constraint failed: nodes.name')).toBe(true);
    expect(leaksQueryText('Node(12) already exists with label `Artifact`')).toBe(true);
    expect(leaksQueryText('SqliteError: no such table')).toBe(true);
    expect(leaksQueryText('SQLITE_CONSTRAINT_UNIQUE')).toBe(true);
    expect(leaksQueryText('Neo4jError: Pool is closed, it is no more able to serve requests.')).toBe(true);
    expect(leaksQueryText('Neo.ClientError.Schema.ConstraintValidationFailed')).toBe(true);
    expect(leaksQueryText('artifacts[0].name: a artifact of type "Dataset" named "a" exists')).toBe(false);
  });
});
