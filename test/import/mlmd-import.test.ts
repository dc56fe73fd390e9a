/**
 * `journey import mlmd`: a store written by ML Metadata's own client (make_mlmd_store.py,
 * ml-metadata 1.17.1 from the project's virtualenv) is imported into each backend, then
 * read through the services and compared with what that client read from it (and, into
 * an empty store, with what the same client reads through Data Journey's gRPC face): types,
 * nodes with every kind of value (int64 exact), events with their paths, attributions,
 * associations, parent contexts, and lineage walked over the drawn graph. A re-run writes
 * nothing; an import stopped after its first batches resumes (in process on both
 * backends, and as a killed CLI process); what the core cannot hold, a wrong schema
 * version and a file that is no ML Metadata store are refused, naming what.
 *
 * The graph make_mlmd_store.py draws (ML Metadata ids per kind; data flows left to right):
 *
 *   raw(a1) --INPUT--> clean(x1) --OUTPUT--> cleaned(a2) --INPUT--> train(x2) --OUTPUT--> model(a3)
 *   raw(a1) --DECLARED_INPUT-------------------------------------> train(x2)
 *   model(a3) --INPUT--> eval(x3) --INTERNAL_OUTPUT--> a4,  eval(x3) --OUTPUT--> a5
 *   contexts: p(c1) parent of r1(c2) and r2(c3); r1 holds a1 a2 a3, x1 x2; r2 holds a4, x3; p holds a3
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_TYPES, type NodeKind, type NodeRecord, type PropertyValue, type TypeKind } from '../../src/graph/model.js';
import { openStore } from '../../src/graph/open-store.js';
import { importMlmd } from '../../src/service/import/mlmd-import.js';
import { MAPPING_HEADER, writeImportMapping } from '../../src/service/import/mlmd-mapping.js';
import type { MlmdSource } from '../../src/service/import/mlmd-source.js';
import { NotMlmdSourceError, openMlmdSqlite } from '../../src/service/import/mlmd-sqlite-source.js';
import { propertyValueOf, UnimportableError, type PropertyRow } from '../../src/service/import/mlmd-values.js';
import { verifyImport } from '../../src/service/import/mlmd-verify.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { createMetadataService, type MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { createServices } from '../../src/service/services.js';
import { startGrpcUnderTest } from '../grpc/grpc-harness.js';
import { BACKENDS, useService } from '../support/backends.js';
import { withNeo4jCountersFromOne } from '../support/neo4j-database.js';
import { pythonWithMlmd } from '../support/python.js';

// Each test makes a store with ML Metadata's Python client and imports all of it (a CLI test
// runs two processes): longer than the suite's default on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAKER = path.join(import.meta.dirname, 'make_mlmd_store.py');
const python = pythonWithMlmd('the ML Metadata import tests (test/import/)');
const dir = mkdtempSync(path.join(tmpdir(), 'journey-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Tagged = { int: string } | { double: number } | { string: string } | { bool: boolean } | { struct: PropertyValue } | { proto: PropertyValue };
interface ExpectedNode {
  id: number; type: string; typeVersion: string | null; name: string | null; externalId: string | null;
  properties: Record<string, Tagged>; customProperties: Record<string, Tagged>; uri?: string | null; state?: string; lastKnownState?: string;
}
/** What ML Metadata's client read back from the store it wrote (make_mlmd_store.py's JSON). */
interface Expected {
  types: { kind: TypeKind; name: string; version: string | null; description: string | null; externalId: null; baseType: string | null; properties: Record<string, string> }[];
  artifacts: ExpectedNode[];
  executions: ExpectedNode[];
  contexts: ExpectedNode[];
  events: { artifactId: number; executionId: number; type: string; path: ({ index: number } | { key: string })[] }[];
  attributions: [number, number][];
  associations: [number, number][];
  parents: [number, number][];
}

/** Writes a store with ML Metadata's client; `extra` more artifacts and executions in a chain. */
function makeStore(name: string, extra = 0): { file: string; expected: Expected } {
  const file = path.join(dir, name);
  const made = spawnSync(python!, [MAKER, file, String(extra)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (made.status !== 0) throw new Error(`make_mlmd_store.py failed: ${made.stderr}`);
  return { file, expected: JSON.parse(made.stdout) as Expected };
}

/** Every answer of read_mlmd_store.py's reads through ML Metadata's client, against `store` (a file, or grpc://host:port). */
async function readThroughClient(store: string): Promise<Record<string, unknown>> {
  // Asynchronous: a gRPC face it reads from answers from this process.
  const { stdout } = await promisify(execFile)(python!, [path.join(import.meta.dirname, 'read_mlmd_store.py'), store],
    { maxBuffer: 64 << 20, env: { ...process.env, GRPC_VERBOSITY: 'ERROR', TF_CPP_MIN_LOG_LEVEL: '3' } });
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** A value as the client printed it, as the core holds it: int64 digits exact, the rest as they are. */
function valueOf(tagged: Tagged): PropertyValue {
  if ('int' in tagged) {
    const n = Number(tagged.int);
    expect(BigInt(n)).toBe(BigInt(tagged.int));
    return n;
  }
  if ('double' in tagged) return tagged.double;
  if ('string' in tagged) return tagged.string;
  if ('bool' in tagged) return tagged.bool;
  if ('proto' in tagged) return tagged.proto;
  return tagged.struct;
}
const valuesOf = (m: Record<string, Tagged>): Record<string, PropertyValue> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, valueOf(v)]));

/** The store's node of each source id of `kind`, by the origins the import recorded. */
async function importedNodes(api: MetadataApi, source: string, kind: NodeKind, ids: readonly number[]): Promise<Map<number, NodeRecord>> {
  const uuids = await api.store.read((tx) => tx.importedNodeIds(source, kind, ids));
  expect(uuids.every((u) => u !== null), `every ${kind} imported`).toBe(true);
  const records = await api.getNodes(uuids as string[]);
  return new Map(ids.map((id, i) => [id, records[i]!]));
}

const SOURCE = 'test-source';

describe.skipIf(python === null).each(BACKENDS)('import of an ML Metadata store ($name)', (backend) => {
  const h = useService(backend);
  let small: { file: string; expected: Expected };
  beforeAll(() => { small = makeStore(`small-${backend.name}.sqlite`); });

  const importSmall = async (source: MlmdSource = openMlmdSqlite(small.file), pageSize?: number) => {
    try {
      return await importMlmd(h.api, source, { source: SOURCE, pageSize });
    } finally {
      await source.close();
    }
  };

  it("imports types, nodes with every kind of value (int64 exact), events with paths and links: reads give ML Metadata's client's answers", async () => {
    const report = await importSmall();
    const e = small.expected;
    expect(report.counts).toEqual({
      types: 6, ARTIFACT: 5, EXECUTION: 3, CONTEXT: 3, events: 8, attributions: 5, associations: 3, parentContexts: 2,
    });
    expect(report.written).toEqual({ types: 6, contexts: 3, artifacts: 5, executions: 3, events: 8, links: 10 });

    // Types: name, version, description, base type and properties, and nothing else (mlmd.* are base types, not types).
    const kinds: TypeKind[] = ['ARTIFACT_TYPE', 'CONTEXT_TYPE', 'EXECUTION_TYPE'];
    const stored = (await Promise.all(kinds.map((k) => h.api.listTypes(k)))).flat();
    expect(stored.map((t) => ({
      kind: t.kind, name: t.name, version: t.version, description: t.description, baseType: t.baseType,
      properties: Object.fromEntries(t.properties.map((p) => [p.name, p.type])),
    })).sort((a, b) => `${a.kind} ${a.name}`.localeCompare(`${b.kind} ${b.name}`)))
      .toEqual(e.types.map(({ externalId: _, ...t }) => t));
    // ML Metadata 1.17's client does not read a type's external_id back; the table holds it, and so does the import.
    expect(stored.find((t) => t.name === 'Trainer')!.externalId).toBe('trainer-ext');

    // Nodes: every field the client reads, values exact.
    const typeNames = new Map(stored.map((t) => [t.id, t]));
    for (const [kind, list] of [['ARTIFACT', e.artifacts], ['EXECUTION', e.executions], ['CONTEXT', e.contexts]] as const) {
      const records = await importedNodes(h.api, SOURCE, kind, list.map((n) => n.id));
      for (const n of list) {
        const r = records.get(n.id)!;
        const type = typeNames.get(r.typeId)!;
        const got = {
          id: n.id, type: type.name, typeVersion: type.version, name: r.name, externalId: r.externalId,
          properties: r.properties, customProperties: r.customProperties,
          ...(r.kind === 'ARTIFACT' ? { uri: r.uri, state: r.state } : {}),
          ...(r.kind === 'EXECUTION' ? { lastKnownState: r.lastKnownState } : {}),
        };
        // ML Metadata stores and reads an artifact put without a uri as ''; the core holds it as none.
        const uri = n.uri === '' ? { uri: null } : {};
        expect(got).toEqual({ ...n, ...uri, properties: valuesOf(n.properties), customProperties: valuesOf(n.customProperties) });
      }
    }
    const raw = (await importedNodes(h.api, SOURCE, 'ARTIFACT', [1])).get(1)!;
    expect(raw.properties.rows).toBe(2 ** 53 - 1);
    expect(raw.customProperties.neg).toBe(-(2 ** 53 - 1));
    expect(raw.properties.schema).toEqual({ cols: ['a', 'b'], nested: { n: 3, f: 1.5, on: true, none: null } });
    // PROTO values byte for byte: a packed message (typed) and bytes no text holds (custom).
    const model = (await importedNodes(h.api, SOURCE, 'ARTIFACT', [3])).get(3)!;
    expect(model.customProperties.blob).toEqual({ typeUrl: 'example.com/x.Blob', value: Buffer.from([0, 0xff, 0xfe, 0x80, 0x20, 0x72, 0x61, 0x77]).toString('base64') });
    expect(model.properties.card).toMatchObject({ typeUrl: 'type.googleapis.com/ml_metadata.Artifact' });

    // Events with their paths, attributions, associations and parent contexts, in source ids.
    const artifacts = await importedNodes(h.api, SOURCE, 'ARTIFACT', e.artifacts.map((n) => n.id));
    const executions = await importedNodes(h.api, SOURCE, 'EXECUTION', e.executions.map((n) => n.id));
    const contexts = await importedNodes(h.api, SOURCE, 'CONTEXT', e.contexts.map((n) => n.id));
    const sourceId = new Map([...artifacts, ...executions, ...contexts].map(([id, r]) => [r.id, id]));
    const events = (await h.api.eventsByExecutions([...executions.values()].map((r) => r.id))).flat()
      .map((ev) => ({ artifactId: sourceId.get(ev.artifactId), executionId: sourceId.get(ev.executionId), type: ev.type, path: ev.path }));
    const byKey = (a: { artifactId?: number; executionId?: number; type: string }) => `${a.executionId} ${a.artifactId} ${a.type}`;
    expect(events.sort((a, b) => byKey(a).localeCompare(byKey(b)))).toEqual([...e.events].sort((a, b) => byKey(a).localeCompare(byKey(b))));
    const pairs = async (ids: readonly string[], read: (ids: readonly string[]) => Promise<NodeRecord[][]>, flip = false) =>
      (await read(ids)).flatMap((cs, i) => cs.map((c) => {
        const [node, other] = [sourceId.get(ids[i]!)!, sourceId.get(c.id)!];
        return flip ? [node, other] : [other, node];
      })).sort();
    expect(await pairs([...artifacts.values()].map((r) => r.id), (ids) => h.api.contextsOfNodes(ids))).toEqual([...e.attributions].sort());
    expect(await pairs([...executions.values()].map((r) => r.id), (ids) => h.api.contextsOfNodes(ids))).toEqual([...e.associations].sort());
    expect(await pairs([...contexts.values()].map((r) => r.id), (ids) => h.api.parentContexts(ids), true)).toEqual([...e.parents].sort());
  });

  it('walks the imported lineage as the drawn graph says, and the verification finds every check equal', async () => {
    const report = await importSmall();
    const artifacts = await importedNodes(h.api, SOURCE, 'ARTIFACT', [1, 2, 3, 4, 5]);
    const executions = await importedNodes(h.api, SOURCE, 'EXECUTION', [1, 2, 3]);
    const name = new Map<string, string>([
      ...[...artifacts].map(([id, r]) => [r.id, `a${id}`] as const), ...[...executions].map(([id, r]) => [r.id, `x${id}`] as const),
    ]);
    const lineage = createLineageService(h.store);
    const down = await lineage.lineage({ start: [artifacts.get(1)!.id], direction: 'DOWNSTREAM', maxHops: 10, eventTypes: EVENT_TYPES }, { records: false });
    // raw feeds clean (INPUT) and train (DECLARED_INPUT) at 1; their outputs at 2; eval at 3; its outputs at 4.
    expect(Object.fromEntries(down.nodes.map((n) => [name.get(n.id), n.distance]))).toEqual({ a1: 0, x1: 1, x2: 1, a2: 2, a3: 2, x3: 3, a4: 4, a5: 4 });
    const up = await lineage.lineage({ start: [artifacts.get(5)!.id], direction: 'UPSTREAM', maxHops: 10 }, { records: false });
    // INPUT and OUTPUT only (the default): the DECLARED_INPUT from raw is not taken, raw is still met through clean.
    expect(Object.fromEntries(up.nodes.map((n) => [name.get(n.id), n.distance]))).toEqual({ a5: 0, x3: 1, a3: 2, x2: 3, a2: 4, x1: 5, a1: 6 });

    const source = openMlmdSqlite(small.file);
    try {
      const checks = await verifyImport(h.api, lineage, source, { source: SOURCE, bounds: report.bounds, counts: report.counts });
      expect(checks.filter((c) => !c.equal)).toEqual([]);
      expect(checks.filter((c) => c.what.startsWith('lineage')).length).toBe(10);
      expect(checks.filter((c) => /^(artifact|execution|context) \d/.test(c.what)).length).toBe(11);
    } finally {
      await source.close();
    }
  });

  it('a re-run writes nothing and changes no value; a node deleted from the store is named by the verification and brought back', async () => {
    await importSmall();
    const allIds = async () => {
      const ids = await Promise.all((['ARTIFACT', 'EXECUTION', 'CONTEXT'] as const).map((k) => h.store.read((tx) => tx.importedNodeIds(SOURCE, k, [1, 2, 3, 4, 5]))));
      return ids.flat().filter((id): id is string => id !== null);
    };
    const before = await h.api.getNodes(await allIds());
    const again = await importSmall();
    expect(again.written).toEqual({ types: 0, contexts: 0, artifacts: 0, executions: 0, events: 0, links: 0 });
    expect(await h.api.getNodes(await allIds())).toEqual(before);
    expect(await (await h.api.listNodes('ARTIFACT')).totalCount()).toBe(5);

    // The train execution goes, with its events and associations: the verification says so.
    const [train] = await h.store.read((tx) => tx.importedNodeIds(SOURCE, 'EXECUTION', [2]));
    await h.api.deleteNodes([train!]);
    const source = openMlmdSqlite(small.file);
    try {
      const lineage = createLineageService(h.store);
      const checks = await verifyImport(h.api, lineage, source, { source: SOURCE, bounds: again.bounds, counts: again.counts });
      const differing = checks.filter((c) => !c.equal).map((c) => `${c.what}: ${c.source} vs ${c.store}`);
      expect(differing).toEqual(expect.arrayContaining([
        'executions: 3 vs 2', 'events: 8 vs 5', 'attributions, associations and parent contexts: 10 vs 9',
        expect.stringMatching(/^execution 2: .* vs null$/),
      ]));
      const third = await importMlmd(h.api, source, { source: SOURCE });
      expect(third.written).toEqual({ types: 0, contexts: 0, artifacts: 0, executions: 1, events: 3, links: 1 });
      const after = await verifyImport(h.api, lineage, source, { source: SOURCE, bounds: third.bounds, counts: third.counts });
      expect(after.filter((c) => !c.equal)).toEqual([]);
    } finally {
      await source.close();
    }
  });

  it('an import stopped after its first batches resumes: nothing twice, nothing missing, pages smaller than the store', async () => {
    const chain = makeStore(`chain-${backend.name}.sqlite`, 40);
    const real = openMlmdSqlite(chain.file);
    // The source fails its fifth page of nodes (contexts take two reads, the last one empty), as a
    // killed process would stop: the batches before it are committed.
    let pages = 0;
    const failing: MlmdSource = Object.assign(Object.create(real) as MlmdSource, {
      nodes: async (...args: Parameters<MlmdSource['nodes']>) => {
        pages += 1;
        if (pages === 5) throw new Error('stopped');
        return real.nodes(...args);
      },
    });
    try {
      await expect(importMlmd(h.api, failing, { source: SOURCE, pageSize: 7 })).rejects.toThrow('stopped');
      const partial = await h.store.read((tx) => Promise.all([tx.countImportedNodes(SOURCE, 'CONTEXT'), tx.countImportedNodes(SOURCE, 'ARTIFACT')]));
      // Contexts: one page of 3; artifacts: two pages of 7 before the failing third.
      expect(partial).toEqual([3, 14]);
      const resumed = await importMlmd(h.api, real, { source: SOURCE, pageSize: 7 });
      expect(resumed.written).toMatchObject({ contexts: 0, artifacts: 45 - 14, executions: 43 });
      expect(resumed.counts).toMatchObject({ ARTIFACT: 45, EXECUTION: 43, events: 88, attributions: 45 });
      expect([await (await h.api.listNodes('ARTIFACT')).totalCount(), await (await h.api.listNodes('EXECUTION')).totalCount()]).toEqual([45, 43]);
      const checks = await verifyImport(h.api, createLineageService(h.store), real, { source: SOURCE, bounds: resumed.bounds, counts: resumed.counts });
      expect(checks.filter((c) => !c.equal)).toEqual([]);
    } finally {
      await real.close();
    }
  });

  /**
   * `work` on a service over a store that never handed out an id, as a new store: SQLite's
   * test store is emptied with its counters; Neo4j's counters outlive the emptying, so a
   * second store runs on counters started again (test/support/neo4j-database.ts).
   */
  async function onNewStore<T>(work: (api: MetadataApi) => Promise<T>): Promise<T> {
    if (backend.name === 'sqlite') return work(h.api);
    return withNeo4jCountersFromOne(h.store, () => backend.open(), (fresh) => work(createServices(fresh, { clock: h.clock }).metadata));
  }

  it("into an empty store, every node and type keeps ML Metadata's id: artifact 1, execution 1 and context 1 all exist", async () => {
    await onNewStore(async (api) => {
      const source = openMlmdSqlite(small.file);
      const report = await importMlmd(api, source, { source: SOURCE }).finally(() => source.close());
      expect(report.keptSourceIds).toBe(true);
      const e = small.expected;
      for (const [kind, list] of [['ARTIFACT', e.artifacts], ['EXECUTION', e.executions], ['CONTEXT', e.contexts]] as const) {
        const records = await importedNodes(api, SOURCE, kind, list.map((n) => n.id));
        // The id ML Metadata's client saw is the one this store's clients (GraphQL's mlmdId, the gRPC face) see.
        expect([...records].map(([id, r]) => [id, r.mlmdId])).toEqual(list.map((n) => [n.id, n.id]));
        expect((await api.getNodesByMlmdId(kind, list.map((n) => n.id))).map((r) => r?.id)).toEqual([...records.values()].map((r) => r.id));
      }
      const firsts = await Promise.all((['ARTIFACT', 'EXECUTION', 'CONTEXT'] as const).map((k) => api.getNodesByMlmdId(k, [1])));
      expect(firsts.map(([r]) => r?.name)).toEqual(['raw', 'clean', 'p']);
      // Types keep theirs too (the client's JSON leaves their ids out: the source's reader gives them).
      const types = openMlmdSqlite(small.file);
      const sourceTypes = await types.types().finally(() => types.close());
      expect(sourceTypes.length).toBe(6);
      expect((await api.getTypesByMlmdId(sourceTypes.map((t) => t.id))).map((t) => t?.name)).toEqual(sourceTypes.map((t) => t.name));
      // New records count on past the kept ids, in each space.
      const [after] = await api.putArtifacts([{ type: 'DataSet', name: 'after-import' }]);
      expect(after!.mlmdId).toBe(Math.max(...e.artifacts.map((n) => n.id)) + 1);
    });
  });

  it("into an empty store: ML Metadata's client reads the same over Data Journey's gRPC face as over the SQLite file in process, ids, values and times included", async () => {
    const expected = await readThroughClient(small.file);
    await onNewStore(async (api) => {
      const source = openMlmdSqlite(small.file);
      await importMlmd(api, source, { source: SOURCE }).finally(() => source.close());
      const grpc = await startGrpcUnderTest(api);
      try {
        const got = await readThroughClient(`grpc://127.0.0.1:${grpc.server.port}`);
        for (const key of Object.keys(expected)) expect({ [key]: got[key] }).toEqual({ [key]: expected[key] });
      } finally {
        await grpc.server.close();
      }
      // The times are ML Metadata's, not the import's (the test clock reads 2023): raw's, exactly, and an event's.
      const raw = (expected.artifacts as { id: number; create_time_since_epoch: string; last_update_time_since_epoch: string }[])[0]!;
      const [stored] = await api.getNodesByMlmdId('ARTIFACT', [raw.id]);
      expect([stored!.createTime, stored!.updateTime]).toEqual([Number(raw.create_time_since_epoch), Number(raw.last_update_time_since_epoch)]);
      expect(stored!.createTime).not.toBe(h.clock.now());
      const [events] = await api.eventsByExecutions([(await api.getNodesByMlmdId('EXECUTION', [1]))[0]!.id]);
      const sourceEvents = (expected.events_by_execution as { execution_id: string; milliseconds_since_epoch: string }[]).filter((e) => e.execution_id === '1');
      expect(events!.map((e) => e.time).sort()).toEqual(sourceEvents.map((e) => Number(e.milliseconds_since_epoch)).sort());
    });
  });

  it('into a store that holds nodes already, imported nodes get the store ids that follow, and the origins map them', async () => {
    await h.api.putType('ARTIFACT_TYPE', { name: 'Other' });
    const [first] = await h.api.putArtifacts([{ type: 'Other', name: 'before' }]);
    const report = await importSmall();
    expect(report.keptSourceIds).toBe(false);
    const raw = (await importedNodes(h.api, SOURCE, 'ARTIFACT', [1])).get(1)!;
    expect(raw.name).toBe('raw');
    expect(raw.mlmdId).toBeGreaterThan(first!.mlmdId);
    expect((await h.api.getNodes([first!.id]))[0]).toEqual(first);
    // The mapping says where each source node went: artifact 1 is raw, under the store's id.
    const source = openMlmdSqlite(small.file);
    const lines: string[] = [];
    try {
      await writeImportMapping(h.api, source, SOURCE, report.bounds, (line) => lines.push(line));
    } finally {
      await source.close();
    }
    expect(lines[0]).toBe(MAPPING_HEADER);
    expect(lines.length).toBe(1 + 5 + 3 + 3);
    expect(lines).toContain(`ARTIFACT,1,${raw.mlmdId},${raw.id}`);
  });

  it('an empty store that once handed out ids is not empty for the import: nothing given could be refused', async () => {
    await h.api.putType('ARTIFACT_TYPE', { name: 'Gone' });
    const [gone] = await h.api.putArtifacts([{ type: 'Gone', name: 'deleted' }]);
    await h.api.deleteNodes([gone!.id]);
    const report = await importSmall();
    expect(report.keptSourceIds).toBe(false);
    expect(report.written.artifacts).toBe(5);
  });
});

describe.skipIf(python === null)('what the importer refuses', () => {
  let good: string;
  beforeAll(() => { good = makeStore('refusals.sqlite').file; });

  /** A copy of the good store changed by `sql` (ML Metadata's own tables, as a damaged or newer store would hold them). */
  const variant = (name: string, sql: string): string => {
    const file = path.join(dir, name);
    copyFileSync(good, file);
    const db = new Database(file);
    db.exec(sql);
    db.close();
    return file;
  };

  it('a schema version other than 10, naming both', () => {
    const file = variant('v9.sqlite', 'UPDATE MLMDEnv SET schema_version = 9');
    expect(() => openMlmdSqlite(file)).toThrow(NotMlmdSourceError);
    expect(() => openMlmdSqlite(file)).toThrow(`${file} holds ML Metadata schema version 9; this importer reads version 10 (what ml-metadata 1.14 to 1.21 write)`);
  });

  it('a SQLite file that is not an ML Metadata store, a file that is not SQLite, and no file', () => {
    const other = path.join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x INTEGER)');
    db.close();
    expect(() => openMlmdSqlite(other)).toThrow(`${other} is not an ML Metadata database: it has no MLMDEnv table`);
    const text = path.join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just some text that is long enough to have a header\n'.repeat(10));
    expect(() => openMlmdSqlite(text)).toThrow(new RegExp(`^${text.replaceAll('.', '\\.')} is not a SQLite database`));
    expect(() => openMlmdSqlite(path.join(dir, 'missing.sqlite'))).toThrow(/^cannot open .*missing\.sqlite/);
  });

  it('a stored PROTO value that is not an Any with a type_url, naming the node and the property', () => {
    const row = (proto_value: Uint8Array | string): PropertyRow => ({
      name: 'p', is_custom_property: 1, int_value: null, double_value: null, string_value: null, byte_value: null, proto_value, bool_value: null,
    });
    const where = 'artifact 4 custom property "p"';
    // ML Metadata's own column: base64 text of the serialised Any (type_url "t", value 00 ff).
    expect(propertyValueOf(row(Buffer.from([0x0a, 1, 0x74, 0x12, 2, 0, 0xff]).toString('base64')), where)).toEqual({ typeUrl: 't', value: 'AP8=' });
    expect(() => propertyValueOf(row(new Uint8Array([0x0a, 0x00])), where)).toThrow(new UnimportableError(`${where} is a PROTO value without a type_url`));
    expect(() => propertyValueOf(row('not base64!'), where)).toThrow(new UnimportableError(`${where} is a PROTO value whose stored text is not base64`));
    expect(() => propertyValueOf(row(new Uint8Array([0x0a, 0x05, 0x74])), where))
      .toThrow(new UnimportableError(`${where} is a PROTO value whose stored bytes are not a google.protobuf.Any`));
  });

  it('what the core cannot hold, naming the node or type and the property, before anything is written', async () => {
    const cases: [string, string][] = [
      ['UPDATE ArtifactProperty SET int_value = 9007199254740992 WHERE artifact_id = 1 AND name = \'rows\'',
        'artifact 1 property "rows" is the int64 9007199254740992, beyond what Data Journey keeps exactly (±(2^53−1))'],
      ['UPDATE TypeProperty SET data_type = 0 WHERE name = \'note\'',
        'type "Run" (id 14) property "note" is of UNKNOWN, which Data Journey cannot hold yet'],
      ['UPDATE Event SET type = 0 WHERE id = 3', 'event 3 has event type 0, which Data Journey cannot hold'],
    ];
    for (const [i, [sql, message]] of cases.entries()) {
      const source = openMlmdSqlite(variant(`unkept-${i}.sqlite`, sql));
      try {
        await expect(source.checkValues(await source.bounds())).rejects.toThrow(new UnimportableError(message));
      } finally {
        await source.close();
      }
    }
  });
});

/** Runs bin/journey.js; resolves with its exit code and output. */
function journey(args: string[], env: Record<string, string>, onStart?: (pid: number) => void): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/journey.js'), ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  onStart?.(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

describe.skipIf(python === null).each(BACKENDS)('journey import mlmd, as a process ($name)', (backend) => {
  const h = useService(backend);
  const target = path.join(dir, `cli-${backend.name}.sqlite`);
  const env: Record<string, string> = backend.name === 'neo4j'
    ? { JOURNEY_BACKEND: 'neo4j', NEO4J_URI: process.env.NEO4J_URI! }
    : { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: target };

  /** Artifacts the CLI's store holds from `source`: read beside the running CLI (SQLite: its file, read-only, WAL). */
  const importedArtifacts = (source: string): number => {
    if (backend.name === 'neo4j') throw new Error('use the suite store');
    try {
      const db = new Database(target, { readonly: true, fileMustExist: true });
      try {
        return (db.prepare("SELECT count(*) AS n FROM import_origins WHERE source = ? AND kind = 'ARTIFACT'").get(source) as { n: number }).n;
      } finally {
        db.close();
      }
    } catch {
      return 0; // not made yet
    }
  };
  const countNow = async (source: string): Promise<number> =>
    (backend.name === 'neo4j' ? h.store.read((tx) => tx.countImportedNodes(source, 'ARTIFACT')) : importedArtifacts(source));

  it('killed (SIGKILL) after its first batches, a second run resumes, verifies equal and exits 0; nothing is twice', async () => {
    const { file } = makeStore(`cli-${backend.name}-source.sqlite`, 1200);
    rmSync(target, { force: true });
    let pid = 0;
    // Small batches, so the kill lands between the first batches and the last.
    const first = journey(['import', 'mlmd', file, '--batch', '25'], env, (p) => { pid = p; });
    let seen = 0;
    for (let waited = 0; seen < 50 && waited < 120_000; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await countNow(file);
    }
    process.kill(pid, 'SIGKILL');
    const killed = await first;
    expect(killed.signal).toBe('SIGKILL');
    const atKill = await countNow(file);
    expect(atKill).toBeGreaterThanOrEqual(50);
    expect(atKill).toBeLessThan(1205);

    const mapping = path.join(dir, `mapping-${backend.name}.csv`);
    const second = await journey(['import', 'mlmd', file, '--batch', '1000', '--mapping', mapping], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`${1205 - atKill} of 1205 artifacts, 1203 of 1203 executions`);
    expect(second.stdout).toMatch(/verified: (\d+) of \1 checks equal/);
    const store = backend.name === 'neo4j' ? h.store : await openStore({ backend: 'sqlite', sqlitePath: target });
    try {
      const api = createMetadataService(store);
      const counts = await Promise.all((['ARTIFACT', 'EXECUTION', 'CONTEXT'] as const).map(async (k) => (await api.listNodes(k)).totalCount()));
      expect(counts).toEqual([1205, 1203, 3]);
      // The mapping: a line per node, ML Metadata's id to the store's, each store node as read back.
      const lines = readFileSync(mapping, 'utf8').trimEnd().split('\n');
      expect(lines[0]).toBe('kind,mlmd_id,journey_mlmd_id,journey_id');
      expect(lines.length).toBe(1 + 3 + 1205 + 1203);
      const [kind, mlmdId, journeyMlmdId, journeyId] = lines.find((l) => l.startsWith('EXECUTION,1203,'))!.split(',');
      const [node] = await api.getNodes([journeyId!]);
      expect({ kind, mlmdId, journeyMlmdId: Number(journeyMlmdId) }).toEqual({ kind: 'EXECUTION', mlmdId: '1203', journeyMlmdId: node!.mlmdId });
    } finally {
      if (store !== h.store) await store.close();
    }
  }, 300_000);

  it('exits 1 naming the refusal for a file that is no ML Metadata store, and 2 for a usage mistake', async () => {
    const text = path.join(dir, 'plain.txt');
    writeFileSync(text, 'hello\n'.repeat(200));
    const refused = await journey(['import', 'mlmd', text], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`journey: ${text} is not a SQLite database`);
    const usage = await journey(['import', 'mlmd'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('journey: import mlmd takes one database file, got 0');
    const help = await journey(['import', 'mlmd', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('journey import mlmd FILE.sqlite [--source NAME] [--batch N] [--mapping FILE.csv] [--no-verify]');
  });
});
