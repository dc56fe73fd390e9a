/**
 * The JSON and DateTime scalars. DateTime travels as an ISO-8601 string and lives inside
 * the server as milliseconds since the epoch (the store's unit), so resolvers pass
 * filter instants to the service unchanged.
 */
import { GraphQLError, Kind, type GraphQLScalarLiteralParser, type GraphQLScalarSerializer, type GraphQLScalarValueParser, type ValueNode } from 'graphql';
import type { JsonValue } from '../graph/model.js';

const badInput = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** A JSON literal written in the query text, with `$variables` substituted. */
function jsonFromLiteral(node: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (node.kind) {
    case Kind.NULL: return null;
    case Kind.BOOLEAN:
    case Kind.STRING:
    case Kind.ENUM: return node.value;
    // A literal beyond ±(2^53−1) rounds here, always to a number outside that range, which the
    // service refuses naming the field; so a literal and a variable get the same answer.
    case Kind.INT:
    case Kind.FLOAT: return Number(node.value);
    case Kind.LIST: return node.values.map((v) => jsonFromLiteral(v, variables));
    case Kind.OBJECT: {
      const out: Record<string, unknown> = {};
      // Defined, not assigned: `out.__proto__ = v` would swap the prototype and drop the key
      // unseen, where the service must see it to refuse it, as it does in a variable.
      for (const field of node.fields) {
        Object.defineProperty(out, field.name.value, { value: jsonFromLiteral(field.value, variables), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case Kind.VARIABLE: return variables?.[node.name.value] ?? null;
  }
}

/**
 * A scalar's behaviour without its name or description: those live in schema.graphql, and
 * @graphql-tools copies every field given here over the SDL's, so a GraphQLScalarType
 * instance would erase the descriptions.
 */
export interface ScalarBehaviour<Internal, External> {
  serialize: GraphQLScalarSerializer<External>;
  parseValue: GraphQLScalarValueParser<Internal>;
  parseLiteral: GraphQLScalarLiteralParser<Internal>;
}

/** Any JSON value; the service decides what a property may hold. */
export const JsonScalar: ScalarBehaviour<unknown, JsonValue> = {
  serialize: (value) => value as JsonValue,
  parseValue: (value) => value,
  parseLiteral: (node, variables) => jsonFromLiteral(node, variables),
};

// ISO-8601 date-time with an explicit zone; Date.parse alone accepts too much ("1", "May 3").
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function millisFromIso(value: unknown): number {
  const ms = typeof value === 'string' && ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    const shown = JSON.stringify(value)?.slice(0, 60) ?? typeof value;
    throw badInput(`DateTime must be an ISO-8601 date-time with a time zone, e.g. 2024-05-01T12:00:00Z, got ${shown}`);
  }
  return ms;
}

/** ISO-8601 on the wire; milliseconds since the epoch inside the server. */
export const DateTimeScalar: ScalarBehaviour<number, string> = {
  serialize: (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError('DateTime: expected milliseconds since the epoch');
    return new Date(value).toISOString();
  },
  parseValue: millisFromIso,
  parseLiteral: (node) => millisFromIso(node.kind === Kind.STRING ? node.value : undefined),
};

/**
 * ML Metadata's int64 ids, as JSON numbers within 2^53 - 1. Parsing keeps what was sent
 * (a number, the text of a string or of a float literal such as 1e3), so the one check,
 * `requireMlmdId` (run on every MlmdId argument before any field, operation-check.ts, and
 * again by the service), refuses a bad one naming the argument: a scalar's own error
 * names only the type.
 */
export const MlmdIdScalar: ScalarBehaviour<unknown, number> = {
  serialize: (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new TypeError('MlmdId: expected a whole number from 1 to 2^53 - 1');
    return value;
  },
  parseValue: (value) => value,
  parseLiteral: (node, variables) => {
    switch (node.kind) {
      case Kind.INT: return Number(node.value);
      // Kept as text so "1e3" or "12.0" is refused rather than read as 1000 or 12.
      case Kind.FLOAT: return node.value;
      default: return jsonFromLiteral(node, variables);
    }
  },
};
