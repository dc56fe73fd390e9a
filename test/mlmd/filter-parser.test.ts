/**
 * The filter-language parser (src/service/metadata/filter-parser.ts) on its own: the
 * examples of ML Metadata's proto comment parse for the kinds they are written for, the
 * tree has SQL's precedence, every neighbour is joined once per alias, and each refusal
 * names the column and what was expected, in the words pinned here.
 */
import { describe, expect, it } from 'vitest';
import { FilterQueryError } from '../../src/graph/errors.js';
import type { NodeKind } from '../../src/graph/model.js';
import {
  MAX_FILTER_DEPTH, MAX_FILTER_JOINS, MAX_FILTER_LENGTH, MAX_FILTER_PREDICATES, MAX_IN_VALUES, parseFilterQuery,
} from '../../src/service/metadata/filter-parser.js';

const parse = (text: string, kind: NodeKind = 'ARTIFACT') => parseFilterQuery(text, kind, 'where');

/** The refusal `text` meets: its message, after checking its class, field and column. */
function refusal(text: string, kind: NodeKind = 'ARTIFACT'): string {
  try {
    parse(text, kind);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterQueryError);
    const error = e as FilterQueryError;
    expect(error.field).toBe('where');
    expect(error.message).toMatch(new RegExp(`^where: at column ${error.column}, |^where is longer`));
    return error.message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('filter parser', () => {
  it("parses every example of ML Metadata's proto comment for its kind", () => {
    const examples: [NodeKind[], string][] = [
      [['ARTIFACT', 'EXECUTION', 'CONTEXT'], 'id != 1'], [['ARTIFACT', 'EXECUTION', 'CONTEXT'], 'id IN (1, 3)'],
      [['ARTIFACT', 'EXECUTION', 'CONTEXT'], 'type_id = 5'], [['ARTIFACT', 'EXECUTION', 'CONTEXT'], "type = 'my_type_name'"],
      [['ARTIFACT', 'EXECUTION', 'CONTEXT'], "type = 'bar' AND name LIKE 'foo%'"], [['ARTIFACT', 'EXECUTION', 'CONTEXT'], "external_id = 'my_external_id'"],
      [['ARTIFACT', 'EXECUTION', 'CONTEXT'], 'NOT(create_time_since_epoch < 1 OR last_update_time_since_epoch < 1)'],
      [['ARTIFACT'], "uri = 'exact_path_string'"], [['ARTIFACT'], "uri LIKE 'path_like_this%'"], [['ARTIFACT'], 'uri IS NOT NULL'],
      [['ARTIFACT'], 'state = LIVE'], [['ARTIFACT'], 'state IS NULL'], [['ARTIFACT'], 'state IN (PENDING, LIVE)'],
      [['EXECUTION'], 'last_known_state = RUNNING'], [['EXECUTION'], 'last_known_state != RUNNING'], [['EXECUTION'], 'last_known_state NOT IN (FAILED, CANCELED)'],
      [['ARTIFACT', 'EXECUTION'], 'contexts_a.id = 5'], [['ARTIFACT', 'EXECUTION'], "contexts_a.type = 'RunContext'"],
      [['ARTIFACT', 'EXECUTION'], 'contexts_a.create_time_since_epoch = 1626761453'],
      [['ARTIFACT', 'EXECUTION'], "contexts_a.name = 'my_run' AND contexts_b.name = 'my_pipeline'"],
      [['CONTEXT'], "artifacts_a.type = 'Dataset'"], [['CONTEXT'], 'artifacts_a.state IN (PENDING, LIVE)'], [['CONTEXT'], 'artifacts_a.external_id = "my_external_id"'],
      [['CONTEXT'], 'executions_a.last_known_state IN (NEW, RUNNING)'], [['CONTEXT'], "executions_a.name = 'my_run' AND executions_b.name = 'my_pipeline'"],
      [['ARTIFACT', 'EXECUTION', 'CONTEXT'], 'properties.accuracy.double_value > 0.95'], [['ARTIFACT', 'EXECUTION', 'CONTEXT'], 'custom_properties.my_param.string_value = "foo"'],
      [['ARTIFACT', 'EXECUTION', 'CONTEXT'], 'properties.`my property`.int_value > 0'], [['ARTIFACT', 'EXECUTION', 'CONTEXT'], 'custom_properties.`my:custom.property`.bool_value = true'],
      [['CONTEXT'], 'parent_contexts_a.id = 5'], [['CONTEXT'], "child_contexts_a.type = 'RunContext'"], [['CONTEXT'], "parent_contexts_a.name = 'parent_context_1'"],
      [['ARTIFACT'], 'events_0.execution_id = 1'], [['ARTIFACT', 'EXECUTION'], 'events_0.type = INPUT'], [['ARTIFACT', 'EXECUTION'], 'events_0.milliseconds_since_epoch = 1'],
      [['EXECUTION'], 'events_0.artifact_id = 1'], [['ARTIFACT', 'EXECUTION'], 'events_0.type IN (INPUT, INTERNAL_INPUT)'],
    ];
    for (const [kinds, text] of examples) for (const kind of kinds) expect(() => parse(text, kind), `${kind}: ${text}`).not.toThrow();
  });

  it('binds NOT tighter than AND, AND tighter than OR, and ignores the case of keywords and attributes', () => {
    expect(parse("NOT name = 'a' AND Name = 'b' or NAME <> 'c'").expr).toEqual({
      op: 'or',
      args: [
        { op: 'and', args: [
          { op: 'not', arg: { op: 'compare', operand: { on: 'node', field: 'name' }, cmp: '=', value: 'a' } },
          { op: 'compare', operand: { on: 'node', field: 'name' }, cmp: '=', value: 'b' },
        ] },
        { op: 'compare', operand: { on: 'node', field: 'name' }, cmp: '!=', value: 'c' },
      ],
    });
    expect(parse('(id = 1 OR id = 2) AND id = 3').expr).toMatchObject({ op: 'and', args: [{ op: 'or' }, { op: 'compare' }] });
  });

  it('joins each alias and each property once, in order of first mention, aliases as written', () => {
    const { joins, expr } = parse("contexts_a.name = 'x' AND properties.p.int_value = 1 AND contexts_A.id = 2 AND contexts_a.id = 3 AND properties.p.string_value IS NULL AND custom_properties.p.bool_value = false");
    expect(joins).toEqual([{ kind: 'context' }, { kind: 'property', custom: false, name: 'p' }, { kind: 'context' }, { kind: 'property', custom: true, name: 'p' }]);
    expect(expr).toMatchObject({ args: [
      { operand: { on: 'neighbour', join: 0 } }, { operand: { on: 'property', join: 1, value: 'int' } }, { operand: { on: 'neighbour', join: 2 } },
      { operand: { on: 'neighbour', join: 0 } }, { operand: { on: 'property', join: 1, value: 'string' } }, { operand: { on: 'property', join: 3, value: 'bool' } },
    ] });
  });

  it('reads literals: signed and decimal numbers, ZetaSQL escapes, enum names bare or quoted', () => {
    const value = (text: string) => (parse(text).expr as { value: unknown }).value;
    expect(value('properties.p.double_value > -1.5e2')).toBe(-150);
    expect(value('id = +7')).toBe(7);
    expect(value('properties.p.double_value = .25')).toBe(0.25);
    expect(value("name = 'tab\\there \\'q\\' \\x41\\u00e9\\U0001F600\\101'")).toBe("tab\there 'q' Aé😀A");
    expect(value('name = "double \\"quoted\\""')).toBe('double "quoted"');
    expect(value("state = 'LIVE'")).toBe('LIVE');
    expect(parse('custom_properties.`a\\`b`.int_value = 1').joins).toEqual([{ kind: 'property', custom: true, name: 'a`b' }]);
    expect(parse('properties.1st.int_value = 1').joins).toEqual([{ kind: 'property', custom: false, name: '1st' }]);
  });

  it('refuses with the column and what was expected', () => {
    const cases: [string, NodeKind, string][] = [
      ['', 'ARTIFACT', 'where: at column 1, expected a condition, got an empty filter'],
      ["name = 'x' AND", 'ARTIFACT', 'where: at column 15, expected an attribute, a neighbour (contexts_a., events_0., ...), properties. or custom_properties., got the end of the filter'],
      ["name = 'x' name = 'y'", 'ARTIFACT', 'where: at column 12, expected AND, OR or the end of the filter, got "name"'],
      ["(name = 'x'", 'ARTIFACT', "where: at column 12, expected ')' or AND, OR, got the end of the filter"],
      ["name ~ 'x'", 'ARTIFACT', 'where: at column 6, unexpected character "~"'],
      ["name 'x'", 'ARTIFACT', 'where: at column 6, expected a comparison (=, !=, <, <=, >, >=), LIKE, IN or IS after name, got "\'x\'"'],
      ['name IS 3', 'ARTIFACT', 'where: at column 9, expected NULL or NOT NULL, got "3"'],
      ["name NOT = 'x'", 'ARTIFACT', 'where: at column 10, expected LIKE or IN after NOT, got "="'],
      ['id LIKE 1', 'ARTIFACT', 'where: at column 4, LIKE takes a text attribute; id is not text'],
      ['name LIKE x', 'ARTIFACT', 'where: at column 11, expected a quoted pattern after LIKE, got "x"'],
      ["name IN 'x'", 'ARTIFACT', "where: at column 9, expected '(' after IN, got \"'x'\""],
      ["name IN ('x' 'y')", 'ARTIFACT', "where: at column 14, expected ',' or ')' in the IN list, got \"'y'\""],
      ['properties.ok.bool_value = 1', 'ARTIFACT', 'where: at column 28, expected TRUE or FALSE for properties.ok.bool_value, got "1"'],
      ['state = GONE', 'ARTIFACT', 'where: at column 9, expected one of UNKNOWN, PENDING, LIVE, MARKED_FOR_DELETION, DELETED, ABANDONED, REFERENCE for state, got "GONE"'],
      ['events_0.type = RUNNING', 'EXECUTION', 'where: at column 17, expected one of DECLARED_OUTPUT, DECLARED_INPUT, INPUT, OUTPUT, INTERNAL_INPUT, INTERNAL_OUTPUT, PENDING_OUTPUT for events_0.type, got "RUNNING"'],
      ['events_0.execution_id = 1', 'EXECUTION', 'where: at column 10, events_0 has no attribute "execution_id"; expected one of type, milliseconds_since_epoch, artifact_id'],
      ['contexts_a.uri = 1', 'ARTIFACT', 'where: at column 12, contexts_a has no attribute "uri"; expected one of id, type_id, type, name, external_id, create_time_since_epoch, last_update_time_since_epoch'],
      ['properties.p.value = 1', 'ARTIFACT', 'where: at column 14, expected int_value, double_value, string_value or bool_value, got "value"'],
      ['properties.``.int_value = 1', 'ARTIFACT', 'where: at column 12, a property name is empty'],
      ['name = "x', 'ARTIFACT', 'where: at column 8, a string is not closed (expected ")'],
      ["name = '\\q'", 'ARTIFACT', 'where: at column 9, unknown escape "\\\\q" (ZetaSQL\'s escapes: \\\\, \\\', \\", \\`, \\n, \\t, \\xhh, \\uhhhh, ...)'],
      ['id = 1e400', 'ARTIFACT', 'where: at column 6, id: 1e400 is not a finite number'],
    ];
    for (const [text, kind, message] of cases) expect(refusal(text, kind), text).toBe(message);
  });

  it(`refuses past its limits, naming them: ${MAX_FILTER_LENGTH} characters, ${MAX_FILTER_DEPTH} levels, ${MAX_FILTER_PREDICATES} conditions, ${MAX_FILTER_JOINS} neighbours, ${MAX_IN_VALUES} values`, () => {
    expect(refusal(`name = '${'x'.repeat(MAX_FILTER_LENGTH)}'`)).toBe(`where is longer than ${MAX_FILTER_LENGTH} characters (${MAX_FILTER_LENGTH + 9})`);
    expect(refusal(`${'NOT '.repeat(MAX_FILTER_DEPTH + 1)}id = 1`))
      .toBe(`where: at column ${MAX_FILTER_DEPTH * 4 + 1}, the filter nests deeper than ${MAX_FILTER_DEPTH} levels of parentheses and NOT`);
    expect(refusal(Array.from({ length: MAX_FILTER_PREDICATES + 1 }, () => 'id = 1').join(' OR ')))
      .toBe(`where: at column ${MAX_FILTER_PREDICATES * 10 + 1}, the filter holds more than ${MAX_FILTER_PREDICATES} conditions`);
    const aliases = Array.from({ length: MAX_FILTER_JOINS + 1 }, (_, i) => `contexts_${i}.id = 1`);
    expect(() => parse(aliases.slice(0, -1).join(' AND '))).not.toThrow();
    expect(refusal(aliases.join(' AND '))).toMatch(new RegExp(`the filter names more than ${MAX_FILTER_JOINS} neighbours and properties$`));
    const values = (n: number) => `id IN (${Array.from({ length: n }, (_, i) => i).join(', ')})`;
    expect(() => parse(values(MAX_IN_VALUES))).not.toThrow();
    expect(refusal(values(MAX_IN_VALUES + 1))).toMatch(new RegExp(`an IN list holds at most ${MAX_IN_VALUES} values$`));
    expect(() => parse(`name = '${'\ud800'}'`)).toThrow(/unpaired UTF-16 surrogate/);
  });
});
