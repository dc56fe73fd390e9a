/**
 * What `journey import jsonl` refuses (src/service/transfer/): a store that is not empty,
 * a file of another format version, a cut-short or damaged file, a line of the wrong shape,
 * bytes that are not UTF-8, an edge naming a node the file never wrote. Each refusal names
 * the line and the field; a file refused by the check writes nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import { createServices } from '../../src/service/services.js';
import { numberedLines } from '../../src/service/transfer/export-lines.js';
import { exportText } from '../../src/service/transfer/store-export.js';
import { checkExportFile, importRecords, storeContents } from '../../src/service/transfer/store-import.js';
import { BACKENDS, backendNamed, emptyStore, FakeClock, type Backend } from '../support/backends.js';

async function* chunksOf(...parts: (string | Uint8Array)[]) {
  for (const p of parts) yield p;
}

const check = (text: string) => checkExportFile(numberedLines(chunksOf(text)));
const importInto = (store: GraphStore, text: string) => importRecords(store, numberedLines(chunksOf(text)));

let good = '';

beforeAll(async () => {
  const source = await backendNamed('sqlite')!.open();
  const { metadata: api } = createServices(source, { clock: new FakeClock() });
  await api.putType('ARTIFACT_TYPE', { name: 'Table' });
  await api.putType('EXECUTION_TYPE', { name: 'Step' });
  const [a] = await api.putArtifacts([{ type: 'Table', name: 'a' }]);
  const [x] = await api.putExecutions([{ type: 'Step', name: 'x' }]);
  await api.putEvents([{ artifactId: a!.id, executionId: x!.id, type: 'INPUT' }]);
  for await (const chunk of exportText(source)) good += chunk;
  await source.close();
});

/** The good export with line `n` (1-based) replaced by `text`. */
function withLine(n: number, text: string): string {
  const lines = good.split('\n');
  lines[n - 1] = text;
  return lines.join('\n');
}

describe('the file check (before anything is written)', () => {
  it('takes the good export and counts its records', async () => {
    // header, 2 types, 2 nodes, the event, the derivation's minimum k (the services derive statuses on every write), counters, end
    expect(good.split('\n').map((l) => (l === '' ? '' : (JSON.parse(l) as { record: string }).record))).toEqual([
      'header', 'type', 'type', 'node', 'node', 'event', 'derivation', 'mlmdIdCounters', 'end', '',
    ]);
    const { counts, header } = await check(good);
    expect(header.version).toBe(1);
    expect(counts).toEqual({ type: 2, node: 2, event: 1, derivation: 1, mlmdIdCounters: 1 });
  });

  it('refuses another format version, naming both', async () => {
    const header = JSON.parse(good.split('\n')[0]!) as { value: { version: number } };
    header.value.version = 2;
    await expect(check(withLine(1, JSON.stringify(header)))).rejects.toThrow(
      'line 1: header.version: this build reads export format version 1 only, the file is version 2',
    );
  });

  it('refuses a file that is no export', async () => {
    await expect(check('{"record":"type","value":{}}\n')).rejects.toThrow('line 1: the first line must be the header record');
    await expect(check('hello\n')).rejects.toThrow(/^line 1: not a JSON record/);
    await expect(check('')).rejects.toThrow('the file is empty: an export starts with its header record');
  });

  it('refuses a file cut short, mid-line or at a line end', async () => {
    const cutMidLine = good.slice(0, good.indexOf('"record":"event"') + 20);
    await expect(check(cutMidLine)).rejects.toThrow(/^line 6: not a JSON record .*cut short/);
    const withoutEnd = good.split('\n').slice(0, -2).join('\n') + '\n';
    await expect(check(withoutEnd)).rejects.toThrow('the file ends after line 8 without its end record: it was cut short');
  });

  it('refuses a line of the wrong shape, naming the line and the field', async () => {
    const node = JSON.parse(good.split('\n')[3]!) as { value: { node: Record<string, unknown> } };
    node.value.node.mlmdId = '7';
    await expect(check(withLine(4, JSON.stringify(node)))).rejects.toThrow(
      'line 4: node.node.mlmdId must be an integer from 1 to 9007199254740991, got "7"',
    );
    node.value.node.mlmdId = 7;
    node.value.node.properties = { p: null };
    await expect(check(withLine(4, JSON.stringify(node)))).rejects.toThrow('line 4: node.node.properties.p must be a value, got null');
    await expect(check(withLine(4, '{"record":"DROP","value":{}}'))).rejects.toThrow('line 4: record must be one of header, type, node');
  });

  it('refuses records out of order and counts that do not match', async () => {
    const lines = good.split('\n');
    [lines[4], lines[5]] = [lines[5]!, lines[4]!]; // the event before the second node
    await expect(check(lines.join('\n'))).rejects.toThrow('line 6: a node record after event records');
    await expect(check(withLine(9, '{"record":"end","value":{"counts":{"type":2,"node":3,"event":1,"derivation":1,"mlmdIdCounters":1}}}')))
      .rejects.toThrow('line 9: the end record counts 3 node records, the file holds 2');
  });

  it('refuses bytes that are not UTF-8, with the line they are on', async () => {
    const [first, ...rest] = good.split('\n');
    const bad = Buffer.from(`${first}\n${rest[0]!.slice(0, 30)}`);
    await expect(checkExportFile(numberedLines(chunksOf(bad, Buffer.from([0xff, 0xfe]), rest.join('\n'))))).rejects.toThrow(
      'line 2: the bytes are not UTF-8',
    );
  });

  it('refuses a line longer than the limit instead of gathering it', async () => {
    const endless = chunksOf(good.split('\n')[0]!, '\n', 'x'.repeat(5000));
    await expect(checkExportFile(numberedLines(endless, 1000))).rejects.toThrow('line 2: a line longer than 1000 characters');
  });
});

describe.each(BACKENDS)('import on %s', (backend: Backend) => {
  let store: GraphStore;
  beforeAll(async () => {
    store = await backend.open();
  });
  beforeEach(async () => {
    await emptyStore(backend, store);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('refuses a store that is not empty, naming what it holds, and writes nothing', async () => {
    await createServices(store).metadata.putType('CONTEXT_TYPE', { name: 'Already here' });
    await expect(importInto(store, good)).rejects.toThrow(
      `the target ${backend.name} store is not empty (it holds 1 types): an import writes only into an empty store`,
    );
    expect(await storeContents(store)).toEqual(['1 types']);
  });

  it('refuses an edge whose node the file never wrote, naming the line', async () => {
    const event = JSON.parse(good.split('\n')[5]!) as { value: { artifactId: string } };
    event.value.artifactId = 'no-such-node';
    await expect(importInto(store, withLine(6, JSON.stringify(event)))).rejects.toThrow(
      'line 6: event.artifactId "no-such-node" names no node written before it',
    );
  });

  it.each([
    ['attribution', { contextId: 'no-such-context', artifactId: 'ARTIFACT' }, 'attribution.contextId "no-such-context"'],
    ['association', { contextId: 'CONTEXT', executionId: 'no-such-execution' }, 'association.executionId "no-such-execution"'],
    ['parentContext', { childId: 'CONTEXT', parentId: 'no-such-parent' }, 'parentContext.parentId "no-such-parent"'],
  ] as const)('refuses a %s whose node the file never wrote, naming the line and the field', async (kind, fields, named) => {
    // The good file (header, 2 types, 2 nodes, an event, ...) with a context added and a link after the event.
    const lines = good.trimEnd().split('\n').map((l) => JSON.parse(l) as { record: string; value: Record<string, unknown> });
    const artifact = lines.find((l) => l.record === 'node' && (l.value.node as { kind: string }).kind === 'ARTIFACT')!;
    const contextType = { ...lines[1]!.value, id: 'context-type', mlmdId: 90, kind: 'CONTEXT_TYPE', name: 'Run', properties: [], personalData: undefined };
    const context = structuredClone(artifact);
    Object.assign(context.value.node as object, { id: 'a-context', mlmdId: 90, kind: 'CONTEXT', typeId: 'context-type', name: 'run 1' });
    for (const f of ['uri', 'state', 'personalData']) delete (context.value.node as Record<string, unknown>)[f];
    Object.assign(context.value, { subjectHashes: [], derivedStatus: null });
    const ids: Record<string, string> = { ARTIFACT: (artifact.value.node as { id: string }).id, CONTEXT: 'a-context' };
    const link = { record: kind, value: Object.fromEntries(Object.entries(fields).map(([f, v]) => [f, ids[v] ?? v])) };
    const end = lines.at(-1)!.value as { counts: Record<string, number> };
    end.counts = { ...end.counts, type: end.counts.type! + 1, node: end.counts.node! + 1, [kind]: 1 };
    const event = lines.findIndex((l) => l.record === 'event');
    const file = [lines[0], lines[1], lines[2], { record: 'type', value: contextType }, ...lines.slice(3, event),
      { record: 'node', value: context.value }, lines[event], link, ...lines.slice(event + 1)];
    // The file is well-formed apart from the link's missing end: only the store can tell.
    await expect(importInto(store, file.map((l) => JSON.stringify(l)).join('\n'))).rejects.toThrow(
      `line ${event + 4}: ${named} names no node written before it`,
    );
  });

  it('refuses an unknown version before writing anything', async () => {
    const header = JSON.parse(good.split('\n')[0]!) as { value: { version: number } };
    header.value.version = 99;
    await expect(importInto(store, withLine(1, JSON.stringify(header)))).rejects.toThrow('the file is version 99');
    expect(await storeContents(store)).toEqual([]);
  });

  it('imports the good file into the emptied store', async () => {
    const { counts } = await importInto(store, good);
    expect(counts).toEqual({ type: 2, node: 2, event: 1, derivation: 1, mlmdIdCounters: 1 });
    expect(await storeContents(store)).toEqual(['2 types', '1 artifacts', '1 executions']);
  });
});
