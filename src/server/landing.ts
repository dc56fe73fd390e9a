/**
 * GET / on a server people open in a browser: it leads to GraphiQL when GraphiQL is on
 * (a later web explorer takes this place), and otherwise says in plain text where the
 * API is, rather than a bare 404.
 */
import type { Plugin } from 'graphql-yoga';

/** Answers GET and HEAD on `/`: a 302 to `graphqlPath` when `graphiql` is on, else a short plain-text note. */
export function useLandingPage(graphqlPath: string, graphiql: boolean): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/' || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      if (graphiql) {
        endResponse(new fetchAPI.Response(null, { status: 302, headers: { location: graphqlPath } }));
        return;
      }
      const text = `Data Journey: the GraphQL API is at ${graphqlPath} (POST, application/json). `
        + 'Health: /healthz, readiness: /readyz.\n';
      endResponse(new fetchAPI.Response(text, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
    },
  };
}
