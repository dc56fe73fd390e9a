/**
 * Edges over HTTP: putEvents, putAttributions, putAssociations, putParentContexts,
 * recordExecution and putLineageSubgraph, and every field that walks an edge
 * (producedBy, consumedBy, events, inputs, outputs, contexts, Context.artifacts,
 * Context.executions, parents, children, Event.artifact/execution).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { onlyError, putCommonTypes, startTestServer, type TestServer } from './harness.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe.each(BACKENDS)('edges over HTTP ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(h.api);
    await putCommonTypes(t);
  });
  afterEach(async () => { await t?.close(); });

  /** raw, clean: DataSet; model: Model; prep, train: Trainer; p: Pipeline; r1, r2: Run. */
  async function nodes(): Promise<Record<'raw' | 'clean' | 'model' | 'prep' | 'train' | 'p' | 'r1' | 'r2', string>> {
    const put = await t.data(`mutation {
      a: putArtifacts(artifacts: [{ type: "DataSet", name: "raw" }, { type: "DataSet", name: "clean" }, { type: "Model", name: "model" }]) { id }
      x: putExecutions(executions: [{ type: "Trainer", name: "prep" }, { type: "Trainer", name: "train" }]) { id }
      c: putContexts(contexts: [{ type: "Pipeline", name: "p" }, { type: "Run", name: "r1" }, { type: "Run", name: "r2" }]) { id }
    }`);
    const [raw, clean, model] = put.a.map((n: any) => n.id);
    const [prep, train] = put.x.map((n: any) => n.id);
    const [p, r1, r2] = put.c.map((n: any) => n.id);
    return { raw, clean, model, prep, train, p, r1, r2 };
  }

  it('putEvents returns the events with both ends, type, path and time; an identical re-put is a no-op', async () => {
    const n = await nodes();
    h.clock.advance(500);
    const events = [
      { artifactId: n.raw, executionId: n.prep, type: 'INPUT', path: [{ key: 'examples' }, { index: 0 }] },
      { artifactId: n.clean, executionId: n.prep, type: 'OUTPUT' },
    ];
    const put = 'mutation E($e: [EventInput!]!) { putEvents(events: $e) { artifact { id name } execution { id name } type path { index key } time } }';
    const first = await t.data(put, { e: events });
    const time = iso(CLOCK_START + 500);
    const expected = [
      { artifact: { id: n.raw, name: 'raw' }, execution: { id: n.prep, name: 'prep' }, type: 'INPUT', path: [{ index: null, key: 'examples' }, { index: 0, key: null }], time },
      { artifact: { id: n.clean, name: 'clean' }, execution: { id: n.prep, name: 'prep' }, type: 'OUTPUT', path: [], time },
    ];
    expect(first.putEvents).toEqual(expected);
    h.clock.advance(500);
    expect((await t.data(put, { e: events })).putEvents).toEqual(expected);
    const changed = onlyError(await t.gql(put, { e: [{ ...events[0], path: [{ key: 'other' }] }] }));
    expect(changed.extensions).toEqual({ code: 'ALREADY_EXISTS', field: 'events[0]' });
  });

  it('walks events from both ends: producedBy, consumedBy, events, inputs, outputs', async () => {
    const n = await nodes();
    // raw -INPUT-> prep -OUTPUT-> clean -INPUT-> train -OUTPUT-> model; clean is also DECLARED_OUTPUT of train.
    await t.data('mutation E($e: [EventInput!]!) { putEvents(events: $e) { type } }', { e: [
      { artifactId: n.raw, executionId: n.prep, type: 'INPUT' },
      { artifactId: n.clean, executionId: n.prep, type: 'OUTPUT' },
      { artifactId: n.clean, executionId: n.train, type: 'INPUT' },
      { artifactId: n.model, executionId: n.train, type: 'OUTPUT' },
      { artifactId: n.clean, executionId: n.train, type: 'DECLARED_OUTPUT' },
    ] });
    const read = await t.data(`query Q($clean: ID!, $train: ID!) {
      artifact(id: $clean) {
        producedBy { name }
        consumedBy { name }
        events { type execution { name } }
      }
      execution(id: $train) {
        inputs { type artifact { name } }
        outputs { type artifact { name } }
      }
    }`, { clean: n.clean, train: n.train });
    const byType = (a: { type: string }, b: { type: string }) => a.type.localeCompare(b.type);
    expect(read.artifact.producedBy.map((x: any) => x.name).sort()).toEqual(['prep', 'train']);
    expect(read.artifact.consumedBy).toEqual([{ name: 'train' }]);
    expect([...read.artifact.events].sort(byType)).toEqual([
      { type: 'DECLARED_OUTPUT', execution: { name: 'train' } },
      { type: 'INPUT', execution: { name: 'train' } },
      { type: 'OUTPUT', execution: { name: 'prep' } },
    ]);
    expect(read.execution.inputs).toEqual([{ type: 'INPUT', artifact: { name: 'clean' } }]);
    expect([...read.execution.outputs].sort(byType)).toEqual([
      { type: 'DECLARED_OUTPUT', artifact: { name: 'clean' } },
      { type: 'OUTPUT', artifact: { name: 'model' } },
    ]);
  });

  it('putAttributions, putAssociations and putParentContexts count only new links; contexts, parents, children and the context connections follow them', async () => {
    const n = await nodes();
    const links = `mutation L($att: [AttributionInput!]!, $ass: [AssociationInput!]!, $par: [ParentContextInput!]!) {
      putAttributions(links: $att) putAssociations(links: $ass) putParentContexts(links: $par) }`;
    const vars = {
      att: [{ contextId: n.r1, artifactId: n.raw }, { contextId: n.r1, artifactId: n.clean }, { contextId: n.p, artifactId: n.raw }],
      ass: [{ contextId: n.r1, executionId: n.prep }],
      par: [{ childId: n.r1, parentId: n.p }, { childId: n.r2, parentId: n.p }],
    };
    expect(await t.data(links, vars)).toEqual({ putAttributions: 3, putAssociations: 1, putParentContexts: 2 });
    expect(await t.data(links, vars)).toEqual({ putAttributions: 0, putAssociations: 0, putParentContexts: 0 });

    const read = await t.data(`query Q($raw: ID!, $prep: ID!, $r1: ID!, $p: ID!) {
      artifact(id: $raw) { contexts { name } }
      execution(id: $prep) { contexts { name } }
      r1: context(id: $r1) {
        parents { name } children { name }
        artifacts { totalCount nodes { name } }
        executions { totalCount nodes { name } }
      }
      p: context(id: $p) { parents { name } children { name } artifacts { nodes { name } } executions { totalCount } }
    }`, { raw: n.raw, prep: n.prep, r1: n.r1, p: n.p });
    expect(read.artifact.contexts.map((c: any) => c.name).sort()).toEqual(['p', 'r1']);
    expect(read.execution.contexts).toEqual([{ name: 'r1' }]);
    expect(read.r1).toEqual({
      parents: [{ name: 'p' }], children: [],
      artifacts: { totalCount: 2, nodes: [{ name: 'raw' }, { name: 'clean' }] },
      executions: { totalCount: 1, nodes: [{ name: 'prep' }] },
    });
    expect(read.p.parents).toEqual([]);
    expect(read.p.children.map((c: any) => c.name).sort()).toEqual(['r1', 'r2']);
    expect(read.p).toMatchObject({ artifacts: { nodes: [{ name: 'raw' }] }, executions: { totalCount: 0 } });
  });

  it('Context.artifacts pages with first and after', async () => {
    const n = await nodes();
    await t.data('mutation L($att: [AttributionInput!]!) { putAttributions(links: $att) }', {
      att: [n.raw, n.clean, n.model].map((artifactId) => ({ contextId: n.r1, artifactId })),
    });
    const q = 'query Q($id: ID!, $after: String) { context(id: $id) { artifacts(first: 2, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } } }';
    const one = (await t.data(q, { id: n.r1 })).context.artifacts;
    expect(one.nodes).toEqual([{ name: 'raw' }, { name: 'clean' }]);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = (await t.data(q, { id: n.r1, after: one.pageInfo.endCursor })).context.artifacts;
    expect(two).toEqual({ nodes: [{ name: 'model' }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });
  });

  it('putParentContexts refuses a cycle, a self link and an unknown context', async () => {
    const n = await nodes();
    await t.data('mutation L($l: [ParentContextInput!]!) { putParentContexts(links: $l) }', { l: [{ childId: n.r1, parentId: n.p }] });
    const cycle = onlyError(await t.gql('mutation L($l: [ParentContextInput!]!) { putParentContexts(links: $l) }', { l: [{ childId: n.p, parentId: n.r1 }] }));
    expect(cycle.extensions).toEqual({ code: 'FAILED_PRECONDITION', field: 'links[0]' });
    const self = onlyError(await t.gql('mutation L($l: [ParentContextInput!]!) { putParentContexts(links: $l) }', { l: [{ childId: n.r2, parentId: n.r2 }] }));
    expect(self.extensions?.code).toBe('FAILED_PRECONDITION');
    const unknown = onlyError(await t.gql('mutation L($l: [AttributionInput!]!) { putAttributions(links: $l) }', { l: [{ contextId: 'nope', artifactId: n.raw }] }));
    expect(unknown.extensions).toEqual({ code: 'NOT_FOUND', field: 'links[0].contextId' });
  });

  it('recordExecution records a two-step pipeline; the second step reuses its contexts and takes an input by id', async () => {
    const step1 = await t.data(`mutation {
      recordExecution(input: {
        execution: { type: "Trainer", name: "prep", lastKnownState: COMPLETE }
        inputs: [{ artifact: { type: "DataSet", name: "raw", uri: "s3://raw" } }]
        outputs: [{ artifact: { type: "DataSet", name: "clean", uri: "s3://clean", properties: { rows: 10 } }, path: [{ key: "examples" }] }]
        contexts: [{ type: "Pipeline", name: "churn" }, { type: "Run", name: "run-1" }]
      }) { execution { id name lastKnownState } inputs { id name } outputs { id name } contexts { id name } }
    }`);
    const r1 = step1.recordExecution;
    expect(r1.execution).toMatchObject({ name: 'prep', lastKnownState: 'COMPLETE' });
    expect(r1.inputs.map((x: any) => x.name)).toEqual(['raw']);
    expect(r1.outputs.map((x: any) => x.name)).toEqual(['clean']);
    expect(r1.contexts.map((x: any) => x.name)).toEqual(['churn', 'run-1']);

    h.clock.advance(1000);
    const step2 = await t.data(`mutation S($clean: ID) {
      recordExecution(input: {
        execution: { type: "Trainer", name: "train", properties: { epochs: 5 } }
        inputs: [{ id: $clean }]
        outputs: [{ artifact: { type: "Model", name: "model", properties: { lr: 0.01 } } },
                  { artifact: { type: "DataSet", name: "pending" }, eventType: PENDING_OUTPUT }]
        contexts: [{ type: "Pipeline", name: "churn" }, { type: "Run", name: "run-1" }]
      }) {
        execution { id inputs { type artifact { name } } outputs { type path { key } artifact { name } } }
        inputs { id } outputs { name producedBy { name } } contexts { id }
      }
    }`, { clean: r1.outputs[0].id });
    const r2 = step2.recordExecution;
    expect(r2.inputs).toEqual([{ id: r1.outputs[0].id }]);
    expect(r2.contexts).toEqual(r1.contexts.map((c: any) => ({ id: c.id })));
    expect(r2.execution.inputs).toEqual([{ type: 'INPUT', artifact: { name: 'clean' } }]);
    expect([...r2.execution.outputs].sort((a: any, b: any) => a.type.localeCompare(b.type))).toEqual([
      { type: 'OUTPUT', path: [], artifact: { name: 'model' } },
      { type: 'PENDING_OUTPUT', path: [], artifact: { name: 'pending' } },
    ]);
    expect(r2.outputs).toEqual([{ name: 'model', producedBy: [{ name: 'train' }] }, { name: 'pending', producedBy: [{ name: 'train' }] }]);

    const lineage = await t.data(`{ contextByName(type: "Run", name: "run-1") {
      executions { nodes { name } } artifacts { totalCount }
    } artifactByName(type: "Model", name: "model") {
      producedBy { name inputs { path { key } artifact { name producedBy { name inputs { artifact { name } } } } } }
    } }`);
    expect(lineage.contextByName).toEqual({ executions: { nodes: [{ name: 'prep' }, { name: 'train' }] }, artifacts: { totalCount: 4 } });
    expect(lineage.artifactByName.producedBy).toEqual([{
      name: 'train',
      inputs: [{ path: [], artifact: { name: 'clean', producedBy: [{ name: 'prep', inputs: [{ artifact: { name: 'raw' } }] }] } }],
    }]);
  });

  it('recordExecution refuses an artifact reference with both or neither of id and artifact, naming it', async () => {
    const both = onlyError(await t.gql(`mutation { recordExecution(input: { execution: { type: "Trainer" },
      inputs: [{ artifact: { type: "DataSet", name: "a" } }, { id: "x", artifact: { type: "DataSet", name: "b" } }] }) { execution { id } } }`));
    expect(both.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.inputs[1]' });
    expect(both.message).toBe('input.inputs[1] must have exactly one of id and artifact');
    const neither = onlyError(await t.gql('mutation { recordExecution(input: { execution: { type: "Trainer" }, outputs: [{ path: [{ index: 0 }] }] }) { execution { id } } }'));
    expect(neither.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.outputs[0]' });
    const wrongSide = onlyError(await t.gql('mutation { recordExecution(input: { execution: { type: "Trainer" }, outputs: [{ artifact: { type: "DataSet" }, eventType: INPUT }] }) { execution { id } } }'));
    expect(wrongSide.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.outputs[0].eventType' });
    expect((await t.data('{ executions { totalCount } artifacts { totalCount } }'))).toEqual({ executions: { totalCount: 0 }, artifacts: { totalCount: 0 } });
  });

  it('putLineageSubgraph stores nodes and the edges between them by position, returning nodes in input order', async () => {
    const { putLineageSubgraph: out } = await t.data(`mutation {
      putLineageSubgraph(input: {
        artifacts: [{ type: "DataSet", name: "in" }, { type: "Model", name: "out" }]
        executions: [{ type: "Trainer", name: "fit" }]
        contexts: [{ type: "Run", name: "imported" }]
        events: [{ artifactIndex: 0, executionIndex: 0, type: INPUT, path: [{ index: 2 }] },
                 { artifactIndex: 1, executionIndex: 0, type: OUTPUT }]
        attributions: [{ contextIndex: 0, artifactIndex: 0 }, { contextIndex: 0, artifactIndex: 1 }]
        associations: [{ contextIndex: 0, executionIndex: 0 }]
      }) {
        artifacts { name producedBy { name } consumedBy { name } }
        executions { name inputs { path { index } artifact { name } } contexts { name } }
        contexts { name artifacts { totalCount } executions { nodes { name } } }
      }
    }`);
    expect(out).toEqual({
      artifacts: [{ name: 'in', producedBy: [], consumedBy: [{ name: 'fit' }] }, { name: 'out', producedBy: [{ name: 'fit' }], consumedBy: [] }],
      executions: [{ name: 'fit', inputs: [{ path: [{ index: 2 }], artifact: { name: 'in' } }], contexts: [{ name: 'imported' }] }],
      contexts: [{ name: 'imported', artifacts: { totalCount: 2 }, executions: { nodes: [{ name: 'fit' }] } }],
    });
    const outOfRange = onlyError(await t.gql(`mutation { putLineageSubgraph(input: {
      artifacts: [{ type: "DataSet", name: "x" }], executions: [{ type: "Trainer" }],
      events: [{ artifactIndex: 1, executionIndex: 0, type: INPUT }] }) { artifacts { id } } }`));
    expect(outOfRange.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.events[0].artifactIndex' });
  });
});
