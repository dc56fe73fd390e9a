/**
 * Every view has a URL to paste into a ticket: `#/<view>/<id>?<params>` in the hash, so the
 * server serves one page at `/` and no explorer path can clash with /graphql or /api.
 * Personal data never goes into a route: a data subject's identifier is typed into a form.
 */
export type ViewName =
  | 'find' | 'browse' | 'node' | 'lineage' | 'path' | 'impact' | 'compare'
  | 'privacy' | 'access';

export interface Route {
  view: ViewName;
  /** The node (or context, or erasure request) the view is about, when it is about one. */
  id: string | null;
  params: URLSearchParams;
}

const VIEWS: readonly ViewName[] = ['find', 'browse', 'node', 'lineage', 'path', 'impact', 'compare', 'privacy', 'access'];

/** The route a location hash names; anything unknown is the Find view. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const queryAt = text.indexOf('?');
  const pathPart = queryAt < 0 ? text : text.slice(0, queryAt);
  const params = new URLSearchParams(queryAt < 0 ? '' : text.slice(queryAt + 1));
  const [head = '', ...rest] = pathPart.split('/');
  const view = (VIEWS as readonly string[]).includes(head) ? (head as ViewName) : 'find';
  let id: string | null = null;
  if (view !== 'find' && rest.length > 0 && rest.join('/') !== '') {
    try {
      id = decodeURIComponent(rest.join('/'));
    } catch {
      id = null; // a malformed escape: treat as no id rather than fail the page
    }
  }
  return { view, id, params };
}

/** The hash of a route: `href('lineage', id, { direction: 'UPSTREAM', hops: 3 })`. */
export function href(view: ViewName, id?: string | null, params: Record<string, string | number | boolean | null | undefined | readonly string[]> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(name, value.join(','));
    } else {
      search.set(name, String(value));
    }
  }
  const query = search.toString();
  return `#/${view}${id ? `/${encodeURIComponent(id)}` : ''}${query ? `?${query}` : ''}`;
}

/** A comma-separated list parameter, without blanks. */
export function listParam(params: URLSearchParams, name: string): string[] {
  return (params.get(name) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** An integer parameter within [min, max], or the fallback. */
export function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || !/^-?\d+$/.test(raw)) return fallback;
  return Math.min(max, Math.max(min, Number(raw)));
}
