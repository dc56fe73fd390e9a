/**
 * The typed form of ML Metadata's filter language (`ListOperationOptions.filter_query`)
 * as the store seam takes it: the service parses and checks the text
 * (src/service/metadata/filter-parser.ts), each backend compiles this tree to one
 * parameterised condition (sqlite/sqlite-filter.ts, neo4j/neo4j-filter.ts).
 *
 * Meaning, as ML Metadata gives it: every neighbour the filter names (`contexts_a`,
 * `events_0`, `properties.p`, ...) is an inner join, so a node matches when SOME choice of
 * one row per named neighbour makes the expression true; a node lacking any named
 * neighbour (no context, no property `p`) never matches, even under OR or NOT. Two
 * mentions of one alias are the same row. Comparisons follow SQL's three-valued logic: an
 * absent value (a null name, a property value of another kind) compares as unknown.
 */

/** A field of a node (or of a neighbour node), as the filter names it. */
export type FilterNodeField =
  | 'id' | 'typeId' | 'type' | 'name' | 'externalId' | 'uri' | 'state' | 'lastKnownState'
  | 'createTime' | 'updateTime';

/** A field of an event neighbour; `otherId` is the mlmdId of the event's other end. */
export type FilterEventField = 'type' | 'time' | 'otherId';

/** Which value of a property: ML Metadata's `int_value`, `double_value`, `string_value`, `bool_value`. */
export type FilterValueKind = 'int' | 'double' | 'string' | 'bool';

/**
 * A neighbour joined to the node. Contexts of an artifact are its attributions, of an
 * execution its associations; `artifact`/`execution` are a context's members; events join
 * an artifact or an execution to its events.
 */
export type FilterJoin =
  | { kind: 'context' | 'parentContext' | 'childContext' | 'artifact' | 'execution' | 'event' }
  | { kind: 'property'; custom: boolean; name: string };

/** What a predicate reads: a field of the node, or of the join at `join` (an index into FilterQuery.joins). */
export type FilterOperand =
  | { on: 'node'; field: FilterNodeField }
  | { on: 'neighbour'; join: number; field: FilterNodeField }
  | { on: 'event'; join: number; field: FilterEventField }
  | { on: 'property'; join: number; value: FilterValueKind };

/** A literal. Enum values (states, event types) are their names. */
export type FilterValue = string | number | boolean;

export type FilterComparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterExpr =
  | { op: 'and' | 'or'; args: FilterExpr[] }
  | { op: 'not'; arg: FilterExpr }
  | { op: 'compare'; operand: FilterOperand; cmp: FilterComparison; value: FilterValue }
  /** SQL LIKE: `%` any run, `_` one character, ASCII letters in either case; no escape character. */
  | { op: 'like'; operand: FilterOperand; pattern: string; negated: boolean }
  | { op: 'in'; operand: FilterOperand; values: FilterValue[]; negated: boolean }
  | { op: 'isNull'; operand: FilterOperand; negated: boolean };

/** A checked filter: the expression and the neighbours it joins, each once, in order of first mention. */
export interface FilterQuery {
  expr: FilterExpr;
  joins: FilterJoin[];
}

/** Whether the expression reads the type (name or id) of the node itself. */
export function readsNodeType(expr: FilterExpr): boolean {
  return someOperand(expr, (o) => o.on === 'node' && (o.field === 'type' || o.field === 'typeId'));
}

/** Whether the expression reads the type (name or id) of the join at `join`. */
export function readsJoinType(expr: FilterExpr, join: number): boolean {
  return someOperand(expr, (o) => o.on === 'neighbour' && o.join === join && (o.field === 'type' || o.field === 'typeId'));
}

/** Whether the expression reads the other end of event join `join` (its `execution_id` or `artifact_id`). */
export function readsEventOtherEnd(expr: FilterExpr, join: number): boolean {
  return someOperand(expr, (o) => o.on === 'event' && o.join === join && o.field === 'otherId');
}

/**
 * `parts` joined by `op` as a balanced tree, `((a OR b) OR (c OR d))`: a flat chain of n
 * nests n deep in SQLite's parser, whose expression depth is capped at 1000; balanced it
 * nests log2(n) deep.
 */
export function joinBalanced(parts: readonly string[], op: 'AND' | 'OR'): string {
  if (parts.length === 1) return parts[0]!;
  const middle = Math.ceil(parts.length / 2);
  return `(${joinBalanced(parts.slice(0, middle), op)}) ${op} (${joinBalanced(parts.slice(middle), op)})`;
}

/** How many predicates (comparisons, LIKE, IN, IS NULL) the expression holds. */
export function countPredicates(expr: FilterExpr): number {
  switch (expr.op) {
    case 'and': case 'or': return expr.args.reduce((sum, a) => sum + countPredicates(a), 0);
    case 'not': return countPredicates(expr.arg);
    default: return 1;
  }
}

function someOperand(expr: FilterExpr, test: (operand: FilterOperand) => boolean): boolean {
  switch (expr.op) {
    case 'and': case 'or': return expr.args.some((a) => someOperand(a, test));
    case 'not': return someOperand(expr.arg, test);
    default: return test(expr.operand);
  }
}
