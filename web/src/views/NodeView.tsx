/** Placeholder until its helper lands the real view (issue 16). */
import type { ReactNode } from 'react';
import type { Route } from '../app/routes';

export function NodeView({ route }: { route: Route }): ReactNode {
  return <section className="view"><h1>Node</h1><p className="muted">Not built yet ({route.view}).</p></section>;
}
