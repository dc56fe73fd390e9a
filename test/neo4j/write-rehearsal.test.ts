/**
 * The write rehearsal a server runs on Neo4j before it serves (src/server/
 * write-rehearsal.ts): it sends the statements of a pipeline's writes, in the shapes
 * (empty and non-empty lists) a pipeline's steps send, so that Neo4j plans them before a
 * writer holds shared locks; and it leaves the store exactly as it found it. The "leaves
 * nothing" part runs on both backends (the function takes any store); which statements
 * were sent is a Neo4j matter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import type { Neo4jStore } from '../../src/graph/neo4j/neo4j-store.js';
import type { CypherRunner } from '../../src/graph/neo4j/neo4j-executor.js';
import { createServices } from '../../src/service/services.js';
import { rehearseWrites } from '../../src/server/write-rehearsal.js';
import { exportText } from '../../src/service/transfer/store-export.js';
import { BACKENDS, type Backend } from '../support/backends.js';
import { testSubjectKey } from '../privacy/fixtures.js';

/** The whole store as export lines (the header's time fixed). */
async function everything(store: GraphStore): Promise<string[]> {
  let text = '';
  for await (const chunk of exportText(store, { now: () => new Date(0) })) text += chunk;
  return text.split('\n');
}

describe.each(BACKENDS)('write rehearsal ($name)', (backend: Backend) => {
  let store: GraphStore;
  let services: ReturnType<typeof createServices>;

  beforeAll(async () => {
    store = await backend.open();
    services = createServices(store, { subjectKey: testSubjectKey() });
    // Something for the rehearsal to leave alone: a pipeline step with personal data, registered subjects.
    const { metadata: api, personalData: privacy } = services;
    await api.putType('ARTIFACT_TYPE', { name: 'Patients', baseType: 'DATASET', personalData: { categories: ['contact'], specialCategories: [] } });
    await api.putType('ARTIFACT_TYPE', { name: 'Examples', baseType: 'DATASET' });
    await api.putType('EXECUTION_TYPE', { name: 'Trainer' });
    await api.putType('CONTEXT_TYPE', { name: 'Pipeline' });
    const step = await api.recordExecution({
      execution: { type: 'Trainer', name: 'x0' },
      inputs: [{ artifact: { type: 'Patients', name: 'raw-0', uri: 's3://raw/0' } }],
      outputs: [{ artifact: { type: 'Examples', name: 't0', uri: 's3://out/0' } }],
      contexts: [{ type: 'Pipeline', name: 'pipeline-0' }],
    });
    await privacy.registerDataSubjects(step.inputs[0]!.id, ['subject-1'], 'local');
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  it('leaves every record as it was, and a second rehearsal too', async () => {
    const before = await everything(store);
    expect(before.length).toBeGreaterThan(8);
    const { metadata: api, personalData: privacy } = services;
    expect(await rehearseWrites(store, api, privacy)).toBeGreaterThanOrEqual(0);
    expect(await rehearseWrites(store, api, privacy)).toBeGreaterThanOrEqual(0);
    expect(await everything(store)).toEqual(before);
    // And the store still takes the same writes afterwards (no lock, no state left by the rollback).
    const again = await api.recordExecution({
      execution: { type: 'Trainer', name: 'x1' },
      inputs: [{ artifact: { type: 'Patients', name: 'raw-0', uri: 's3://raw/0' } }],
      outputs: [{ artifact: { type: 'Examples', name: 't1', uri: 's3://out/1' } }],
      contexts: [{ type: 'Pipeline', name: 'pipeline-0' }],
    });
    expect(again.contexts.map((c) => c.name)).toEqual(['pipeline-0']);
  });
});

describe.runIf(BACKENDS.some((b) => b.name === 'neo4j'))('write rehearsal on Neo4j: what it sends', () => {
  let store: Neo4jStore;

  beforeAll(async () => {
    store = (await BACKENDS.find((b) => b.name === 'neo4j')!.open()) as Neo4jStore;
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  it('sends the write path of two pipeline steps, in the shapes a first and a later step send, and commits nothing', async () => {
    const sent: { text: string; params: Record<string, unknown> }[] = [];
    const executor = store.executor;
    const write = executor.write.bind(executor);
    let committed = 0;
    // Every statement of the store's write transactions, as the executor runs it.
    executor.write = async <T>(work: (runner: CypherRunner) => Promise<T>): Promise<T> => {
      const result = await write((runner) => work({
        run: (text, params = {}) => {
          sent.push({ text, params });
          return runner.run(text, params);
        },
      }));
      committed += 1;
      return result;
    };
    try {
      const { metadata: api, personalData: privacy } = createServices(store, { subjectKey: testSubjectKey() });
      await rehearseWrites(store, api, privacy);
    } finally {
      executor.write = write;
    }
    expect(committed).toBe(0);
    const { statements } = store as unknown as { statements: Record<string, string> };
    const shapes = (name: string): string[] => sent.filter((s) => s.text === statements[name]).map((s) =>
      Object.entries(s.params).filter(([, v]) => Array.isArray(v)).map(([k, v]) => `${k}:${(v as unknown[]).length > 0 ? 'rows' : 'empty'}`).sort().join(' '));
    // A first step creates every node; a later one reuses its input and contexts by name.
    expect(shapes('nodes/insert')).toEqual(['artifacts:rows contexts:rows executions:rows', 'artifacts:rows contexts:empty executions:rows']);
    expect(shapes('nodes/find-by-name')).toContain('artifactKeys:rows contextKeys:rows executionKeys:rows');
    expect(shapes('events/insert')).toContain('inputs:rows outputs:rows');
    // Attributions and associations go apart (two calls), parent links alone.
    expect(new Set(shapes('links/insert'))).toEqual(new Set([
      'associations:empty attributions:rows parentContexts:empty',
      'associations:rows attributions:empty parentContexts:empty',
      'associations:empty attributions:empty parentContexts:rows',
    ]));
    expect(sent.some((s) => s.text === statements['privacy/insert-registrations'])).toBe(true);
  }, 60_000);
});
