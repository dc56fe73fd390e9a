/**
 * Writing with given create and update times (PutOptions.withGivenTimes, given-times.ts):
 * what the ML Metadata importer needs to keep ML Metadata's times. A new node keeps the
 * times it is given; a stored node an input reaches keeps its own; without the option a
 * time is refused, naming the field, and GraphQL's inputs have no field to carry one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLInputObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { expectStoreError, putBasicTypes } from './fixtures.js';

const GIVEN = { withGivenTimes: true };
/** 2019-01-01 and a day later: nothing the test clock (CLOCK_START, 2023) would stamp. */
const MADE = 1_546_300_800_000;
const CHANGED = MADE + 86_400_000;

describe.each(BACKENDS)('given create and update times on $name', (backend) => {
  const t = useService(backend);

  it('a new node keeps the times it is given, as read back; one reached by name keeps its own', async () => {
    await putBasicTypes(t.api);
    const r = await t.api.putLineageSubgraph({
      artifacts: [{ type: 'Dataset', name: 'a', createTime: MADE, updateTime: CHANGED }],
      executions: [{ type: 'Trainer', name: 'x', createTime: MADE, updateTime: MADE }],
      contexts: [{ type: 'Pipeline', name: 'c', createTime: 0, updateTime: CHANGED }],
    }, undefined, GIVEN);
    const times = (ids: string[]) => t.api.getNodes(ids).then((ns) => ns.map((n) => [n!.createTime, n!.updateTime]));
    const ids = [r.artifacts[0]!.id, r.executions[0]!.id, r.contexts[0]!.id];
    expect(await times(ids)).toEqual([[MADE, CHANGED], [MADE, MADE], [0, CHANGED]]);

    t.clock.advance(1000);
    const [again] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a', uri: 's3://a', createTime: 5, updateTime: 5 }], GIVEN);
    expect(again!.id).toBe(ids[0]);
    // Stored: its creation stays, and the change is stamped by the store's clock as any change is.
    expect(await times([ids[0]!])).toEqual([[MADE, CLOCK_START + 1000]]);
  });

  it('without the option a time is refused naming the field; with it both are required, whole milliseconds from 0', async () => {
    await putBasicTypes(t.api);
    let error = await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'a' }, { type: 'Dataset', name: 'b', createTime: MADE }]),
      'INVALID_ARGUMENT', 'artifacts[1].createTime');
    expect(error.message).toBe('artifacts[1].createTime: a createTime is kept only by trusted writes that give every time');
    error = await expectStoreError(() => t.api.putContexts([{ type: 'Pipeline', name: 'c', updateTime: MADE }]), 'INVALID_ARGUMENT', 'contexts[0].updateTime');
    error = await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'a', createTime: MADE }], GIVEN), 'INVALID_ARGUMENT', 'artifacts[0].updateTime');
    expect(error.message).toBe('artifacts[0].updateTime is required when times are given');
    await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'a', createTime: -1, updateTime: MADE }], GIVEN), 'INVALID_ARGUMENT', 'artifacts[0].createTime');
    await expectStoreError(() => t.api.putArtifacts([{ type: 'Dataset', name: 'a', createTime: 1.5, updateTime: MADE }], GIVEN), 'INVALID_ARGUMENT', 'artifacts[0].createTime');
    expect(await t.api.findNodeByName('ARTIFACT', 'Dataset', 'a')).toBeNull();
  });
});

describe('given times are trusted code only', () => {
  it("GraphQL's node inputs have no createTime or updateTime to send", () => {
    const schema = buildSchema(readFileSync(path.resolve(import.meta.dirname, '../../schema.graphql'), 'utf8'), { assumeValidSDL: true });
    for (const name of ['ArtifactInput', 'ExecutionInput', 'ContextInput']) {
      const fields = Object.keys((schema.getType(name) as GraphQLInputObjectType).getFields());
      expect(fields, name).toContain('name');
      expect(fields.filter((f) => /time/i.test(f)), name).toEqual([]);
    }
  });
});
