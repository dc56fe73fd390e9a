/**
 * The explorer writes ML Metadata's filter language for its searches (web/src/views/find-query.ts,
 * used by Find and the Path view's pickers): whatever a user types, the server's own parser
 * must read back exactly the pattern meant. The Path picker once doubled quotes ('') as SQL
 * does; the language takes backslash escapes, so a name with a quote was refused.
 */
import { describe, expect, it } from 'vitest';
import { parseFilterQuery } from '../../src/service/metadata/filter-parser.js';
import { contains, quote } from '../../web/src/views/find-query.js';
import { HOSTILE_TEXT } from '../hardening/fuzz-operations.js';

/** The one LIKE predicate a parsed filter holds. */
function likePattern(where: string): string {
  const parsed = parseFilterQuery(where, 'ARTIFACT', 'where') as unknown as { expression: unknown };
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.op === 'like' && typeof n.pattern === 'string') found.push(n.pattern);
    for (const value of Object.values(n)) walk(value);
  };
  walk(parsed);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('the explorer\'s filter quoting, read back by the server\'s parser', () => {
  const texts = [...HOSTILE_TEXT.filter((t) => t !== '' && !/[\uD800-\uDFFF]/.test(t) && !t.includes('\u0000')),
    "O'Brien", "it''s", "\\'", "'", "a\\", '%_', 'name LIKE \'x\' OR 1=1'];

  it.each(texts)('a name containing %j', (text) => {
    expect(likePattern(contains('name', text))).toBe(`%${text}%`);
  });

  it('quotes a plain string literal the same way', () => {
    expect(quote("O'Brien\\")).toBe("'O\\'Brien\\\\'");
  });
});
