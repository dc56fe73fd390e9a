/**
 * The Find view's question, built from its route: which kinds to search, and the filter
 * (ML Metadata's filter language, the `where` argument) each kind gets. Kept apart from the
 * view so the rules are unit-tested.
 */
export type FindKind = 'artifacts' | 'executions' | 'contexts';
export const FIND_KINDS: readonly FindKind[] = ['artifacts', 'executions', 'contexts'];

export interface FindCriteria {
  /** Name contains. */
  q: string;
  /** URI contains (artifacts only: executions and contexts have none). */
  uri: string;
  /** A property's name, the value it must have ('' for any), and whether it is a custom property. */
  prop: string;
  value: string;
  custom: boolean;
  /** One kind, or null for all three. */
  kind: FindKind | null;
  /** A type name of that kind (a type name is per kind). */
  type: string;
  /** The advanced box: a filter in ML Metadata's language, ANDed with the rest. */
  where: string;
  /** The cursor of the page to continue after (one kind only). */
  after: string | null;
}

/**
 * A string literal of the filter language, which takes ZetaSQL's backslash escapes (as ML
 * Metadata parses it): a backslash and the quote are escaped, everything else is itself.
 */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A property name as the filter language takes it: a bare word, or backquoted with the same escapes. */
export function propertyName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

/**
 * A typed value as the property predicate compares it: a JSON scalar when it reads as one
 * (0.02 a number, true a boolean, "0.02" the string), else the text itself.
 */
export function propertyValue(text: string): string | number | boolean {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  } catch {
    // not JSON: the text is the string to match
  }
  return text;
}

/** The `filter.properties` predicate: a property (declared, or custom) equal to the value. */
export function propertyPredicate(c: FindCriteria): { name: string; custom: boolean; eq: string | number | boolean } | null {
  return c.prop === '' || c.value === '' ? null : { name: c.prop, custom: c.custom, eq: propertyValue(c.value) };
}

/**
 * "Has the property, any value": the filter language, since a predicate needs a value. One
 * scope only: each property the filter names must exist for a node to match (it is a join),
 * so declared OR custom cannot be said in one filter.
 */
export function hasProperty(name: string, custom: boolean): string {
  const at = `${custom ? 'custom_properties' : 'properties'}.${propertyName(name)}`;
  return `(${['string_value', 'int_value', 'double_value', 'bool_value'].map((kind) => `${at}.${kind} IS NOT NULL`).join(' OR ')})`;
}

/** A LIKE pattern for "contains" (LIKE has no escape character: a % or _ in the text is a wildcard). */
export function contains(column: string, text: string): string {
  return `${column} LIKE ${quote(`%${text}%`)}`;
}

export function criteriaFromParams(params: URLSearchParams): FindCriteria {
  const kind = FIND_KINDS.find((k) => k === params.get('kind')) ?? null;
  return {
    q: params.get('q') ?? '',
    uri: params.get('uri') ?? '',
    prop: params.get('prop') ?? '',
    value: params.get('prop') ? (params.get('value') ?? '') : '',
    custom: params.get('prop') ? params.get('custom') === '1' : false,
    kind,
    type: kind ? (params.get('type') ?? '') : '',
    where: params.get('where') ?? '',
    after: kind ? params.get('after') : null,
  };
}

/** Whether a kind is searched: the chosen one, or all three; a URI search is of artifacts only. */
export function searches(criteria: FindCriteria, kind: FindKind): boolean {
  if (criteria.kind !== null && criteria.kind !== kind) return false;
  return criteria.uri === '' || kind === 'artifacts';
}

/** The `where` of one kind: every given criterion ANDed, the advanced filter in parentheses; null for none. */
export function whereFor(criteria: FindCriteria, kind: FindKind): string | null {
  const parts: string[] = [];
  if (criteria.q !== '') parts.push(contains('name', criteria.q));
  if (criteria.uri !== '' && kind === 'artifacts') parts.push(contains('uri', criteria.uri));
  if (criteria.prop !== '' && criteria.value === '') parts.push(hasProperty(criteria.prop, criteria.custom));
  const where = criteria.where.trim();
  // Alone, the advanced filter goes as typed, so the column the server's error names is the
  // user's column; with other criteria it is parenthesised (the page shows what was sent).
  if (parts.length === 0) return where === '' ? null : where;
  if (where !== '') parts.push(`(${where})`);
  return parts.join(' AND ');
}

/** The variables of FIND_QUERY for these criteria. */
export function findVariables(criteria: FindCriteria, first: number): Record<string, unknown> {
  const vars: Record<string, unknown> = { first };
  for (const kind of FIND_KINDS) {
    const short = kind[0];
    vars[`${short}In`] = searches(criteria, kind);
    vars[`${short}Where`] = whereFor(criteria, kind);
    const filter: Record<string, unknown> = {};
    if (criteria.kind === kind && criteria.type !== '') filter.type = criteria.type;
    const predicate = propertyPredicate(criteria);
    if (predicate) filter.properties = [predicate];
    vars[`${short}Filter`] = Object.keys(filter).length > 0 ? filter : null;
    vars[`${short}After`] = criteria.kind === kind ? criteria.after : null;
  }
  return vars;
}
