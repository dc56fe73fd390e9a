/**
 * Declared and custom properties of a node as one table: JSON values (structs, lists) as
 * formatted text in a <pre>, never markup.
 */
import type { ReactNode } from 'react';
import { formatValue } from './format';

type PropertyMap = Record<string, unknown>;

export function PropertyTable({ properties, customProperties, caption = 'Properties' }: {
  properties: PropertyMap; customProperties: PropertyMap; caption?: string;
}): ReactNode {
  const rows = [
    ...Object.entries(properties).map(([name, value]) => ({ name, value, custom: false })),
    ...Object.entries(customProperties).map(([name, value]) => ({ name, value, custom: true })),
  ];
  if (rows.length === 0) return <p className="muted">No properties.</p>;
  return (
    <table className="property-table">
      <caption>{caption}</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col">Kind</th></tr></thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.custom ? 'c' : 'p'}:${row.name}`} data-property={row.name}>
            <th scope="row">{row.name}</th>
            <td>{typeof row.value === 'object' && row.value !== null ? <pre>{formatValue(row.value)}</pre> : formatValue(row.value)}</td>
            <td className="muted">{row.custom ? 'custom' : 'declared'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
