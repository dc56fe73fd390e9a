/**
 * `journey compare`'s table: the runs side by side, one column per context (in the order
 * asked) and one row per step, parameter, input and metric, as the explorer's Compare view
 * shows them (web/src/views/CompareView.tsx). A row whose values differ is marked, so the
 * eye finds what changed between runs.
 */

interface Named { id: string; name?: string | null }
interface Compared { name: string; custom: boolean; values: readonly unknown[]; differs: boolean }
interface TypeRef { name: string; version?: string | null }
export interface GridComparison {
  truncated: boolean;
  contexts: readonly { id: string; name: string; type: { name: string } }[];
  executions: readonly { type: TypeRef; position: number; executions: readonly ((Named & { lastKnownState: string }) | null)[]; properties: readonly Compared[] }[];
  inputs: readonly { type: TypeRef; path: readonly { index?: number | null; key?: string | null }[]; position: number; artifacts: readonly (Named | null)[]; uris: readonly (string | null)[]; differs: boolean }[];
  metrics: readonly { type: TypeRef; position: number; artifacts: readonly (Named | null)[]; properties: readonly Compared[] }[];
}

/** One row: a label, one cell per context, whether they differ; `heading` rows start a group. */
export interface GridRow { label: string; cells: string[]; differs: boolean; heading: boolean }
export interface Grid { columns: string[]; rows: GridRow[] }

/** A property value as text: strings as they are, absence as —, the rest as compact JSON. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const nodeText = (n: Named | null): string => (n ? (n.name ? n.name : `#${n.id}`) : 'none');
const typeText = (t: TypeRef, position: number): string => `${t.name}${t.version ? ` (${t.version})` : ''}${position > 1 ? ` #${position}` : ''}`;

/** `examples[0]` for an event path; empty paths give ''. */
export function pathText(path: readonly { index?: number | null; key?: string | null }[]): string {
  return path.map((s, i) => (s.key !== null && s.key !== undefined ? `${i > 0 ? '.' : ''}${s.key}` : `[${s.index ?? '?'}]`)).join('');
}

function propertyRows(properties: readonly Compared[]): GridRow[] {
  return properties.map((p) => ({
    label: `  ${p.name}${p.custom ? ' (custom)' : ''}`, cells: p.values.map(valueText), differs: p.differs, heading: false,
  }));
}

/** The comparison as rows (steps with their parameters, inputs, metrics with their values) under one column per context. */
export function compareGrid(c: GridComparison): Grid {
  const columns = c.contexts.map((x) => `${x.type.name}/${x.name}`);
  const rows: GridRow[] = [];
  for (const row of c.executions) {
    rows.push({
      label: typeText(row.type, row.position), heading: true,
      cells: row.executions.map((e) => (e ? `${nodeText(e)} ${e.lastKnownState}` : 'none')),
      differs: row.executions.some((e) => e === null),
    });
    rows.push(...propertyRows(row.properties));
  }
  for (const row of c.inputs) {
    const at = pathText(row.path);
    rows.push({
      label: `input ${typeText(row.type, row.position)}${at ? ` at ${at}` : ''}`, heading: true,
      cells: row.artifacts.map((a, i) => (a ? (row.uris[i] ?? nodeText(a)) : 'none')), differs: row.differs,
    });
  }
  for (const row of c.metrics) {
    rows.push({
      label: `metrics ${typeText(row.type, row.position)}`, heading: true,
      cells: row.artifacts.map(nodeText), differs: row.artifacts.some((a) => a === null),
    });
    rows.push(...propertyRows(row.properties));
  }
  return { columns, rows };
}
