/**
 * A store filled with a chain artifact → execution → artifact …, an event between each
 * neighbour, every node with an INT property and a custom text property: the shape the
 * transfer tests export and import at sizes from thousands to hundreds of thousands,
 * written 5,000 nodes per transaction.
 */
import { randomUUID } from 'node:crypto';
import type { EventRecord, NodeRecord, TypeRecord } from '../../src/graph/model.js';
import type { GraphStore } from '../../src/graph/store.js';

const BATCH = 5_000;

/** Writes a chain of `nodes` nodes (half artifacts, half executions) into `store`, whose custom property `note` is `noteLength` characters. */
export async function writeChain(store: GraphStore, nodes: number, noteLength: number): Promise<void> {
  const type = (kind: TypeRecord['kind'], mlmdId: number): TypeRecord => ({
    id: randomUUID(), mlmdId, kind, name: `${kind} type`, version: null, description: null, externalId: null, baseType: null,
    properties: [{ name: 'size', type: 'INT' }],
  });
  const [at, xt] = [type('ARTIFACT_TYPE', 1), type('EXECUTION_TYPE', 2)];
  await store.write((tx) => tx.insertTypes([at, xt]));
  let previous: string | null = null;
  for (let start = 0; start < nodes; start += BATCH) {
    const written: NodeRecord[] = [];
    const events: EventRecord[] = [];
    for (let i = start; i < Math.min(nodes, start + BATCH); i += 1) {
      const id = randomUUID();
      const common = { id, mlmdId: Math.floor(i / 2) + 1, name: `node ${i}`, externalId: null, properties: { size: i }, customProperties: { note: 'n'.repeat(noteLength) }, createTime: i, updateTime: i };
      written.push(i % 2 === 0
        ? { ...common, kind: 'ARTIFACT', typeId: at.id, uri: `s3://bucket/${i}`, state: 'LIVE' }
        : { ...common, kind: 'EXECUTION', typeId: xt.id, lastKnownState: 'COMPLETE' });
      if (previous !== null) {
        events.push(i % 2 === 0
          ? { artifactId: id, executionId: previous, type: 'OUTPUT', path: [], time: i }
          : { artifactId: previous, executionId: id, type: 'INPUT', path: [], time: i });
      }
      previous = id;
    }
    await store.write(async (tx) => {
      await tx.insertNodes(written);
      await tx.insertEvents(events);
    });
  }
}
