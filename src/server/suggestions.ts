/**
 * graphql-js adds "Did you mean ..." hints to its errors: field, argument, type, enum
 * value and input field names, in validation and in the coercion of variables. Each one
 * is a name of the schema, so with introspection off they would let a caller read the
 * schema by guessing. This plugin removes them from every error of every result, the
 * one point all of those errors pass through, whatever phase raised them.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** What stands where a hint was (graphql-armor's marker, so every hidden hint reads the same). */
export const HIDDEN_SUGGESTION = '[Suggestion hidden]';

/**
 * graphql-js's didYouMean(): ` Did you mean [the enum value ]"a"?`, `"a" or "b"?`, or
 * `"a", "b", or "c"?`. Names in quotes are schema names (no quote inside them).
 */
const SUGGESTION = / Did you mean (?:the enum value )?"[^"]*"(?:(?:, "[^"]*")*,? or "[^"]*")?\?/g;

/** `message` without graphql-js's suggestions. */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, ` ${HIDDEN_SUGGESTION}`);
}

type ResultError = GraphQLError | { message: string; [key: string]: unknown };

function hide(error: ResultError): ResultError {
  const message = withoutSuggestions(error.message);
  if (message === error.message) return error;
  if (!(error instanceof GraphQLError)) return { ...error, message };
  return new GraphQLError(message, {
    nodes: error.nodes, source: error.source, positions: error.positions, path: error.path,
    originalError: error.originalError, extensions: error.extensions,
  });
}

interface ResultWithErrors { errors?: readonly ResultError[] }

function hideIn<R extends ResultWithErrors>(result: R): R {
  if (!result?.errors?.length) return result;
  return { ...result, errors: result.errors.map(hide) };
}

/** Removes "Did you mean ..." from every error a response carries, when `hide` is true (introspection is off). */
export function useHiddenSuggestions(hideSuggestions: boolean): Plugin {
  if (!hideSuggestions) return {};
  return {
    onResultProcess({ result, setResult }) {
      // Subscriptions (async iterables) are not served; batching is off, but an array is cheap to handle.
      if (Symbol.asyncIterator in (result as object)) return;
      setResult((Array.isArray(result) ? result.map(hideIn) : hideIn(result as ResultWithErrors)) as Parameters<typeof setResult>[0]);
    },
  };
}
