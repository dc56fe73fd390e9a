/**
 * The response ceiling (JOURNEY_MAX_RESPONSE_BYTES). Every field's value is counted as it
 * is resolved, in the operation's own counter, at about its size in the JSON answer; once
 * the count passes the ceiling, every field still to run fails at once without touching
 * the store, and the operation answers one RESPONSE_TOO_LARGE error instead of a partial
 * answer. So a large answer is stopped while it is being built, not after.
 */
import {
  defaultFieldResolver, getNamedType, GraphQLError, isLeafType, isObjectType,
  type GraphQLField, type GraphQLFieldResolver, type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LIMIT_CODE } from './error-codes.js';

/** One operation's count of the bytes its answer holds so far. */
export class ResponseBudget {
  private spent = 0;
  private refusal: GraphQLError | null = null;

  constructor(readonly limitBytes: number) {}

  /** The error that ended the operation, once the ceiling was passed. */
  get exceeded(): GraphQLError | null {
    return this.refusal;
  }

  /** Adds `bytes`; past the ceiling the budget is spent (it never throws: see throwIfSpent). */
  add(bytes: number): void {
    this.spent += bytes;
    if (this.spent > this.limitBytes && !this.refusal) {
      this.refusal = new GraphQLError(
        `the answer passed the response ceiling of ${this.limitBytes} bytes and was stopped; ask for fewer items or fields (a smaller first)`,
        { extensions: { code: LIMIT_CODE.RESPONSE_TOO_LARGE } },
      );
    }
  }

  /** Starts the count again: a mutation operation run again after a lost race answers anew. */
  reset(): void {
    this.spent = 0;
    this.refusal = null;
  }

  /** Throws the refusal once the budget is spent. */
  throwIfSpent(): void {
    if (this.refusal) throw this.refusal;
  }
}

/** About the bytes `value` takes as JSON: exact for strings and numbers, JSON's own length for maps and lists. */
function jsonBytes(value: unknown): number {
  if (value === null || value === undefined) return 4;
  if (typeof value === 'string') return Buffer.byteLength(value) + 2;
  if (typeof value !== 'object') return String(value).length;
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return 0; // a value JSON cannot hold is refused when the answer is serialised, not here
  }
}

/**
 * A field's share of the answer: its name, and its value when that is a leaf; a list of
 * objects adds a separator per item. Made once per schema field, since every value of
 * every answer passes it.
 */
function fieldBytesOf(field: GraphQLField<unknown, unknown>): (value: unknown) => number {
  const name = field.name.length + 4;
  if (isLeafType(getNamedType(field.type))) return (value) => name + jsonBytes(value);
  return (value) => name + (Array.isArray(value) ? value.length + 2 : 2);
}

const isPromiseLike = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

/** The request context's part this module reads. */
interface WithBudget { responseBudget?: ResponseBudget }

/** Counts every field's value against the operation's budget (in place); returns the schema. */
export function withResponseAccounting(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const inner = field.resolve ?? defaultFieldResolver;
      const fieldBytes = fieldBytesOf(field);
      const counted: GraphQLFieldResolver<unknown, WithBudget> = (source, args, context, info) => {
        const budget = context?.responseBudget;
        if (!budget) return inner(source, args, context, info);
        budget.throwIfSpent();
        const value = inner(source, args, context, info);
        if (isPromiseLike(value)) {
          // Counted, never rejected here: when a sibling field fails first, the executor
          // drops this promise, and a rejection of it would go unhandled. The fields
          // below it throw instead, and the answer is replaced at the end.
          return Promise.resolve(value).then((resolved) => {
            budget.add(fieldBytes(resolved));
            return resolved;
          });
        }
        budget.add(fieldBytes(value));
        budget.throwIfSpent();
        return value;
      };
      field.resolve = counted as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return schema;
}

/** Replaces the answer of an operation that passed its ceiling by that one error: no partial answer, no error per field. */
export function useResponseCeiling(): Plugin {
  return {
    onExecute({ args }) {
      const budget = (args.contextValue as WithBudget).responseBudget;
      return {
        onExecuteDone({ result, setResult }) {
          const refusal = budget?.exceeded;
          if (refusal && !(Symbol.asyncIterator in Object(result))) setResult({ data: null, errors: [refusal] });
        },
      };
    },
  };
}
