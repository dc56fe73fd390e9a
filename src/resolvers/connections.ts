/**
 * Relay-style connections over the service's one page shape (src/service/shared/paging.ts).
 * The page's cursors are the service's opaque cursors, so a connection is only a change
 * of shape, and every connection type of the schema resolves through these fields.
 */
import type { NodeRecord } from '../graph/model.js';
import type { CountedPage, Page } from '../service/shared/paging.js';
import type { RequestContext } from './context.js';

/** Primes the request's node loader with a page's nodes (their fields are often asked next) and returns the page. */
export function primed<P extends Page<NodeRecord>>(page: P, ctx: RequestContext): P {
  for (const node of page.nodes) ctx.loaders.nodes.prime(node.id, node);
  return page;
}

/** The fields of a connection over a page. */
export const pageFields = {
  edges: (page: Page<unknown>) => page.nodes.map((node, i) => ({ node, cursor: page.cursors[i] })),
  nodes: (page: Page<unknown>) => page.nodes,
  pageInfo: (page: Page<unknown>) => ({ hasNextPage: page.hasNextPage, endCursor: page.endCursor }),
};

/** The fields of a connection over a list that can be counted. */
export const countedPageFields = {
  ...pageFields,
  // Asked for explicitly only: counting a node listing costs one more backend query.
  totalCount: (page: CountedPage<unknown>) => page.totalCount(),
};

export const connectionResolvers = {
  ArtifactConnection: countedPageFields,
  ExecutionConnection: countedPageFields,
  ContextConnection: countedPageFields,
  LineageNodeConnection: countedPageFields,
  ImpactedContextConnection: countedPageFields,
  AuditEntryConnection: pageFields,
  ErasureRequestConnection: pageFields,
};
