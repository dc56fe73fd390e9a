/**
 * Import origins (src/graph/import-origins.ts), the store's record of which source node
 * each imported node came from: found by (source, kind, source id) aligned with the ids
 * asked, a miss null; kinds and sources apart; a source id recorded again points at the
 * new node; a deleted node's origin is no longer answered nor counted; a source name
 * carrying SQL or Cypher is only a value.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { putBasicTypes } from './fixtures.js';

const HOSTILE = `x'); DROP TABLE nodes; -- "}) DETACH DELETE (n) //`;

describe.each(BACKENDS)('import origins on $name', (backend) => {
  const t = useService(backend);

  async function nodes() {
    await putBasicTypes(t.api);
    const r = await t.api.putLineageSubgraph({
      artifacts: [{ type: 'Dataset', name: 'a1' }, { type: 'Dataset', name: 'a2' }],
      contexts: [{ type: 'Pipeline', name: 'c' }],
    });
    return { a1: r.artifacts[0]!.id, a2: r.artifacts[1]!.id, c: r.contexts[0]!.id };
  }

  it('answers the node of each source id, aligned, null where none; kinds and sources kept apart', async () => {
    const { a1, a2, c } = await nodes();
    await t.store.write(async (tx) => {
      await tx.recordImportOrigins('s', 'ARTIFACT', [{ sourceId: 1, nodeId: a1 }, { sourceId: 2, nodeId: a2 }]);
      await tx.recordImportOrigins('s', 'CONTEXT', [{ sourceId: 1, nodeId: c }]);
    });
    expect(await t.store.read((tx) => tx.importedNodeIds('s', 'ARTIFACT', [2, 3, 1, 2]))).toEqual([a2, null, a1, a2]);
    expect(await t.store.read((tx) => tx.importedNodeIds('s', 'CONTEXT', [1, 2]))).toEqual([c, null]);
    expect(await t.store.read((tx) => tx.importedNodeIds('s', 'EXECUTION', [1]))).toEqual([null]);
    expect(await t.store.read((tx) => tx.importedNodeIds('other', 'ARTIFACT', [1]))).toEqual([null]);
    expect(await t.store.read((tx) => tx.importedNodeIds('s', 'ARTIFACT', []))).toEqual([]);
    expect(await t.store.read(async (tx) => [await tx.countImportedNodes('s', 'ARTIFACT'), await tx.countImportedNodes('s', 'CONTEXT'), await tx.countImportedNodes('other', 'ARTIFACT')]))
      .toEqual([2, 1, 0]);
  });

  it('points a source id recorded again at the new node, and forgets a deleted node', async () => {
    const { a1, a2 } = await nodes();
    await t.store.write((tx) => tx.recordImportOrigins('s', 'ARTIFACT', [{ sourceId: 1, nodeId: a1 }]));
    await t.store.write((tx) => tx.recordImportOrigins('s', 'ARTIFACT', [{ sourceId: 1, nodeId: a2 }]));
    expect(await t.store.read((tx) => tx.importedNodeIds('s', 'ARTIFACT', [1]))).toEqual([a2]);
    expect(await t.store.read((tx) => tx.countImportedNodes('s', 'ARTIFACT'))).toBe(1);
    await t.api.deleteNodes([a2]);
    expect(await t.store.read((tx) => tx.importedNodeIds('s', 'ARTIFACT', [1]))).toEqual([null]);
    expect(await t.store.read((tx) => tx.countImportedNodes('s', 'ARTIFACT'))).toBe(0);
  });

  it('keeps nothing of a rolled-back transaction', async () => {
    const { a1 } = await nodes();
    await expect(t.store.write(async (tx) => {
      await tx.recordImportOrigins('s', 'ARTIFACT', [{ sourceId: 1, nodeId: a1 }]);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect(await t.store.read((tx) => tx.importedNodeIds('s', 'ARTIFACT', [1]))).toEqual([null]);
  });

  it('takes a source name carrying SQL and Cypher as a value', async () => {
    const { a1 } = await nodes();
    await t.store.write((tx) => tx.recordImportOrigins(HOSTILE, 'ARTIFACT', [{ sourceId: 7, nodeId: a1 }]));
    expect(await t.store.read((tx) => tx.importedNodeIds(HOSTILE, 'ARTIFACT', [7]))).toEqual([a1]);
    expect(await t.store.read((tx) => tx.countImportedNodes(HOSTILE, 'ARTIFACT'))).toBe(1);
    expect((await t.api.getNodes([a1]))[0]?.name).toBe('a1');
  });
});
