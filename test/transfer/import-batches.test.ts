/**
 * How `journey import jsonl` batches the edges (src/service/transfer/store-import.ts): the
 * four edge kinds share a place in the file, and the export interleaves them (each page's
 * events, then its attributions, ...). A batch ends at a change of rank, not of kind, so a
 * file whose events and attributions alternate line by line is written in one transaction
 * of edges, not one per line (at 1m tfx the old batching ran over a million transactions),
 * and the store reads back as the source.
 *
 *   a1 … a150 ──INPUT──▶ x        c ⊃ a1 … a150 (attributions), c ⊃ x (association)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import { createServices } from '../../src/service/services.js';
import { numberedLines } from '../../src/service/transfer/export-lines.js';
import { exportText } from '../../src/service/transfer/store-export.js';
import { importRecords } from '../../src/service/transfer/store-import.js';
import { BACKENDS, backendNamed, emptyStore, FakeClock, type Backend } from '../support/backends.js';

const ARTIFACTS = 150;
const FIXED = () => new Date('2026-01-02T03:04:05.000Z');
let exported = '';

async function exportOf(store: GraphStore): Promise<string> {
  let text = '';
  for await (const chunk of exportText(store, { now: FIXED })) text += chunk;
  return text;
}

async function* chunksOf(text: string) {
  yield text;
}

/** `store` with its write transactions counted. */
function counting(store: GraphStore): { store: GraphStore; writes: () => number } {
  let writes = 0;
  const wrapped = new Proxy(store, {
    get(target, property) {
      if (property === 'write') return (work: Parameters<GraphStore['write']>[0]) => { writes += 1; return target.write(work); };
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: wrapped, writes: () => writes };
}

beforeAll(async () => {
  const source = await backendNamed('sqlite')!.open();
  const { metadata: api } = createServices(source, { clock: new FakeClock() });
  await api.putType('ARTIFACT_TYPE', { name: 'Table' });
  await api.putType('EXECUTION_TYPE', { name: 'Step' });
  await api.putType('CONTEXT_TYPE', { name: 'Run' });
  const artifacts = await api.putArtifacts(Array.from({ length: ARTIFACTS }, (_, i) => ({ type: 'Table', name: `a${i + 1}` })));
  const [x] = await api.putExecutions([{ type: 'Step', name: 'x' }]);
  const [c] = await api.putContexts([{ type: 'Run', name: 'c' }]);
  await api.putEvents(artifacts.map((a) => ({ artifactId: a.id, executionId: x!.id, type: 'INPUT' as const })));
  await api.putAttributions(artifacts.map((a) => ({ contextId: c!.id, artifactId: a.id })));
  await api.putAssociations([{ contextId: c!.id, executionId: x!.id }]);
  exported = await exportOf(source);
  await source.close();
});

describe.each(BACKENDS)('edge batches on $name', (backend: Backend) => {
  let target: GraphStore;
  beforeAll(async () => {
    target = await backend.open();
    await emptyStore(backend, target);
  });
  afterAll(async () => {
    await target?.close();
  });

  it('writes interleaved edge kinds in one transaction, and the store reads back as the source', async () => {
    const lines = exported.trimEnd().split('\n');
    const events = lines.filter((l) => l.startsWith('{"record":"event"'));
    const attributions = lines.filter((l) => l.startsWith('{"record":"attribution"'));
    const associations = lines.filter((l) => l.startsWith('{"record":"association"'));
    expect([events.length, attributions.length, associations.length]).toEqual([ARTIFACTS, ARTIFACTS, 1]);
    // Event, attribution, event, attribution, ..., the association: 301 runs of one kind.
    const interleaved = events.flatMap((e, i) => [e, attributions[i]!]);
    const firstEdge = lines.findIndex((l) => l.startsWith('{"record":"event"'));
    const afterEdges = lines.findIndex((l, i) => i > firstEdge && !/^\{"record":"(event|attribution|association|parentContext)"/.test(l));
    const file = [...lines.slice(0, firstEdge), ...interleaved, ...associations, ...lines.slice(afterEdges)].join('\n');

    const { store, writes } = counting(target);
    const { counts } = await importRecords(store, numberedLines(chunksOf(file)));
    expect(counts).toMatchObject({ type: 3, node: ARTIFACTS + 2, event: ARTIFACTS, attribution: ARTIFACTS, association: 1 });
    // Types, nodes, the edges, the derivation, the counters: one transaction each.
    expect(writes()).toBe(5);
    // The id counters may stand past the source's on Neo4j, whose test database keeps its
    // counters between test files (test/support/neo4j-database.ts): at least the source's,
    // and every other line as exported.
    const COUNTERS = /^\{"record":"mlmdIdCounters","value":(.*)\}$/m;
    const body = (text: string): string => text.slice(text.indexOf('\n') + 1).replace(COUNTERS, '');
    const countersOf = (text: string): Record<string, number> => JSON.parse(COUNTERS.exec(text)![1]!) as Record<string, number>;
    const readBack = await exportOf(target);
    expect(body(readBack)).toBe(body(exported));
    const [source, written] = [countersOf(exported), countersOf(readBack)];
    for (const space of Object.keys(source)) expect(written[space], space).toBeGreaterThanOrEqual(source[space]!);
  });
});
