/**
 * The GraphiQL page, whole in one HTML answer: scripts, styles and editor workers come
 * from the installed @graphql-yoga/render-graphiql, so the page works offline and behind
 * proxies (yoga's own page loads them from a CDN and, without one, never gets past
 * "Loading").
 */
import type { GraphiQLOptions } from 'graphql-yoga';

/** What GraphiQL shows first: the server's name and a query to run. */
export const GRAPHIQL_OPTIONS: GraphiQLOptions = {
  title: 'Data Journey',
  defaultQuery: `# Data Journey: ML Metadata over GraphQL. Try:
query RecentArtifacts {
  artifacts(first: 10, orderBy: { field: CREATE_TIME, ascending: false }) {
    totalCount
    nodes { id name uri state type { name } producedBy { id type { name } } }
  }
}
`,
};

let rendered: { key: string; html: Promise<string> } | undefined;

/**
 * yoga's `renderGraphiQL`. The bundle (about 9 MB of JavaScript) is imported on the first
 * page asked for, not at start, and the page is rendered once per set of options: they
 * come from the configuration, so in practice once per process.
 */
export function renderOfflineGraphiQL(options: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options);
  if (rendered?.key !== key) {
    const html = import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
    // A failed import is not kept: the next page asks again.
    html.catch(() => { if (rendered?.html === html) rendered = undefined; });
    rendered = { key, html };
  }
  return rendered.html;
}
