/**
 * The one paging module every paged list goes through (src/service/shared/paging.ts):
 * one cursor codec, one `first` check, one page shape. A cursor names its list, so a cursor
 * of one list (an impact list, the audit log, a node listing in one order) pages no other.
 */
import { describe, expect, it } from 'vitest';
import { decodeAfter, encodeCursor, pageOfSorted, pageSize } from '../../src/service/shared/paging.js';
import { expectStoreError } from '../conformance/fixtures.js';

// Five items sorted by [group, id]: a1 a2 b1 b2 c1.
const ITEMS = [['a', 1], ['a', 2], ['b', 1], ['b', 2], ['c', 1]] as const;
const keyOf = (item: (typeof ITEMS)[number]) => [item[0], item[1]];

describe('the paging module', () => {
  it('pages a sorted list, resuming after the last item by its key, with the whole count', () => {
    const first = pageOfSorted(ITEMS, keyOf, 'letters', { first: 2 });
    expect(first.nodes).toEqual([['a', 1], ['a', 2]]);
    expect(first.hasNextPage).toBe(true);
    expect(first.totalCount()).toBe(5);
    expect(first.endCursor).toBe(first.cursors[1]);
    const rest = pageOfSorted(ITEMS, keyOf, 'letters', { first: 10, after: first.endCursor });
    expect(rest.nodes).toEqual([['b', 1], ['b', 2], ['c', 1]]);
    expect(rest.hasNextPage).toBe(false);
    // The cursor holds the key, not a position: after a1 was removed, it still resumes after a2.
    expect(pageOfSorted(ITEMS.slice(1), keyOf, 'letters', { after: first.endCursor }).nodes).toEqual(rest.nodes);
    expect(pageOfSorted(ITEMS, keyOf, 'letters', { after: rest.endCursor })).toMatchObject({ nodes: [], endCursor: null, hasNextPage: false });
  });

  it('round-trips a key through the one codec, for the list it was made for only', () => {
    expect(decodeAfter(encodeCursor('auditLog', ['e1']), 'auditLog')).toEqual(['e1']);
    expect(decodeAfter(null, 'auditLog')).toBeNull();
    expect(() => decodeAfter(encodeCursor('auditLog', ['e1']), 'nodes by id ascending', 'after was made for another order'))
      .toThrow('after was made for another order');
    expect(() => decodeAfter(encodeCursor('models', [0, 1, 'x']), 'artifacts'))
      .toThrow('after is not a cursor of this list (use an endCursor of an earlier page of artifacts)');
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['an object, the old node cursor shape', Buffer.from('{"f":"id","a":true,"v":"x","i":"x"}').toString('base64url')],
    ['a key that is not a list', Buffer.from('["auditLog","e1"]').toString('base64url')],
    ['a key holding an object', Buffer.from('["auditLog",[{}]]').toString('base64url')],
  ])('refuses %s as INVALID_ARGUMENT on after', async (_label, cursor) => {
    const error = await expectStoreError(async () => decodeAfter(cursor, 'auditLog'), 'INVALID_ARGUMENT', 'after');
    expect(error.message).toBe('after is not a cursor this API made (use an endCursor of an earlier page)');
  });

  it('checks first against the one range: 1 to 1,000, default 100', async () => {
    expect(pageSize(undefined)).toBe(100);
    expect(pageSize(1000)).toBe(1000);
    for (const bad of [0, 1001, 1.5]) {
      const error = await expectStoreError(async () => pageSize(bad), 'INVALID_ARGUMENT', 'first');
      expect(error.message).toBe(`first must be an integer from 1 to 1000, got ${bad}`);
    }
  });
});
