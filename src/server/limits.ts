/**
 * Request limits that protect the server and its users before any resolver runs.
 */
import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Refuses a POST to the GraphQL endpoint whose body is not JSON. yoga also parses form
 * and `application/graphql` bodies, which a browser sends cross-site without a CORS
 * preflight: any web page could then submit a mutation to a server on the user's
 * machine. A JSON body forces the preflight, which the server (CORS off) never grants.
 */
export function useJsonPostOnly(graphqlPath: string): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'POST' || url.pathname !== graphqlPath) return;
      const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type === 'application/json') return;
      const body = { errors: [{ message: 'POST bodies must be application/json', extensions: { code: 'BAD_REQUEST' } }] };
      endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 415, headers: { 'content-type': 'application/json' } }));
    },
  };
}

/** Deepest selection nesting allowed: about eight lineage hops (producedBy → inputs → artifact) by hand. */
export const MAX_QUERY_DEPTH = 25;

/** The nesting depth of a selection set, following fragments; introspection fields are bounded by the schema and not counted. */
function depthOf(set: SelectionSetNode | undefined, context: ValidationContext, seen: ReadonlySet<string>): number {
  if (!set) return 0;
  let deepest = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, context, seen));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, context, seen));
    } else {
      const name = selection.name.value;
      // A fragment cycle is reported by graphql-js's own rule; here it only must not recurse forever.
      if (seen.has(name)) continue;
      const fragment = context.getFragment(name);
      deepest = Math.max(deepest, depthOf(fragment?.selectionSet, context, new Set([...seen, name])));
    }
  }
  return deepest;
}

/** Refuses operations nested deeper than `maxDepth` fields, before they run. */
export function useMaxDepth(maxDepth: number = MAX_QUERY_DEPTH): Plugin {
  const rule = (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const depth = depthOf(operation.selectionSet, context, new Set());
      if (depth > maxDepth) {
        context.reportError(new GraphQLError(`query depth must be at most ${maxDepth}, got ${depth}`, {
          nodes: [operation],
          extensions: { code: 'BAD_USER_INPUT' },
        }));
      }
    },
  });
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}
