/**
 * One mutation operation, one transaction. Every root field of a mutation operation, and
 * every field nested in their results, runs in one store transaction
 * (GraphStore.inOneTransaction): when any field fails (a refused input, a FORBIDDEN
 * field, a TIMEOUT), the transaction is rolled back and the answer is `data: null` with
 * the errors, so no answer hides a write that was kept or shows one that was not. The
 * backend may run the whole operation again after a lost uniqueness race, as it does a
 * single write. Queries are left as they are: each of their store calls reads on its own.
 */
import { getOperationAST, GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GraphStore } from '../graph/store.js';

export interface MutationTransactionOptions {
  store: GraphStore;
  /**
   * Called with the request's context before each run of the operation: what an earlier,
   * rolled-back run read (the request's loaders) must not answer this one.
   */
  beginAttempt(context: unknown): void;
  /**
   * A failure of the whole operation that no field reported, read from the request's
   * context after the run (the response ceiling, once passed, replaces the answer later):
   * it must roll the transaction back too, or a `data: null` answer would hide a commit.
   */
  failureOf?(context: unknown): GraphQLError | null;
}

/** Thrown out of the transaction to roll it back; carries the errors the client gets. */
class OperationFailed extends Error {
  constructor(readonly errors: readonly GraphQLError[]) {
    super('a field of the mutation operation failed; nothing it wrote is kept');
  }
}

/** An error raised outside every field (the commit, a race lost too often) as a GraphQL error, for yoga's masking. */
function operationError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const cause = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(cause.message, { originalError: cause });
}

/** The yoga plugin that runs each mutation operation in one transaction of `store`. */
export function useMutationTransaction({ store, beginAttempt, failureOf }: MutationTransactionOptions): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      setExecuteFn(async (execution) => {
        try {
          return await store.inOneTransaction(async () => {
            beginAttempt(execution.contextValue);
            const result = await executeFn(execution);
            // Without @defer or @stream (not enabled) a mutation answers once; a stream could not be rolled back.
            if (isAsyncIterable(result)) throw new Error('a mutation operation answered with a stream');
            const errors = (result as ExecutionResult).errors;
            if (errors && errors.length > 0) throw new OperationFailed(errors);
            const failure = failureOf?.(execution.contextValue);
            if (failure) throw new OperationFailed([failure]);
            return result;
          });
        } catch (error) {
          if (error instanceof OperationFailed) return { data: null, errors: error.errors };
          return { data: null, errors: [operationError(error)] };
        }
      });
    },
  };
}
