/**
 * listNodes and countNodes: the only statements whose text depends on the request. The
 * text is assembled from the closed set of fragments below (which filters are present,
 * which operators the predicates use, the order, which condition drives the query),
 * never from a value; each shape is prepared once and kept in a bounded cache.
 *
 * Why a choice of plans: SQLite has no statistics for a given context or property value,
 * and its planner, asked for the newest 100 nodes in a small context, walks the whole
 * create-time index. So before each query the store counts, up to DRIVE_LIMIT, the rows
 * of every condition that can list its own nodes from an index (a context, a parent, a
 * property predicate). The smallest one under the limit drives the query (its few nodes
 * are fetched and sorted); when none is that small, the query walks the order index and
 * tests each node, which finds a page quickly because matches are then common.
 */
import { InvalidArgumentError } from '../errors.js';
import type { NodeKind } from '../model.js';
import type { NodeFilter, NodePage, OrderField, PredicateOp, PropertyPredicate } from '../store.js';
import type { PreparedStatement, SqlParams, SqliteExecutor } from './sqlite-executor.js';
import { scalarKind, scalarSqlValue, type ValueKind } from './sqlite-schema.js';
import { NODE_COLUMNS } from './sqlite-statements.js';

/** Up to this many matching rows, a condition drives the query; see the module comment. */
const DRIVE_LIMIT = 10_000;
/** How many composed statements stay prepared; a shape evicted is prepared again when next seen. */
const CACHE_SIZE = 256;

const ORDER_COLUMN: Record<OrderField, string> = {
  createTime: 'n.create_time',
  updateTime: 'n.update_time',
  id: 'n.id',
};

const COMPARISON: Record<Exclude<PredicateOp, 'in'>, string> = {
  eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=',
};

/** One ANDed condition on the node `n`. */
interface Condition {
  /** Names the fragment for the statement cache; never holds a value. */
  shape: string;
  /** SQL true for a matching node `n`. */
  test: string;
  /** A query listing the matching nodes' ids as `node_id` from an index, when there is one. */
  ids?: string;
}

/** Membership in a context, by the link table of the node kind; contexts have none. */
const IN_CONTEXT: Record<NodeKind, Condition> = {
  ARTIFACT: {
    shape: 'contextId:ARTIFACT',
    test: 'EXISTS (SELECT 1 FROM attributions AS a WHERE a.artifact_id = n.id AND a.context_id = :contextId)',
    ids: 'SELECT artifact_id AS node_id FROM attributions WHERE context_id = :contextId',
  },
  EXECUTION: {
    shape: 'contextId:EXECUTION',
    test: 'EXISTS (SELECT 1 FROM associations AS a WHERE a.execution_id = n.id AND a.context_id = :contextId)',
    ids: 'SELECT execution_id AS node_id FROM associations WHERE context_id = :contextId',
  },
  CONTEXT: { shape: 'contextId:CONTEXT', test: '0' },
};

const CHILD_OF: Record<NodeKind, Condition> = {
  ARTIFACT: { shape: 'parentId:ARTIFACT', test: '0' },
  EXECUTION: { shape: 'parentId:EXECUTION', test: '0' },
  CONTEXT: {
    shape: 'parentId:CONTEXT',
    test: 'EXISTS (SELECT 1 FROM parent_contexts AS c WHERE c.child_id = n.id AND c.parent_id = :parentId)',
    ids: 'SELECT child_id AS node_id FROM parent_contexts WHERE parent_id = :parentId',
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
 * for `ne`; SQLite would otherwise order every number below every string.
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
    test: `EXISTS (SELECT 1 FROM node_properties WHERE node_id = n.id AND ${scope} AND ${match})`,
    ids: `SELECT node_id FROM node_properties WHERE ${scope} AND ${match}`,
  };
}

/** The filter's conditions besides the kind, and every parameter they use. */
function compileFilter(filter: NodeFilter): { conditions: Condition[]; params: SqlParams } {
  const params: SqlParams = { kind: filter.kind, driveLimit: DRIVE_LIMIT };
  const conditions: Condition[] = [];
  const add = (key: string, test: string, value: string | number, ids?: string): void => {
    params[key] = value;
    conditions.push(ids === undefined ? { shape: key, test } : { shape: key, test, ids });
  };
  if (filter.typeIds !== undefined) {
    add('typeIds', 'n.type_id IN (SELECT value FROM json_each(:typeIds))', JSON.stringify([...new Set(filter.typeIds)]),
      `SELECT m.id AS node_id FROM json_each(:typeIds) AS t
        CROSS JOIN nodes AS m INDEXED BY nodes_by_type_name ON m.kind = :kind AND m.type_id = t.value`);
  }
  if (filter.name !== undefined) add('name', 'n.name = :name', filter.name);
  if (filter.externalId !== undefined) {
    add('externalId', 'n.external_id = :externalId', filter.externalId,
      'SELECT id AS node_id FROM nodes WHERE kind = :kind AND external_id = :externalId');
  }
  if (filter.uri !== undefined) {
    add('uri', 'n.uri = :uri', filter.uri, 'SELECT id AS node_id FROM nodes WHERE kind = :kind AND uri = :uri');
  }
  if (filter.state !== undefined) add('state', 'n.state = :state', filter.state);
  if (filter.lastKnownState !== undefined) {
    add('lastKnownState', 'n.last_known_state = :lastKnownState', filter.lastKnownState);
  }
  if (filter.createdAfter !== undefined) add('createdAfter', 'n.create_time > :createdAfter', filter.createdAfter);
  if (filter.createdBefore !== undefined) {
    add('createdBefore', 'n.create_time < :createdBefore', filter.createdBefore);
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
  return { conditions, params };
}

/** A statement ready to run with its parameters. */
export interface BoundQuery {
  statement: PreparedStatement;
  params: SqlParams;
}

/** Composes, plans and caches the listNodes and countNodes statements; use inside a transaction. */
export class NodeQueries {
  private readonly cache = new Map<string, PreparedStatement>();

  constructor(private readonly executor: SqliteExecutor) {}

  /** The statement and parameters for one page of nodes. */
  list(page: NodePage): BoundQuery {
    const { conditions, params } = compileFilter(page);
    const column = ORDER_COLUMN[page.orderBy];
    if (column === undefined) {
      throw new InvalidArgumentError(`unknown order field ${JSON.stringify(page.orderBy)}`, 'orderBy');
    }
    const direction = page.ascending ? 'ASC' : 'DESC';
    const beyond = page.ascending ? '>' : '<';
    let keyset = '';
    if (page.after !== undefined) {
      params.afterId = page.after.id;
      if (page.orderBy === 'id') {
        keyset = `\n  AND n.id ${beyond} :afterId`;
      } else {
        params.afterValue = page.after.value;
        keyset = `\n  AND (${column}, n.id) ${beyond} (:afterValue, :afterId)`;
      }
    }
    params.limit = page.limit;
    const order = page.orderBy === 'id' ? `n.id ${direction}` : `${column} ${direction}, n.id ${direction}`;
    const { key, from } = this.plan(conditions, params, false);
    const sql = `SELECT ${NODE_COLUMNS}\n${from}${keyset}\nORDER BY ${order}\nLIMIT :limit`;
    return { statement: this.prepared(`list|${key}|${page.orderBy}|${direction}|${keyset === '' ? '' : 'after'}`, sql), params };
  }

  /** The statement and parameters counting every node that matches `filter`. */
  count(filter: NodeFilter): BoundQuery {
    const { conditions, params } = compileFilter(filter);
    const { key, from } = this.plan(conditions, params, true);
    return { statement: this.prepared(`count|${key}`, `SELECT count(*) AS count\n${from}`), params };
  }

  /**
   * FROM and WHERE. The indexed condition with the fewest rows drives the query when it
   * has fewer than DRIVE_LIMIT, or whenever it is a count (which visits every match
   * anyway, and an index range visits fewer rows than the node table); otherwise the
   * node table does.
   */
  private plan(conditions: Condition[], params: SqlParams, counting: boolean): { key: string; from: string } {
    let driver = -1;
    let fewest = Infinity;
    conditions.forEach((condition, i) => {
      if (condition.ids === undefined) return;
      const probe = this.prepared(`probe|${condition.shape}`,
        `SELECT count(*) AS count FROM (${condition.ids} LIMIT :driveLimit)`);
      const count = probe.get<{ count: number }>(params)?.count ?? 0;
      if (count < fewest) {
        driver = i;
        fewest = count;
      }
    });
    if (fewest >= DRIVE_LIMIT && !counting) driver = -1;
    const tests = ['n.kind = :kind', ...conditions.filter((_, i) => i !== driver).map((c) => c.test)];
    const where = `WHERE ${tests.join('\n  AND ')}`;
    const shapes = conditions.map((c) => c.shape).join(',');
    const drivingCondition = conditions[driver];
    if (drivingCondition?.ids === undefined) {
      return { key: `scan|${shapes}`, from: `FROM nodes AS n\n${where}` };
    }
    return {
      key: `driven:${driver}|${shapes}`,
      from: `FROM (${drivingCondition.ids}) AS d CROSS JOIN nodes AS n ON n.id = d.node_id\n${where}`,
    };
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
