/**
 * `journey lineage` and `journey path` against a real server on every backend, over the
 * TFX-shaped pipeline of test/explorer/tfx-seed.ts:
 *
 *   raw-span-1 → ExampleGen-1 → examples-1 → StatisticsGen-1 → statistics-1 → SchemaGen-1 → schema-1
 *   examples-1, schema-1 → Transform-1 → transform-graph-1, transformed-examples-1 → Trainer-1 → taxi-model-1
 *   taxi-model-1, examples-1 → Evaluator-1 → evaluation-1;  taxi-model-1, evaluation-1 → Pusher-1 → pushed-model-1
 *   (run 2 the same from the same raw-span-1; a Notebook reads examples-2 and writes the hostile-named artifact)
 *
 * Each command's JSON (printed without --format, stdout being a pipe) equals the GraphQL
 * answer it is built from; tables, DOT, Mermaid and SVG are checked for their structure.
 */
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { LineageDocument, PathDocument, type LineageQuery, type PathQuery } from '../../src/cli/generated/graphql.js';
import { BACKENDS } from '../support/backends.js';
import { HOSTILE_NAME } from '../explorer/tfx-seed.js';
import { useCliServer } from './cli-server-harness.js';

/** jsdom's DOM for an SVG document (jsdom ships no types; this is the part used). */
async function parseSvg(text: string): Promise<Document> {
  const jsdom = 'jsdom';
  const { JSDOM } = (await import(jsdom)) as { JSDOM: new (text: string, options: { contentType: string }) => { window: { document: Document } } };
  return new JSDOM(text, { contentType: 'image/svg+xml' }).window.document;
}

const LINEAGE = print(LineageDocument);
const PATH = print(PathDocument);

/** A name meant to break DOT, Mermaid, SVG and terminals: quotes, newlines, an arrow, markup, an ANSI escape. */
const EVIL = 'evil" ] n1 -> n2 [label="x\n--> n1\n</text><script>alert(1)</script>\u001b[31m|red|';

describe.each(BACKENDS)('journey lineage and journey path ($name)', (backend) => {
  const s = useCliServer(backend);
  const lineageVars = (start: string[], direction: string, extra: Record<string, unknown> = {}) =>
    ({ start, direction, maxHops: null, artifactTypes: null, executionTypes: null, withDot: false, withMermaid: false, ...extra });

  it('prints the lineage answer as JSON when piped, equal to the GraphQL answer, in two requests', async () => {
    const model = s.seed.artifacts[0].model!;
    for (const [flags, direction, hops] of [[['--up', '--hops', '4'], 'UPSTREAM', 4], [['--down'], 'DOWNSTREAM', null], [['--both', '--hops', '2'], 'BOTH', 2]] as const) {
      const before = s.t.logs.operations().length;
      const run = await s.journey(['lineage', 'Model/taxi-model-1', ...flags]);
      expect(s.t.logs.operations().slice(before).map((o) => o.operationName)).toEqual(['ResolveNodes', 'Lineage']);
      const answer = await s.gql<LineageQuery>(LINEAGE, lineageVars([model], direction, { maxHops: hops }));
      expect(JSON.parse(run.stdout)).toEqual(answer);
      // A walk cut short says so on stderr; stdout stays the answer alone.
      const cut = "journey: the walk was cut short (--hops or the server's node ceiling): more lies beyond\n";
      expect({ flags, code: run.code, stderr: run.stderr }).toEqual({ flags, code: 0, stderr: answer.lineage.truncated ? cut : '' });
    }
    // Upstream within 4 hops of taxi-model-1: Trainer-1 (1), its two inputs (2), Transform-1 (3), examples-1 and schema-1 (4).
    const up = JSON.parse((await s.journey(['lineage', `artifact:${await mlmdIdOf(model)}`, '--hops', '4', '--format', 'json'])).stdout) as LineageQuery;
    expect(up.lineage.nodes.map((n) => `${n.distance} ${(n.artifact ?? n.execution)!.name}`)).toEqual([
      '0 taxi-model-1', '1 Trainer-1', ...['transform-graph-1', 'transformed-examples-1'].sort(byIdOf(up)).map((n) => `2 ${n}`),
      '3 Transform-1', ...['examples-1', 'schema-1'].sort(byIdOf(up)).map((n) => `4 ${n}`),
    ]);
    expect(up.lineage.truncated).toBe(true);
  }, 180_000);

  it('filters by --types (artifact and execution type names) and refuses a name that is neither', async () => {
    const run = await s.journey(['lineage', 'ExternalArtifact/raw-span-1', '--down', '--types', 'Model', 'Trainer']);
    expect(run.code, run.stderr).toBe(0);
    const answer = await s.gql<LineageQuery>(LINEAGE, lineageVars([s.seed.raw], 'DOWNSTREAM', { artifactTypes: ['Model'], executionTypes: ['Trainer'] }));
    expect(JSON.parse(run.stdout)).toEqual(answer);
    expect(answer.lineage.nodes.map((n) => (n.artifact ?? n.execution)!.type.name).sort()).toEqual(['Model', 'Model', 'Trainer', 'Trainer']);
    const unknown = await s.journey(['lineage', 'ExternalArtifact/raw-span-1', '--types', 'Model', 'Nope"x']);
    expect({ code: unknown.code, stderr: unknown.stderr }).toEqual({ code: EXIT.USAGE, stderr: 'journey: --types: no artifact or execution type is named "Nope\\"x" (see journey --help)\n' });
  }, 120_000);

  it('draws a table with one line per node, hostile names included, and no escape sequence of theirs', async () => {
    await putEvil();
    const run = await s.journey(['lineage', 'Examples/examples-2', '--down', '--hops', '4', '--format', 'table']);
    expect(run.code, run.stderr).toBe(0);
    const answer = await s.gql<LineageQuery>(LINEAGE, lineageVars([s.seed.artifacts[1].examples!], 'DOWNSTREAM', { maxHops: 4 }));
    expect(answer.lineage.nodes.map((n) => n.artifact?.name)).toContain(EVIL);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^│ DISTANCE │ KIND +│ TYPE +│ NAME +│ MLMD ID │ STATE +│ ID +│$/);
    // Every line inside the box is the header or one node: no name broke a row into several.
    expect(lines.filter((l) => l.startsWith('│'))).toHaveLength(1 + answer.lineage.nodes.length);
    const rows = lines.filter((l) => /^│ \d/.test(l));
    expect(rows).toHaveLength(answer.lineage.nodes.length);
    expect(run.stdout).toContain('evil" ] n1 -> n2 [label="x\\n--> n1\\n</text><script>alert(1)</script>\\x1b[31m|red|');
    answer.lineage.nodes.forEach((n, i) => {
      expect(rows[i]).toContain(n.id);
      expect(rows[i]).toMatch(new RegExp(`^│ ${n.distance} +│ ${n.kind.toLowerCase()} `));
    });
    expect(run.stdout).not.toContain('\u001b');
  }, 120_000);

  it('prints the server\'s DOT and Mermaid, and an SVG drawn from the DOT with one node per lineage node, for hostile names too', async () => {
    const evil = await putEvil();
    const start = s.seed.artifacts[1].examples!;
    const answer = await s.gql<LineageQuery>(LINEAGE, lineageVars([start], 'DOWNSTREAM', { withDot: true, withMermaid: true, maxHops: 4 }));
    expect(answer.lineage.nodes.map((n) => n.id)).toContain(evil);
    const args = ['lineage', start, '--down', '--hops', '4', '--format'];

    const dot = await s.journey([...args, 'dot']);
    expect(dot.code, dot.stderr).toBe(0);
    expect(dot.stdout).toBe(answer.lineage.dot);
    const mermaid = await s.journey([...args, 'mermaid']);
    expect(mermaid.code, mermaid.stderr).toBe(0);
    expect(mermaid.stdout).toBe(answer.lineage.mermaid);
    // Every Mermaid line is a node, an edge between two made-up ids, or the start class: no name made a statement.
    const statements = mermaid.stdout.trimEnd().split('\n').slice(1);
    for (const line of statements) expect(line).toMatch(/^ {2}(n\d+(\["[^"\n]*"\]|\(\["[^"\n]*"\]\))|n\d+ (-->|-\.->\|\w+\|) n\d+|classDef start stroke-width:3px|class [n\d,]+ start)$/);
    expect(statements.filter((l) => l.includes('-->'))).toHaveLength(answer.lineage.edges.length);

    const svg = await s.journey([...args, 'svg']);
    expect(svg.code, svg.stderr).toBe(0);
    const doc = await parseSvg(svg.stdout);
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.documentElement.tagName).toBe('svg');
    const nodes = [...doc.querySelectorAll('g.node')];
    expect(nodes).toHaveLength(answer.lineage.nodes.length);
    expect(doc.querySelectorAll('g.edge')).toHaveLength(answer.lineage.edges.length);
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    expect(doc.getElementsByTagName('img')).toHaveLength(0);
    // The names are there as text, whole: the hostile ones too (the DOT's line breaks become lines of text).
    const texts = nodes.map((g) => [...g.querySelectorAll('text')].map((t) => t.textContent).join('\n'));
    expect(texts).toContain(`Examples\n${HOSTILE_NAME}`);
    expect(texts).toContain(`Schema\n${EVIL.replace(/\u001b/, ' ')}`);
  }, 180_000);

  it('prints the path as JSON equal to the GraphQL answer, with the nodes along it; as a table, CSV and markdown', async () => {
    const [from, to] = [s.seed.raw, s.seed.artifacts[0].pushed!];
    const run = await s.journey(['path', 'ExternalArtifact/raw-span-1', 'PushedModel/pushed-model-1']);
    expect(run.code, run.stderr).toBe(0);
    const answer = await s.gql<PathQuery>(PATH, { from, to, maxHops: null });
    const printed = JSON.parse(run.stdout) as { path: PathQuery['path']; nodes: { id: string; name: string }[] };
    expect(printed.path).toEqual(answer.path);
    // The shortest chain (6 events) goes through the evaluation, not the model (8): raw → ExampleGen-1 → examples-1 → Evaluator-1 → evaluation-1 → Pusher-1 → pushed-model-1.
    expect(printed.nodes.map((n) => n.name)).toEqual(['raw-span-1', 'ExampleGen-1', 'examples-1', 'Evaluator-1', 'evaluation-1', 'Pusher-1', 'pushed-model-1']);
    expect(printed.nodes.map((n) => n.id)).toEqual([answer.path![0]!.source, ...answer.path!.map((e) => e.target)]);

    const table = await s.journey(['path', 'ExternalArtifact/raw-span-1', 'PushedModel/pushed-model-1', '--format', 'table']);
    expect(table.stdout.split('\n').filter((l) => /^│ \d/.test(l))).toHaveLength(7);
    const csv = await s.journey(['path', 'ExternalArtifact/raw-span-1', 'PushedModel/pushed-model-1', '--format', 'csv']);
    const csvLines = csv.stdout.trimEnd().split('\n');
    expect(csvLines[0]).toBe('STEP,EVENT,KIND,TYPE,NAME,MLMD ID,ID');
    expect(csvLines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(printed.nodes.map((n, i) => `${i},${i === 0 ? '' : answer.path![i - 1]!.type},${i % 2 === 0 ? 'artifact' : 'execution'}`));
    const markdown = await s.journey(['path', 'ExternalArtifact/raw-span-1', 'PushedModel/pushed-model-1', '--format', 'markdown']);
    expect(markdown.stdout.split('\n').slice(0, 3)).toEqual(['| STEP | EVENT | KIND | TYPE | NAME | MLMD ID | ID |', '| --- | --- | --- | --- | --- | --- | --- |', expect.stringMatching(/^\| 0 \| - \| artifact \| ExternalArtifact \| raw-span-1 \| \d+ \| [0-9a-f-]+ \|$/)]);
  }, 180_000);

  it('says there is no path on one line, with exit code 7, JSON still printed when piped; the same node is a path of no events', async () => {
    const back = await s.journey(['path', 'PushedModel/pushed-model-1', 'ExternalArtifact/raw-span-1']);
    expect({ code: back.code, stderr: back.stderr, stdout: JSON.parse(back.stdout) }).toEqual({
      code: EXIT.NO_PATH, stderr: 'journey: no path from "PushedModel/pushed-model-1" to "ExternalArtifact/raw-span-1"\n', stdout: { path: null, nodes: [] },
    });
    const short = await s.journey(['path', 'ExternalArtifact/raw-span-1', 'PushedModel/pushed-model-1', '--hops', '3', '--format', 'table']);
    expect({ code: short.code, stderr: short.stderr, stdout: short.stdout }).toEqual({
      code: EXIT.NO_PATH, stderr: 'journey: no path from "ExternalArtifact/raw-span-1" to "PushedModel/pushed-model-1" within 3 hops\n', stdout: '',
    });
    const same = await s.journey(['path', 'Model/taxi-model-1', `artifact:${await mlmdIdOf(s.seed.artifacts[0].model!)}`]);
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toEqual({ path: [], nodes: [expect.objectContaining({ id: s.seed.artifacts[0].model, name: 'taxi-model-1', kind: 'artifact', type: 'Model' })] });
    const bad = await s.journey(['path', 'Model/taxi-model-1', 'Model/taxi-model-2', '--hops', '101']);
    expect({ code: bad.code, lines: bad.stderr.split('\n').length }).toEqual({ code: EXIT.FAILED, lines: 2 });
    expect(bad.stderr).toMatch(/^journey: BAD_USER_INPUT: maxHops /);
  }, 180_000);

  let evilId: Promise<string> | undefined;
  /** Once per backend: an artifact named EVIL, written by a Notebook run (itself hostile-named) that read the seed's hostile artifact. */
  function putEvil(): Promise<string> {
    evilId ??= s.gql<{ putLineageSubgraph: { artifacts: { id: string }[] } }>(
      'mutation($a: [ArtifactInput!]!, $x: [ExecutionInput!]!) { putLineageSubgraph(input: { artifacts: $a, executions: $x, events: [{ artifactIndex: 0, executionIndex: 0, type: INPUT }, { artifactIndex: 1, executionIndex: 0, type: OUTPUT }] }) { artifacts { id } } }',
      { a: [{ id: s.seed.hostile, type: 'Examples', name: HOSTILE_NAME }, { type: 'Schema', name: EVIL }], x: [{ type: 'Notebook', name: '"); DROP --> n9' }] },
    ).then((d) => d.putLineageSubgraph.artifacts[1]!.id);
    return evilId;
  }

  async function mlmdIdOf(id: string): Promise<number> {
    return (await s.gql<{ node: { mlmdId: number } }>('query($id: ID!) { node(id: $id) { mlmdId } }', { id })).node.mlmdId;
  }

  it('names a dataset version posted by an OpenLineage client as Type/<namespace>/<name>@<version>', async () => {
    // The intake names a version's artifact `<namespace>/<name>@<version>`, so the reference's name part (all after the first /) holds the @ and the version.
    const event = (eventType: string, minute: number) => ({
      eventType, eventTime: new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString(), producer: 'https://example.com/cli-test',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '0190a8c2-fe01-7439-87e6-56a1a1b4c11a', facets: {} }, job: { namespace: 'spark', name: 'orders_daily', facets: {} },
      inputs: [{ namespace: 's3://lake', name: 'raw/orders', facets: { version: { _producer: 'https://example.com/cli-test', _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json', datasetVersion: 'v@7' } } }],
      outputs: [{ namespace: 's3://lake', name: 'clean/orders', facets: { version: { _producer: 'https://example.com/cli-test', _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json', datasetVersion: '2026-03-01' } } }],
    });
    for (const e of [event('START', 0), event('COMPLETE', 1)]) {
      const res = await fetch(`${s.t.origin}/api/v1/lineage`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${s.adminKey}` }, body: JSON.stringify(e) });
      expect(res.ok, await res.text()).toBe(true);
    }
    const run = await s.journey(['lineage', 'openlineage.DatasetVersion/s3://lake/clean/orders@2026-03-01', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const names = (JSON.parse(run.stdout) as LineageQuery).lineage.nodes.map((n) => n.artifact?.name ?? n.execution?.name);
    expect(names).toEqual(expect.arrayContaining(['s3://lake/clean/orders@2026-03-01', 's3://lake/raw/orders@v@7']));
    const unknown = await s.journey(['lineage', 'openlineage.DatasetVersion/s3://lake/clean/orders@2026-03-02']);
    expect([unknown.code, unknown.stderr.split('\n').length]).toEqual([EXIT.UNKNOWN_NODE, 2]);
    expect(unknown.stderr).toContain('s3://lake/clean/orders@2026-03-02');
  });
});

/** Orders names by the ids their nodes have in `answer` (the server's tie order at one distance). */
function byIdOf(answer: LineageQuery): (a: string, b: string) => number {
  const idOf = (name: string): string => answer.lineage.nodes.find((n) => (n.artifact ?? n.execution)!.name === name)!.id;
  return (a, b) => (idOf(a) < idOf(b) ? -1 : 1);
}
