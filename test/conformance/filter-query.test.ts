/**
 * Filter queries (ML Metadata's filter language, `where` on the list queries) on every
 * backend: hostile text in values and property names is matched as text and nothing else,
 * each neighbour alias is one join, the limits are refused naming the field and the limit,
 * and `where` combines with `filter`, orders, pages and counts. Agreement with ML Metadata
 * itself is test/mlmd/filter-query-differential.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { FilterQueryError } from '../../src/graph/errors.js';
import type { NodeKind } from '../../src/graph/model.js';
import type { NodeFilterInput } from '../../src/service/metadata/inputs.js';
import { MAX_FILTER_DEPTH, MAX_FILTER_PREDICATES } from '../../src/service/metadata/filter-parser.js';
import { BACKENDS, useService } from '../support/backends.js';
import { expectStoreError, putBasicTypes } from './fixtures.js';

/** A string literal of the filter language holding exactly `text`. */
const literal = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Names no store may treat as anything but text: quotes, LIKE's wildcards, backslashes, query syntax, Unicode. */
const HOSTILE = [
  "it's", 'say "hi"', '100%', 'a_b', 'a\\b', '\\', "'; DROP TABLE nodes; --", '" OR 1=1 //', '}) MATCH (m) DETACH DELETE m //',
  '$where_0', ':w0', '😀', 'e\u0301', 'ǅ', 'ß', 'שלום', 'tab\there', 'line\nbreak', 'nul\u0000byte', 'x'.repeat(255),
];

describe.each(BACKENDS)('filter queries on $name', (backend) => {
  const t = useService(backend);

  /** Names of every node of `kind` the filter selects, sorted. */
  async function names(kind: NodeKind, where: string, filter?: NodeFilterInput): Promise<(string | null)[]> {
    const page = await t.api.listNodes(kind, { where, first: 1000, ...(filter ? { filter } : {}) });
    return page.nodes.map((n) => n.name).sort();
  }

  it('matches a hostile name only by itself, with = exactly and with LIKE as text', async () => {
    await putBasicTypes(t.api);
    await t.api.putArtifacts(HOSTILE.map((name) => ({ type: 'Dataset', name })));
    for (const name of HOSTILE) {
      expect(await names('ARTIFACT', `name = ${literal(name)}`), name).toEqual([name]);
    }
    // LIKE's wildcards in the data are plain characters; in the pattern they are wildcards.
    expect(await names('ARTIFACT', "name LIKE '100%'")).toEqual(['100%']);
    expect(await names('ARTIFACT', "name LIKE 'a_b'")).toEqual(['a\\b', 'a_b']);
    expect(await names('ARTIFACT', "name LIKE '%\\\\%'")).toEqual(['\\', 'a\\b'].sort());
    expect(await names('ARTIFACT', "name LIKE '%''%'").catch((e: unknown) => e)).toBeInstanceOf(FilterQueryError);
    // One character for `_`, an emoji included; ASCII letters in either case, other letters as written.
    expect(await names('ARTIFACT', "name LIKE '_'")).toEqual(['\\', 'ß', 'ǅ', '😀'].sort());
    expect(await names('ARTIFACT', "name LIKE 'SAY%'")).toEqual(['say "hi"']);
    expect(await names('ARTIFACT', "name LIKE 'ǆ'")).toEqual([]);
    expect(await names('ARTIFACT', "name LIKE 'LINE_BREAK'")).toEqual(['line\nbreak']);
    expect(await names('ARTIFACT', `name IN (${literal("it's")}, ${literal('😀')}, 'absent')`)).toEqual(["it's", '😀'].sort());
  });

  it('reads a property by a hostile name, typed and custom apart, and a STRUCT or PROTO as ML Metadata does', async () => {
    await putBasicTypes(t.api);
    const odd = ["x'; DROP TABLE nodes; --", 'a`b', 'n) RETURN 1 //', '50%', '%25', 'a\u0000b', 'prop.rows', 'ü ö'];
    await t.api.putArtifacts([
      { type: 'Dataset', name: 'custom', customProperties: Object.fromEntries(odd.map((name, i) => [name, i])) },
      { type: 'Dataset', name: 'typed', properties: { rows: 1 }, customProperties: { rows: 'one' } },
      { type: 'Model', name: 'struct', properties: { config: { a: 1 } } },
    ]);
    for (const [i, name] of odd.entries()) {
      const quoted = `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
      expect(await names('ARTIFACT', `custom_properties.${quoted}.int_value = ${i}`), name).toEqual(['custom']);
      expect(await names('ARTIFACT', `properties.${quoted}.int_value = ${i}`), name).toEqual([]);
    }
    expect(await names('ARTIFACT', 'properties.rows.int_value = 1')).toEqual(['typed']);
    // A long value is matched whole, by = and by LIKE.
    const long = `${'ab\'%_\\'.repeat(600)}end`;
    await t.api.putArtifacts([{ type: 'Dataset', name: 'long', customProperties: { text: long } }]);
    expect(await names('ARTIFACT', `custom_properties.text.string_value = ${literal(long)}`)).toEqual(['long']);
    expect(await names('ARTIFACT', `custom_properties.text.string_value LIKE ${literal(`${long.slice(0, 3000)}%end`)}`)).toEqual(['long']);
    expect(await names('ARTIFACT', `custom_properties.text.string_value = ${literal(long.slice(1))}`)).toEqual([]);
    expect(await names('ARTIFACT', "custom_properties.rows.string_value = 'one'")).toEqual(['typed']);
    expect(await names('ARTIFACT', 'properties.rows.string_value IS NULL')).toEqual(['typed']);
    // As in ML Metadata, whose row holds a STRUCT as text in string_value: the property is
    // present (the other side of an OR decides), its string is not null and matches LIKE
    // '%', and no number or bool predicate holds. A PROTO value has no string at all.
    expect(await names('ARTIFACT', 'properties.config.string_value IS NULL')).toEqual([]);
    expect(await names('ARTIFACT', 'properties.config.string_value IS NOT NULL')).toEqual(['struct']);
    expect(await names('ARTIFACT', "properties.config.string_value LIKE '%'")).toEqual(['struct']);
    expect(await names('ARTIFACT', 'properties.config.int_value IS NULL')).toEqual(['struct']);
    expect(await names('ARTIFACT', "name = 'struct' OR properties.config.int_value = 1")).toEqual(['struct']);
    await t.api.putArtifacts([{ type: 'Dataset', name: 'proto', customProperties: { pr: { typeUrl: 'type.googleapis.com/x.Y', value: 'AAE=' } } }]);
    expect(await names('ARTIFACT', 'custom_properties.pr.string_value IS NULL')).toEqual(['proto']);
    expect(await names('ARTIFACT', "custom_properties.pr.string_value LIKE '%'")).toEqual([]);
    expect(await names('ARTIFACT', "name = 'proto' OR custom_properties.pr.bool_value = true")).toEqual(['proto']);
  });

  it('joins each alias once: a node lacking a named neighbour never matches, two aliases may meet one node', async () => {
    /*
     *   run-1 ── a1, a2        run-2 ── a2        (a3 in no context)
     */
    await putBasicTypes(t.api);
    const [a1, a2] = await t.api.putArtifacts([{ type: 'Dataset', name: 'a1' }, { type: 'Dataset', name: 'a2' }, { type: 'Dataset', name: 'a3' }]);
    const [run1, run2] = await t.api.putContexts([{ type: 'Pipeline', name: 'run-1' }, { type: 'Pipeline', name: 'run-2' }]);
    await t.api.putAttributions([
      { contextId: run1!.id, artifactId: a1!.id }, { contextId: run1!.id, artifactId: a2!.id }, { contextId: run2!.id, artifactId: a2!.id },
    ]);
    expect(await names('ARTIFACT', "name = 'a3' OR contexts_c.name = 'run-1'")).toEqual(['a1', 'a2']);
    expect(await names('ARTIFACT', "contexts_c.name = 'run-1' AND contexts_c.name = 'run-2'")).toEqual([]);
    expect(await names('ARTIFACT', "contexts_c.name = 'run-1' AND contexts_d.name = 'run-2'")).toEqual(['a2']);
    expect(await names('ARTIFACT', "contexts_c.name = 'run-1' AND contexts_d.name = 'run-1'")).toEqual(['a1', 'a2']);
    expect(await names('ARTIFACT', "NOT (contexts_c.name = 'run-1')")).toEqual(['a2']);
    expect(await names('CONTEXT', "artifacts_x.name = 'a1' OR name = 'run-2'")).toEqual(['run-1', 'run-2']);
  });

  it('combines where with filter, every order, pages and the count', async () => {
    await putBasicTypes(t.api);
    for (let i = 0; i < 7; i += 1) {
      t.clock.advance(1);
      await t.api.putArtifacts([{ type: i % 2 === 0 ? 'Dataset' : 'Model', name: `n${i}`, state: i < 5 ? 'LIVE' : 'PENDING' }]);
    }
    const where = "state = LIVE AND name != 'n2'";
    expect(await names('ARTIFACT', where, { type: 'Dataset' })).toEqual(['n0', 'n4']);
    for (const ascending of [true, false]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Awaited<ReturnType<typeof t.api.listNodes>> = await t.api.listNodes('ARTIFACT', {
          where, first: 2, after, orderBy: { field: 'CREATE_TIME', ascending },
        });
        seen.push(...page.nodes.map((n) => n.name!));
        expect(await page.totalCount()).toBe(4);
        if (!page.hasNextPage) break;
        after = page.endCursor;
      }
      expect(seen).toEqual(ascending ? ['n0', 'n1', 'n3', 'n4'] : ['n4', 'n3', 'n1', 'n0']);
    }
    // A blank filter filters nothing.
    expect(await names('ARTIFACT', '  ')).toHaveLength(7);
  });

  it('refuses a malformed or ill-typed filter naming where and the column, before any store call', async () => {
    const cases: [NodeKind, string, RegExp][] = [
      ['ARTIFACT', "name = 'x' AND", /^where: at column 15, expected an attribute/],
      ['ARTIFACT', "name = 'x", /^where: at column 8, a string is not closed/],
      ['ARTIFACT', "id = 'x'", /^where: at column 6, expected a number for id, got "'x'"/],
      ['CONTEXT', "uri = 'x'", /^where: at column 1, contexts have no attribute "uri"/],
      ['EXECUTION', 'state = LIVE', /^where: at column 1, executions have no attribute "state"/],
      ['ARTIFACT', 'state < LIVE', /^where: at column 7, state takes only =, !=, IN and NOT IN/],
      ['ARTIFACT', 'properties.rows = 1', /^where: at column 17, expected '.' and int_value/],
      ['ARTIFACT', 'id = 9007199254740992', /^where: at column 6, id: integers beyond/],
    ];
    for (const [kind, where, message] of cases) {
      const error = await expectStoreError(() => t.api.listNodes(kind, { where }), 'INVALID_ARGUMENT', 'where');
      expect(error, where).toBeInstanceOf(FilterQueryError);
      expect(error.message, where).toMatch(message);
    }
  });

  it(`takes ${MAX_FILTER_DEPTH} levels of nesting and ${MAX_FILTER_PREDICATES} conditions, and refuses more naming the limit`, async () => {
    await putBasicTypes(t.api);
    await t.api.putArtifacts([{ type: 'Dataset', name: 'deep', properties: { rows: 3 } }]);
    const nested = (depth: number) => `${'('.repeat(depth)}name = 'deep'${')'.repeat(depth)}`;
    expect(await names('ARTIFACT', nested(MAX_FILTER_DEPTH))).toEqual(['deep']);
    expect(await names('ARTIFACT', `${'NOT '.repeat(MAX_FILTER_DEPTH)}name = 'deep'`)).toEqual(['deep']);
    const tooDeep = await expectStoreError(() => t.api.listNodes('ARTIFACT', { where: nested(MAX_FILTER_DEPTH + 1) }), 'INVALID_ARGUMENT', 'where');
    expect(tooDeep.message).toBe(`where: at column ${MAX_FILTER_DEPTH + 1}, the filter nests deeper than ${MAX_FILTER_DEPTH} levels of parentheses and NOT`);
    const many = (count: number) => Array.from({ length: count }, (_, i) => `properties.rows.int_value = ${i}`).join(' OR ');
    expect(await names('ARTIFACT', many(MAX_FILTER_PREDICATES))).toEqual(['deep']);
    expect(await names('ARTIFACT', Array.from({ length: MAX_FILTER_PREDICATES }, () => "name = 'deep'").join(' AND '))).toEqual(['deep']);
    const tooMany = await expectStoreError(() => t.api.listNodes('ARTIFACT', { where: many(MAX_FILTER_PREDICATES + 1) }), 'INVALID_ARGUMENT', 'where');
    expect(tooMany.message).toMatch(new RegExp(`^where: at column \\d+, the filter holds more than ${MAX_FILTER_PREDICATES} conditions$`));
    // With the property predicates of `filter` they share one bound.
    const both = await expectStoreError(() => t.api.listNodes('ARTIFACT', {
      where: many(MAX_FILTER_PREDICATES), filter: { properties: Array.from({ length: 401 }, () => ({ name: 'rows', eq: 3 })) },
    }), 'INVALID_ARGUMENT', 'where');
    expect(both.message).toBe('filter.properties and where together take at most 500 conditions, got 401 and 100');
  }, 120_000);
});
