import { useEffect, useState } from 'react';
import { parseRoute, type Route } from './routes';

/** The current route, following the location hash. */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Goes to a route (a hash made by href), adding a history entry. */
export function navigate(hash: string): void {
  if (window.location.hash !== hash) window.location.hash = hash;
}
