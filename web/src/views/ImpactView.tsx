/** Placeholder until its helper lands the real view (issue 16). */
import type { ReactNode } from 'react';
import type { Route } from '../app/routes';

export function ImpactView({ route }: { route: Route }): ReactNode {
  return <section className="view"><h1>Impact</h1><p className="muted">Not built yet ({route.view}).</p></section>;
}
