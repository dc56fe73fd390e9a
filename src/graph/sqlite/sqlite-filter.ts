/**
 * A filter query (src/graph/filter-query.ts) as one SQL condition on the node row `n`,
 * mirrored by neo4j/neo4j-filter.ts. The text is made of the fixed fragments below, chosen
 * by the tree's shape; every value, property name included, is a parameter (`:w0`, ...),
 * so the text holds no input and names its statement in the cache.
 *
 * ML Metadata joins each neighbour the filter names, so the condition is
 *   EXISTS (SELECT 1 FROM <one join per neighbour, correlated to n> WHERE <expression>)
 * which keeps its meaning exactly: some choice of one row per neighbour satisfies the
 * expression, a node without one of them never matches. Without neighbours it is the
 * expression alone. SQL's own three-valued logic and LIKE (ASCII letters in either case,
 * no escape character) are ML Metadata's on SQLite, so they are used as they are.
 */
import type { FilterExpr, FilterJoin, FilterNodeField, FilterOperand, FilterQuery, FilterValue, FilterValueKind } from '../filter-query.js';
import { joinBalanced, readsEventOtherEnd, readsJoinType, readsNodeType } from '../filter-query.js';
import type { NodeKind } from '../model.js';
import type { SqlParams } from './sqlite-executor.js';

/**
 * The columns of a node row aliased `t`; `tt` is its type's row, joined when the filter reads it.
 * `id` is the ML Metadata id (unique within the node's kind); rows refer to each other by
 * `node_key`, so joins use that and only a value a user wrote is compared with `mlmd_id`.
 */
const NODE_COLUMN: Record<FilterNodeField, (t: string) => string> = {
  id: (t) => `${t}.mlmd_id`,
  typeId: (t) => `${t}.type_id`,
  type: (t) => `${t}t.name`,
  name: (t) => `${t}.name`,
  externalId: (t) => `${t}.external_id`,
  // ML Metadata stores an artifact without a uri as '' (uri IS NULL never holds, uri = '' does).
  uri: (t) => `COALESCE(${t}.uri, '')`,
  state: (t) => `${t}.state`,
  lastKnownState: (t) => `${t}.last_known_state`,
  createTime: (t) => `${t}.create_time`,
  updateTime: (t) => `${t}.update_time`,
};

/**
 * A property row's value as one of ML Metadata's typed columns: null when the stored value
 * is of another kind. Numbers do not keep INT apart from DOUBLE, so int_value is a number
 * with no fraction and double_value any number.
 */
const PROPERTY_VALUE: Record<FilterValueKind, (j: string) => string> = {
  int: (j) => `(CASE WHEN ${j}.value_kind = 'number' AND ${j}.value = CAST(${j}.value AS INTEGER) THEN ${j}.value END)`,
  double: (j) => `(CASE WHEN ${j}.value_kind = 'number' THEN ${j}.value END)`,
  // ML Metadata keeps a STRUCT as text in string_value (so it IS NOT NULL and matches
  // LIKE '%'), a PROTO in a column of its own: here a STRUCT's string is its JSON text
  // (`<j>e`, the map entry), which no other comparison a user writes can meet.
  string: (j) => `(CASE WHEN ${j}.value_kind = 'string' THEN ${j}.value WHEN ${j}e.type IN ('object', 'array') AND NOT ${isProtoSql(`${j}e.value`)} THEN ${j}e.value END)`,
  bool: (j) => `(CASE WHEN ${j}.value_kind = 'boolean' THEN ${j}.value END)`,
};

/** Whether the JSON text `v` is a PROTO value: exactly the two text fields typeUrl and value (model.ts isProtoValue). */
function isProtoSql(v: string): string {
  return `COALESCE(json_type(${v}, '$.typeUrl') = 'text' AND json_type(${v}, '$.value') = 'text' AND (SELECT count(*) FROM json_each(${v})) = 2, 0)`;
}

/** The link table joining a neighbour, its column on the node's side and on the neighbour's. */
const LINKS: Record<Exclude<FilterJoin['kind'], 'property' | 'event'>, Partial<Record<NodeKind, [string, string, string]>>> = {
  context: { ARTIFACT: ['attributions', 'artifact_id', 'context_id'], EXECUTION: ['associations', 'execution_id', 'context_id'] },
  artifact: { CONTEXT: ['attributions', 'context_id', 'artifact_id'] },
  execution: { CONTEXT: ['associations', 'context_id', 'execution_id'] },
  parentContext: { CONTEXT: ['parent_contexts', 'child_id', 'parent_id'] },
  childContext: { CONTEXT: ['parent_contexts', 'parent_id', 'child_id'] },
};

const SQL_COMPARISON = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

/** A compiled filter: a condition on `n` and its parameters. */
export interface SqlFilter {
  test: string;
  params: SqlParams;
}

/** The condition for `filter` on nodes of `kind` aliased `n`; parameters are named `w<number>`. */
export function compileSqlFilter(filter: FilterQuery, kind: NodeKind): SqlFilter {
  const params: SqlParams = {};
  const param = (value: string | number): string => {
    const name = `w${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  };
  const joins = filter.joins.map((join, i) => joinSql(join, i, kind, filter.expr, param));
  const expression = expressionSql(filter.expr, kind, param);
  const nodeType = readsNodeType(filter.expr);
  if (joins.length === 0 && !nodeType) return { test: `(${expression})`, params };
  // Every node has exactly one type, so starting from it multiplies no rows.
  const from = nodeType ? 'types AS nt' : '(SELECT 1)';
  const where = nodeType ? `nt.mlmd_id = n.type_id AND (${expression})` : expression;
  return { test: `EXISTS (SELECT 1 FROM ${from}${joins.map((j) => `\n  ${j}`).join('')}\n  WHERE ${where})`, params };
}

/**
 * The join of neighbour `i`, aliased `j<i>` (its link `l<i>`, its type `j<i>t`, an event's
 * other end `j<i>o`, joined only when the filter reads it: an event always has both ends,
 * so the join adds no row and drops none).
 */
function joinSql(join: FilterJoin, i: number, kind: NodeKind, expr: FilterExpr, param: (v: string | number) => string): string {
  const j = `j${i}`;
  if (join.kind === 'property') {
    // ML Metadata's join finds the property row whatever its kind; node_properties holds
    // scalars only, so the property must be in the node's map (a STRUCT or PROTO value is
    // there alone), and its scalar row, when it has one, is joined for the comparison.
    const map = join.custom ? 'n.custom_properties' : 'n.properties';
    const name = param(join.name);
    return `JOIN json_each(${map}) AS ${j}e ON ${j}e.key = ${name}
  LEFT JOIN node_properties AS ${j} ON ${j}.node_id = n.node_key AND ${j}.is_custom = ${param(join.custom ? 1 : 0)} AND ${j}.name = ${name}`;
  }
  if (join.kind === 'event') {
    const [near, far] = kind === 'ARTIFACT' ? ['artifact_id', 'execution_id'] : ['execution_id', 'artifact_id'];
    const otherEnd = readsEventOtherEnd(expr, i) ? ` JOIN nodes AS ${j}o ON ${j}o.node_key = ${j}.${far}` : '';
    return `JOIN events AS ${j} ON ${j}.${near} = n.node_key${otherEnd}`;
  }
  const link = LINKS[join.kind][kind];
  // The parser offers each kind only its own neighbours; this guards the seam.
  if (link === undefined) throw new Error(`a ${kind.toLowerCase()} has no ${join.kind} neighbour`);
  const [table, near, far] = link;
  const l = `l${i}`;
  const type = readsJoinType(expr, i) ? ` JOIN types AS ${j}t ON ${j}t.mlmd_id = ${j}.type_id` : '';
  return `JOIN ${table} AS ${l} ON ${l}.${near} = n.node_key JOIN nodes AS ${j} ON ${j}.node_key = ${l}.${far}${type}`;
}

function operandSql(operand: FilterOperand, kind: NodeKind): string {
  switch (operand.on) {
    case 'node': return operand.field === 'type' ? 'nt.name' : NODE_COLUMN[operand.field]('n');
    case 'neighbour': return NODE_COLUMN[operand.field](`j${operand.join}`);
    case 'event': {
      const j = `j${operand.join}`;
      if (operand.field === 'type') return `${j}.type`;
      if (operand.field === 'time') return `${j}.time`;
      // The event's other end: the event holds its node_key, the user wrote its ML Metadata id.
      return `${j}o.mlmd_id`;
    }
    case 'property': return PROPERTY_VALUE[operand.value](`j${operand.join}`);
  }
}

/** A literal as SQLite stores it: booleans are 1 and 0. */
const sqlValue = (value: FilterValue): string | number => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

function expressionSql(expr: FilterExpr, kind: NodeKind, param: (v: string | number) => string): string {
  const operand = (o: FilterOperand): string => operandSql(o, kind);
  switch (expr.op) {
    case 'and': case 'or':
      return joinBalanced(expr.args.map((a) => expressionSql(a, kind, param)), expr.op === 'and' ? 'AND' : 'OR');
    case 'not':
      return `NOT (${expressionSql(expr.arg, kind, param)})`;
    case 'compare':
      return `${operand(expr.operand)} ${SQL_COMPARISON[expr.cmp]} ${param(sqlValue(expr.value))}`;
    case 'like':
      return `${operand(expr.operand)} ${expr.negated ? 'NOT LIKE' : 'LIKE'} ${param(expr.pattern)}`;
    case 'in':
      // One parameter whatever the list's length, so the text (and its prepared statement) does not vary with it.
      return `${operand(expr.operand)} ${expr.negated ? 'NOT IN' : 'IN'} (SELECT value FROM json_each(${param(JSON.stringify(expr.values))}))`;
    case 'isNull':
      return `${operand(expr.operand)} ${expr.negated ? 'IS NOT NULL' : 'IS NULL'}`;
  }
}
