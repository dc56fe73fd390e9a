/**
 * Request limits that protect the server and its users before any resolver runs.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext } from 'graphql';
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

/** The limits every operation is checked against before it runs (armor's validation rules; tokens at parse). */
export interface QueryLimits {
  /** Deepest selection nesting, introspection aside. */
  maxDepth: number;
  /** Aliases in one operation (`__typename` aside): each alias can repeat a costly field. */
  maxAliases: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Lexical tokens in one document: bounds the parser's work and memory. */
  maxTokens: number;
  /**
   * Estimated cost: 1 per scalar field and 2 per object field, each nesting level
   * weighing COST_DEPTH_FACTOR times more, and a page multiplying by the `first` it runs
   * with (a literal, a variable or the default). Checked by operation-check.ts.
   */
  maxCost: number;
}

/** Deepest selection nesting allowed: about eight lineage hops (producedBy → inputs → artifact) by hand. */
export const MAX_QUERY_DEPTH = 25;

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: MAX_QUERY_DEPTH,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 2_000,
  maxCost: 20_000,
};

/**
 * Weight of one more nesting level in the cost estimate. Lower than armor's 1.5, which
 * would price a query 25 levels deep (the depth limit) at about 100,000: here each level
 * is usually one list of a few items (an execution's inputs), not a page of hundreds.
 */
export const COST_DEPTH_FACTOR = 1.2;

/** Armor reports with a "Syntax Error: " prefix, which a limit is not. */
const ARMOR_PREFIX = /^Syntax Error: /;

/** Reports a refused operation as BAD_USER_INPUT, like the server's other rule violations. */
function reportRefusal(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(new GraphQLError(error.message.replace(ARMOR_PREFIX, ''), { extensions: { code: 'BAD_USER_INPUT' } }));
}

/**
 * Refuses operations beyond `limits` before any resolver (or store) is reached, with
 * graphql-armor: depth, aliases and directives as validation rules, tokens while
 * parsing. The cost is not armor's: armor reads only literal `first` values, so the
 * estimate is made before execution with the variables (operation-check.ts). ("Did you
 * mean …" hints are removed for every error kind by suggestions.ts.)
 */
export function useQueryLimits(limits: QueryLimits): Plugin {
  const reported = { propagateOnRejection: false, onReject: [reportRefusal] };
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ...reported },
    maxAliases: { n: limits.maxAliases, ...reported },
    maxDirectives: { n: limits.maxDirectives, ...reported },
    costLimit: { enabled: false },
    // Counted while parsing, where no validation context exists to report to: the parser throws.
    maxTokens: { n: limits.maxTokens },
    // Off: armor hides field suggestions only; suggestions.ts hides every kind, in one place.
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
}

/** Refuses introspection (`__schema`, `__type`) when `enabled` is false; `__typename` stays allowed. */
export function useIntrospection(enabled: boolean): Plugin {
  if (enabled) return {};
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
