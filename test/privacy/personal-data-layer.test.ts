/**
 * Personal data as a layer over the core's writes (issue 13), on both backends:
 * - a deployment where nothing declares personal data pays nothing for it: no lock, and no
 *   store call beyond the core's but one read when a write links nodes that existed before
 *   it (are any of them carrying personal data?);
 * - once something is declared, a write that cannot change a status still takes no lock,
 *   and a derivation locks only the part of the graph it derives;
 * - the core alone (no layer) writes as its own rules say;
 * - two API processes on one database (two stores: two connections, two drivers), one
 *   declaring while the other records steps downstream, leave every kept status equal to
 *   the one derived over the whole graph.
 *
 *   S (Table) ──x──▶ O ──y──▶ P          the chains the concurrent writers record
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/graph/model.js';
import type { GraphStore } from '../../src/graph/store.js';
import { createMetadataService, type MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { computeStatusesInTx } from '../../src/service/privacy/personal-data-status.js';
import { createServices } from '../../src/service/services.js';
import { countingStore } from '../api/harness.js';
import { BACKENDS, useService, type Backend } from '../support/backends.js';
import { artifact, pd, personalDataService, putPrivacyTypes } from './fixtures.js';

/** The store calls of the personal-data layer (src/graph/privacy-store.ts) that a write may make. */
const LAYER_CALLS = new Set([
  'personalDataDeclarations', 'artifactsDeclaringPersonalData', 'derivedStatuses', 'putDerivedStatuses', 'clearDerivedStatuses',
  'carryingPersonalData', 'lockForDerivation', 'derivationMinK', 'lockDerivation', 'setDerivationMinK', 'registrationCounts',
  'appendAuditEntries',
]);

/** One recordExecution of step `name`: `inputs` by id, one new output artifact `out` of type Table. */
const record = (api: MetadataApi, name: string, inputs: readonly string[], out: string) => api.recordExecution({
  execution: { type: 'Step', name },
  inputs: inputs.map((id) => ({ id })),
  outputs: [{ artifact: { type: 'Table', name: out } }],
});

describe.each(BACKENDS)('personal data over the core\'s writes on $name', (backend) => {
  const h = useService(backend);

  /** The same writes through the core alone and through the core with personal data: the calls each made. */
  async function callsOfEachWrite(): Promise<{ core: string[][]; layered: string[][] }> {
    const core = countingStore(h.store);
    const layered = countingStore(h.store);
    const alone = createMetadataService(core.store, { clock: h.clock });
    const withPersonalData = createServices(layered.store, { clock: h.clock }).metadata;
    // The layer's first write brings the store's statuses to its minimum k, once.
    await putPrivacyTypes(withPersonalData);
    const calls: { core: string[][]; layered: string[][] } = { core: [], layered: [] };
    const both = async (write: (api: MetadataApi, run: 'core' | 'layered') => Promise<unknown>): Promise<void> => {
      core.reset();
      await write(alone, 'core');
      calls.core.push([...core.calls]);
      layered.reset();
      await write(withPersonalData, 'layered');
      calls.layered.push([...layered.calls]);
    };
    const source: Record<string, string> = {};
    await both((api, run) => api.putType('ARTIFACT_TYPE', { name: `${run}-Metrics` }));
    await both(async (api, run) => { source[run] = (await artifact(api, `${run}-source`)).id; });
    await both((api, run) => api.recordExecution({ execution: { type: 'Step', name: `${run}-x0` }, outputs: [{ artifact: { type: 'Table', name: `${run}-o0` } }] }));
    await both((api, run) => record(api, `${run}-x1`, [source[run]!], `${run}-o1`));
    return calls;
  }

  it('costs a deployment that declares nothing no lock, and one read only when a write links nodes that existed before it', async () => {
    const { core, layered } = await callsOfEachWrite();
    const extra = layered.map((calls) => calls.filter((c) => LAYER_CALLS.has(c)));
    // putType, putArtifacts, and a recordExecution of new nodes only: nothing at all.
    expect(extra.slice(0, 3)).toEqual([[], [], []]);
    // A recordExecution reading an artifact that existed: whether any of its ends carries personal data.
    expect(extra[3]).toEqual(['carryingPersonalData']);
    layered.forEach((calls, i) => expect(calls.filter((c) => !LAYER_CALLS.has(c)), `write ${i}`).toEqual(core[i]));
    expect(core.flat().filter((c) => LAYER_CALLS.has(c))).toEqual([]);
  });

  it('takes no lock for a write that cannot change a status once something is declared, and locks only what a derivation derives', async () => {
    const counting = countingStore(h.store);
    const api = createServices(counting.store, { clock: h.clock }).metadata;
    await putPrivacyTypes(api);
    const S = await artifact(api, 'S', pd(['contact']));
    const T = await artifact(api, 'T');
    counting.reset();
    await record(api, 'unrelated', [T.id], 'U');
    expect(counting.calls.filter((c) => LAYER_CALLS.has(c))).toEqual(['carryingPersonalData']);

    counting.reset();
    const downstream = await record(api, 'x', [S.id], 'O');
    const calls = counting.calls.filter((c) => LAYER_CALLS.has(c));
    expect(calls).not.toContain('lockDerivation');
    expect(calls).toContain('lockForDerivation');
    const [status] = await personalDataService(h.store).personalDataStatus([downstream.outputs[0]!.id], 'test');
    expect(status).toMatchObject({ categories: ['contact'], sources: [S.id] });
  });

  it('writes as the core\'s rules say with no layer: declarations are not its to read, and nothing is derived or audited', async () => {
    const counting = countingStore(h.store);
    const alone = createMetadataService(counting.store, { clock: h.clock });
    await putPrivacyTypes(alone);
    expect((await alone.findType('ARTIFACT_TYPE', 'Patients'))?.personalData).toBeUndefined();
    const [S] = await alone.putArtifacts([{ type: 'Patients', name: 'S' }]);
    const done = await record(alone, 'x', [S!.id], 'O');
    expect(done.outputs[0]).toMatchObject({ name: 'O' });
    expect(await alone.deleteNodes([done.execution.id])).toBe(1);
    expect(counting.calls.filter((c) => LAYER_CALLS.has(c))).toEqual([]);
    expect(await h.store.read((tx) => tx.derivedStatuses([S!.id, done.outputs[0]!.id]))).toEqual([null, null]);
    expect(await h.store.read((tx) => tx.listAuditEntries(null, 10))).toEqual([]);
  });
});

const dir = mkdtempSync(path.join(tmpdir(), 'journey-two-processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two stores over one empty database, as two API processes have: two connections (SQLite) or two drivers (Neo4j). */
async function twoStores(backend: Backend): Promise<[GraphStore, GraphStore]> {
  if (backend.name === 'sqlite') {
    const { createSqliteStore } = await import('../../src/graph/sqlite/index.js');
    const file = path.join(dir, `journey-${Date.now()}.sqlite`);
    const first = await createSqliteStore({ path: file, readers: 1 });
    await first.init();
    return [first, await createSqliteStore({ path: file, readers: 1 })];
  }
  const { createNeo4jStore } = await import('../../src/graph/neo4j/index.js');
  const { clearNeo4jDatabase } = await import('../support/neo4j-database.js');
  const first = await createNeo4jStore({ uri: process.env.NEO4J_URI! });
  // Emptied before init too: an earlier file may have left nodes but no schema version.
  await clearNeo4jDatabase(first);
  await first.init();
  await clearNeo4jDatabase(first);
  return [first, await createNeo4jStore({ uri: process.env.NEO4J_URI! })];
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => { setTimeout(resolve, ms); });

/** A promise and the function that keeps it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

describe.each(BACKENDS)('two API processes on one $name database', (backend) => {
  /** Artifact A, holding nothing, and execution X, not linked: ids. */
  async function unlinked(api: MetadataApi): Promise<{ A: string; X: string; event: EventRecord }> {
    await putPrivacyTypes(api);
    const A = (await artifact(api, 'A')).id;
    const [x] = await api.putExecutions([{ type: 'Step', name: 'X' }]);
    return { A, X: x!.id, event: { artifactId: A, executionId: x!.id, type: 'INPUT', path: [], time: 1 } };
  }

  const HOLDS = { declared: true, routes: [['A']], keys: [{ key: 'c:contact', clear: 0, pseudonymised: null }] };

  it('makes a write that links a node a derivation holds wait, and then see what it derived', async () => {
    const [deriving, linking] = await twoStores(backend);
    try {
      const { A, X, event } = await unlinked(createServices(deriving).metadata);
      const locked = signal();
      const derivation = deriving.write(async (tx) => {
        await tx.lockForDerivation([A]);
        locked.resolve();
        await pause(300);
        await tx.putDerivedStatuses([{ artifactId: A, status: HOLDS }]);
      });
      await locked.promise;
      // The link is stored only once the derivation has committed, and its read comes after it.
      const seen = await linking.write(async (tx) => {
        await tx.insertEvents([event]);
        return tx.carryingPersonalData([A, X]);
      });
      await derivation;
      expect(seen.sort()).toEqual([A, X].sort());
    } finally {
      await linking.close();
      await deriving.close();
    }
  });

  it('makes a derivation that locks a node another write linked first wait for it, and then walk over the new link', async () => {
    const [deriving, linking] = await twoStores(backend);
    try {
      const { A, X, event } = await unlinked(createServices(deriving).metadata);
      const linked = signal();
      const link = linking.write(async (tx) => {
        await tx.insertEvents([event]);
        await tx.getEvents([event]); // the insert has run on the server (Neo4j sends writes without waiting)
        linked.resolve();
        await pause(300);
      });
      await linked.promise;
      const steps = await deriving.write(async (tx) => {
        await tx.lockForDerivation([A]);
        return tx.lineageSteps([A], 'DOWNSTREAM', ['INPUT'], null);
      });
      await link;
      expect(steps.map((s) => s.neighborId)).toEqual([X]);
    } finally {
      await linking.close();
      await deriving.close();
    }
  });

  it('keeps every status right while one declares sources and the other records steps downstream of them', async () => {
    const [declaring, recording] = await twoStores(backend);
    try {
      const a = createServices(declaring).metadata;
      const b = createServices(recording).metadata;
      await putPrivacyTypes(a);
      const sources = [];
      for (let i = 0; i < 8; i += 1) sources.push(await artifact(a, `S${i}`));
      // The recording process writes first, while nothing is declared anywhere.
      await record(b, 'warm', [sources[0]!.id], 'W');

      // Declared by one, then recorded from by the other: the recording derives what it linked.
      await a.putArtifacts([{ id: sources[0]!.id, type: 'Table', personalData: pd(['contact']) }]);
      const after = await record(b, 'after', [sources[0]!.id], 'A');
      const [status] = await personalDataService(recording).personalDataStatus([after.outputs[0]!.id], 'test');
      expect(status).toMatchObject({ categories: ['contact'], sources: [sources[0]!.id] });

      // Each other source declared by one process as the other starts recording two steps down from it.
      const outputs: string[] = [after.outputs[0]!.id];
      const starts = sources.map(signal);
      await Promise.all([
        (async () => {
          for (const [i, s] of sources.entries()) {
            starts[i]!.resolve();
            await a.putArtifacts([{ id: s.id, type: 'Table', personalData: i % 2 === 0 ? pd(['contact']) : pd([], ['HEALTH']) }]);
          }
        })(),
        ...sources.map(async (s, i) => {
          await starts[i]!.promise;
          const first = await record(b, `x${i}`, [s.id], `O${i}`);
          const second = await record(b, `y${i}`, [first.outputs[0]!.id], `P${i}`);
          outputs.push(first.outputs[0]!.id, second.outputs[0]!.id);
        }),
      ]);

      const ids = [...sources.map((s) => s.id), ...outputs];
      const kept = await personalDataService(recording).personalDataStatus(ids, 'test');
      const derived = await recording.read((tx) => computeStatusesInTx(tx, ids, { minK: 10, maxNodes: 10_000 }));
      expect(kept).toEqual(derived);
      expect(kept.every((s) => s !== null)).toBe(true);
    } finally {
      await recording.close();
      await declaring.close();
    }
  });
});
