/**
 * Pins the Cypher the Neo4j backend sends (STYLE.md habit 8): the text of every file in
 * cypher/ and the parameters it reads, the listNodes statements put together for
 * representative pages, and, by running every StoreTx method over a recording runner,
 * that each statement is sent exactly the parameters it reads: no more, no fewer.
 */
import { cp, readdir, rm, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArtifactRecord, ContextRecord, EventRecord, ExecutionRecord, TypeRecord } from '../../src/graph/model.js';
import {
  CYPHER_DIR, loadStatements, STATEMENT_NAMES, statementText, type StatementName, type Statements,
} from '../../src/graph/neo4j/neo4j-statements.js';
import type { CypherRunner, Params } from '../../src/graph/neo4j/neo4j-executor.js';
import { reachStatement } from '../../src/graph/neo4j/neo4j-reach.js';
import { MlmdIdPool } from '../../src/graph/neo4j/neo4j-mlmd-ids.js';
import { neo4jStoreTx } from '../../src/graph/neo4j/neo4j-store.js';
import { buildCountStatement, buildListStatement } from '../../src/graph/neo4j/neo4j-node-queries.js';
import type { NodeFilter, NodePage } from '../../src/graph/store.js';

const statements: Statements = await loadStatements();

/** The reach statements carry their hop bound as text; the rest are sent as written. */
const REACH_RADIUS = 3;
const sentForm = (name: StatementName): string =>
  name.endsWith('-reach') ? reachStatement(statements[name], REACH_RADIUS) : statements[name];

/** The `$parameters` a Cypher text reads, sorted. */
function parameterNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!))].sort();
}

async function cypherFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory()
    ? cypherFiles(path.join(dir, e.name), `${prefix}${e.name}/`)
    : Promise.resolve(e.name.endsWith('.cypher') ? [`${prefix}${e.name.slice(0, -'.cypher'.length)}`] : []))));
  return nested.flat();
}

describe('the cypher/ folder', () => {
  it('holds exactly the statements the backend names: none missing, none unused', async () => {
    expect((await cypherFiles(CYPHER_DIR)).sort()).toEqual([...STATEMENT_NAMES].sort());
  });

  it.each(STATEMENT_NAMES)('pins %s', (name) => {
    const text = statements[name];
    expect({ text, parameters: parameterNames(text) }).toMatchSnapshot();
  });

  it('takes no value into a schema statement: constraints and indexes are fixed text', () => {
    for (const name of STATEMENT_NAMES.filter((n) => n.startsWith('schema/'))) {
      expect(parameterNames(statements[name]), name).toEqual([]);
      // Each creates IF NOT EXISTS, or (a later step taking back an earlier one's) drops IF EXISTS: safe to run again.
      expect(statements[name], name).toMatch(/ IF NOT EXISTS |^DROP (CONSTRAINT|INDEX) \w+ IF EXISTS$/);
    }
  });
});

describe('loading the statements', () => {
  it('fails at start, naming every missing file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cypher-missing-'));
    try {
      await cp(CYPHER_DIR, dir, { recursive: true });
      await rm(path.join(dir, 'types', 'get.cypher'));
      await rm(path.join(dir, 'lineage', 'upstream-steps.cypher'));
      const failure = loadStatements(dir);
      await expect(failure).rejects.toThrow(/types[/\\]get\.cypher/);
      await expect(failure).rejects.toThrow(/lineage[/\\]upstream-steps\.cypher/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails on a file that holds only comments', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cypher-empty-'));
    try {
      await cp(CYPHER_DIR, dir, { recursive: true });
      await writeFile(path.join(dir, 'nodes', 'get.cypher'), '// nothing here\n\n');
      await expect(loadStatements(dir)).rejects.toThrow(/nodes[/\\]get\.cypher/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('drops whole-line comments only', () => {
    expect(statementText("// why\nMATCH (n)\n  // more why\nRETURN 'a // b' AS x\n")).toBe("MATCH (n)\nRETURN 'a // b' AS x");
  });
});

describe('listNodes and countNodes statements', () => {
  const base: NodePage = { kind: 'ARTIFACT', orderBy: 'createTime', ascending: true, limit: 101 };
  const pages: [string, NodePage][] = [
    ['artifacts with no filter, oldest first', base],
    ['artifacts in a context with every artifact filter, after a cursor, last updated first', {
      ...base,
      typeIds: ['t1', 't2'], name: 'n', externalId: 'e', uri: 'u', state: 'LIVE', contextId: 'c',
      createdAfter: 10, createdBefore: 20,
      properties: [{ name: 'rows', custom: false, op: 'gte', value: 5 }, { name: 'team', custom: true, op: 'in', value: ['a', 'b'] }],
      orderBy: 'updateTime', ascending: false, after: { value: 15, id: 'i' },
    }],
    ['executions in a context by state, by id descending after a cursor', {
      ...base, kind: 'EXECUTION', contextId: 'c', lastKnownState: 'RUNNING', orderBy: 'id', ascending: false, after: { value: 'i', id: 'i' },
    }],
    ['child contexts by name, created-time ascending after a cursor', {
      ...base, kind: 'CONTEXT', parentId: 'p', name: 'n', after: { value: 7, id: 'i' },
    }],
  ];

  it.each(pages)('pins the page statement for %s', (_label, page) => {
    const built = buildListStatement(statements, page);
    expect(built).not.toBeNull();
    expect(Object.keys(built!.params).sort()).toEqual(parameterNames(built!.text));
    expect(built).toMatchSnapshot();
  });

  it('pins the count statement, which has no order, cursor or limit', () => {
    const filter: NodeFilter = { kind: 'EXECUTION', typeIds: ['t'], properties: [{ name: 'epochs', custom: false, op: 'ne', value: 3 }] };
    const built = buildCountStatement(statements, filter);
    expect(Object.keys(built!.params).sort()).toEqual(parameterNames(built!.text));
    expect(built).toMatchSnapshot();
  });

  it('sends the stored key of a predicate, never its name, so a name cannot reach the text', () => {
    const built = buildListStatement(statements, { ...base, properties: [{ name: "x') DETACH DELETE n //", custom: true, op: 'eq', value: 1 }] });
    expect(built!.text).not.toContain('DETACH');
    expect(built!.params.propertyPredicates).toEqual([{ key: "custom.x') DETACH DELETE n //", op: 'eq', value: 1 }]);
  });

  it.each<[string, NodeFilter]>([
    ['an empty list of types', { kind: 'ARTIFACT', typeIds: [] }],
    ['a uri on executions', { kind: 'EXECUTION', uri: 'u' }],
    ['an artifact state on contexts', { kind: 'CONTEXT', state: 'LIVE' }],
    ['a lastKnownState on artifacts', { kind: 'ARTIFACT', lastKnownState: 'NEW' }],
    ['a context of contexts', { kind: 'CONTEXT', contextId: 'c' }],
    ['a parent of artifacts', { kind: 'ARTIFACT', parentId: 'p' }],
  ])('sends nothing for a filter no node can match: %s', (_label, filter) => {
    expect(buildCountStatement(statements, filter)).toBeNull();
    expect(buildListStatement(statements, { ...filter, orderBy: 'id', ascending: true, limit: 1 })).toBeNull();
  });
});

describe('the reach statements', () => {
  it('take their hop bound only as a checked integer', () => {
    const template = statements['lineage/upstream-reach'];
    expect(template).toContain('*0..RADIUS]');
    expect(reachStatement(template, 20)).toContain('*0..20]');
    expect(reachStatement(template, 20)).not.toContain('RADIUS');
    for (const bad of [-1, 1.5, Number.NaN, 10_001, Number.POSITIVE_INFINITY]) {
      expect(() => reachStatement(template, bad)).toThrow(/radius must be an integer/);
    }
  });
});

describe('parameters sent by every StoreTx method', () => {
  interface Call { text: string; params: Params }
  /** Blocks of ML Metadata ids from a counter in memory: allocation runs outside the transaction. */
  const localIds = (): MlmdIdPool => {
    let next = 1;
    return new MlmdIdPool(async (_space, count) => { const first = next; next += count; return first; });
  };

  async function recordEveryMethod(): Promise<Call[]> {
    const calls: Call[] = [];
    const runner: CypherRunner = {
      async run(text, params = {}) {
        calls.push({ text, params });
        // The claim of given ids answers what its space had handed out; nothing else needs an answer here.
        return text === statements['admin/claim-mlmd-ids'] ? [{ handedOut: 0 }] : [];
      },
    };
    const tx = neo4jStoreTx(runner, statements, localIds());
    const type = (kind: TypeRecord['kind']): TypeRecord => ({
      id: `t-${kind}`, mlmdId: 1, kind, name: 'n', version: null, description: null, externalId: null, baseType: null, properties: [],
    });
    const common = { typeId: 't', externalId: null, properties: { p: 1 }, customProperties: { s: { a: 1 } }, createTime: 1, updateTime: 1 };
    const artifact: ArtifactRecord = { ...common, id: 'a', mlmdId: 1, kind: 'ARTIFACT', name: null, uri: null, state: 'LIVE' };
    const execution: ExecutionRecord = { ...common, id: 'x', mlmdId: 2, kind: 'EXECUTION', name: 'x', lastKnownState: 'NEW' };
    const context: ContextRecord = { ...common, id: 'c', mlmdId: 3, kind: 'CONTEXT', name: 'c' };
    const input: EventRecord = { artifactId: 'a', executionId: 'x', type: 'INPUT', path: [{ index: 0 }], time: 1 };
    const output: EventRecord = { ...input, type: 'OUTPUT' };
    const types = [type('ARTIFACT_TYPE'), type('EXECUTION_TYPE'), type('CONTEXT_TYPE')];

    await tx.allocateMlmdIds('artifact', 3);
    await tx.claimMlmdIdsUpTo('execution', 7);
    await tx.getTypes(['t']);
    await tx.getTypesByMlmdId([1]);
    await tx.findTypes('ARTIFACT_TYPE', [{ name: 'n', version: null }]);
    await tx.findTypesByExternalId('CONTEXT_TYPE', ['e']);
    await tx.listTypes('EXECUTION_TYPE');
    await tx.insertTypes(types);
    await tx.updateTypes(types);
    await tx.getNodes(['a']);
    for (const kind of ['ARTIFACT', 'EXECUTION', 'CONTEXT'] as const) await tx.getNodesByMlmdId(kind, [1]);
    for (const kind of ['ARTIFACT', 'EXECUTION', 'CONTEXT'] as const) {
      await tx.findNodesByName(kind, [{ typeId: 't', name: 'n' }]);
      await tx.findNodesByExternalId(kind, ['e']);
    }
    await tx.insertNodes([artifact, execution, context]);
    await tx.updateNodes([artifact, execution, context]);
    await tx.deleteNodes(['a']);
    for (const orderBy of ['id', 'createTime', 'updateTime'] as const) {
      for (const ascending of [true, false]) {
        await tx.listNodes({ kind: 'ARTIFACT', orderBy, ascending, limit: 5, after: { value: orderBy === 'id' ? 'a' : 1, id: 'a' } });
      }
    }
    await tx.listNodes({
      kind: 'ARTIFACT', orderBy: 'id', ascending: true, limit: 5, typeIds: ['t'], name: 'n', externalId: 'e', uri: 'u', state: 'LIVE',
      contextId: 'c', createdAfter: 1, createdBefore: 2, properties: [{ name: 'p', custom: false, op: 'eq', value: 1 }],
    });
    await tx.listNodes({ kind: 'EXECUTION', orderBy: 'id', ascending: true, limit: 5, contextId: 'c', lastKnownState: 'NEW' });
    await tx.listNodes({ kind: 'EXECUTION', orderBy: 'id', ascending: true, limit: 5 });
    await tx.listNodes({ kind: 'CONTEXT', orderBy: 'id', ascending: true, limit: 5, parentId: 'p' });
    await tx.listNodes({ kind: 'CONTEXT', orderBy: 'id', ascending: true, limit: 5 });
    await tx.countNodes({ kind: 'ARTIFACT', name: 'n' });
    await tx.insertEvents([input, output]);
    await tx.getEvents([input]);
    await tx.eventsByArtifacts(['a']);
    await tx.eventsByExecutions(['x']);
    await tx.insertAttributions([{ contextId: 'c', artifactId: 'a' }]);
    await tx.insertAssociations([{ contextId: 'c', executionId: 'x' }]);
    await tx.insertParentContexts([{ childId: 'c', parentId: 'p' }]);
    await tx.lockParentContextWrites();
    await tx.contextsOfNodes(['a']);
    await tx.parentContexts(['c']);
    await tx.childContexts(['c']);
    await tx.artifactsOfContexts(['c']);
    await tx.lineageSteps(['a'], 'UPSTREAM', ['OUTPUT'], null);
    await tx.lineageSteps(['x'], 'DOWNSTREAM', ['OUTPUT'], 5);
    await tx.lineageReach(['a'], 'UPSTREAM', ['OUTPUT'], null, REACH_RADIUS, 10);
    await tx.lineageReach(['x'], 'DOWNSTREAM', ['INPUT'], 5, REACH_RADIUS, 10);
    await tx.lineageReach(['m'], 'BOTH', ['INPUT', 'OUTPUT'], null, REACH_RADIUS, 10);
    const key = { id: 'k', name: 'n', role: 'viewer', secretHash: 'h', createTime: 1, expireTime: null, revokeTime: 2 } as const;
    await tx.insertApiKeys([key]);
    await tx.getApiKeys(['k']);
    await tx.getApiKeysByClientCert(['f']);
    await tx.listApiKeys();
    await tx.updateApiKeys([key]);
    await tx.countApiKeys();
    await tx.lockApiKeyCreation();
    await tx.personalDataDeclarations(['a']);
    await tx.artifactsDeclaringPersonalData(['t'], null, 10);
    await tx.derivedStatuses(['a']);
    await tx.personalDataReach(['a'], REACH_RADIUS, 10);
    await tx.contextsOfAny(['a']);
    await tx.putDerivedStatuses([{ artifactId: 'a', status: { declared: true, routes: [['a']], keys: [] } }, { artifactId: 'b', status: null }]);
    await tx.clearDerivedStatuses();
    await tx.carryingPersonalData(['a', 'x']);
    await tx.lockForDerivation(['a', 'x']);
    await tx.derivationMinK();
    await tx.lockDerivation();
    await tx.setDerivationMinK(10);
    await tx.insertSubjectRegistrations('a', ['h']);
    await tx.deleteSubjectRegistrations('a', ['h']);
    await tx.deleteDataSubjects(['h']);
    await tx.artifactsOfSubjects(['h']);
    await tx.registrationCounts(['a']);
    await tx.insertErasureRequests([{ id: 'r', subjectHash: 'h', createTime: 1, reason: null, items: [{ artifactId: 'a', artifact, status: 'PENDING', note: null, updateTime: 1 }], subjectText: { hash: 'p', length: 4 } }]);
    await tx.getErasureRequests(['r']);
    await tx.listErasureRequestIds(null, 10);
    await tx.updateErasureItems([{ requestId: 'r', artifactId: 'a', status: 'ERASED', note: null, updateTime: 2 }]);
    await tx.appendAuditEntries([{ id: 'e', time: 1, caller: 'k', operation: 'auditLog', subjectHash: null, target: null, resultCount: 0, before: null, after: null }]);
    await tx.listAuditEntries(null, 10);
    await tx.importedNodeIds('s', 'ARTIFACT', [1]);
    await tx.recordImportOrigins('s', 'ARTIFACT', [{ sourceId: 1, nodeId: 'a' }]);
    await tx.countImportedNodes('s', 'ARTIFACT');
    await tx.nodesAsOf(['a'], 5);
    await tx.nodeHistories(['a']);
    await tx.deleteNodeHistories(['a']);
    await tx.mlmdIdsHandedOut();
    await tx.subjectsOfArtifacts(['a']);
    await tx.importOriginsOfNodes(['a']);
    return calls;
  }

  it('sends each statement exactly the parameters it reads', async () => {
    for (const call of await recordEveryMethod()) {
      expect(Object.keys(call.params).sort(), call.text).toEqual(parameterNames(call.text));
    }
  });

  it('exercises every statement and fragment but the schema, admin and migration ones', async () => {
    const sent = (await recordEveryMethod()).map((c) => c.text);
    const unsent = STATEMENT_NAMES
      .filter((name) => !name.startsWith('schema/') && !name.startsWith('admin/') && !name.startsWith('migrations/'))
      .filter((name) => !sent.some((text) => text.includes(sentForm(name))));
    expect(unsent).toEqual([]);
  });

  it('joins the writes of a run into one statement each, sends them before the next read, and checks no new node\'s events', async () => {
    const calls: Call[] = [];
    const tx = neo4jStoreTx({ run: async (text, params = {}) => { calls.push({ text, params }); return []; } }, statements, localIds());
    const common = { typeId: 't', externalId: null, properties: {}, customProperties: {}, createTime: 1, updateTime: 1 };
    await tx.insertNodes([{ ...common, id: 'x', mlmdId: 1, kind: 'EXECUTION', name: 'x', lastKnownState: 'NEW' }]);
    await tx.insertNodes([{ ...common, id: 'a', mlmdId: 2, kind: 'ARTIFACT', name: null, uri: null, state: 'LIVE' }]);
    await tx.insertNodes([{ ...common, id: 'c', mlmdId: 3, kind: 'CONTEXT', name: 'c' }]);
    expect(calls).toEqual([]);
    const input: EventRecord = { artifactId: 'a', executionId: 'x', type: 'INPUT', path: [], time: 1 };
    expect(await tx.getEvents([input])).toEqual([null]);
    expect(calls).toEqual([]);
    await tx.insertEvents([input]);
    expect(await tx.getEvents([input])).toEqual([input]);
    await tx.getNodes(['elsewhere']);
    expect(calls.map((c) => c.text)).toEqual([statements['nodes/insert'], statements['events/insert'], statements['nodes/get']]);
    expect(calls[0]!.params).toMatchObject({ artifacts: [{ id: 'a' }], executions: [{ id: 'x' }], contexts: [{ id: 'c' }] });
  });

  it('never puts one node twice in one nodes/update statement: a repeat starts the next, in order', async () => {
    const calls: Call[] = [];
    const tx = neo4jStoreTx({ run: async (text, params = {}) => { calls.push({ text, params }); return []; } }, statements, localIds());
    const record = (id: string, updateTime: number) => ({
      id, mlmdId: 1, kind: 'CONTEXT' as const, typeId: 't', name: id, externalId: null, properties: {}, customProperties: {}, createTime: 1, updateTime,
    });
    await tx.updateNodes([record('a', 2), record('b', 2)]);
    await tx.updateNodes([record('c', 2), record('a', 3)]);
    await tx.updateNodes([record('b', 3), record('a', 4), record('a', 5)]);
    await tx.flush();
    expect(calls.map((c) => c.text)).toEqual(Array(4).fill(statements['nodes/update']));
    expect(calls.map((c) => (c.params.rows as { id: string; updateTime: number }[]).map((r) => `${r.id}${r.updateTime}`)))
      .toEqual([['a2', 'b2', 'c2'], ['a3', 'b3'], ['a4'], ['a5']]);
  });

  it('sends nothing for empty inputs that need no answer from the database', async () => {
    const calls: Call[] = [];
    const tx = neo4jStoreTx({ run: async (text, params = {}) => { calls.push({ text, params }); return []; } }, statements, localIds());
    expect(await tx.getNodes([])).toEqual([]);
    expect(await tx.getNodesByMlmdId('CONTEXT', [])).toEqual([]);
    expect(await tx.allocateMlmdIds('artifact', 0)).toEqual([]);
    expect(await tx.lineageSteps([], 'UPSTREAM', ['INPUT'], null)).toEqual([]);
    expect(await tx.lineageSteps(['a'], 'UPSTREAM', [], null)).toEqual([]);
    expect(await tx.lineageReach([], 'UPSTREAM', ['INPUT'], null, 3, 10)).toEqual({ expanded: [], steps: [] });
    await tx.insertNodes([]);
    expect(await tx.insertAttributions([])).toBe(0);
    expect(calls).toEqual([]);
  });
});
