/**
 * The explorer's frame: the navigation (only what the caller's role may use), who the
 * explorer talks as, and the view the location hash names.
 */
import type { ReactNode } from 'react';
import { AccessView } from '../views/AccessView';
import { FindView } from '../views/FindView';
import { LineageView } from '../views/LineageView';
import { CallerProvider, useCaller } from './caller';
import { href, type Route, type ViewName } from './routes';
import { useRoute } from './use-route';

interface NavItem {
  view: ViewName;
  label: string;
  /** Shown only to callers with this permission. */
  needs?: 'PRIVACY';
}

const NAV: NavItem[] = [
  { view: 'find', label: 'Find' },
  { view: 'access', label: 'Access' },
];

export function App(): ReactNode {
  return (
    <CallerProvider>
      <Frame />
    </CallerProvider>
  );
}

function Frame(): ReactNode {
  const route = useRoute();
  const { caller, error, can } = useCaller();
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href={href('find')}>Data Journey</a>
        <nav aria-label="Views">
          {NAV.filter((item) => !item.needs || can(item.needs)).map((item) => (
            <a key={item.view} href={href(item.view)} className={route.view === item.view ? 'active' : undefined}>{item.label}</a>
          ))}
        </nav>
        <span className="who" data-role={caller?.role ?? ''}>
          {caller ? `${caller.anonymous ? 'open local mode' : 'key'}: ${caller.role.toLowerCase()}` : (error ? 'not signed in' : '…')}
        </span>
      </header>
      <main>
        {caller || route.view === 'access' ? <View route={route} /> : <AccessView route={route} reason={error} />}
      </main>
    </div>
  );
}

function View({ route }: { route: Route }): ReactNode {
  switch (route.view) {
    case 'access': return <AccessView route={route} reason={null} />;
    case 'lineage': return <LineageView route={route} />;
    default: return <FindView route={route} />;
  }
}
