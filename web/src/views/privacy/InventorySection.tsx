/**
 * Inventory (GDPR Art. 30): every artifact holding personal data, declared or derived, by id,
 * optionally only those holding one category or special category; a page at a time. The
 * filters and the page are in the URL. One request (PersonalDataInventory).
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '../../api/use-query';
import { href, intParam, type Route } from '../../app/routes';
import { navigate } from '../../app/use-route';
import { Pager } from './Pager';
import { INVENTORY_QUERY, nameOf, SPECIAL_CATEGORIES, specialLabel, type InventoryData, type SpecialCategory } from './privacy-queries';
import { privacyHref } from './privacy-routes';

export function InventorySection({ route }: { route: Route }): ReactNode {
  const category = route.params.get('category') ?? '';
  const special = SPECIAL_CATEGORIES.find((s) => s === route.params.get('special')) ?? null;
  const after = route.params.get('after');
  const first = intParam(route.params, 'first', 50, 1, 1000);
  const { data, error, loading } = useQuery<InventoryData>(INVENTORY_QUERY, {
    category: category === '' ? null : category, specialCategory: special, first, after,
  });
  const [draft, setDraft] = useState(category);
  const place = (p: { category?: string; special?: SpecialCategory | null; after?: string | null }): string => privacyHref('inventory', null, {
    category: p.category ?? category, special: p.special === undefined ? special : p.special, first: first === 50 ? null : first, after: p.after ?? null,
  });
  const submit = (e: FormEvent): void => { e.preventDefault(); navigate(place({ category: draft.trim() })); };
  const inventory = data?.personalDataInventory ?? null;
  return (
    <div className="privacy-inventory">
      <form className="controls" onSubmit={submit}>
        <label htmlFor="inventory-category">Category</label>
        <input id="inventory-category" type="text" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="e.g. contact" />
        <button type="submit">Filter</button>
        <label htmlFor="inventory-special">Special category</label>
        <select id="inventory-special" value={special ?? ''} onChange={(e) => navigate(place({ special: (e.target.value || null) as SpecialCategory | null }))}>
          <option value="">any</option>
          {SPECIAL_CATEGORIES.map((s) => <option key={s} value={s}>{specialLabel(s)}</option>)}
        </select>
        {category !== '' || special ? <a href={privacyHref('inventory')}>Clear filters</a> : null}
      </form>
      {loading ? <p className="muted">Loading…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {inventory ? (
        <>
          <p className="inventory-count" data-total={inventory.totalCount}>
            {inventory.totalCount} artifacts hold personal data{category !== '' || special ? ' matching the filter' : ''}.
          </p>
          <table className="inventory" data-testid="inventory-table">
            <thead><tr><th>Artifact</th><th>Type</th><th>Categories</th><th>Special categories</th><th>Declared</th><th>Pseudonymised</th></tr></thead>
            <tbody>
              {inventory.nodes.map((a) => (
                <tr key={a.id} data-node-id={a.id}>
                  <td><a href={href('node', a.id)}>{nameOf(a)}</a></td>
                  <td>{a.type.name}</td>
                  <td>{a.personalData?.categories.join(', ') ?? ''}</td>
                  <td>{a.personalData?.specialCategories.map(specialLabel).join(', ') ?? ''}</td>
                  <td>{a.personalData?.declared ? 'declared' : 'derived'}</td>
                  <td>{a.personalData?.pseudonymized ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager pageInfo={inventory.pageInfo} paged={after !== null} hrefAfter={(c) => place({ after: c })} />
        </>
      ) : null}
    </div>
  );
}
