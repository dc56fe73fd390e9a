/**
 * Personal data (privacy and admin roles only): a data subject's lineage, the Art. 30
 * inventory, erasure requests and their progress, and the audit log. A caller whose key
 * lacks the PRIVACY permission is told which role is needed, and the view sends nothing:
 * not one personal-data query leaves the page for it. The server still decides every
 * request (src/server/authorization.ts).
 */
import type { ReactNode } from 'react';
import { useCaller } from '../app/caller';
import { href, type Route } from '../app/routes';
import { AuditSection } from './privacy/AuditSection';
import { ErasureListSection } from './privacy/ErasureListSection';
import { ErasureRequestSection } from './privacy/ErasureRequestSection';
import { InventorySection } from './privacy/InventorySection';
import { privacyHref, privacyPlace, SECTIONS } from './privacy/privacy-routes';
import { SubjectSection } from './privacy/SubjectSection';
import './privacy/privacy.css';

export function PrivacyView({ route }: { route: Route }): ReactNode {
  const { caller, can } = useCaller();
  if (!can('PRIVACY')) {
    return (
      <section className="view privacy-view" data-allowed="false">
        <h1>Personal data</h1>
        <p className="needs-role" role="alert">
          The personal-data views need the <strong>privacy</strong> or <strong>admin</strong> role;
          {caller ? ` this ${caller.anonymous ? 'open local mode caller' : 'key'} has ${caller.role.toLowerCase()}.` : ' no key is in use.'}
          {' '}Paste a key with one of those roles on the <a href={href('access')}>Access</a> page.
        </p>
      </section>
    );
  }
  const place = privacyPlace(route);
  return (
    <section className="view privacy-view" data-allowed="true" data-section={place.section}>
      <h1>Personal data</h1>
      <nav className="privacy-tabs" aria-label="Personal data">
        {SECTIONS.map((s) => (
          <a key={s.section} href={privacyHref(s.section)} aria-current={s.section === place.section ? 'page' : undefined}
            className={s.section === place.section ? 'active' : undefined}>{s.label}</a>
        ))}
      </nav>
      {place.section === 'subject' ? <SubjectSection /> : null}
      {place.section === 'inventory' ? <InventorySection route={route} /> : null}
      {place.section === 'erasure' && place.requestId === null ? <ErasureListSection route={route} /> : null}
      {place.section === 'erasure' && place.requestId !== null ? <ErasureRequestSection requestId={place.requestId} /> : null}
      {place.section === 'audit' ? <AuditSection route={route} /> : null}
    </section>
  );
}
