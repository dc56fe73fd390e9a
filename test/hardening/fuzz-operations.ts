/**
 * fast-check generators of GraphQL requests for the fuzz test: well-formed operations
 * whose names, property keys, ids and values are hostile (Cypher and SQL fragments, odd
 * and huge unicode, prototype keys), and malformed ones (wrong types, syntax garbage,
 * broken or duplicate-keyed JSON, deep nesting, oversized bodies, wrong methods).
 * Every request is kept as the exact bytes sent, so a write can be replayed as it was.
 * No operation refers to an id a server made, so a replay on another store means the same.
 */
import fc from 'fast-check';

export interface FuzzRequest {
  /** What it is, for failure reports. */
  label: string;
  method: 'POST' | 'GET';
  contentType: string;
  /** The body exactly as sent (POST), or the query string (GET). */
  body: string;
  /** Whether it can write: only then is it replayed when it succeeds. */
  mutation: boolean;
}

/** Text that has broken query builders and parsers elsewhere. */
export const HOSTILE_TEXT = [
  "x'); DROP TABLE nodes;--", '" OR 1=1 --', "' OR '1'='1", '`n`) DETACH DELETE n //', 'MATCH (n) DETACH DELETE n',
  '}) RETURN n UNION MATCH (m) RETURN m //', '$id', '${ids}', ':kind', '?1', '\\', '\\u0000', '\u0000', '%00%25',
  'a\u202Eb', '\u200B', '\uFEFF', '\uD800', '\uDFFF', 'é', 'e\u0301', '🚀👩‍👩‍👧', 'Ω≈ç√∫', '<script>alert(1)</script>',
  '../../etc/passwd', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'prop.x', 'custom.y',
  'propStruct.z', 'NaN', 'null', 'undefined', 'true', '0', '-1', '1e309', ' ', '',
];

/** Type names shared by many requests, so that later requests meet what earlier ones made. */
const TYPE_POOL = ['Data', 'Model', 'Step', 'Run', HOSTILE_TEXT[0]!, HOSTILE_TEXT[3]!];

const hostile = fc.constantFrom(...HOSTILE_TEXT);
/** Short names: a pool hit, hostile text, random (any code unit, lone surrogates included), or a mix. */
export const nameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'c', 'n1', 'n2') },
  { weight: 3, arbitrary: hostile },
  { weight: 2, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.tuple(hostile, fc.string({ maxLength: 4 })).map(([h, s]) => `${h}${s}`) },
);
const typeNameArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TYPE_POOL) }, { weight: 1, arbitrary: nameArb });
/** Rarely, a name far beyond any limit. */
const maybeHugeName = fc.oneof({ weight: 12, arbitrary: nameArb }, { weight: 1, arbitrary: fc.constantFrom('x'.repeat(300), '🚀'.repeat(5_000)) });

const scalarArb = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), nameArb, fc.constant(null));
const jsonArb = fc.jsonValue({ maxDepth: 3 });
const customPropsArb = fc.dictionary(nameArb, fc.oneof(jsonArb, scalarArb), { maxKeys: 3 });
/** Typed properties: mostly of the kinds the prelude declares (rows INT, lr DOUBLE, note STRING), sometimes not. */
const typedPropsArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ rows: fc.integer(), lr: fc.double({ noNaN: true, noDefaultInfinity: true }), note: nameArb }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('rows', 'lr', 'note', 'x'), scalarArb, { maxKeys: 2 }) },
);
const propertyDefsArb = fc.array(fc.record({ name: fc.oneof(fc.constantFrom('rows', 'lr', 'note'), nameArb), type: fc.constantFrom('INT', 'DOUBLE', 'STRING', 'BOOLEAN', 'STRUCT') }), { maxLength: 3 });

const json = (query: string, variables?: unknown): string => JSON.stringify(variables === undefined ? { query } : { query, variables });
const post = (label: string, body: string, mutation: boolean, contentType = 'application/json'): FuzzRequest =>
  ({ label, method: 'POST', contentType, body, mutation });

const TYPE_MUTATION = { ARTIFACT: 'putArtifactType', EXECUTION: 'putExecutionType', CONTEXT: 'putContextType' } as const;
const TYPE_INPUT = { ARTIFACT: 'ArtifactTypeInput', EXECUTION: 'ExecutionTypeInput', CONTEXT: 'ContextTypeInput' } as const;

const putType = fc.record({
  kind: fc.constantFrom('ARTIFACT', 'EXECUTION', 'CONTEXT') as fc.Arbitrary<'ARTIFACT' | 'EXECUTION' | 'CONTEXT'>,
  name: fc.oneof(typeNameArb, maybeHugeName),
  version: fc.option(nameArb, { nil: undefined }),
  properties: propertyDefsArb,
  canAddFields: fc.boolean(),
}).map(({ kind, name, version, properties, canAddFields }) => post(`${TYPE_MUTATION[kind]} ${JSON.stringify(name).slice(0, 40)}`, json(
  `mutation T($i: ${TYPE_INPUT[kind]}!, $add: Boolean) { ${TYPE_MUTATION[kind]}(input: $i, canAddFields: $add) { id name } }`,
  { i: { name, ...(version === undefined ? {} : { version }), properties }, add: canAddFields },
), true));

const nodeInput = fc.record({
  type: typeNameArb,
  name: maybeHugeName,
  uri: fc.option(nameArb, { nil: undefined }),
  externalId: fc.option(nameArb, { nil: undefined }),
  properties: fc.option(typedPropsArb, { nil: undefined }),
  customProperties: fc.option(customPropsArb, { nil: undefined }),
});

const putArtifacts = fc.array(nodeInput, { minLength: 1, maxLength: 3 }).map((items) => post('putArtifacts', json(
  'mutation P($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id name } }', { a: items },
), true));

const putContexts = fc.array(nodeInput.map(({ uri: _uri, ...rest }) => rest), { minLength: 1, maxLength: 3 }).map((items) => post('putContexts', json(
  'mutation P($c: [ContextInput!]!) { putContexts(contexts: $c) { id name } }', { c: items },
), true));

const recordExecution = fc.record({
  execution: nodeInput.map(({ uri: _uri, ...rest }) => rest),
  inputs: fc.array(nodeInput, { maxLength: 2 }),
  outputs: fc.array(nodeInput, { maxLength: 2 }),
  contexts: fc.array(nodeInput.map(({ uri: _uri, ...rest }) => rest), { maxLength: 1 }),
}).map((r) => post('recordExecution', json(
  'mutation R($in: RecordExecutionInput!) { recordExecution(input: $in) { execution { id } outputs { id } } }',
  { in: { execution: r.execution, inputs: r.inputs.map((artifact) => ({ artifact })), outputs: r.outputs.map((artifact) => ({ artifact })), contexts: r.contexts } },
), true));

const subgraph = fc.record({
  artifacts: fc.array(nodeInput, { maxLength: 3 }),
  executions: fc.array(nodeInput.map(({ uri: _uri, ...rest }) => rest), { maxLength: 2 }),
  events: fc.array(fc.record({ artifactIndex: fc.integer({ min: -1, max: 3 }), executionIndex: fc.integer({ min: -1, max: 2 }), type: fc.constantFrom('INPUT', 'OUTPUT', 'DECLARED_OUTPUT') }), { maxLength: 3 }),
}).map((s) => post('putLineageSubgraph', json(
  'mutation S($in: LineageSubgraphInput!) { putLineageSubgraph(input: $in) { artifacts { id } executions { id } } }', { in: s },
), true));

const idsArb = fc.array(fc.oneof(nameArb, fc.uuid()), { minLength: 1, maxLength: 3 });
const deleteNodes = idsArb.map((ids) => post('deleteNodes', json('mutation D($ids: [ID!]!) { deleteNodes(ids: $ids) }', { ids }), true));
const putEvents = fc.record({ a: nameArb, x: nameArb }).map(({ a, x }) => post('putEvents', json(
  'mutation E($e: [EventInput!]!) { putEvents(events: $e) { type } }', { e: [{ artifactId: a, executionId: x, type: 'INPUT' }] },
), true));

const reads = fc.oneof(
  idsArb.map((ids) => post('lineage', json('query L($s: [ID!]!) { lineage(start: $s, maxHops: 3) { nodes { id } } }', { s: ids }), false)),
  fc.record({ name: nameArb, value: scalarArb }).map(({ name, value }) => post('artifacts filter', json(
    'query F($p: [PropertyPredicate!]) { artifacts(filter: { properties: $p }) { totalCount nodes { id name } } }',
    { p: [{ name, custom: true, eq: value }] },
  ), false)),
  fc.record({ type: typeNameArb, name: nameArb }).map(({ type, name }) => post('artifactByName', json(
    'query B($t: String!, $n: String!) { artifactByName(type: $t, name: $n) { id properties customProperties } }', { t: type, n: name },
  ), false)),
  fc.record({ after: nameArb, first: fc.integer({ min: -5, max: 2_000 }) }).map(({ after, first }) => post('page', json(
    'query P($a: String, $f: Int) { executions(first: $f, after: $a) { nodes { id } } }', { a: after, f: first },
  ), false)),
);

/** Inline literals: names and JSON written into the query text itself, escaped as GraphQL strings. */
const inline = fc.record({ name: nameArb, key: fc.constantFrom('__proto__', 'constructor', 'a', 'x y'), value: nameArb }).map(({ name, key, value }) => {
  const field = /^[_A-Za-z][_0-9A-Za-z]*$/.test(key) ? key : 'k';
  return post('inline literals', json(
    `mutation { putContexts(contexts: [{ type: "Run", name: ${JSON.stringify(name)}, customProperties: { ${field}: { v: ${JSON.stringify(value)} } } }]) { id } }`,
  ), true);
});

/** Requests no well-behaved client sends. */
const malformed = fc.oneof(
  fc.string({ maxLength: 40 }).map((q) => post('garbage query', json(q), true)),
  fc.string({ unit: 'binary', maxLength: 40 }).map((b) => post('garbage body', b, true)),
  fc.constantFrom('{', '[]', 'null', '"x"', '1', '{"query": 1}', '{"query": null}', '{"query": "{ __typename }", "variables": "x"}',
    '{"query": "{ __typename }", "operationName": 5}', '{"query": "query A { __typename } query B { __typename }"}',
    '{"query": "{ __typename }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "x"}}}').map((b) => post('bad JSON shape', b, true)),
  // Duplicate keys: JSON.parse keeps the last, and so must the server, consistently.
  fc.record({ first: nameArb, second: nameArb }).map(({ first, second }) => post('duplicate keys',
    `{"query": "{ __typename }", "query": "mutation P($c: [ContextInput!]!) { putContexts(contexts: $c) { id } }", "variables": {"c": [{"type": "Run", "name": ${JSON.stringify(first)}, "name": ${JSON.stringify(second)}}]}}`, true)),
  // Wrong variable types.
  fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.object({ maxDepth: 1 }))
    .map((v) => post('wrong variable type', json('mutation P($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }', { a: v }), true)),
  fc.record({ name: fc.integer(), type: fc.boolean() }).map((v) => post('wrong field types', json('mutation P($a: [ArtifactInput!]!) { putArtifacts(artifacts: $a) { id } }', { a: [v] }), true)),
  // Deep nesting: of the selection, and of a JSON value.
  fc.integer({ min: 26, max: 80 }).map((depth) => {
    let inner = 'id';
    for (let i = 0; i < depth; i++) inner = `inputs { artifact { producedBy { ${inner} } } }`;
    return post(`selection ${depth * 3} deep`, json(`{ executions { nodes { ${inner} } } }`), false);
  }),
  fc.constantFrom(70, 5_000, 100_000).map((depth) => post(`JSON ${depth} deep`,
    `{"query": "mutation P($c: [ContextInput!]!) { putContexts(contexts: $c) { id } }", "variables": {"c": [{"type": "Run", "name": "deep", "customProperties": {"v": ${'['.repeat(depth)}${']'.repeat(depth)}}}]}}`, true)),
  // Too big: over the fuzz server's body limit, and a huge value under it.
  fc.constant(post('oversized body', json('{ __typename }', { pad: 'x'.repeat(300_000) }), true)),
  fc.constant(post('huge property', json('mutation P($c: [ContextInput!]!) { putContexts(contexts: $c) { id } }', { c: [{ type: 'Run', name: 'big', customProperties: { k: 'y'.repeat(200_000) } }] }), true)),
  fc.integer({ min: 31, max: 200 }).map((n) => post(`${n} aliases`, json(`mutation { ${Array.from({ length: n }, (_, i) => `a${i}: deleteNodes(ids: ["x"])`).join(' ')} }`), true)),
  // Wrong media type and method.
  fc.constant(post('form body', 'query=mutation%20%7B%20deleteNodes(ids%3A%5B%22x%22%5D)%20%7D', true, 'application/x-www-form-urlencoded')),
  fc.constant<FuzzRequest>({ label: 'mutation by GET', method: 'GET', contentType: '', body: `query=${encodeURIComponent('mutation { putContexts(contexts: [{ type: "Run", name: "get" }]) { id } }')}`, mutation: true }),
);

/**
 * What every stream starts with: an artifact, execution and context type of each pooled
 * name, declaring rows INT, lr DOUBLE and note STRING, so that many later writes can succeed.
 */
export const PRELUDE: FuzzRequest[] = TYPE_POOL.flatMap((name) => (['ARTIFACT', 'EXECUTION', 'CONTEXT'] as const).map((kind) => post(
  `prelude ${TYPE_MUTATION[kind]}`,
  json(`mutation T($i: ${TYPE_INPUT[kind]}!) { ${TYPE_MUTATION[kind]}(input: $i) { id } }`, {
    i: { name, properties: [{ name: 'rows', type: 'INT' }, { name: 'lr', type: 'DOUBLE' }, { name: 'note', type: 'STRING' }] },
  }),
  true,
)));

/** One request of the fuzz stream: mostly well-formed operations with hostile content, a third malformed. */
export const requestArb: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 3, arbitrary: putType },
  { weight: 3, arbitrary: putArtifacts },
  { weight: 2, arbitrary: putContexts },
  { weight: 3, arbitrary: recordExecution },
  { weight: 2, arbitrary: subgraph },
  { weight: 1, arbitrary: deleteNodes },
  { weight: 1, arbitrary: putEvents },
  { weight: 2, arbitrary: reads },
  { weight: 1, arbitrary: inline },
  { weight: 6, arbitrary: malformed },
);

/** Sends `request` to the GraphQL endpoint `url`. */
export function send(url: string, request: FuzzRequest): Promise<Response> {
  if (request.method === 'GET') return fetch(`${url}?${request.body}`, { headers: { accept: 'application/json' } });
  return fetch(url, { method: 'POST', headers: { 'content-type': request.contentType, accept: 'application/json' }, body: request.body });
}
