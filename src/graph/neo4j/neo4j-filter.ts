/**
 * A filter query (src/graph/filter-query.ts) as one Cypher condition on the node `n`,
 * mirroring sqlite/sqlite-filter.ts. A filter is a tree of any shape, so its text cannot be
 * one file of cypher/: it is put together here from the closed set of fragments below
 * (labels and relationship types from fixed maps, never from input), and every value,
 * property keys included, is a parameter (`$where_0`, ...).
 *
 * ML Metadata joins each neighbour the filter names, so the condition is
 *   EXISTS { MATCH <neighbour 0> MATCH <neighbour 1> ... WHERE <expression> }
 * one MATCH per neighbour, so that two aliases may meet the same node or event (within one
 * MATCH, Cypher would keep their relationships apart). A property the filter names must be
 * present, as ML Metadata's join demands. Cypher's null logic is SQL's; LIKE becomes a
 * regular expression that, as SQLite's LIKE, ignores the case of ASCII letters only.
 */
import type { FilterExpr, FilterJoin, FilterNodeField, FilterOperand, FilterQuery, FilterValueKind } from '../filter-query.js';
import { joinBalanced, readsJoinType, readsNodeType } from '../filter-query.js';
import type { NodeKind } from '../model.js';
import { scalarPropertyKey, structPropertyKey } from './neo4j-records.js';

/** A node's stored property for each field; `type` and `typeId` are read from its type node `<t>t`. */
const NODE_PROPERTY: Record<FilterNodeField, (t: string) => string> = {
  id: (t) => `${t}.mlmdId`,
  typeId: (t) => `${t}t.mlmdId`,
  type: (t) => `${t}t.name`,
  name: (t) => `${t}.name`,
  externalId: (t) => `${t}.externalId`,
  // ML Metadata stores an artifact without a uri as '' (uri IS NULL never holds, uri = '' does).
  uri: (t) => `coalesce(${t}.uri, '')`,
  state: (t) => `${t}.state`,
  lastKnownState: (t) => `${t}.lastKnownState`,
  createTime: (t) => `${t}.createTime`,
  updateTime: (t) => `${t}.updateTime`,
};

/** A stored scalar as one of ML Metadata's typed columns: null when of another kind (see sqlite-filter.ts). */
const PROPERTY_VALUE: Record<FilterValueKind, (v: string, struct: string, protoPattern: string) => string> = {
  int: (v) => `(CASE WHEN ${v} IS :: INTEGER OR (${v} IS :: FLOAT AND ${v} = floor(${v})) THEN ${v} END)`,
  double: (v) => `(CASE WHEN ${v} IS :: INTEGER | FLOAT THEN ${v} END)`,
  // ML Metadata keeps a STRUCT as text in string_value (so it IS NOT NULL and matches
  // LIKE '%'), a PROTO in a column of its own: here a STRUCT's string is its JSON text.
  string: (v, struct, protoPattern) => `(CASE WHEN ${v} IS :: STRING NOT NULL THEN ${v} WHEN ${struct} IS NOT NULL AND NOT (${struct} =~ ${protoPattern}) THEN ${struct} END)`,
  bool: (v) => `(CASE WHEN ${v} IS :: BOOLEAN THEN ${v} END)`,
};

/** A PROTO value's JSON text (model.ts isProtoValue: exactly typeUrl and value, as JSON.stringify writes them). */
const PROTO_JSON = '\\{"(typeUrl|value)":"(?:[^"\\\\]|\\\\.)*","(typeUrl|value)":"(?:[^"\\\\]|\\\\.)*"\\}';

/** The pattern reaching each neighbour `j` of a node `n` of each kind. */
const NEIGHBOUR_PATTERN: Record<Exclude<FilterJoin['kind'], 'property'>, Partial<Record<NodeKind, (j: string) => string>>> = {
  context: {
    ARTIFACT: (j) => `(${j}:Context)-[:ATTRIBUTION]->(n)`,
    EXECUTION: (j) => `(${j}:Context)-[:ASSOCIATION]->(n)`,
  },
  artifact: { CONTEXT: (j) => `(n)-[:ATTRIBUTION]->(${j}:Artifact)` },
  execution: { CONTEXT: (j) => `(n)-[:ASSOCIATION]->(${j}:Execution)` },
  parentContext: { CONTEXT: (j) => `(${j}:Context)-[:PARENT_CONTEXT]->(n)` },
  childContext: { CONTEXT: (j) => `(n)-[:PARENT_CONTEXT]->(${j}:Context)` },
  // The event's other end is `<j>x`; edges point along the data flow, so either way round.
  event: {
    ARTIFACT: (j) => `(n)-[${j}:EVENT]-(${j}x:Execution)`,
    EXECUTION: (j) => `(n)-[${j}:EVENT]-(${j}x:Artifact)`,
  },
};

const CYPHER_COMPARISON = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

/** A compiled filter: a condition on `n` and its parameters. */
export interface CypherFilter {
  text: string;
  params: Record<string, unknown>;
}

/**
 * SQL LIKE as a Java regular expression that Cypher's `=~` matches against the whole text:
 * `_` one character and `%` any run, newlines included (DOTALL); `(?i)` without UNICODE_CASE
 * folds ASCII letters only, as SQLite's LIKE does. Every ASCII character but letters and
 * digits is written as its code (`\x{25}`), so no input is read as regex syntax.
 *
 * Naive `.*` for each `%` backtracks without bound (a pattern of many `%` against a long
 * text took Neo4j past 30 s). The pieces between `%`s have fixed lengths, so taking each
 * middle piece at its leftmost place loses no match; an atomic group `(?>.*?piece)` does
 * exactly that and never backtracks into it, and only the last piece is left to find its
 * place at the end. The time is then linear in the text for each piece.
 */
export function likeToRegex(pattern: string): string {
  const pieces = pattern.split(/%+/).map((piece) => [...piece].map(regexOfLikeCharacter).join(''));
  if (pieces.length === 1) return `(?is)${pieces[0]!}`;
  const middle = pieces.slice(1, -1).map((piece) => `(?>.*?${piece})`).join('');
  return `(?is)${pieces[0]!}${middle}.*${pieces.at(-1)!}`;
}

function regexOfLikeCharacter(c: string): string {
  if (c === '_') return '.';
  return c < '\u0080' && !/[A-Za-z0-9]/.test(c) ? `\\x{${c.charCodeAt(0).toString(16)}}` : c;
}

/** The condition for `filter` on nodes of `kind` bound to `n`; parameters are named `where_<number>`. */
export function compileCypherFilter(filter: FilterQuery, kind: NodeKind): CypherFilter {
  const params: Record<string, unknown> = {};
  const param = (value: unknown): string => {
    const name = `where_${Object.keys(params).length}`;
    params[name] = value;
    return `$${name}`;
  };
  const matches: string[] = [];
  if (readsNodeType(filter.expr)) matches.push('MATCH (nt:Type {id: n.typeId})');
  const present: string[] = [];
  const propertyKeys: string[] = [];
  const structKeys: string[] = [];
  let protoPattern: string | undefined;
  filter.joins.forEach((join, i) => {
    const j = `j${i}`;
    if (join.kind === 'property') {
      const key = param(scalarPropertyKey(join.name, join.custom));
      propertyKeys[i] = key;
      // Present in any kind, as ML Metadata's join finds the row: a STRUCT or PROTO value is
      // kept under its own key, and no comparison of a scalar kind matches it.
      const structKey = param(structPropertyKey(join.name, join.custom));
      structKeys[i] = structKey;
      present.push(`(n[${key}] IS NOT NULL OR n[${structKey}] IS NOT NULL)`);
      return;
    }
    const pattern = NEIGHBOUR_PATTERN[join.kind][kind];
    // The parser offers each kind only its own neighbours; this guards the seam.
    if (pattern === undefined) throw new Error(`a ${kind.toLowerCase()} has no ${join.kind} neighbour`);
    matches.push(`MATCH ${pattern(j)}`);
    if (readsJoinType(filter.expr, i)) matches.push(`MATCH (${j}t:Type {id: ${j}.typeId})`);
  });
  const operand = (o: FilterOperand): string => {
    switch (o.on) {
      case 'node': return NODE_PROPERTY[o.field]('n');
      case 'neighbour': return NODE_PROPERTY[o.field](`j${o.join}`);
      case 'event':
        if (o.field === 'type') return `j${o.join}.type`;
        if (o.field === 'time') return `j${o.join}.time`;
        return `j${o.join}x.mlmdId`;
      case 'property':
        protoPattern ??= param(PROTO_JSON);
        return PROPERTY_VALUE[o.value](`n[${propertyKeys[o.join]!}]`, `n[${structKeys[o.join]!}]`, protoPattern);
    }
  };
  const expression = (expr: FilterExpr): string => {
    switch (expr.op) {
      case 'and': case 'or':
        return joinBalanced(expr.args.map(expression), expr.op === 'and' ? 'AND' : 'OR');
      case 'not':
        return `NOT (${expression(expr.arg)})`;
      case 'compare':
        return `${operand(expr.operand)} ${CYPHER_COMPARISON[expr.cmp]} ${param(expr.value)}`;
      case 'like': {
        const test = `${operand(expr.operand)} =~ ${param(likeToRegex(expr.pattern))}`;
        return expr.negated ? `NOT (${test})` : test;
      }
      case 'in': {
        const test = `${operand(expr.operand)} IN ${param(expr.values)}`;
        return expr.negated ? `NOT (${test})` : test;
      }
      case 'isNull':
        return `${operand(expr.operand)} ${expr.negated ? 'IS NOT NULL' : 'IS NULL'}`;
    }
  };
  const where = [...present, `(${expression(filter.expr)})`].join(' AND ');
  if (matches.length === 0) return { text: `(${where})`, params };
  return { text: `EXISTS {\n  ${matches.join('\n  ')}\n  WHERE ${where}\n}`, params };
}
