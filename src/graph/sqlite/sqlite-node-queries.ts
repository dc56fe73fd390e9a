/**
 * listNodes and countNodes: the only statements whose text depends on the request. The
 * text is assembled from the closed set of fragments below (which filters are present,
 * which operators the predicates use, the order, which condition drives the query),
 * never from a value; each shape is prepared once and kept in a bounded cache.
 *
 * Why a choice of plans: SQLite keeps no statistics about a given context or property
 * value, and its planner, asked for the newest 100 nodes of a small context, walks the
 * whole create-time index. So before each query the store counts, up to DRIVE_LIMIT,
 * the rows of every condition that can list its own nodes from an index (a context, a
 * parent, a type, a uri, an externalId, a property predicate). The smallest one under
 * the limit drives the query: its few nodes are fetched and sorted. When none is that
 * small, matches are common, so walking the order's index and testing each node fills
 * a page quickly. A count visits every match either way and is always driven when it can be.
 */
import { InvalidArgumentError } from '../errors.js';
import { TYPE_KIND_OF, type NodeKind } from '../model.js';
import type { NodeFilter, NodePage, OrderField, PredicateOp, PropertyPredicate } from '../store.js';
import type { PreparedStatement, SqlParams, SqliteExecutor } from './sqlite-executor.js';
import { scalarKind, scalarSqlValue, type ValueKind } from './sqlite-schema.js';
import { NODE_COLUMNS, NODE_TYPE } from './sqlite-statements.js';
import { compileSqlFilter } from './sqlite-filter.js';

/** Up to this many matching rows, a condition drives a listing; see the module comment. */
export const DRIVE_LIMIT = 10_000;
/** How many composed statements stay prepared; a shape evicted is prepared again when next seen. */
const CACHE_SIZE = 256;

/** Each order's column and the index that walks it (kind first, the UUID last for the keyset). */
const ORDERS: Record<OrderField, { column: string; index: string }> = {
  createTime: { column: 'n.create_time', index: 'nodes_by_create_time' },
  updateTime: { column: 'n.update_time', index: 'nodes_by_update_time' },
  id: { column: 'n.uuid', index: 'nodes_by_kind_id' },
};

/** The integer key of the context (or parent) a filter names by UUID: looked up once per statement. */
const KEY_OF = (param: string): string => `(SELECT node_key FROM nodes WHERE uuid = :${param})`;

const COMPARISON: Record<Exclude<PredicateOp, 'in'>, string> = {
  eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=',
};

/** One ANDed condition on the node `n`. */
interface Condition {
  /** Names the fragment for the statement cache; never holds a value. */
  shape: string;
  /** SQL true for a matching node `n`. */
  test: string;
  /** A query listing the matching nodes' integer keys, once each, as `node_id`, from an index. */
  ids?: string;
  /**
   * The condition tests the node row's own indexed columns, so even when it matches
   * many nodes a count is better left to the planner, which reads that index alone.
   */
  onNodeIndex?: boolean;
}

/** Membership in a context, by the link table of the node kind; contexts have none. */
const IN_CONTEXT: Record<NodeKind, Condition> = {
  ARTIFACT: {
    shape: 'contextId:ARTIFACT',
    test: `EXISTS (SELECT 1 FROM attributions AS a WHERE a.artifact_id = n.node_key AND a.context_id = ${KEY_OF('contextId')})`,
    ids: `SELECT artifact_id AS node_id FROM attributions WHERE context_id = ${KEY_OF('contextId')}`,
  },
  EXECUTION: {
    shape: 'contextId:EXECUTION',
    test: `EXISTS (SELECT 1 FROM associations AS a WHERE a.execution_id = n.node_key AND a.context_id = ${KEY_OF('contextId')})`,
    ids: `SELECT execution_id AS node_id FROM associations WHERE context_id = ${KEY_OF('contextId')}`,
  },
  CONTEXT: { shape: 'contextId:CONTEXT', test: '0' },
};

/** Being a child of a context; only contexts have parents. */
const CHILD_OF: Record<NodeKind, Condition> = {
  ARTIFACT: { shape: 'parentId:ARTIFACT', test: '0' },
  EXECUTION: { shape: 'parentId:EXECUTION', test: '0' },
  CONTEXT: {
    shape: 'parentId:CONTEXT',
    test: `EXISTS (SELECT 1 FROM parent_contexts AS c WHERE c.child_id = n.node_key AND c.parent_id = ${KEY_OF('parentId')})`,
    ids: `SELECT child_id AS node_id FROM parent_contexts WHERE parent_id = ${KEY_OF('parentId')}`,
  },
};

function predicateKind(value: unknown, i: number): ValueKind {
  const kind = scalarKind(value);
  if (kind === null) {
    throw new InvalidArgumentError('a property predicate compares with a string, number or boolean',
      `properties[${i}].value`);
  }
  return kind;
}

/**
 * Predicate `i` as a condition. It matches only a property row of the value's JSON kind,
 * so an absent property, a STRUCT (which has no row) or another kind never matches, even
 * for `ne`; SQLite alone would compare across storage classes (every number below every
 * string) and take a boolean for the integer it is stored as.
 */
function predicateCondition(predicate: PropertyPredicate, i: number, params: SqlParams): Condition {
  params[`p${i}custom`] = predicate.custom ? 1 : 0;
  params[`p${i}name`] = predicate.name;
  const scope = `is_custom = :p${i}custom AND name = :p${i}name`;
  let match: string;
  if (predicate.op === 'in') {
    if (!Array.isArray(predicate.value)) {
      throw new InvalidArgumentError(`an 'in' predicate takes a list of values`, `properties[${i}].value`);
    }
    params[`p${i}values`] = JSON.stringify(
      predicate.value.map((v) => ({ kind: predicateKind(v, i), value: scalarSqlValue(v) })),
    );
    match = `(value_kind, value) IN (SELECT v.value ->> 'kind', v.value ->> 'value' FROM json_each(:p${i}values) AS v)`;
  } else {
    const comparison = COMPARISON[predicate.op];
    if (comparison === undefined) {
      throw new InvalidArgumentError(`unknown predicate operator ${JSON.stringify(predicate.op)}`, `properties[${i}].op`);
    }
    if (Array.isArray(predicate.value)) {
      throw new InvalidArgumentError(`only an 'in' predicate takes a list of values`, `properties[${i}].value`);
    }
    params[`p${i}kind`] = predicateKind(predicate.value, i);
    params[`p${i}value`] = scalarSqlValue(predicate.value);
    match = `value_kind = :p${i}kind AND value ${comparison} :p${i}value`;
  }
  return {
    shape: `p${i}:${predicate.op}`,
    test: `EXISTS (SELECT 1 FROM node_properties WHERE node_id = n.node_key AND ${scope} AND ${match})`,
    ids: `SELECT node_id FROM node_properties WHERE ${scope} AND ${match}`,
  };
}

/** The filter's conditions besides the kind, and every parameter they use. */
function compileFilter(filter: NodeFilter): { conditions: Condition[]; params: SqlParams } {
  const params: SqlParams = { kind: filter.kind, typeKind: TYPE_KIND_OF[filter.kind], driveLimit: DRIVE_LIMIT };
  const conditions: Condition[] = [];
  const add = (key: string, value: string | number, condition: Omit<Condition, 'shape'>, shape = key): void => {
    params[key] = value;
    conditions.push({ shape, ...condition });
  };
  if (filter.typeIds !== undefined) {
    // With a name too, the (kind, type, name) index answers both at once.
    const withName = filter.name !== undefined;
    add('typeIds', JSON.stringify([...new Set(filter.typeIds)]), {
      test: 'n.type_id IN (SELECT t.mlmd_id FROM json_each(:typeIds) AS j CROSS JOIN types AS t ON t.uuid = j.value)',
      ids: `SELECT m.node_key AS node_id FROM json_each(:typeIds) AS j CROSS JOIN types AS t ON t.uuid = j.value
        CROSS JOIN nodes AS m INDEXED BY nodes_by_type_name ON m.kind = :kind AND m.type_id = t.mlmd_id${
          withName ? ' AND m.name = :name' : ''}`,
      onNodeIndex: true,
    }, withName ? 'typeIds+name' : 'typeIds');
  }
  if (filter.name !== undefined) {
    // Without typeIds the name still has an index: (kind, type, name), entered once per
    // type of the kind, and types are few.
    add('name', filter.name, filter.typeIds !== undefined ? { test: 'n.name = :name' } : {
      test: 'n.name = :name',
      ids: `SELECT m.node_key AS node_id FROM types AS t
        CROSS JOIN nodes AS m INDEXED BY nodes_by_type_name ON m.kind = :kind AND m.type_id = t.mlmd_id AND m.name = :name
        WHERE t.kind = :typeKind`,
      onNodeIndex: true,
    });
  }
  if (filter.externalId !== undefined) {
    add('externalId', filter.externalId, {
      test: 'n.external_id = :externalId',
      ids: 'SELECT node_key AS node_id FROM nodes WHERE kind = :kind AND external_id = :externalId',
      onNodeIndex: true,
    });
  }
  if (filter.uri !== undefined) {
    add('uri', filter.uri, {
      test: 'n.uri = :uri',
      ids: 'SELECT node_key AS node_id FROM nodes INDEXED BY nodes_by_uri WHERE kind = :kind AND uri = :uri',
      onNodeIndex: true,
    });
  }
  if (filter.state !== undefined) add('state', filter.state, { test: 'n.state = :state' });
  if (filter.lastKnownState !== undefined) {
    add('lastKnownState', filter.lastKnownState, { test: 'n.last_known_state = :lastKnownState' });
  }
  if (filter.createdAfter !== undefined) {
    add('createdAfter', filter.createdAfter, { test: 'n.create_time > :createdAfter' });
  }
  if (filter.createdBefore !== undefined) {
    add('createdBefore', filter.createdBefore, { test: 'n.create_time < :createdBefore' });
  }
  if (filter.contextId !== undefined) {
    params.contextId = filter.contextId;
    conditions.push(IN_CONTEXT[filter.kind]);
  }
  if (filter.parentId !== undefined) {
    params.parentId = filter.parentId;
    conditions.push(CHILD_OF[filter.kind]);
  }
  (filter.properties ?? []).forEach((predicate, i) => conditions.push(predicateCondition(predicate, i, params)));
  if (filter.where !== undefined) {
    // Never a driver: its matches cannot be listed from one index. Its text holds no value.
    const where = compileSqlFilter(filter.where, filter.kind);
    Object.assign(params, where.params);
    conditions.push({ shape: `where:${where.test}`, test: where.test });
  }
  return { conditions, params };
}

/** A statement ready to run with its parameters. */
export interface BoundQuery {
  statement: PreparedStatement;
  params: SqlParams;
}

/** A composed statement: its text, its parameters, and the cache key naming its text. */
export interface ComposedQuery {
  key: string;
  sql: string;
  params: SqlParams;
}

/** How the store picks the driving condition (its position), or -1 to walk the node table. */
type DriverChoice = (conditions: Condition[], params: SqlParams) => number;

/** The listNodes statement for `page`, driven as `chooseDriver` decides. */
export function composeList(page: NodePage, chooseDriver: DriverChoice): ComposedQuery {
  const order = ORDERS[page.orderBy];
  if (order === undefined) {
    throw new InvalidArgumentError(`unknown order field ${JSON.stringify(page.orderBy)}`, 'orderBy');
  }
  const { conditions, params } = compileFilter(page);
  const direction = page.ascending ? 'ASC' : 'DESC';
  const beyond = page.ascending ? '>' : '<';
  const keyset: string[] = [];
  if (page.after !== undefined) {
    params.afterId = page.after.id;
    if (page.orderBy === 'id') {
      keyset.push(`n.uuid ${beyond} :afterId`);
    } else {
      params.afterValue = page.after.value;
      keyset.push(`(${order.column}, n.uuid) ${beyond} (:afterValue, :afterId)`);
    }
  }
  params.limit = page.limit;
  const driver = chooseDriver(conditions, params);
  const orderBy = page.orderBy === 'id' ? `n.uuid ${direction}` : `${order.column} ${direction}, n.uuid ${direction}`;
  return {
    key: `list|${shapeKey(conditions, driver)}|${page.orderBy}|${direction}|${keyset.length > 0 ? 'after' : ''}`,
    sql: `SELECT ${NODE_COLUMNS}\n${from(conditions, driver, order.index, keyset, true)}\nORDER BY ${orderBy}\nLIMIT :limit`,
    params,
  };
}

/** The countNodes statement for `filter`, driven as `chooseDriver` decides. */
export function composeCount(filter: NodeFilter, chooseDriver: DriverChoice): ComposedQuery {
  const { conditions, params } = compileFilter(filter);
  const driver = chooseDriver(conditions, params);
  return {
    key: `count|${shapeKey(conditions, driver)}`,
    sql: `SELECT count(*) AS count\n${from(conditions, driver, null, [], false)}`,
    params,
  };
}

/** Plans, prepares and caches the listNodes and countNodes statements; use inside a transaction. */
export class NodeQueries {
  private readonly cache = new Map<string, PreparedStatement>();

  constructor(private readonly executor: SqliteExecutor) {}

  /** The statement and parameters for one page of nodes. */
  list(page: NodePage): BoundQuery {
    return this.bound(composeList(page, (conditions, params) => this.driver(conditions, params, false)));
  }

  /** The statement and parameters counting every node that matches `filter`. */
  count(filter: NodeFilter): BoundQuery {
    return this.bound(composeCount(filter, (conditions, params) => this.driver(conditions, params, true)));
  }

  private bound(query: ComposedQuery): BoundQuery {
    return { statement: this.prepared(query.key, query.sql), params: query.params };
  }

  /**
   * The index of the condition that drives the query, or -1 to walk the node table: the
   * condition with the fewest rows when under DRIVE_LIMIT; for a count, failing that,
   * the smallest condition on another table (a link or property index visits fewer rows
   * than the nodes of the kind, each tested against that table).
   */
  private driver(conditions: Condition[], params: SqlParams, counting: boolean): number {
    let smallest = { at: -1, count: Infinity };
    let smallestForeign = { at: -1, count: Infinity };
    conditions.forEach((condition, at) => {
      if (condition.ids === undefined) return;
      const probe = this.prepared(`probe|${condition.shape}`,
        `SELECT count(*) AS count FROM (${condition.ids} LIMIT :driveLimit)`);
      const count = probe.get<{ count: number }>(params)?.count ?? 0;
      if (count < smallest.count) smallest = { at, count };
      if (!condition.onNodeIndex && count < smallestForeign.count) smallestForeign = { at, count };
    });
    if (smallest.count < DRIVE_LIMIT) return smallest.at;
    return counting ? smallestForeign.at : -1;
  }

  private prepared(key: string, sql: string): PreparedStatement {
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const statement = this.executor.prepare(sql);
    this.cache.set(key, statement);
    if (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return statement;
  }
}

/** Identifies a statement's text: the fragments present and the driver, never a value. */
const shapeKey = (conditions: Condition[], driver: number): string =>
  `${driver < 0 ? 'scan' : `driven:${driver}`}|${conditions.map((c) => c.shape).join('|')}`;

/**
 * FROM and WHERE: from the driving condition's keys joined to their nodes, or else from
 * the node table walked along `orderIndex` (when there is an order to follow); with
 * `withType`, joined to each node's type for the UUID the record gives.
 */
function from(conditions: Condition[], driver: number, orderIndex: string | null, extraTests: string[], withType: boolean): string {
  const tests = [
    'n.kind = :kind',
    ...conditions.filter((_, i) => i !== driver).map((c) => c.test),
    ...extraTests,
  ];
  const where = `WHERE ${tests.join('\n  AND ')}`;
  const ids = conditions[driver]?.ids;
  const typeJoin = withType ? ` ${NODE_TYPE}` : '';
  // A listing reads each row it keeps by its integer key; a count asks the narrow
  // (node_key, kind, type_id) index, which answers the kind test without reading the row.
  if (ids !== undefined) {
    const nodes = withType ? 'nodes AS n' : 'nodes AS n INDEXED BY nodes_kind_and_type';
    return `FROM (${ids}) AS d CROSS JOIN ${nodes} ON n.node_key = d.node_id${typeJoin}\n${where}`;
  }
  // Walking the order's index stops after `limit` matches; without the hint the planner
  // may pick a filter's index and sort every match instead.
  return `FROM nodes AS n${orderIndex === null ? '' : ` INDEXED BY ${orderIndex}`}${typeJoin}\n${where}`;
}
