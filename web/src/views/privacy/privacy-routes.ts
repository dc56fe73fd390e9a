/**
 * The personal-data views' places: `#/privacy/<section>[/<requestId>]?<params>`. Only what
 * is safe in a ticket goes here (a section, an erasure request's server-made id, a category
 * filter, a page cursor); a data subject's identifier never does: it is typed into a form
 * and kept in the page's memory only.
 */
import { href, type Route } from '../../app/routes';

export type PrivacySection = 'subject' | 'inventory' | 'erasure' | 'audit';

export const SECTIONS: readonly { section: PrivacySection; label: string }[] = [
  { section: 'subject', label: 'Data subject' },
  { section: 'inventory', label: 'Inventory' },
  { section: 'erasure', label: 'Erasure' },
  { section: 'audit', label: 'Audit log' },
];

export interface PrivacyPlace {
  section: PrivacySection;
  /** The erasure request a request's page shows. */
  requestId: string | null;
}

/** The place a route names (its id is `<section>` or `erasure/<requestId>`); anything else is the subject form. */
export function privacyPlace(route: Route): PrivacyPlace {
  const id = route.id ?? '';
  const slash = id.indexOf('/');
  const head = slash < 0 ? id : id.slice(0, slash);
  const rest = slash < 0 ? '' : id.slice(slash + 1);
  const section = SECTIONS.find((s) => s.section === head)?.section ?? 'subject';
  return { section, requestId: section === 'erasure' && rest !== '' ? rest : null };
}

/** The hash of a place: `privacyHref('erasure', id)` is `#/privacy/erasure/<id>`. */
export function privacyHref(section: PrivacySection, requestId?: string | null, params: Record<string, string | number | null | undefined> = {}): string {
  // href() encodes its id as one segment; the request's id is a segment of its own.
  const base = href('privacy', section, params);
  if (!requestId) return base;
  const queryAt = base.indexOf('?');
  const path = queryAt < 0 ? base : base.slice(0, queryAt);
  return `${path}/${encodeURIComponent(requestId)}${queryAt < 0 ? '' : base.slice(queryAt)}`;
}
