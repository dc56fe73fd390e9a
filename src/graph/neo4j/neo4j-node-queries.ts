/**
 * The listNodes and countNodes statements, put together from the fragments in
 * `cypher/nodes/list/`: one MATCH chosen by kind and by the link filter, a WHERE
 * condition for each filter field that is set, and an ORDER BY/LIMIT chosen by the order.
 * Only fragment texts and the keywords WHERE/AND are joined; every value is a parameter.
 * One statement per combination (rather than `$x IS NULL OR ...` for all) lets the
 * planner seek the index of whichever field is set.
 */
import type { NodeKind } from '../model.js';
import type { NodeFilter, NodePage, OrderField, PropertyPredicate } from '../store.js';
import type { StatementName, Statements } from './neo4j-statements.js';
import { scalarPropertyKey } from './neo4j-records.js';
import { compileCypherFilter } from './neo4j-filter.js';

export interface BuiltStatement {
  text: string;
  params: Record<string, unknown>;
}

const MATCH_ALL: Record<NodeKind, StatementName> = {
  ARTIFACT: 'nodes/list/match/artifacts',
  EXECUTION: 'nodes/list/match/executions',
  CONTEXT: 'nodes/list/match/contexts',
};

type Direction = 'ascending' | 'descending';
const ORDER_WORD: Record<OrderField, string> = { id: 'id', createTime: 'create-time', updateTime: 'update-time' };
const afterFragment = (field: OrderField, direction: Direction): StatementName =>
  `nodes/list/after/${ORDER_WORD[field]}-${direction}` as StatementName;
const pageFragment = (field: OrderField, direction: Direction): StatementName =>
  `nodes/list/page/${ORDER_WORD[field]}-${direction}` as StatementName;

/** A condition: the fragment (or, for a filter query, the text compiled from its fragments) and the parameters it reads. */
interface Condition { fragment: StatementName | { text: string }; params: Record<string, unknown> }
/** The MATCH a statement starts with: always a fragment of its own. */
interface Match { fragment: StatementName; params: Record<string, unknown> }

/**
 * The MATCH fragment for the filter, or null when the filter asks for something no node
 * of its kind can have (a context attributed to a context, an artifact with a parent
 * context, an execution with a uri): such a filter matches nothing.
 */
function matchFor(filter: NodeFilter): Match | null {
  const { kind } = filter;
  if (filter.contextId !== undefined && filter.parentId !== undefined) return null;
  if (filter.contextId !== undefined) {
    if (kind === 'CONTEXT') return null;
    const fragment = kind === 'ARTIFACT' ? 'nodes/list/match/artifacts-in-context' : 'nodes/list/match/executions-in-context';
    return { fragment, params: { contextId: filter.contextId } };
  }
  if (filter.parentId !== undefined) {
    if (kind !== 'CONTEXT') return null;
    return { fragment: 'nodes/list/match/children-of-context', params: { parentId: filter.parentId } };
  }
  return { fragment: MATCH_ALL[kind], params: {} };
}

/** The stored form of a predicate: the key it reads instead of its name and kind of property. */
const predicateParam = (p: PropertyPredicate): Record<string, unknown> =>
  ({ key: scalarPropertyKey(p.name, p.custom), op: p.op, value: p.value });

/** The WHERE conditions of the filter's fields, or null when one of them cannot match. */
function conditionsFor(filter: NodeFilter): Condition[] | null {
  const { kind } = filter;
  if (filter.typeIds !== undefined && filter.typeIds.length === 0) return null;
  if ((filter.uri !== undefined || filter.state !== undefined) && kind !== 'ARTIFACT') return null;
  if (filter.lastKnownState !== undefined && kind !== 'EXECUTION') return null;
  const conditions: Condition[] = [];
  const add = (fragment: StatementName, params: Record<string, unknown>): void => { conditions.push({ fragment, params }); };
  if (filter.typeIds !== undefined) add('nodes/list/where/type-ids', { typeIds: filter.typeIds });
  if (filter.name !== undefined) add('nodes/list/where/name', { name: filter.name });
  if (filter.externalId !== undefined) add('nodes/list/where/external-id', { externalId: filter.externalId });
  if (filter.uri !== undefined) add('nodes/list/where/uri', { uri: filter.uri });
  if (filter.state !== undefined) add('nodes/list/where/state', { state: filter.state });
  if (filter.lastKnownState !== undefined) add('nodes/list/where/last-known-state', { lastKnownState: filter.lastKnownState });
  if (filter.createdAfter !== undefined) add('nodes/list/where/created-after', { createdAfter: filter.createdAfter });
  if (filter.createdBefore !== undefined) add('nodes/list/where/created-before', { createdBefore: filter.createdBefore });
  if (filter.properties !== undefined && filter.properties.length > 0) {
    add('nodes/list/where/properties', { propertyPredicates: filter.properties.map(predicateParam) });
  }
  if (filter.where !== undefined) {
    const where = compileCypherFilter(filter.where, kind);
    conditions.push({ fragment: { text: where.text }, params: where.params });
  }
  return conditions;
}

function assemble(statements: Statements, match: Match, conditions: Condition[], tail: StatementName, tailParams: Record<string, unknown>): BuiltStatement {
  const where = conditions.length === 0
    ? ''
    : `\nWHERE ${conditions.map((c) => (typeof c.fragment === 'string' ? statements[c.fragment] : c.fragment.text)).join('\n  AND ')}`;
  return {
    text: `${statements[match.fragment]}${where}\n${statements[tail]}`,
    params: Object.assign({}, match.params, ...conditions.map((c) => c.params), tailParams),
  };
}

/** The statement for one page of nodes, or null when the filter matches nothing. */
export function buildListStatement(statements: Statements, page: NodePage): BuiltStatement | null {
  const match = matchFor(page);
  const conditions = conditionsFor(page);
  if (match === null || conditions === null) return null;
  if (!Number.isSafeInteger(page.limit) || page.limit < 0) throw new Error(`limit must be a non-negative integer, got ${page.limit}`);
  const direction: Direction = page.ascending ? 'ascending' : 'descending';
  if (page.after !== undefined) {
    const params = page.orderBy === 'id' ? { afterId: page.after.id } : { afterValue: page.after.value, afterId: page.after.id };
    conditions.push({ fragment: afterFragment(page.orderBy, direction), params });
  }
  return assemble(statements, match, conditions, pageFragment(page.orderBy, direction), { limit: page.limit });
}

/** The statement counting the nodes a filter matches, or null when it matches nothing. */
export function buildCountStatement(statements: Statements, filter: NodeFilter): BuiltStatement | null {
  const match = matchFor(filter);
  const conditions = conditionsFor(filter);
  if (match === null || conditions === null) return null;
  return assemble(statements, match, conditions, 'nodes/list/count', {});
}
