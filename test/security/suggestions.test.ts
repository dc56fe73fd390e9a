/**
 * With introspection off, no error may reveal a name of the schema through graphql-js's
 * "Did you mean ..." hints: not for fields (graphql-armor's rule), nor for enum values,
 * arguments, types or input fields, whether the mistake is written in the document or
 * sent as a variable. With introspection on, the hints help and stay.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { onlyError } from '../api/harness.js';
import { BACKENDS, useService } from '../support/backends.js';
import { startSecureServer, type TestServer } from './security-harness.js';

/** Mistakes whose graphql-js error carries a suggestion, each as [query, variables]. */
const MISTAKES: [string, string, Record<string, unknown> | undefined][] = [
  ['enum value in the document', 'mutation { putArtifactType(input: { name: "T", baseType: MODLE }) { id } }', undefined],
  ['enum value in a variable', 'mutation ($b: ArtifactBaseType) { putArtifactType(input: { name: "T", baseType: $b }) { id } }', { b: 'MODLE' }],
  ['enum value nested in an input variable', 'mutation ($in: ArtifactTypeInput!) { putArtifactType(input: $in) { id } }', { in: { name: 'T', baseType: 'MODLE' } }],
  ['argument name', '{ artifactType(name: "T", nam: "x") { id } }', undefined],
  ['type name of a variable', 'query ($n: Strin!) { artifactType(name: $n) { id } }', { n: 'T' }],
  ['input field in the document', 'mutation { putArtifactType(input: { name: "T", nme: "x" }) { id } }', undefined],
  ['input field in a variable', 'mutation ($in: ArtifactTypeInput!) { putArtifactType(input: $in) { id } }', { in: { name: 'T', nme: 'x' } }],
  ['field name', '{ artifactTypez { id } }', undefined],
  ['field name behind an alias', '{ a: artifactTypez { id } }', undefined],
];

describe.each(BACKENDS)('suggestions in errors ($name)', (backend) => {
  const h = useService(backend);
  let t: TestServer | undefined;
  afterEach(async () => { await t?.close(); t = undefined; });

  it.each(MISTAKES)('hides the suggestion for a mistaken %s when introspection is off', async (_what, query, variables) => {
    t = await startSecureServer(h.api, { security: { introspection: false } });
    const res = await t.gql(query, variables);
    const error = onlyError(res);
    expect(error.message).not.toMatch(/Did you mean/i);
    expect(error.message).toContain('[Suggestion hidden]');
    expect(res.text).not.toMatch(/"MODEL"|"name"|"String"|"artifactTypes"/);
  });

  it.each(MISTAKES)('keeps the suggestion for a mistaken %s when introspection is on', async (_what, query, variables) => {
    t = await startSecureServer(h.api, { security: { introspection: true } });
    expect(onlyError(await t.gql(query, variables)).message).toMatch(/ Did you mean (the enum value )?"(MODEL|name|String|artifactType)"/);
  });

  it('keeps the rest of the message, its code and its location', async () => {
    t = await startSecureServer(h.api, { security: { introspection: false } });
    const error = onlyError(await t.gql('mutation { putArtifactType(input: { name: "T", baseType: MODLE }) { id } }'));
    expect(error).toMatchObject({
      message: 'Value "MODLE" does not exist in "ArtifactBaseType" enum. [Suggestion hidden]',
      locations: [{ line: 1, column: 58 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});
