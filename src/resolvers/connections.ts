/**
 * Relay-style connections over a service Page. The page's cursors are the service's
 * opaque keyset cursors, so a connection is only a change of shape.
 */
import type { NodeRecord } from '../graph/model.js';
import type { Page } from '../service/metadata-service.js';
import type { RequestContext } from './context.js';

/** Primes the request's node loader with a page's nodes (their fields are often asked next) and returns the page. */
export function primed(page: Page<NodeRecord>, ctx: RequestContext): Page<NodeRecord> {
  for (const node of page.nodes) ctx.loaders.nodes.prime(node.id, node);
  return page;
}

const connectionFields = {
  edges: (page: Page<NodeRecord>) => page.nodes.map((node, i) => ({ node, cursor: page.cursors[i] })),
  nodes: (page: Page<NodeRecord>) => page.nodes,
  pageInfo: (page: Page<NodeRecord>) => ({ hasNextPage: page.hasNextPage, endCursor: page.endCursor }),
  // Asked for explicitly only: counting costs one more backend query.
  totalCount: (page: Page<NodeRecord>) => page.totalCount(),
};

export const connectionResolvers = {
  ArtifactConnection: connectionFields,
  ExecutionConnection: connectionFields,
  ContextConnection: connectionFields,
};
