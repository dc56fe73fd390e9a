/**
 * How server values become text on a page. Every string from the server is rendered as a
 * React text child by the callers; these helpers only choose the text.
 */

/** A property value: strings as they are, everything else as indented JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, null, 2);
}

/**
 * The URI as a link target only when it is http(s): a `javascript:`, `data:` or any other
 * scheme (or a relative string) is shown as text, never followed.
 */
export function safeHttpHref(uri: string | null | undefined): string | null {
  if (!uri) return null;
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** An ISO instant as the browser's local date and time, with the ISO text kept for a title. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** An event path ([{key: "examples"}, {index: 0}]) as `examples[0]`; empty paths as "—". */
export function formatPath(path: readonly { index?: number | null; key?: string | null }[]): string {
  if (path.length === 0) return '—';
  return path.map((step, i) => (step.key !== null && step.key !== undefined ? `${i > 0 ? '.' : ''}${step.key}` : `[${step.index ?? '?'}]`)).join('');
}

/** A node's name for display: unnamed nodes show their id. */
export function displayName(node: { id: string; name?: string | null }): string {
  return node.name === null || node.name === undefined || node.name === '' ? `#${node.id}` : node.name;
}
