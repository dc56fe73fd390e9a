/**
 * The Cypher a filter query compiles to (src/graph/neo4j/neo4j-filter.ts), pinned for
 * representative filters, the injection rule (values and property keys travel as
 * parameters only, so the text of a filter does not depend on them), and LIKE's
 * translation to a regular expression. Mirrors test/sqlite/sqlite-filter.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { NodeKind } from '../../src/graph/model.js';
import { compileCypherFilter, likeToRegex } from '../../src/graph/neo4j/neo4j-filter.js';
import { parseFilterQuery } from '../../src/service/metadata/filter-parser.js';
import { FILTER_SHAPES, HOSTILE_TEXT } from '../support/filter-shapes.js';

const compile = (kind: NodeKind, text: string) => compileCypherFilter(parseFilterQuery(text, kind, 'where'), kind);

describe('Neo4j filter queries', () => {
  it.each(FILTER_SHAPES)('pins the condition for $kind: $filter', ({ kind, filter }) => {
    expect(compile(kind, filter)).toMatchSnapshot();
  });

  it('keeps every value and property key out of the text', () => {
    for (const hostile of HOSTILE_TEXT) {
      const quoted = hostile.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
      const name = hostile.replace(/\\/g, '\\\\').replace(/`/g, '\\`');
      const benign = compile('ARTIFACT', "name = 'x' AND custom_properties.`y`.string_value LIKE 'z' AND uri IN ('u', 'v')");
      const attacked = compile('ARTIFACT', `name = '${quoted}' AND custom_properties.\`${name}\`.string_value LIKE '${quoted}' AND uri IN ('${quoted}', 'v')`);
      expect(attacked.text, hostile).toBe(benign.text);
      expect(Object.values(attacked.params), hostile).toContain(hostile);
    }
  });

  it('writes LIKE as a whole-text regular expression in which no input is syntax', () => {
    expect(likeToRegex('a%b_c')).toBe('(?is)a.*b.c');
    expect(likeToRegex('%%x%%%')).toBe('(?is)(?>.*?x).*');
    expect(likeToRegex('a%b_%c%d')).toBe('(?is)a(?>.*?b.)(?>.*?c).*d');
    expect(likeToRegex('.*[a]\\(?)$^|+{1}')).toBe('(?is)\\x{2e}\\x{2a}\\x{5b}a\\x{5d}\\x{5c}\\x{28}\\x{3f}\\x{29}\\x{24}\\x{5e}\\x{7c}\\x{2b}\\x{7b}1\\x{7d}');
    expect(likeToRegex('ü😀')).toBe('(?is)ü😀');
  });
});
