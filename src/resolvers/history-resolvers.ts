/**
 * Resolvers of the history section of schema.graphql: each node's records through the
 * request's histories loader (one store call for every node of the answer).
 */
import type { NodeRecord } from '../graph/model.js';
import type { RequestContext } from './context.js';

/** `history` of a node, each entry carrying its record under `field` (artifact, execution or context). */
const historyAs = (field: 'artifact' | 'execution' | 'context') => async (node: NodeRecord, _args: unknown, ctx: RequestContext) =>
  (await ctx.loaders.histories.load(node.id)).map((e) => ({ validFrom: e.validFrom, validTo: e.validTo, [field]: e.record }));

/** The resolver map for the history section. */
export const historyResolvers = {
  Artifact: { history: historyAs('artifact') },
  Execution: { history: historyAs('execution') },
  Context: { history: historyAs('context') },
};
