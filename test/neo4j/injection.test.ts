/**
 * Cypher injection (STYLE.md habit 8): names, property keys, ids, uris, external ids and
 * path keys carrying Cypher fragments go through every store call and come back
 * verbatim, and a witness graph stored beside them is exactly as it was afterwards.
 *
 * Witness graph (benign ids):      Hostile graph (every string is the hostile text s):
 *   wc2 -PARENT_CONTEXT-> wc         c2 -PARENT_CONTEXT-> c
 *   wc -ATTRIBUTION-> wa             c -ATTRIBUTION-> a,  c -ASSOCIATION-> x
 *   wc -ASSOCIATION-> wx             a -INPUT-> x,  x -OUTPUT-> a
 *   wa -INPUT-> wx
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  ArtifactRecord, ContextRecord, EventRecord, ExecutionRecord, NodeKind, TypeKind, TypeRecord,
} from '../../src/graph/model.js';
import { createNeo4jStore } from '../../src/graph/neo4j/index.js';
import { clearNeo4jDatabase } from '../support/neo4j-database.js';
import type { GraphStore, StoreTx } from '../../src/graph/store.js';
import { suiteNeo4jUri } from '../support/requirements.js';

const HOSTILE = [
  "'}) DETACH DELETE n //",
  '"}) DETACH DELETE n //',
  '`',
  '``',
  '`Artifact`',
  'x` DETACH DELETE n //',
  '$param',
  '$ids',
  '{ids}',
  "x' OR 1=1 RETURN n //",
  '; MATCH (n) DETACH DELETE n; //',
  "') RETURN 1 UNION MATCH (m) DETACH DELETE m //",
  '/* */ MATCH (n) SET n.hacked = true',
  'n.id',
  'prop.x',
  'propStruct.x',
  '\\u0060 \\\' \\"',
  'ü 🚀 \u0000 \n\t',
  // Neo4j refuses NUL in a property key, so names are escaped in keys with %: these must survive it.
  '%00 %25 % %%',
  '\u0000%',
  '',
];

const T = 1_700_000_000_000;

function hostileGraph(s: string) {
  const types: TypeRecord[] = [
    { id: `${s}#at`, mlmdId: 1, kind: 'ARTIFACT_TYPE', name: s, version: s, description: s, externalId: s, baseType: s, properties: [{ name: s, type: 'STRING' }] },
    { id: `${s}#xt`, mlmdId: 2, kind: 'EXECUTION_TYPE', name: s, version: null, description: null, externalId: s, baseType: null, properties: [] },
    { id: `${s}#ct`, mlmdId: 3, kind: 'CONTEXT_TYPE', name: s, version: null, description: s, externalId: s, baseType: null, properties: [{ name: s, type: 'STRUCT' }] },
  ];
  const common = { createTime: T, updateTime: T + 1 };
  const artifact: ArtifactRecord = {
    ...common, id: `${s}#a`, mlmdId: 1, kind: 'ARTIFACT', typeId: `${s}#at`, name: s, uri: s, externalId: s, state: 'LIVE',
    properties: { [s]: s }, customProperties: { [s]: s, [`${s}.n`]: 7, [`${s}.struct`]: { [s]: [s, { [s]: s }] } },
  };
  const execution: ExecutionRecord = {
    ...common, id: `${s}#x`, mlmdId: 2, kind: 'EXECUTION', typeId: `${s}#xt`, name: s, externalId: s, lastKnownState: 'RUNNING',
    properties: {}, customProperties: { [s]: true },
  };
  const context: ContextRecord = {
    ...common, id: `${s}#c`, mlmdId: 3, kind: 'CONTEXT', typeId: `${s}#ct`, name: s, externalId: s,
    properties: { [s]: { [s]: s } }, customProperties: {},
  };
  const parent: ContextRecord = { ...context, id: `${s}#c2`, mlmdId: 4, name: `${s}#2`, externalId: `${s}#2`, properties: {} };
  const input: EventRecord = { artifactId: artifact.id, executionId: execution.id, type: 'INPUT', path: [{ key: s }, { index: 0 }], time: T };
  const output: EventRecord = { ...input, type: 'OUTPUT', path: [{ key: s }] };
  return { types, artifact, execution, context, parent, input, output };
}

function witnessGraph() {
  const types: TypeRecord[] = (['ARTIFACT_TYPE', 'EXECUTION_TYPE', 'CONTEXT_TYPE'] as TypeKind[]).map((kind, i) => ({
    id: `w-${kind}`, mlmdId: 101 + i, kind, name: 'Witness', version: null, description: null, externalId: null, baseType: null, properties: [],
  }));
  const common = { externalId: null, properties: { rows: 1 }, customProperties: { note: 'keep' }, createTime: T, updateTime: T };
  const wa: ArtifactRecord = { ...common, id: 'w-a', mlmdId: 101, kind: 'ARTIFACT', typeId: 'w-ARTIFACT_TYPE', name: 'wa', uri: 'w://a', state: 'LIVE' };
  const wx: ExecutionRecord = { ...common, id: 'w-x', mlmdId: 102, kind: 'EXECUTION', typeId: 'w-EXECUTION_TYPE', name: 'wx', lastKnownState: 'COMPLETE' };
  const wc: ContextRecord = { ...common, id: 'w-c', mlmdId: 103, kind: 'CONTEXT', typeId: 'w-CONTEXT_TYPE', name: 'wc' };
  const wc2: ContextRecord = { ...wc, id: 'w-c2', mlmdId: 104, name: 'wc2' };
  return { types, nodes: [wa, wx, wc, wc2], event: { artifactId: 'w-a', executionId: 'w-x', type: 'INPUT', path: [], time: T } as EventRecord };
}

/** Everything the store holds about the witness graph, through its reads. */
async function witnessState(tx: StoreTx) {
  const ids = ['w-a', 'w-x', 'w-c', 'w-c2'];
  return {
    types: await tx.getTypes(['w-ARTIFACT_TYPE', 'w-EXECUTION_TYPE', 'w-CONTEXT_TYPE']),
    nodes: await tx.getNodes(ids),
    eventsOfArtifact: await tx.eventsByArtifacts(['w-a']),
    eventsOfExecution: await tx.eventsByExecutions(['w-x']),
    contexts: await tx.contextsOfNodes(ids),
    parents: await tx.parentContexts(ids),
    children: await tx.childContexts(ids),
  };
}

const counts = async (tx: StoreTx): Promise<Record<NodeKind, number>> => ({
  ARTIFACT: await tx.countNodes({ kind: 'ARTIFACT' }),
  EXECUTION: await tx.countNodes({ kind: 'EXECUTION' }),
  CONTEXT: await tx.countNodes({ kind: 'CONTEXT' }),
});

const NEO4J_URI = suiteNeo4jUri();

describe.skipIf(!NEO4J_URI)('Cypher injection through the Neo4j store', () => {
  let store: GraphStore;

  beforeAll(async () => {
    store = await createNeo4jStore({ uri: NEO4J_URI! });
    // Empty first: an earlier file may have left nodes (with per-kind ids) but no schema
    // version, and every migration step would then run again over them.
    await clearNeo4jDatabase(store);
    await store.init();
  });
  beforeEach(async () => {
    await clearNeo4jDatabase(store);
    const w = witnessGraph();
    await store.write(async (tx) => {
      await tx.insertTypes(w.types);
      await tx.insertNodes(w.nodes);
      await tx.insertEvents([w.event]);
      await tx.insertAttributions([{ contextId: 'w-c', artifactId: 'w-a' }]);
      await tx.insertAssociations([{ contextId: 'w-c', executionId: 'w-x' }]);
      await tx.insertParentContexts([{ childId: 'w-c', parentId: 'w-c2' }]);
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  it.each(HOSTILE)('round-trips %j everywhere and changes nothing else', async (s) => {
    const before = await store.read(witnessState);
    const g = hostileGraph(s);
    const { artifact: a, execution: x, context: c, parent: c2 } = g;

    await store.write(async (tx) => {
      await tx.insertTypes(g.types);
      await tx.insertNodes([a, x, c, c2]);
      await tx.insertEvents([g.input, g.output]);
      expect(await tx.insertAttributions([{ contextId: c.id, artifactId: a.id }])).toBe(1);
      expect(await tx.insertAssociations([{ contextId: c.id, executionId: x.id }])).toBe(1);
      expect(await tx.insertParentContexts([{ childId: c.id, parentId: c2.id }])).toBe(1);
    });

    await store.read(async (tx) => {
      expect(await tx.getTypes(g.types.map((t) => t.id))).toEqual(g.types);
      expect(await tx.findTypes('ARTIFACT_TYPE', [{ name: s, version: s }, { name: s, version: null }])).toEqual([g.types[0], null]);
      expect(await tx.findTypes('EXECUTION_TYPE', [{ name: s, version: null }])).toEqual([g.types[1]]);
      expect(await tx.findTypesByExternalId('CONTEXT_TYPE', [s])).toEqual([g.types[2]]);
      expect((await tx.listTypes('ARTIFACT_TYPE')).map((t) => t.id).sort()).toEqual([`${s}#at`, 'w-ARTIFACT_TYPE'].sort());

      expect(await tx.getNodes([a.id, x.id, c.id, c2.id])).toEqual([a, x, c, c2]);
      expect(await tx.findNodesByName('ARTIFACT', [{ typeId: a.typeId, name: s }])).toEqual([a]);
      expect(await tx.findNodesByName('CONTEXT', [{ typeId: c.typeId, name: s }, { typeId: c.typeId, name: `${s}#2` }])).toEqual([c, c2]);
      expect(await tx.findNodesByExternalId('EXECUTION', [s])).toEqual([x]);
      expect(await tx.findNodesByExternalId('ARTIFACT', [s, `${s}#2`])).toEqual([a, null]);

      const filter = {
        kind: 'ARTIFACT' as const, typeIds: [a.typeId], name: s, uri: s, externalId: s, state: 'LIVE' as const, contextId: c.id,
        properties: [
          { name: s, custom: false, op: 'eq' as const, value: s },
          { name: s, custom: true, op: 'in' as const, value: [s] },
          { name: `${s}.n`, custom: true, op: 'gte' as const, value: 7 },
        ],
      };
      expect(await tx.listNodes({ ...filter, orderBy: 'id', ascending: true, limit: 10 })).toEqual([a]);
      expect(await tx.countNodes(filter)).toBe(1);
      // A STRUCT under a hostile name is never compared, whatever the value asked.
      expect(await tx.countNodes({ kind: 'ARTIFACT', properties: [{ name: `${s}.struct`, custom: true, op: 'ne', value: s }] })).toBe(0);
      expect(await tx.listNodes({ kind: 'CONTEXT', parentId: c2.id, name: s, orderBy: 'createTime', ascending: false, limit: 10 })).toEqual([c]);
      expect(await tx.listNodes({ kind: 'EXECUTION', contextId: c.id, orderBy: 'id', ascending: true, after: { value: `${s}#`, id: `${s}#` }, limit: 10 }))
        .toEqual([x]);

      expect(await tx.getEvents([g.input, g.output])).toEqual([g.input, g.output]);
      expect(await tx.eventsByArtifacts([a.id])).toEqual([[g.input, g.output]]);
      expect(await tx.eventsByExecutions([x.id])).toEqual([[g.input, g.output]]);
      expect(await tx.contextsOfNodes([a.id, x.id])).toEqual([[c], [c]]);
      expect(await tx.parentContexts([c.id])).toEqual([[c2]]);
      expect(await tx.childContexts([c2.id])).toEqual([[c]]);
      expect(await tx.artifactsOfContexts([c.id, c2.id])).toEqual([[a], []]);
      expect(await tx.lineageSteps([a.id], 'DOWNSTREAM', ['INPUT'], null)).toEqual([
        { event: g.input, neighborId: x.id, neighborKind: 'EXECUTION', neighborTypeId: x.typeId },
      ]);
    });

    const renamed: ArtifactRecord = { ...a, name: `${s}${s}`, properties: {}, customProperties: { [`${s}'`]: `'${s}` } };
    await store.write((tx) => tx.updateNodes([renamed]));
    expect(await store.read((tx) => tx.getNodes([a.id]))).toEqual([renamed]);

    expect(await store.write((tx) => tx.deleteNodes([a.id, x.id, c.id, c2.id]))).toEqual([a.id, x.id, c.id, c2.id]);
    expect(await store.read(witnessState)).toEqual(before);
    expect(await store.read(counts)).toEqual({ ARTIFACT: 1, EXECUTION: 1, CONTEXT: 2 });
  });
});
