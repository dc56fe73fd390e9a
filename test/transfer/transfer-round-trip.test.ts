/**
 * `journey export` / `import jsonl` through the service (src/service/transfer/): a store
 * built by the services (every property type, int64 ids at 2^53 - 1, hostile strings,
 * history, personal data, erasure, audit, keys, import origins) goes SQLite → each backend
 * → SQLite, and every export is the same bytes after the header; the stores answer
 * lineage, dataSubjectLineage and a filtered listing alike, and the key still works.
 *
 *   raw ──INPUT──▶ clean(x2 updates) ◀──OUTPUT── tidy ──INPUT──▶ … ; train reads clean, writes model
 *   pipeline ⊃ tidy, train (associations); clean, model attributed; child context ⊂ pipeline
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { DEFAULT_LIMITS } from '../../src/service/lineage/lineage-args.js';
import { createServices } from '../../src/service/services.js';
import { numberedLines } from '../../src/service/transfer/export-lines.js';
import { exportText } from '../../src/service/transfer/store-export.js';
import { importRecords } from '../../src/service/transfer/store-import.js';
import { BACKENDS, emptyStore, FakeClock, backendNamed, type Backend } from '../support/backends.js';
import { testSubjectKey } from '../privacy/fixtures.js';

const FIXED = () => new Date('2026-01-02T03:04:05.000Z');
const TOP = Number.MAX_SAFE_INTEGER; // 2^53 - 1: the largest id the store keeps (src/service/shared/validate.ts, MAX_MLMD_ID)
const HOSTILE = [
  "x'); DROP TABLE nodes; --",
  '"}) MATCH (n) DETACH DELETE n //',
  'line\nbreak\r\u2028\u2029 and tab\t',
  'emoji 🧪 𝔘 and \\ backslash {"record":"end"}',
];

async function exportOf(store: GraphStore): Promise<string> {
  let text = '';
  for await (const chunk of exportText(store, { now: FIXED })) text += chunk;
  return text;
}

/** The export's lines after the header, and the header without its backend (the one field that names where it came from). */
function comparable(text: string): { header: unknown; rest: string[] } {
  const [first, ...rest] = text.split('\n');
  const { value } = JSON.parse(first!) as { value: Record<string, unknown> };
  const { backend: _b, ...header } = value;
  return { header, rest };
}

async function* linesOfText(text: string) {
  // Uneven chunks, so a line split across chunks is exercised.
  for (let i = 0; i < text.length; i += 777) yield text.slice(i, i + 777);
}

const importText = (store: GraphStore, text: string) => importRecords(store, numberedLines(linesOfText(text)), { batchSize: 3 });

let token = '';
let subjectArtifact = '';

/** Builds the drawn graph and every side record in `store`. */
async function build(store: GraphStore): Promise<{ cleanId: string; pipelineId: string }> {
  const clock = new FakeClock();
  const { metadata: api, personalData } = createServices(store, { clock, subjectKey: testSubjectKey() });
  await api.putType('ARTIFACT_TYPE', {
    name: HOSTILE[0]!, baseType: 'DATASET',
    properties: (['i:INT', 'd:DOUBLE', 's:STRING', 'b:BOOLEAN', 'st:STRUCT', 'p:PROTO'] as const).map((d) => {
      const [name, type] = d.split(':') as [string, 'INT'];
      return { name, type };
    }),
    personalData: { categories: ['contact'], specialCategories: ['HEALTH'] },
  });
  await api.putType('ARTIFACT_TYPE', { name: 'Model', baseType: 'MODEL', version: HOSTILE[1] });
  await api.putType('EXECUTION_TYPE', { name: 'Step', baseType: 'TRANSFORM' });
  await api.putType('CONTEXT_TYPE', { name: 'Pipeline' });
  const props = {
    i: TOP, d: -1.5e300, s: HOSTILE[2]!, b: true, st: { nested: [1, -TOP, { k: HOSTILE[3]! }] },
    p: { typeUrl: 'type.googleapis.com/x.Y', value: 'AAEC' },
  };
  const [raw, clean, model] = await api.putArtifacts([
    { type: HOSTILE[0]!, name: 'raw', uri: HOSTILE[1], properties: props, customProperties: { [HOSTILE[3]!]: -42, f: 0.1 }, mlmdId: TOP - 2 },
    { type: HOSTILE[0]!, name: HOSTILE[2], properties: { i: -1 }, mlmdId: TOP - 1 },
    { type: 'Model', typeVersion: HOSTILE[1], name: 'model', mlmdId: TOP },
  ], { withGivenMlmdIds: true });
  clock.advance(10);
  await api.putArtifacts([{ id: clean!.id, type: HOSTILE[0]!, name: HOSTILE[2], properties: { i: 2 } }]);
  clock.advance(10);
  await api.putArtifacts([{ id: clean!.id, type: HOSTILE[0]!, name: HOSTILE[2], properties: { i: 3 }, state: 'LIVE' }]);
  const [tidy, train] = await api.putExecutions([{ type: 'Step', name: 'tidy' }, { type: 'Step', name: 'train', lastKnownState: 'COMPLETE' }]);
  await api.putEvents([
    { artifactId: raw!.id, executionId: tidy!.id, type: 'INPUT', path: [{ key: HOSTILE[0]! }, { index: 3 }] },
    { artifactId: clean!.id, executionId: tidy!.id, type: 'OUTPUT' },
    { artifactId: clean!.id, executionId: train!.id, type: 'INPUT' },
    { artifactId: model!.id, executionId: train!.id, type: 'OUTPUT' },
  ]);
  const [pipeline, child] = await api.putContexts([{ type: 'Pipeline', name: HOSTILE[3]! }, { type: 'Pipeline', name: 'child' }]);
  await api.putAttributions([{ contextId: pipeline!.id, artifactId: clean!.id }, { contextId: pipeline!.id, artifactId: model!.id }]);
  await api.putAssociations([{ contextId: pipeline!.id, executionId: tidy!.id }, { contextId: pipeline!.id, executionId: train!.id }]);
  await api.putParentContexts([{ childId: child!.id, parentId: pipeline!.id }]);
  await personalData.registerDataSubjects(raw!.id, ['subject-1', 'subject-2'], 'local');
  await personalData.dataSubjectLineage('subject-1', {}, 'local');
  const request = await personalData.requestErasure('subject-2', HOSTILE[2], 'local');
  await personalData.updateErasureItem({ requestId: request.id, artifactId: raw!.id, status: 'EXEMPT', note: 'legal hold' }, 'local');
  const keys = createApiKeyService(store);
  ({ token } = await keys.create({ name: HOSTILE[1]!, role: 'editor' }));
  await store.write((tx) => tx.recordImportOrigins('/data/mlmd.sqlite', 'ARTIFACT', [{ sourceId: 7, nodeId: raw!.id }]));
  subjectArtifact = raw!.id;
  return { cleanId: clean!.id, pipelineId: pipeline!.id };
}

/** The answers the stores must give alike. */
async function answers(store: GraphStore, ids: { cleanId: string; pipelineId: string }) {
  const { metadata, personalData } = createServices(store, { subjectKey: testSubjectKey() });
  const lineage = await createLineageService(store, DEFAULT_LIMITS).lineage({ start: [ids.cleanId], direction: 'UPSTREAM', maxHops: 10 });
  const subject = await personalData.dataSubjectLineage('subject-1', {}, 'local');
  const listed = await metadata.listNodes('ARTIFACT', { filter: { contextId: ids.pipelineId }, where: 'properties.i.int_value >= 3' });
  const history = await metadata.nodeHistories([ids.cleanId]);
  const key = await createApiKeyService(store).authenticate(token);
  return JSON.parse(JSON.stringify({ lineage, subject, listed, history, key })) as unknown;
}

/**
 * Runs `work` on the middle store. On Neo4j the test database is shared and keeps its id
 * counters between files, so the import starts from counters at 1 (as a new database has
 * them), and the counters it raised to 2^53 - 1 are dropped afterwards: the files after
 * this one must still be able to take ids.
 */
async function onMiddle<T>(backend: Backend, store: GraphStore, work: (middle: GraphStore) => Promise<T>): Promise<T> {
  if (backend.name !== 'neo4j') return work(store);
  const { withNeo4jCountersFromOne } = await import('../support/neo4j-database.js');
  const { Neo4jStore } = await import('../../src/graph/neo4j/neo4j-store.js');
  return withNeo4jCountersFromOne(store, () => backend.open(), async (fresh) => {
    try {
      return await work(fresh);
    } finally {
      await emptyStore(backend, store);
      if (fresh instanceof Neo4jStore) await fresh.executor.write((r) => r.run('MATCH (c:MlmdIdCounter) DELETE c'));
    }
  });
}

describe.each(BACKENDS)('export → import on $name and back to SQLite', (middle: Backend) => {
  const sqlite = backendNamed('sqlite')!;
  let source: GraphStore;
  let through: GraphStore;
  let back: GraphStore;

  beforeAll(async () => {
    source = await sqlite.open();
    through = await middle.open();
    await emptyStore(middle, through);
    back = await sqlite.open();
  });
  afterAll(async () => {
    await Promise.all([source?.close(), through?.close(), back?.close()]);
  });

  it('keeps every record: the exports are the same bytes after the header, the answers the same', async () => {
    const ids = await build(source);
    const first = await exportOf(source);
    const expected = await answers(source, ids);
    const second = await onMiddle(middle, through, async (store) => {
      const summary = await importText(store, first);
      expect(summary.counts).toMatchObject({ type: 4, node: 7, event: 4, attribution: 2, association: 2, parentContext: 1, erasureRequest: 1, apiKey: 1, mlmdIdCounters: 1 });
      const exported = await exportOf(store);
      // Asked after the export: dataSubjectLineage appends to the audit log.
      expect(await answers(store, ids)).toEqual(expected);
      return exported;
    });
    await importText(back, second);
    const third = await exportOf(back);

    expect(comparable(second)).toEqual(comparable(first));
    expect(comparable(third).rest.join('\n')).toBe(comparable(first).rest.join('\n'));
    expect(JSON.parse(second.split('\n')[0]!).value.backend).toBe(middle.name);

    // What the format must carry, read from the text itself (absent as well as present).
    expect(first).toContain(`"mlmdId":${TOP}`);
    expect(first).toContain(`"i":${TOP}`);
    expect(first).not.toContain('subject-1'); // identifiers never, only their keyed hashes
    expect(first).not.toContain(token.slice(-20)); // a key's secret never, only its hash
    const lines = first.trimEnd().split('\n').map((l) => JSON.parse(l) as { record: string; value: Record<string, unknown> });
    const cleanLine = lines.find((l) => l.record === 'node' && (l.value.node as { id: string }).id === ids.cleanId)!;
    expect((cleanLine.value.history as unknown[]).length).toBe(2);
    const rawLine = lines.find((l) => l.record === 'node' && (l.value.node as { id: string }).id === subjectArtifact)!;
    expect(rawLine.value.subjectHashes).toEqual(['subject-1', 'subject-2'].map((id) => testSubjectKey().hash(id)).sort());
    expect(rawLine.value.importOrigins).toEqual([{ source: '/data/mlmd.sqlite', sourceId: 7 }]);
    expect(lines.filter((l) => l.record === 'auditEntry').length).toBeGreaterThanOrEqual(3);

    expect(await answers(back, ids)).toEqual(expected);
    expect((expected as { key: unknown }).key).not.toBeNull();

    // A new node in the imported store takes an id past every imported one: the counters moved with the data.
    const { metadata } = createServices(back);
    const [fresh] = await metadata.putContexts([{ type: 'Pipeline', name: 'after the import' }]);
    const [x] = await metadata.putExecutions([{ type: 'Step', name: 'after the import' }]);
    expect(fresh!.mlmdId).toBe(3);
    expect(x!.mlmdId).toBe(3);
  });
});
