/**
 * The SQL a filter query compiles to (src/graph/sqlite/sqlite-filter.ts), pinned for
 * representative filters, and the injection rule: values and property names travel as
 * parameters only, so the text of a filter does not depend on them. Mirrors
 * test/neo4j/neo4j-filter.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { NodeKind } from '../../src/graph/model.js';
import { compileSqlFilter } from '../../src/graph/sqlite/sqlite-filter.js';
import { parseFilterQuery } from '../../src/service/metadata/filter-parser.js';
import { FILTER_SHAPES, HOSTILE_TEXT } from '../support/filter-shapes.js';

const compile = (kind: NodeKind, text: string) => compileSqlFilter(parseFilterQuery(text, kind, 'where'), kind);

describe('SQLite filter queries', () => {
  it.each(FILTER_SHAPES)('pins the condition for $kind: $filter', ({ kind, filter }) => {
    expect(compile(kind, filter)).toMatchSnapshot();
  });

  it('keeps every value and property name out of the text', () => {
    for (const hostile of HOSTILE_TEXT) {
      const quoted = hostile.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
      const name = hostile.replace(/\\/g, '\\\\').replace(/`/g, '\\`');
      const benign = compile('ARTIFACT', "name = 'x' AND custom_properties.`y`.string_value LIKE 'z' AND uri IN ('u', 'v')");
      const attacked = compile('ARTIFACT', `name = '${quoted}' AND custom_properties.\`${name}\`.string_value LIKE '${quoted}' AND uri IN ('${quoted}', 'v')`);
      expect(attacked.test, hostile).toBe(benign.test);
      expect(Object.values(attacked.params), hostile).toContain(hostile);
    }
  });
});
