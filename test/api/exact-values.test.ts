/**
 * No value changes silently (issue 12, items 15 and 16), over HTTP on every backend:
 * integers beyond ±(2^53−1), which a JSON number in JavaScript cannot hold exactly, a
 * property named `__proto__`, which a plain object drops, and a lone UTF-16 surrogate,
 * which SQLite stored as U+FFFD and Neo4j could not match again, are all refused with
 * BAD_USER_INPUT naming the field, whether sent as variables or as literals.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, useService } from '../support/backends.js';
import { onlyError, putCommonTypes, startTestServer, type GqlResponse, type TestServer } from './harness.js';

/** 2^60 + 1: JSON.parse and Number() both round it to 1152921504606847000. */
const BIG = '1152921504606846977';
const LONE_HIGH = '\ud800';
const LONE_LOW = 'x\udc00y';

/** A JSON body written by hand, so that digits a JavaScript number would round reach the server intact. */
async function postRaw(t: TestServer, body: string): Promise<GqlResponse> {
  const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body });
  const text = await response.text();
  const parsed = JSON.parse(text) as { data?: Record<string, any> | null; errors?: GqlResponse['errors'] };
  return { status: response.status, headers: response.headers, data: parsed.data, errors: parsed.errors, text };
}

const PUT_WITH_VARIABLES = 'mutation P($p: JSON, $c: JSON) { putArtifacts(artifacts: [{ type: "DataSet", name: "d", properties: $p, customProperties: $c }]) { id } }';

describe.each(BACKENDS)('values that would change silently are refused over HTTP ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer(h.api);
    await putCommonTypes(t);
  });
  afterEach(async () => { await t?.close(); });

  const nothingStored = async (): Promise<void> => {
    expect((await t.data('{ artifacts { totalCount } }')).artifacts.totalCount).toBe(0);
  };

  describe('integers beyond ±(2^53−1)', () => {
    it.each([
      ['a typed INT', `{"p":{"rows":${BIG}}}`, 'artifacts[0].properties.rows'],
      ['a negative typed INT', `{"p":{"rows":-${BIG}}}`, 'artifacts[0].properties.rows'],
      ['a custom property', `{"c":{"big":${BIG}}}`, 'artifacts[0].customProperties.big'],
      ['2^53 itself, the first integer a double cannot tell from its neighbour', '{"c":{"big":9007199254740992}}', 'artifacts[0].customProperties.big'],
      ['an integer nested in a custom STRUCT', `{"c":{"cfg":{"layers":[1,{"seed":${BIG}}]}}}`, 'artifacts[0].customProperties.cfg.layers[1].seed'],
      ['an integer written with an exponent', '{"c":{"big":1e20}}', 'artifacts[0].customProperties.big'],
    ])('refuses %s sent as a variable, naming the field', async (_label, variables, field) => {
      const res = await postRaw(t, `{"query":${JSON.stringify(PUT_WITH_VARIABLES)},"variables":${variables}}`);
      const error = onlyError(res);
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(error.message).toMatch(/2\^53/);
      await nothingStored();
    });

    it('refuses a big integer nested in a typed STRUCT property, sent as a variable', async () => {
      const res = await postRaw(t, `{"query":"mutation P($p: JSON) { putArtifacts(artifacts: [{ type: \\"Model\\", properties: $p }]) { id } }","variables":{"p":{"config":{"seeds":[${BIG}]}}}}`);
      expect(onlyError(res).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'artifacts[0].properties.config.seeds[0]' });
      await nothingStored();
    });

    it.each([
      ['a typed INT', `properties: { rows: ${BIG} }`, 'artifacts[0].properties.rows'],
      ['a custom property', `customProperties: { big: -${BIG} }`, 'artifacts[0].customProperties.big'],
      ['an integer in a nested list of a custom STRUCT', `customProperties: { cfg: { seeds: [1, 2, ${BIG}] } }`, 'artifacts[0].customProperties.cfg.seeds[2]'],
      ['a float literal that is a big integer', 'customProperties: { big: 12345678901234567890.0 }', 'artifacts[0].customProperties.big'],
    ])('refuses %s written as a literal, naming the field', async (_label, fields, field) => {
      const res = await t.gql(`mutation { putArtifacts(artifacts: [{ type: "DataSet", name: "d", ${fields} }]) { id } }`);
      expect(onlyError(res).extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      await nothingStored();
    });

    it('keeps the largest exact integers, and big doubles in a DOUBLE property, exactly', async () => {
      const res = await postRaw(t, `{"query":${JSON.stringify('mutation P($p: JSON, $c: JSON, $m: JSON) { a: putArtifacts(artifacts: [{ type: "DataSet", name: "d", properties: $p, customProperties: $c }]) { properties customProperties } m: putArtifacts(artifacts: [{ type: "Model", name: "m", properties: $m }]) { properties } }')},` +
        '"variables":{"p":{"rows":9007199254740991},"c":{"low":-9007199254740991,"frac":0.5,"s":{"n":[9007199254740991]}},"m":{"lr":1e300}}}');
      expect(res.errors).toBeUndefined();
      expect(res.data!.a[0]).toEqual({ properties: { rows: 9007199254740991 }, customProperties: { low: -9007199254740991, frac: 0.5, s: { n: [9007199254740991] } } });
      expect(res.data!.m[0]).toEqual({ properties: { lr: 1e300 } });
    });

    it('refuses a big integer in a property filter rather than matching a rounded value', async () => {
      const res = await postRaw(t, `{"query":"query Q($v: JSON) { artifacts(filter: { properties: [{ name: \\"rows\\", eq: $v }] }) { totalCount } }","variables":{"v":${BIG}}}`);
      expect(onlyError(res).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.properties[0].eq' });
    });
  });

  describe('a property named __proto__', () => {
    it('refuses it as a property definition of a type', async () => {
      const res = await t.gql('mutation T($p: [PropertyDefInput!]) { putArtifactType(input: { name: "Proto", properties: $p }) { id } }', { p: [{ name: '__proto__', type: 'INT' }] });
      expect(onlyError(res).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.properties[0].name' });
    });

    it.each([
      ['a typed property, as a variable', '{"p":{"__proto__":{"rows":1}}}', 'artifacts[0].properties.__proto__'],
      ['a custom property, as a variable', '{"c":{"__proto__":{"polluted":true}}}', 'artifacts[0].customProperties.__proto__'],
      ['a key nested in a custom STRUCT, as a variable', '{"c":{"cfg":[{"__proto__":1}]}}', 'artifacts[0].customProperties.cfg[0].__proto__'],
    ])('refuses %s', async (_label, variables, field) => {
      const res = await postRaw(t, `{"query":${JSON.stringify(PUT_WITH_VARIABLES)},"variables":${variables}}`);
      expect(onlyError(res).extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      await nothingStored();
    });

    it.each([
      ['a custom property', 'customProperties: { __proto__: { polluted: true } }', 'artifacts[0].customProperties.__proto__'],
      ['a key nested in a typed STRUCT', 'properties: { config: { a: { __proto__: 1 } } }', 'artifacts[0].properties.config.a.__proto__'],
    ])('refuses %s written as a literal', async (_label, fields, field) => {
      const res = await t.gql(`mutation { putArtifacts(artifacts: [{ type: "Model", name: "m", ${fields} }]) { id } }`);
      expect(onlyError(res).extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      await nothingStored();
    });
  });

  describe('a lone surrogate', () => {
    it.each([
      ['a type name', 'mutation V($s: String!) { putArtifactType(input: { name: $s }) { id } }', 'input.name'],
      ['a type version', 'mutation V($s: String) { putArtifactType(input: { name: "T", version: $s }) { id } }', 'input.version'],
      ['a type description', 'mutation V($s: String) { putContextType(input: { name: "T", description: $s }) { id } }', 'input.description'],
      ['a property definition', 'mutation V($s: String!) { putExecutionType(input: { name: "T", properties: [{ name: $s, type: INT }] }) { id } }', 'input.properties[0].name'],
      ['a node name', 'mutation V($s: String) { putArtifacts(artifacts: [{ type: "DataSet", name: $s }]) { id } }', 'artifacts[0].name'],
      ['a node type reference', 'mutation V($s: String!) { putArtifacts(artifacts: [{ type: $s }]) { id } }', 'artifacts[0].type'],
      ['an externalId', 'mutation V($s: String) { putContexts(contexts: [{ type: "Run", name: "r", externalId: $s }]) { id } }', 'contexts[0].externalId'],
      ['a uri', 'mutation V($s: String) { putArtifacts(artifacts: [{ type: "DataSet", uri: $s }]) { id } }', 'artifacts[0].uri'],
    ])('in %s is refused, naming the field', async (_label, query, field) => {
      for (const s of [LONE_HIGH, LONE_LOW]) {
        const res = await t.gql(query, { s });
        const error = onlyError(res);
        expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
        expect(error.message).toMatch(/surrogate/);
      }
      const types = await t.data('{ artifactTypes { name } contextTypes { name } executionTypes { name } }');
      const names = Object.values(types).flatMap((list: any) => list.map((x: any) => x.name)).sort();
      expect(names).toEqual(['DataSet', 'Model', 'Pipeline', 'Run', 'Trainer']);
      await nothingStored();
    });

    it.each([
      ['a STRING property value', { p: { split: LONE_HIGH } }, 'artifacts[0].properties.split'],
      ['a custom property name', { c: { [`k${LONE_LOW}`]: 1 } }, 'artifacts[0].customProperties key'],
      ['a custom string value', { c: { note: LONE_LOW } }, 'artifacts[0].customProperties.note'],
      ['a string nested in a custom STRUCT', { c: { cfg: { tags: ['ok', LONE_HIGH] } } }, 'artifacts[0].customProperties.cfg.tags[1]'],
      ['a key nested in a custom STRUCT', { c: { cfg: { [LONE_HIGH]: 1 } } }, 'artifacts[0].customProperties.cfg key'],
    ])('in %s is refused, naming the field', async (_label, variables, field) => {
      const res = await t.gql(PUT_WITH_VARIABLES, variables);
      expect(onlyError(res).extensions).toEqual({ code: 'BAD_USER_INPUT', field });
      await nothingStored();
    });

    it('a well-formed pair (an emoji) is stored and read back unchanged', async () => {
      const name = 'data \u{1F600} set';
      const put = await t.data('mutation V($s: String!) { putArtifactType(input: { name: $s }) { name } putArtifacts(artifacts: [{ type: "DataSet", name: $s, customProperties: { e: "\u{1F600}" } }]) { name customProperties } }', { s: name });
      expect(put).toEqual({ putArtifactType: { name }, putArtifacts: [{ name, customProperties: { e: '\u{1F600}' } }] });
      const read = await t.data('query R($s: String!) { artifactType(name: $s) { name } artifactByName(type: "DataSet", name: $s) { name } }', { s: name });
      expect(read).toEqual({ artifactType: { name }, artifactByName: { name } });
    });
  });
});
