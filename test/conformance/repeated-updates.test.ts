/**
 * One node updated more than once in one write transaction, through the store interface:
 * each update keeps the record it replaced, and the last one is current. On Neo4j the
 * transaction holds writes back and joins a run of the same statement into one; a node
 * twice in one joined statement used to keep its FIRST record twice (its history read
 * A, A instead of A, B) until the store stopped putting a node twice in one statement.
 *
 *   put A (t0) ──update──▶ B (t1) ──update──▶ C (t2)      history: A [t0,t1) B [t1,t2) C [t2,∞)
 */
import { describe, expect, it } from 'vitest';
import type { ArtifactRecord, NodeRecord } from '../../src/graph/model.js';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { putBasicTypes } from './fixtures.js';

describe.each(BACKENDS)('repeated updates of one node in one transaction on $name', (backend) => {
  const t = useService(backend);

  /** An artifact put at CLOCK_START, and its records B (t0 + 1) and C (t0 + 2). */
  async function threeRecords(): Promise<{ a: ArtifactRecord; b: ArtifactRecord; c: ArtifactRecord }> {
    await putBasicTypes(t.api);
    const [put] = await t.api.putArtifacts([{ type: 'Dataset', name: 'data', uri: 's3://a', properties: { rows: 1 } }]);
    const a = (await t.api.getNodes([put!.id]))[0] as ArtifactRecord;
    const b: ArtifactRecord = { ...a, uri: 's3://b', properties: { rows: 2 }, updateTime: CLOCK_START + 1 };
    const c: ArtifactRecord = { ...a, uri: 's3://c', properties: { rows: 3 }, updateTime: CLOCK_START + 2 };
    return { a, b, c };
  }

  async function expectHistory(id: string, records: NodeRecord[]): Promise<void> {
    expect(await t.store.read((tx) => tx.getNodes([id]))).toEqual([records[records.length - 1]]);
    const [history] = await t.store.read((tx) => tx.nodeHistories([id]));
    expect(history!.map((entry) => entry.record)).toEqual(records);
    expect(history!.map((entry) => [entry.validFrom, entry.validTo])).toEqual(
      records.map((r, i) => [i === 0 ? CLOCK_START : records[i]!.updateTime, records[i + 1]?.updateTime ?? null]),
    );
  }

  it('keeps each replaced record when two updateNodes calls follow each other', async () => {
    const { a, b, c } = await threeRecords();
    await t.store.write(async (tx) => {
      await tx.updateNodes([b]);
      await tx.updateNodes([c]);
    });
    await expectHistory(a.id, [a, b, c]);
  });

  it('keeps each replaced record when one updateNodes call holds the node twice', async () => {
    const { a, b, c } = await threeRecords();
    await t.store.write((tx) => tx.updateNodes([b, c]));
    await expectHistory(a.id, [a, b, c]);
  });

  it('keeps the order of updates joined with other nodes\' updates between them', async () => {
    const { a, b, c } = await threeRecords();
    const [other] = await t.api.putArtifacts([{ type: 'Dataset', name: 'other' }]);
    const otherB: NodeRecord = { ...other!, uri: 's3://other', updateTime: CLOCK_START + 1 };
    await t.store.write(async (tx) => {
      await tx.updateNodes([b, otherB]);
      await tx.updateNodes([c]);
    });
    await expectHistory(a.id, [a, b, c]);
    await expectHistory(other!.id, [other!, otherB]);
  });
});
