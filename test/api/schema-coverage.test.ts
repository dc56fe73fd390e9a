/**
 * A guard for the API suite itself: every root query and mutation field of the schema is
 * called by at least one API test, so a field added without a test fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApiSchema } from '../../src/resolvers/index.js';

const here = import.meta.dirname;
const testText = readdirSync(here)
  .filter((f) => f.endsWith('.test.ts') && f !== path.basename(import.meta.filename))
  .map((f) => readFileSync(path.join(here, f), 'utf8'))
  .join('\n');

describe('API test coverage', () => {
  const schema = buildApiSchema();
  const roots = [schema.getQueryType()!, schema.getMutationType()!];
  it.each(roots.flatMap((root) => Object.keys(root.getFields()).map((field) => `${root.name}.${field}`)))('%s is called by an API test', (coordinate) => {
    const field = coordinate.split('.')[1]!;
    // Called as `field(`, `field {` or with an alias `alias: field(`.
    expect(testText).toMatch(new RegExp(`\\b${field}\\s*[({]`));
  });
});
