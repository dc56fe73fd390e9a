/**
 * Query limits (graphql-armor), body size, introspection and GraphiQL switches, and the
 * configuration that sets them. Every refused operation must reach no graph method of
 * the store: only authentication's key look-up runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/server/limits.js';
import { createMetadataService } from '../../src/service/metadata/metadata-service.js';
import { countingStore, onlyError, putCommonTypes, type CountingStore } from '../api/harness.js';
import { BACKENDS, useService } from '../support/backends.js';
import { startSecureServer, type TestServer } from './security-harness.js';

/** Graph methods called (authentication's key look-ups aside). */
const graphCalls = (counting: CountingStore): string[] => counting.calls.filter((c) => !/ApiKeys$/.test(c));

describe.each(BACKENDS)('query limits ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer | undefined;
  let counting: CountingStore;
  afterEach(async () => { await t?.close(); t = undefined; });

  const start = async (security = {}): Promise<TestServer> => {
    counting = countingStore(h.store);
    t = await startSecureServer(createMetadataService(counting.store), { security });
    return t;
  };

  /** Sends `query`, expecting one BAD_USER_INPUT error with `message` and no graph call. */
  async function refused(query: string, message: string): Promise<void> {
    counting.reset();
    const res = await t!.gql(query);
    expect(onlyError(res)).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    expect(res.data).toBeUndefined();
    expect(graphCalls(counting)).toEqual([]);
  }

  /** Sends `query` with `variables`, expecting one BAD_USER_INPUT error matching `message` and no graph call. */
  async function refusedWith(query: string, variables: Record<string, unknown>, message: RegExp): Promise<void> {
    counting.reset();
    const res = await t!.gql(query, variables);
    expect(onlyError(res).message, query).toMatch(message);
    expect(onlyError(res).extensions, query).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(res.data, query).toBeUndefined();
    expect(graphCalls(counting), query).toEqual([]);
  }

  it('refuses too many aliases, directives, too much cost or depth, before any store call', async () => {
    await start();
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: artifactTypes { id }`).join(' ')} }`;
    expect((await t!.gql(aliases(30))).errors).toBeUndefined();
    await refused(aliases(31), 'Aliases limit of 30 exceeded, found 31.');

    const directives = (n: number) => `{ artifactTypes { ${Array.from({ length: n }, (_, i) => `f${i}: id @include(if: true)`).join(' ')} } }`;
    expect((await t!.gql(directives(20))).errors).toBeUndefined();
    await refused(directives(21), 'Directives limit of 20 exceeded, found 21.');

    const costly = '{ artifacts(first: 1000) { nodes { producedBy { inputs { artifact { producedBy { inputs { artifact { id name uri } } } } } } } } }';
    await refused(costly, 'Query Cost limit of 20000 exceeded, found 45897.62.');

    let deep = 'id';
    for (let i = 0; i < 10; i++) deep = `inputs { artifact { producedBy { ${deep} } } }`;
    await refused(`{ executions { nodes { ${deep} } } }`, 'Query depth limit of 25 exceeded, found 33.');
  });

  it('prices pages by the `first` they will really run with: variables, aliases, fragments and defaults', async () => {
    await start();
    const cost = /^Query Cost limit of 20000 exceeded, found [\d.]+\.$/;
    // One context of 1,000 artifacts would make this ~10^9 nodes; a literal 1000 was always refused.
    const nested = `query N($n: Int) { contexts(first: $n) { nodes { artifacts(first: $n) { nodes { contexts {
      artifacts(first: $n) { nodes { contexts { artifacts(first: $n) { nodes { id } } } } } } } } } } }`;
    await refusedWith(nested, { n: 1000 }, cost);
    await refusedWith('query A($n: Int) { a: artifacts(first: $n) { nodes { producedBy { inputs { artifact { producedBy { inputs { artifact { id name uri } } } } } } } } }', { n: 1000 }, cost);
    await refusedWith(`query F($n: Int) { artifacts(first: $n) { ...Page } }
      fragment Page on ArtifactConnection { nodes { producedBy { inputs { artifact { producedBy { inputs { artifact { id name uri } } } } } } } }`, { n: 1000 }, cost);
    // Context.artifacts has no default in the schema: the service's 100 applies, and is priced.
    await refusedWith('{ contexts { nodes { artifacts { nodes { contexts { artifacts { nodes { contexts { artifacts { nodes { id } } } } } } } } } } }', {}, cost);
    // The same shapes with small pages run.
    expect((await t!.gql(nested, { n: 2 })).errors).toBeUndefined();
  });

  it('prices each named fragment once: fragments spreading the next one twice, twenty-four deep, answer at once', async () => {
    // A depth limit this high lets the fragments through to the cost estimate.
    await start({ queryLimits: { ...DEFAULT_QUERY_LIMITS, maxDepth: 1000 } });
    const bomb = Array.from({ length: 24 }, (_, i) => `fragment F${i} on Artifact { ${i === 23 ? 'id' : `...F${i + 1} ...F${i + 1}`} }`).join(' ');
    const started = performance.now();
    await refusedWith(`{ artifacts(first: 1) { nodes { ...F0 } } } ${bomb}`, {}, /^Query Cost limit of 20000 exceeded, found [\d.]+\.$/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses an argument out of range anywhere in the operation before any field runs: a mutation commits nothing', async () => {
    await start();
    await putCommonTypes(t!);
    const put = 'putArtifacts(artifacts: [{ type: "DataSet", name: "a1" }])';
    const cases: [string, Record<string, unknown>, string, string][] = [
      [`mutation { ${put} { id upstream(maxNodes: 0) { truncated } } }`, {}, 'maxNodes', 'maxNodes must be an integer from 1 to 100000, got 0'],
      [`mutation M($m: Int) { ${put} { id x: downstream(maxNodes: $m) { truncated } } }`, { m: 0 }, 'maxNodes', 'maxNodes must be an integer from 1 to 100000, got 0'],
      [`mutation M($h: Int) { ${put} { id ...Up } } fragment Up on Artifact { upstream(maxHops: $h) { truncated } }`, { h: 101 }, 'maxHops', 'maxHops must be an integer from 0 to 100, got 101'],
      [`mutation M($f: Int) { ${put} { contexts { artifacts(first: $f) { totalCount } } } }`, { f: 1001 }, 'first', 'first must be an integer from 1 to 1000, got 1001'],
      ['query Q($f: Int) { ok: artifactTypes { id } contexts { nodes { executions(first: $f) { totalCount } } } }', { f: 0 }, 'first', 'first must be an integer from 1 to 1000, got 0'],
    ];
    for (const [query, variables, field, message] of cases) {
      counting.reset();
      const res = await t!.gql(query, variables);
      expect(onlyError(res), query).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', field } });
      expect(res.data, query).toBeUndefined();
      expect(graphCalls(counting), query).toEqual([]);
    }
    expect((await t!.data('{ artifacts { totalCount } }')).artifacts.totalCount).toBe(0);
  });

  it('refuses a document of too many tokens while parsing, before any store call', async () => {
    await start();
    counting.reset();
    const res = await t!.gql(`{ artifactTypes { ${'id '.repeat(2_000)} } }`);
    expect(onlyError(res)).toEqual({ message: 'Syntax Error: Token limit of 2000 exceeded.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(graphCalls(counting)).toEqual([]);
  });

  it('takes its limits from the server options', async () => {
    await start({ queryLimits: { ...DEFAULT_QUERY_LIMITS, maxAliases: 1, maxDepth: 2 } });
    await refused('{ a: artifactTypes { id } b: artifactTypes { id } }', 'Aliases limit of 1 exceeded, found 2.');
    await refused('{ artifacts { nodes { id } } }', 'Query depth limit of 2 exceeded, found 3.');
  });

  it('refuses a body over the size limit with 413, whether it states its length or streams it', async () => {
    await start({ maxBodyBytes: 4096 });
    await putCommonTypes(t!);
    counting.reset();
    const big = JSON.stringify({ query: 'mutation P($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }',
      variables: { a: Array.from({ length: 200 }, (_, i) => ({ type: 'DataSet', name: `n${i}` })) } });
    const stated = await fetch(t!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(stated.status).toBe(413);
    const bytes = new TextEncoder().encode(big);
    const streamed = await fetch(t!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({ start(c) { for (let i = 0; i < bytes.length; i += 1000) c.enqueue(bytes.slice(i, i + 1000)); c.close(); } }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] });
    expect(graphCalls(counting)).toEqual([]);
    expect((await t!.data('{ artifacts { totalCount } }')).artifacts.totalCount).toBe(0);
  });

  it('can turn introspection, field suggestions and GraphiQL off', async () => {
    await start({ introspection: false, graphiql: false });
    const introspection = (await t!.gql('{ __schema { types { name } } }')).errors![0]!;
    expect(introspection.message).toBe('GraphQL introspection has been disabled, but the requested query contained the field "__schema".');
    expect((await t!.gql('{ __type(name: "Artifact") { name } }')).errors).toHaveLength(1);
    expect(await t!.data('{ __typename }')).toEqual({ __typename: 'Query' });
    const typo = onlyError(await t!.gql('{ artifactTypez { id } }'));
    expect(typo.message).toBe('Cannot query field "artifactTypez" on type "Query". [Suggestion hidden]');
    const page = await fetch(t!.url, { headers: { accept: 'text/html' } });
    expect((await page.text()).toLowerCase()).not.toContain('graphiql');
  });

  it('suggests field names when introspection is on', async () => {
    await start();
    expect(onlyError(await t!.gql('{ artifactTypez { id } }')).message).toBe('Cannot query field "artifactTypez" on type "Query". Did you mean "artifactType", "artifactTypes", "artifact", "artifactByName", or "artifacts"?');
  });
});

describe('the security configuration', () => {
  it('defaults to development settings, production hides the schema, and every limit is an env variable', () => {
    const dev = loadConfig({});
    expect(dev.security).toEqual({
      rateLimit: { perSecond: 100, burst: 200 },
      queryLimits: { maxDepth: 25, maxAliases: 30, maxDirectives: 20, maxTokens: 2000, maxCost: 20_000 },
      maxBodyBytes: 16 * 1024 * 1024,
      maxResponseBytes: 16 * 1024 * 1024,
      introspection: true,
      graphiql: true,
    });
    expect(dev.lineage).toEqual({ maxHopsCeiling: 100, maxNodesCeiling: 100_000, queryTimeoutMs: 30_000 });
    expect(dev.neo4j).toMatchObject({ transactionTimeoutMs: 30_000, maxRetryTimeMs: 30_000 });
    const prod = loadConfig({ NODE_ENV: 'production' });
    expect([prod.security.introspection, prod.security.graphiql]).toEqual([false, false]);
    expect(loadConfig({ NODE_ENV: 'production', JOURNEY_INTROSPECTION: 'true' }).security.introspection).toBe(true);

    const set = loadConfig({
      JOURNEY_RATE_LIMIT: '5', JOURNEY_RATE_BURST: '7', JOURNEY_MAX_DEPTH: '9', JOURNEY_MAX_ALIASES: '3', JOURNEY_MAX_DIRECTIVES: '2',
      JOURNEY_MAX_TOKENS: '500', JOURNEY_MAX_COST: '800', JOURNEY_MAX_BODY_BYTES: '65536', JOURNEY_MAX_RESPONSE_BYTES: '2048', JOURNEY_GRAPHIQL: 'false',
      JOURNEY_LINEAGE_MAX_HOPS: '10', JOURNEY_LINEAGE_MAX_NODES: '500', JOURNEY_QUERY_TIMEOUT_MS: '2500',
      JOURNEY_NEO4J_TX_TIMEOUT_MS: '4000', JOURNEY_NEO4J_RETRY_MS: '1500',
    });
    expect(set.security).toEqual({
      rateLimit: { perSecond: 5, burst: 7 },
      queryLimits: { maxDepth: 9, maxAliases: 3, maxDirectives: 2, maxTokens: 500, maxCost: 800 },
      maxBodyBytes: 65536,
      maxResponseBytes: 2048,
      introspection: true,
      graphiql: false,
    });
    expect(set.lineage).toEqual({ maxHopsCeiling: 10, maxNodesCeiling: 500, queryTimeoutMs: 2500 });
    expect(set.neo4j).toMatchObject({ transactionTimeoutMs: 4000, maxRetryTimeMs: 1500 });
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ JOURNEY_MAX_DEPTH: 'deep' })).toThrow('JOURNEY_MAX_DEPTH must be an integer from 1 to 1000, got "deep"');
    expect(() => loadConfig({ JOURNEY_RATE_BURST: '0' })).toThrow('JOURNEY_RATE_BURST must be an integer from 1 to 1000000000, got "0"');
    expect(() => loadConfig({ JOURNEY_INTROSPECTION: 'yes' })).toThrow('JOURNEY_INTROSPECTION must be true or false, got "yes"');
  });
});
