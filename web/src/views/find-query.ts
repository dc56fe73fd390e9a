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
  /** One kind, or null for all three. */
  kind: FindKind | null;
  /** A type name of that kind (a type name is per kind). */
  type: string;
  /** The advanced box: a filter in ML Metadata's language, ANDed with the rest. */
  where: string;
  /** The cursor of the page to continue after (one kind only). */
  after: string | null;
}

/** A string literal of the filter language: quotes are doubled, the language's only escape. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A LIKE pattern for "contains": % and _ in the text are wildcards in LIKE, so they match themselves only loosely. */
function contains(column: string, text: string): string {
  return `${column} LIKE ${quote(`%${text}%`)}`;
}

export function criteriaFromParams(params: URLSearchParams): FindCriteria {
  const kind = FIND_KINDS.find((k) => k === params.get('kind')) ?? null;
  return {
    q: params.get('q') ?? '',
    uri: params.get('uri') ?? '',
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
    vars[`${short}Filter`] = criteria.kind === kind && criteria.type !== '' ? { type: criteria.type } : null;
    vars[`${short}After`] = criteria.kind === kind ? criteria.after : null;
  }
  return vars;
}
