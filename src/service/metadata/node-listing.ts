/**
 * Listing nodes: filter validation, type-name resolution and keyset pages with opaque
 * cursors. Asks the store for one row more than the page to learn hasNextPage without
 * a count.
 */
import { InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import type { NodeKind } from '../../graph/model.js';
import { ARTIFACT_STATES, EXECUTION_STATES, TYPE_KIND_OF } from '../../graph/model.js';
import type { GraphStore, NodeFilter, OrderField, PredicateOp, PropertyPredicate, ScalarValue } from '../../graph/store.js';
import { decodeAfter, pageOfRows, pageSize, type CountedPage, type SortKey } from '../shared/paging.js';
import type { NodeFilterInput, PageInput, PropertyPredicateInput } from './inputs.js';
import type { NodeRecord } from '../../graph/model.js';
import { countPredicates, type FilterQuery } from '../../graph/filter-query.js';
import { parseFilterQuery } from './filter-parser.js';
import { describe, isPresent, MAX_TEXT_LENGTH, requireBatch, requireEnum, requireExactJson, optionalName, requireInt, requireName } from '../shared/validate.js';

const ORDER_FIELDS: Record<string, OrderField> = { CREATE_TIME: 'createTime', UPDATE_TIME: 'updateTime', ID: 'id' };
const OPS: readonly PredicateOp[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in'];

const isScalar = (v: unknown): v is ScalarValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function validatePredicate(p: PropertyPredicateInput, field: string): PropertyPredicate {
  const name = requireName(p?.name, `${field}.name`);
  const given = OPS.filter((op) => isPresent((p as unknown as Record<string, unknown>)[op]));
  if (given.length !== 1) {
    throw new InvalidArgumentError(`${field} must have exactly one of ${OPS.join(', ')}, got ${given.length}`, field);
  }
  const op = given[0]!;
  const raw = (p as unknown as Record<string, unknown>)[op];
  if (op === 'in') {
    const values = requireBatch<unknown>(raw, `${field}.in`);
    values.forEach((v, i) => {
      if (!isScalar(v)) throw new InvalidArgumentError(`${field}.in[${i}] must be a number, string or boolean, got ${describe(v)}`, `${field}.in[${i}]`);
      requireExactJson(v, `${field}.in[${i}]`);
    });
    return { name, custom: p.custom === true, op, value: values as ScalarValue[] };
  }
  if (!isScalar(raw)) throw new InvalidArgumentError(`${field}.${op} must be a number, string or boolean, got ${describe(raw)}`, `${field}.${op}`);
  // A rounded big integer would match some other stored value, silently.
  requireExactJson(raw, `${field}.${op}`);
  return { name, custom: p.custom === true, op, value: raw };
}

function optionalTime(v: unknown, field: string): number | undefined {
  return isPresent(v) ? requireInt(v, field, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) : undefined;
}

/**
 * Most property predicates one filter may hold. SQLite turns them into one expression
 * whose depth it caps at 1000 (929 predicates ran, 930 did not); half of that leaves room
 * for the filter's other conditions. Neo4j takes them as one list parameter.
 */
export const MAX_PROPERTY_PREDICATES = 500;

/**
 * The one entry both faces use for ML Metadata's filter language: `text` parsed and checked
 * for `kind`, ready for NodeFilter.where; FilterQueryError (INVALID_ARGUMENT) naming `field`
 * and the column when it is malformed. Absent or blank text filters nothing.
 */
export function parseWhere(kind: NodeKind, text: unknown, field = 'where'): FilterQuery | undefined {
  if (!isPresent(text)) return undefined;
  if (typeof text !== 'string') throw new InvalidArgumentError(`${field} must be a string, got ${describe(text)}`, field);
  if (text.trim() === '') return undefined;
  return parseFilterQuery(text, kind, field);
}

/**
 * The store filter for a validated input filter; type names are resolved to every
 * version's id. `where` (ML Metadata's filter language, see parseWhere) is ANDed with it.
 */
export async function resolveFilter(
  store: GraphStore, kind: NodeKind, input: NodeFilterInput | null | undefined, field = 'filter',
  where?: { text: unknown; field: string },
): Promise<NodeFilter> {
  const f = input ?? {};
  const filter: NodeFilter = { kind };
  // Parsed first: a malformed filter costs no store call.
  const parsed = where === undefined ? undefined : parseWhere(kind, where.text, where.field);
  if (parsed !== undefined) filter.where = parsed;
  // Before the type look-up: a filter no backend could run costs no store call.
  const predicates = isPresent(f.properties) ? requireBatch<PropertyPredicateInput>(f.properties, `${field}.properties`) : undefined;
  if (predicates !== undefined && predicates.length > MAX_PROPERTY_PREDICATES) {
    throw new InvalidArgumentError(
      `${field}.properties takes at most ${MAX_PROPERTY_PREDICATES} predicates, got ${predicates.length}`, `${field}.properties`);
  }
  // Both become one chain of conditions in SQLite's statement, whose depth is capped.
  const whereCount = parsed === undefined ? 0 : countPredicates(parsed.expr);
  if (where !== undefined && whereCount + (predicates?.length ?? 0) > MAX_PROPERTY_PREDICATES) {
    throw new InvalidArgumentError(`${field}.properties and ${where.field} together take at most ${MAX_PROPERTY_PREDICATES} conditions, got ${
      predicates?.length ?? 0} and ${whereCount}`, where.field);
  }
  if (isPresent(f.type)) {
    const typeName = requireName(f.type, `${field}.type`);
    const version = f.typeVersion === undefined ? undefined : optionalName(f.typeVersion, `${field}.typeVersion`);
    const types = (await store.read((tx) => tx.listTypes(TYPE_KIND_OF[kind])))
      .filter((t) => t.name === typeName && (version === undefined || t.version === version));
    if (types.length === 0) throw new NotFoundError(`${field}.type: no ${kind.toLowerCase()} type ${describe(typeName)}`, `${field}.type`);
    filter.typeIds = types.map((t) => t.id);
  }
  if (isPresent(f.name)) filter.name = requireName(f.name, `${field}.name`);
  if (isPresent(f.externalId)) filter.externalId = requireName(f.externalId, `${field}.externalId`, MAX_TEXT_LENGTH);
  if (isPresent(f.uri)) filter.uri = requireName(f.uri, `${field}.uri`, MAX_TEXT_LENGTH);
  if (isPresent(f.state)) filter.state = requireEnum(f.state, ARTIFACT_STATES, `${field}.state`);
  if (isPresent(f.lastKnownState)) filter.lastKnownState = requireEnum(f.lastKnownState, EXECUTION_STATES, `${field}.lastKnownState`);
  if (isPresent(f.contextId)) filter.contextId = requireName(f.contextId, `${field}.contextId`, MAX_TEXT_LENGTH);
  if (isPresent(f.parentId)) filter.parentId = requireName(f.parentId, `${field}.parentId`, MAX_TEXT_LENGTH);
  const after = optionalTime(f.createdAfter, `${field}.createdAfter`);
  const before = optionalTime(f.createdBefore, `${field}.createdBefore`);
  if (after !== undefined) filter.createdAfter = after;
  if (before !== undefined) filter.createdBefore = before;
  if (predicates !== undefined) filter.properties = predicates.map((p, i) => validatePredicate(p, `${field}.properties[${i}]`));
  return filter;
}

/** The keyset position of a node in a list ordered by `field`: the field's value, then the id. */
const nodeKey = (field: OrderField) => (node: NodeRecord): SortKey => [field === 'id' ? node.id : node[field], node.id];

/** The cursor's keyset position; INVALID_ARGUMENT on `after` when malformed or made for another order. */
function afterPosition(after: unknown, field: OrderField, list: string): { value: number | string; id: string } | undefined {
  const key = decodeAfter(after, list, 'after was made for another order; ask again with the same orderBy');
  if (key === null) return undefined;
  const [value, id] = key;
  const valueOk = field === 'id' ? typeof value === 'string' : typeof value === 'number';
  if (key.length !== 2 || !valueOk || typeof id !== 'string') {
    throw new InvalidArgumentError('after is not a cursor this API made (use an endCursor of an earlier page)', 'after');
  }
  return { value: value!, id };
}

/** One page of nodes in the asked order, with cursors; `first` is 1..1,000 (default 100). */
export async function listNodePage(store: GraphStore, kind: NodeKind, input: PageInput = {}): Promise<CountedPage<NodeRecord>> {
  const first = pageSize(input.first);
  const order = input.orderBy ?? { field: 'CREATE_TIME' };
  const orderBy = ORDER_FIELDS[requireEnum(order.field, Object.keys(ORDER_FIELDS), 'orderBy.field')]!;
  const ascending = order.ascending ?? true;
  // The order is part of the list's name, so a cursor cannot be replayed against another order.
  const list = `nodes by ${orderBy} ${ascending ? 'ascending' : 'descending'}`;
  const filter = await resolveFilter(store, kind, input.filter, 'filter', { text: input.where, field: input.whereField ?? 'where' });
  const after = afterPosition(input.after, orderBy, list);
  const rows = await store.read((tx) => tx.listNodes({ ...filter, orderBy, ascending, ...(after ? { after } : {}), limit: first + 1 }));
  return { ...pageOfRows(rows, first, list, nodeKey(orderBy)), totalCount: () => store.read((tx) => tx.countNodes(filter)) };
}
