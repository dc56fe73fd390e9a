/**
 * Reuse without an id only finds a node or adds to it (issue 12, item 17): a put that
 * finds its node by (type, name), or by externalId on request, may add a uri, an
 * externalId or properties the node lacks and move its state, but a different uri,
 * externalId or value of a property the node has is ALREADY_EXISTS naming the field, on
 * every write path, and nothing is written. An update by id still changes anything.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { countsOf, expectStoreError, putBasicTypes, snapshotGraph } from './fixtures.js';

describe.each(BACKENDS)('reuse without an id finds or adds, never rewrites, on $name', (backend) => {
  const t = useService(backend);

  const storedRaw = async () => {
    await putBasicTypes(t.api);
    const [raw] = await t.api.putArtifacts([{
      type: 'Dataset', name: 'raw', uri: 's3://raw/v1', externalId: 'raw-ext', state: 'LIVE',
      properties: { rows: 100 }, customProperties: { owner: 'ana', cfg: { a: [1, 2] } },
    }]);
    return raw!;
  };

  it('finds the node when the put repeats it or gives less, and changes nothing', async () => {
    const raw = await storedRaw();
    t.clock.advance(5);
    const [same] = await t.api.putArtifacts([{
      type: 'Dataset', name: 'raw', uri: 's3://raw/v1', externalId: 'raw-ext', state: 'LIVE',
      properties: { rows: 100 }, customProperties: { owner: 'ana', cfg: { a: [1, 2] } },
    }]);
    const [less] = await t.api.putArtifacts([{ type: 'Dataset', name: 'raw', properties: {}, customProperties: { owner: 'ana' } }]);
    expect([same, less]).toEqual([raw, raw]);
    expect(await t.api.getNodes([raw.id])).toEqual([raw]);
  });

  it('adds the properties, custom properties and externalId the node lacks, keeping the ones it has', async () => {
    await putBasicTypes(t.api);
    const [bare] = await t.api.putArtifacts([{ type: 'Dataset', name: 'raw', properties: { rows: 100 }, customProperties: { owner: 'ana' } }]);
    t.clock.advance(5);
    const [added] = await t.api.putArtifacts([{
      type: 'Dataset', name: 'raw', uri: 's3://raw/v1', externalId: 'raw-ext', properties: { split: 'train' }, customProperties: { team: 'ml' },
    }]);
    const expected = {
      ...bare!, uri: 's3://raw/v1', externalId: 'raw-ext', properties: { rows: 100, split: 'train' },
      customProperties: { owner: 'ana', team: 'ml' }, updateTime: CLOCK_START + 5,
    };
    expect(added).toEqual(expected);
    expect(await t.api.getNodes([bare!.id])).toEqual([expected]);
  });

  it('moves an execution\'s state and an artifact\'s state: a state is where a node stands, not what it holds', async () => {
    await putBasicTypes(t.api);
    const [run] = await t.api.putExecutions([{ type: 'Trainer', name: 'run', lastKnownState: 'RUNNING', properties: { epochs: 3 } }]);
    const [done] = await t.api.putExecutions([{ type: 'Trainer', name: 'run', lastKnownState: 'COMPLETE', properties: { epochs: 3 } }]);
    expect([done!.id, done!.lastKnownState]).toEqual([run!.id, 'COMPLETE']);
    const [pending] = await t.api.putArtifacts([{ type: 'Model', name: 'm', state: 'PENDING' }]);
    const [live] = await t.api.putArtifacts([{ type: 'Model', name: 'm', state: 'LIVE' }]);
    expect([live!.id, live!.state]).toEqual([pending!.id, 'LIVE']);
  });

  it.each([
    ['a different uri', { uri: 's3://raw/v2' }, 'artifacts[0].uri'],
    ['a different typed property value', { properties: { rows: 200 } }, 'artifacts[0].properties.rows'],
    ['a custom value that differs by a trailing space', { properties: { rows: 100, split: 'a' }, customProperties: { owner: 'ana ' } }, 'artifacts[0].customProperties.owner'],
    ['a different custom property value', { customProperties: { owner: 'bo' } }, 'artifacts[0].customProperties.owner'],
    ['a different nested STRUCT value', { customProperties: { cfg: { a: [1, 2, 3] } } }, 'artifacts[0].customProperties.cfg'],
    ['a different externalId', { externalId: 'other-ext' }, 'artifacts[0].externalId'],
  ])('refuses %s as ALREADY_EXISTS naming the field, and writes nothing', async (_label, change, field) => {
    const raw = await storedRaw();
    const before = await snapshotGraph(t.api);
    const error = await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'raw', ...change }]), 'ALREADY_EXISTS', field);
    expect(error.message).toMatch(/by id|its own name/);
    expect(await t.api.getNodes([raw.id])).toEqual([raw]);
    expect(await snapshotGraph(t.api)).toEqual(before);
  });

  it('refuses a different value when reusing by externalId too', async () => {
    const raw = await storedRaw();
    await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', externalId: 'raw-ext', uri: 's3://raw/v2' }], { reuseByExternalId: true }),
      'ALREADY_EXISTS', 'artifacts[0].uri');
    expect(await t.api.getNodes([raw.id])).toEqual([raw]);
  });

  it('refuses a later input of one batch that contradicts an earlier one with the same name', async () => {
    await putBasicTypes(t.api);
    await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'n', uri: 'first' }, { type: 'Dataset', name: 'n', uri: 'second' }]),
      'ALREADY_EXISTS', 'artifacts[1].uri');
    expect(countsOf(await snapshotGraph(t.api)).artifacts).toBe(0);
  });

  it('refuses a rewrite through executions, contexts, recordExecution and putLineageSubgraph alike', async () => {
    await putBasicTypes(t.api);
    await t.api.recordExecution({
      execution: { type: 'Trainer', name: 'prep', properties: { epochs: 1 } },
      inputs: [{ artifact: { type: 'Dataset', name: 'raw', uri: 's3://raw/v1' } }],
      outputs: [{ artifact: { type: 'Dataset', name: 'clean', uri: 's3://clean/v1', properties: { rows: 90 } } }],
      contexts: [{ type: 'Pipeline', name: 'p', customProperties: { owner: 'ana' } }],
    });
    const before = await snapshotGraph(t.api);
    await expectStoreError(() => t.api.putExecutions([{ type: 'Trainer', name: 'prep', properties: { epochs: 2 } }]), 'ALREADY_EXISTS', 'executions[0].properties.epochs');
    await expectStoreError(() => t.api.putContexts([{ type: 'Pipeline', name: 'p', customProperties: { owner: 'bo' } }]), 'ALREADY_EXISTS', 'contexts[0].customProperties.owner');
    await expectStoreError(() => t.api.recordExecution({
      execution: { type: 'Trainer', name: 'prep' },
      outputs: [{ artifact: { type: 'Dataset', name: 'clean', uri: 's3://clean/v1', properties: { rows: 91 } } }],
    }), 'ALREADY_EXISTS', 'input.outputs[0].artifact.properties.rows');
    await expectStoreError(() => t.api.recordExecution({
      execution: { type: 'Trainer', name: 'prep', properties: { epochs: 5 } },
    }), 'ALREADY_EXISTS', 'input.execution.properties.epochs');
    await expectStoreError(() => t.api.recordExecution({
      execution: { type: 'Trainer', name: 'prep' }, contexts: [{ type: 'Pipeline', name: 'p', customProperties: { owner: 'bo' } }],
    }), 'ALREADY_EXISTS', 'input.contexts[0].customProperties.owner');
    await expectStoreError(() => t.api.putLineageSubgraph({ artifacts: [{ type: 'Dataset', name: 'raw', uri: 's3://raw/v2' }] }),
      'ALREADY_EXISTS', 'input.artifacts[0].uri');
    expect(await snapshotGraph(t.api)).toEqual(before);
  });

  it('still changes anything by id', async () => {
    const raw = await storedRaw();
    t.clock.advance(9);
    const [changed] = await t.api.putArtifacts([{
      id: raw.id, type: 'Dataset', uri: 's3://raw/v2', externalId: 'new-ext', properties: { rows: 200 }, customProperties: { owner: 'bo' },
    }]);
    expect(changed).toEqual({
      ...raw, uri: 's3://raw/v2', externalId: 'new-ext', properties: { rows: 200 }, customProperties: { owner: 'bo' }, updateTime: CLOCK_START + 9,
    });
  });
});
