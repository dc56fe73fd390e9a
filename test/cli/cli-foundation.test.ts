/**
 * The command line's foundation against a real server, on every backend: node references
 * (ids, kind:mlmdId, Type/name, Type@version/name, hostile names) resolved in one request,
 * and the one-line errors with their exit codes: unknown node, unreachable server, wrong or
 * absent key, FORBIDDEN naming the role, usage mistakes; --help on the commands.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionOf } from '../../src/cli/client/connection.js';
import { createGraphQLClient } from '../../src/cli/client/graphql-client.js';
import { DEFAULT_ALIASES_PER_REQUEST, parseReference, referenceQueries, resolveReferences } from '../../src/cli/client/node-references.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/server/limits.js';
import { CliError, EXIT } from '../../src/cli/exit-codes.js';
import { BACKENDS } from '../support/backends.js';
import { runJourney, useCliServer } from './cli-server-harness.js';
import { closedPort } from '../support/closed-port.js';

/** Names a reference must survive: quotes, slashes, @ and unicode inside the name; a versioned type with @ and / in its name. */
const HOSTILE = ['a "quoted" \'name\'', 'gs://bucket/path/with/slashes', 'user@example.com@v2', 'naïve–ünï/cødé ✓ 模型', 'back\\slash', ' spaced ', '$n0 ) { x }'];

describe.each(BACKENDS)('node references ($name)', (backend) => {
  const s = useCliServer(backend);

  async function putHostile(): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    await s.gql('mutation { putArtifactType(input: { name: "Odd/Type@x", version: "1.0" }) { id } }');
    const put = await s.gql<{ putLineageSubgraph: { artifacts: { id: string }[] } }>(
      'mutation($a: [ArtifactInput!]!) { putLineageSubgraph(input: { artifacts: $a }) { artifacts { id } } }',
      { a: [...HOSTILE.map((name) => ({ type: 'Schema', name })), { type: 'Odd/Type@x', typeVersion: '1.0', name: 'v@1/x' }] },
    );
    put.putLineageSubgraph.artifacts.forEach((a, i) => { ids[i < HOSTILE.length ? HOSTILE[i]! : 'odd'] = a.id; });
    return ids;
  }

  it('resolves ids, kind:mlmdId, Type/name and Type@version/name, hostile names included, in as few requests as the alias limit allows', async () => {
    const ids = await putHostile();
    const model = s.seed.artifacts[0].model!;
    const { artifact } = await s.gql<{ artifact: { mlmdId: number } }>('query($id: ID!) { artifact(id: $id) { mlmdId } }', { id: model });
    const { execution } = await s.gql<{ execution: { mlmdId: number } }>('query($id: ID!) { execution(id: $id) { mlmdId } }', { id: s.seed.executions[0].Trainer });
    const client = createGraphQLClient(connectionOf({ url: s.t.url, key: s.adminKey }));
    const references = [
      model, `artifact:${artifact.mlmdId}`, `execution:${execution.mlmdId}`, 'Model/taxi-model-2', 'context:PipelineRun/taxi-run-1',
      ...HOSTILE.map((n) => `Schema/${n}`), 'Odd\\/Type\\@x@1.0/v@1/x',
    ];
    // 3 ids, 1 kind:Type/name and 9 Type/name asked as each of the 3 kinds: 31 looked-up fields, each
    // costing 2 aliases (its own and the fragment's contextName): 3 requests of at most 30 aliases.
    expect(referenceQueries(references.map(parseReference), ['artifact', 'execution', 'context']).map((q) => (q.query.match(/^  r\d+/gm) ?? []).length)).toEqual([13, 15, 3]);
    const before = s.t.logs.operations().length;
    const resolved = await resolveReferences(client, references);
    const operations = s.t.logs.operations().slice(before);
    expect(operations.map((o) => o.operationName)).toEqual(['ResolveNodes', 'ResolveNodes', 'ResolveNodes']);
    // Fifteen ids: one request.
    const again = s.t.logs.operations().length;
    await resolveReferences(client, Array.from({ length: 15 }, () => model));
    expect(s.t.logs.operations().length - again).toBe(1);
    expect(resolved.map((r) => [r.reference, r.kind, r.id])).toEqual([
      [model, 'artifact', model],
      [`artifact:${artifact.mlmdId}`, 'artifact', model],
      [`execution:${execution.mlmdId}`, 'execution', s.seed.executions[0].Trainer],
      ['Model/taxi-model-2', 'artifact', s.seed.artifacts[1].model],
      ['context:PipelineRun/taxi-run-1', 'context', s.seed.runs[0]],
      ...HOSTILE.map((n) => [`Schema/${n}`, 'artifact', ids[n]]),
      ['Odd\\/Type\\@x@1.0/v@1/x', 'artifact', ids.odd],
    ]);
    expect(resolved.at(-1)).toMatchObject({ typeName: 'Odd/Type@x', typeVersion: '1.0', name: 'v@1/x' });
    expect(resolved[5]).toMatchObject({ typeName: 'Schema', typeVersion: null, name: HOSTILE[0] });
    // No reference's text is part of the query's text: every value went as a variable.
    const logged = JSON.stringify(operations);
    for (const name of HOSTILE) expect(logged).not.toContain(JSON.stringify(name).slice(1, -1));
  }, 120_000);

  it('names an unknown reference on one line, with exit code 6, and never sends a malformed one', async () => {
    const cases: [string[], number, string][] = [
      [['lineage', 'Model/no-such-model'], EXIT.UNKNOWN_NODE, 'journey: unknown node "Model/no-such-model": no artifact or execution named "no-such-model" of the unversioned type "Model"'],
      [['lineage', 'artifact:999999'], EXIT.UNKNOWN_NODE, 'journey: unknown node "artifact:999999": no artifact has mlmdId 999999'],
      [['lineage', 'Model@9/taxi-model-1'], EXIT.UNKNOWN_NODE, 'journey: unknown node "Model@9/taxi-model-1": no artifact or execution named "taxi-model-1" of version "9" of type "Model"'],
      [['lineage', '0190b5c4-0000-7000-8000-000000000000'], EXIT.UNKNOWN_NODE, 'journey: unknown node "0190b5c4-0000-7000-8000-000000000000": no node has this id'],
      [['lineage', s.seed.runs[0]], EXIT.FAILED, `journey: node reference "${s.seed.runs[0]}" is a context; this command takes artifact or execution nodes`],
      [['lineage', '42'], EXIT.USAGE, 'journey: node reference "42": an mlmdId needs its kind, e.g. artifact:42, execution:42 or context:42 (see journey --help)'],
      [['lineage', 'Model/'], EXIT.USAGE, 'journey: node reference "Model/": the node name after / is empty (see journey --help)'],
      [['lineage', '/name'], EXIT.USAGE, 'journey: node reference "/name": the type name before / is empty (see journey --help)'],
    ];
    for (const [args, code, line] of cases) {
      const run = await s.journey(args);
      expect({ args, code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({ args, code, stderr: `${line}\n`, stdout: '' });
    }
  }, 120_000);

  it('refuses a wrong or absent key (exit 5) and names the role a FORBIDDEN field needs', async () => {
    const wrong = await s.journey(['lineage', 'Model/taxi-model-1'], { JOURNEY_API_KEY: 'djk_not-a-key' });
    expect(wrong.code).toBe(EXIT.NOT_ALLOWED);
    expect(wrong.stderr).toMatch(/^journey: the server refused the API key \(401 UNAUTHENTICATED\): [^\n]+; give a valid key with --key, --key-file or JOURNEY_API_KEY\n$/);
    expect(wrong.stderr).not.toContain('djk_not-a-key');
    const absent = await s.journey(['lineage', 'Model/taxi-model-1'], { JOURNEY_API_KEY: undefined });
    expect(absent.code).toBe(EXIT.NOT_ALLOWED);
    expect(absent.stderr.split('\n')).toHaveLength(2);
    // A viewer may read lineage, and the CLI says so...
    const viewer = await s.journey(['lineage', 'Model/taxi-model-1', '--format', 'json'], { JOURNEY_API_KEY: s.viewerKey });
    expect(viewer.code, viewer.stderr).toBe(0);
    // ...but not write: the client's line names the field and the roles that may.
    const client = createGraphQLClient(connectionOf({ url: s.t.url, key: s.viewerKey }));
    const refused = await client.requestText('mutation { deleteNodes(ids: []) }', {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CliError);
    expect({ message: (refused as CliError).message, code: (refused as CliError).exitCode }).toEqual({
      message: 'FORBIDDEN: Mutation.deleteNodes needs the editor or admin role; this request has viewer', code: EXIT.NOT_ALLOWED,
    });
  }, 120_000);

  it('reads the key from --key-file (its first line, as `journey keys create | tail -n 1 > file` writes it), and says when --url is not the GraphQL endpoint', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'journey-key-'));
    try {
      const file = path.join(dir, 'viewer.key');
      writeFileSync(file, `${s.viewerKey}\n`, { mode: 0o600 });
      const run = await s.journey(['lineage', 'Model/taxi-model-1', '--key-file', file], { JOURNEY_API_KEY: undefined });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).lineage.nodes[0].artifact.name).toBe('taxi-model-1');
      // The flag wins over the variable.
      const flagWins = await s.journey(['lineage', 'Model/taxi-model-1', '--key-file', file], { JOURNEY_API_KEY: 'djk_wrong' });
      expect(flagWins.code, flagWins.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const elsewhere = await s.journey(['lineage', 'Model/taxi-model-1', '--url', `${s.t.origin}/nope`]);
    expect({ code: elsewhere.code, stderr: elsewhere.stderr }).toEqual({
      code: EXIT.UNREACHABLE, stderr: `journey: the server at ${s.t.origin}/nope answered HTTP 404 without a GraphQL answer: is --url the server's /graphql endpoint?\n`,
    });
  }, 120_000);
});

describe('the command line without a server', () => {
  it('names the URL it could not reach, on one line, with exit code 4', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const run = await runJourney(['lineage', 'Model/m', '--url', url]);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: EXIT.UNREACHABLE, stdout: '' });
    expect(run.stderr).toBe(`journey: cannot reach the server at http://127.0.0.1:${port}/graphql (ECONNREFUSED): start it (npm start) or set --url / JOURNEY_URL\n`);
    const viaEnv = await runJourney(['path', 'Model/a', 'Model/b'], { JOURNEY_URL: `http://127.0.0.1:${port}/graphql` });
    expect(viaEnv.code).toBe(EXIT.UNREACHABLE);
    expect(viaEnv.stderr).toContain(`cannot reach the server at http://127.0.0.1:${port}/graphql`);
  }, 60_000);

  it('answers usage mistakes with one line and exit code 2, before any request', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const cases: [string[], string][] = [
      [['lineage'], "journey: missing required argument 'node' (see journey --help)"],
      [['lineage', 'Model/m', '--hops', 'many', '--url', url], 'journey: --hops must be a whole number of events (0 or more), got "many" (see journey --help)'],
      [['lineage', 'Model/m', '--format', 'pdf', '--url', url], "journey: option '--format <format>' argument 'pdf' is invalid. Allowed choices are table, json, dot, mermaid, svg. (see journey --help)"],
      [['lineage', 'Model/m', '--up', '--down', '--url', url], "journey: option '--up' cannot be used with option '--down' (see journey --help)"],
      [['lineage', 'Model/m', '--url', 'ftp://x/graphql'], 'journey: --url must be an http(s) URL such as http://127.0.0.1:4000/graphql, got a ftp: URL (see journey --help)'],
      [['lineage', 'Model/m', '--url', url, '--key', 'k', '--key-file', '/nonexistent'], 'journey: give --key or --key-file, not both (see journey --help)'],
      [['lineage', 'Model/m', '--url', url, '--key-file', '/nonexistent/key'], 'journey: --key-file /nonexistent/key: cannot read the file (ENOENT) (see journey --help)'],
      [['lineage', 'Model/m', '--url', `http://user:secret@127.0.0.1:${port}/graphql`], 'journey: --url must not hold a user name or password: give the API key with --key-file or JOURNEY_API_KEY (see journey --help)'],
      [['path', 'Model/a'], "journey: missing required argument 'to' (see journey --help)"],
      [['lineage', 'Model/m', '--bogus'], "journey: unknown option '--bogus' (see journey --help)"],
    ];
    for (const [args, line] of cases) {
      const run = await runJourney(args);
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: EXIT.USAGE, stderr: `${line}\n` });
    }
  }, 60_000);

  it('shows --help for every command, with exit code 0, and lists every command and exit code', async () => {
    const top = await runJourney(['--help']);
    expect(top.code).toBe(0);
    for (const text of ['lineage [options] <node...>', 'path [options] <from> <to>', 'keys', 'import', 'export', 'migrate', 'backup', 'JOURNEY_URL', 'JOURNEY_API_KEY', '7  no path']) {
      expect(top.stdout).toContain(text);
    }
    for (const [command, text] of [['lineage', '--down'], ['path', '--hops <n>']] as const) {
      for (const args of [[command, '--help'], ['help', command]]) {
        const run = await runJourney(args);
        expect({ args, code: run.code }).toEqual({ args, code: 0 });
        expect(run.stdout).toContain(`Usage: journey ${command} [options]`);
        expect(run.stdout).toContain(text);
        expect(run.stdout).toContain('--key-file <file>');
      }
    }
  }, 60_000);
});

describe('node reference syntax', () => {
  it("sends at most the server's default alias limit per request", () => {
    expect(DEFAULT_ALIASES_PER_REQUEST).toBe(DEFAULT_QUERY_LIMITS.maxAliases);
  });

  it('splits at the first unescaped slash, takes the version from the type part, and unescapes only there', () => {
    expect(parseReference('Model/a/b@c')).toEqual({ by: 'name', text: 'Model/a/b@c', kind: null, type: 'Model', typeVersion: null, name: 'a/b@c' });
    expect(parseReference('Model@2/x')).toMatchObject({ type: 'Model', typeVersion: '2', name: 'x' });
    expect(parseReference('a\\@b\\/c/n\\x')).toMatchObject({ type: 'a@b/c', typeVersion: null, name: 'n\\x' });
    expect(parseReference('\\artifact:x/n')).toMatchObject({ kind: null, type: 'artifact:x', name: 'n' });
    expect(parseReference('context:Run/r')).toMatchObject({ kind: 'context', type: 'Run', name: 'r' });
    expect(parseReference('execution:12')).toEqual({ by: 'mlmdId', text: 'execution:12', kind: 'execution', mlmdId: '12' });
    expect(parseReference('0190b5c4-0000-7000-8000-000000000000')).toMatchObject({ by: 'id', kind: null });
    expect(() => parseReference('artifact:9007199254740993')).toThrow('an mlmdId is a whole number from 1 to 2^53-1');
    expect(() => parseReference('')).toThrow('a node reference is empty');
    expect(() => parseReference('Model@/x')).toThrow('the type version after @ is empty');
  });
});
