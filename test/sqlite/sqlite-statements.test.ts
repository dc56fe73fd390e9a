/**
 * Pins the text of every SQLite statement, and the text and parameters of composed
 * listNodes/countNodes statements for representative pages (STYLE.md habit 8): a change
 * to any statement shows up in review as a snapshot change.
 */
import { describe, expect, it } from 'vitest';
import { integerKeys } from '../../src/graph/sqlite/migrations/005-integer-keys.js';
import { perKindMlmdIds } from '../../src/graph/sqlite/migrations/007-per-kind-mlmd-ids.js';
import { nodeHistory } from '../../src/graph/sqlite/migrations/009-node-history.js';
import { HISTORY_SQL } from '../../src/graph/sqlite/sqlite-history.js';
import { composeCount, composeList } from '../../src/graph/sqlite/sqlite-node-queries.js';
import { SCHEMA_DDL } from '../../src/graph/sqlite/sqlite-schema.js';
import { SQL } from '../../src/graph/sqlite/sqlite-statements.js';
import type { NodePage } from '../../src/graph/store.js';

const walkTheOrder = (): number => -1;

const PAGES: { name: string; page: NodePage; driver: () => number }[] = [
  {
    name: 'newest artifacts, walked',
    page: { kind: 'ARTIFACT', orderBy: 'createTime', ascending: false, limit: 100 },
    driver: walkTheOrder,
  },
  {
    name: 'executions after a cursor, walked',
    page: {
      kind: 'EXECUTION', typeIds: ['t1', 't2'], contextId: 'c1', lastKnownState: 'RUNNING',
      orderBy: 'updateTime', ascending: true, limit: 20, after: { value: 1_700_000_000_000, id: 'e9' },
    },
    driver: walkTheOrder,
  },
  {
    name: 'artifacts by predicates, driven by in',
    page: {
      kind: 'ARTIFACT', orderBy: 'id', ascending: true, limit: 50, after: { value: 'a5', id: 'a5' },
      properties: [
        { name: 'split', custom: true, op: 'in', value: ['train', 'eval', true, 3] },
        { name: 'rows', custom: false, op: 'gte', value: 1000 },
        { name: 'ready', custom: true, op: 'ne', value: false },
      ],
      createdAfter: 1, createdBefore: 2, name: 'n', uri: 'u', state: 'LIVE',
    },
    // Conditions in order: name, uri, state, createdAfter, createdBefore, then the predicates.
    driver: () => 5,
  },
  {
    name: 'child contexts, driven by externalId',
    page: { kind: 'CONTEXT', parentId: 'p1', name: 'run-7', externalId: 'x', orderBy: 'id', ascending: false, limit: 10 },
    // Conditions in order: name, externalId, parentId.
    driver: () => 1,
  },
];

describe('SQLite statement text', () => {
  it('pins the schema and every fixed statement', () => {
    expect(SCHEMA_DDL).toMatchSnapshot();
    expect(SQL).toMatchSnapshot();
  });

  it('pins the step that keys the graph by integers (version 5)', () => {
    expect(integerKeys.script).toMatchSnapshot();
  });

  it('pins the step that gives each kind of node its id space (version 7)', () => {
    expect(perKindMlmdIds.script).toMatchSnapshot();
  });

  it('pins the history of nodes: its table (version 9) and its statements', () => {
    expect(nodeHistory.script).toMatchSnapshot();
    expect(HISTORY_SQL).toMatchSnapshot();
  });

  it.each(PAGES)('pins listNodes and countNodes for $name', ({ page, driver }) => {
    expect(composeList(page, driver)).toMatchSnapshot();
    const { orderBy: _orderBy, ascending: _ascending, limit: _limit, after: _after, ...filter } = page;
    expect(composeCount(filter, driver)).toMatchSnapshot();
  });
});
