/**
 * The explorer's frame: the navigation (only what the caller's role may use), who the
 * explorer talks as, and the view the location hash names.
 */
import type { ReactNode } from 'react';
import { AccessView } from '../views/AccessView';
import { BrowseView } from '../views/BrowseView';
import { CompareView } from '../views/CompareView';
import { FindView } from '../views/FindView';
import { ImpactView } from '../views/ImpactView';
import { LineageView } from '../views/LineageView';
import { NodeView } from '../views/NodeView';
import { PathView } from '../views/PathView';
import { PrivacyView } from '../views/PrivacyView';
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
  { view: 'browse', label: 'Pipelines' },
  { view: 'path', label: 'Path' },
  { view: 'compare', label: 'Compare runs' },
  { view: 'privacy', label: 'Personal data', needs: 'PRIVACY' },
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
    case 'browse': return <BrowseView route={route} />;
    case 'node': return <NodeView route={route} />;
    case 'impact': return <ImpactView route={route} />;
    case 'compare': return <CompareView route={route} />;
    case 'path': return <PathView route={route} />;
    case 'privacy': return <PrivacyView route={route} />;
    default: return <FindView route={route} />;
  }
}
