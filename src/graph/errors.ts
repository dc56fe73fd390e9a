/**
 * The closed set of errors the store and the services raise. Both backends raise the
 * same class for the same rule; `src/server/error-codes.ts` maps them to GraphQL codes
 * in one place. Anything not a StoreError is a bug or an outage and is masked.
 */
export type StoreErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'PERMISSION_DENIED'
  | 'UNIMPLEMENTED'
  | 'OUT_OF_RANGE';

export abstract class StoreError extends Error {
  abstract readonly code: StoreErrorCode;
  /** The input field the error is about, as a path such as `artifacts[2].properties.lr`. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    this.field = field;
  }
}

export class NotFoundError extends StoreError {
  readonly code = 'NOT_FOUND' as const;
}
export class AlreadyExistsError extends StoreError {
  readonly code = 'ALREADY_EXISTS' as const;
}
export class InvalidArgumentError extends StoreError {
  readonly code = 'INVALID_ARGUMENT' as const;
}
/**
 * A filter (ML Metadata's `filter_query`, GraphQL's `where`) that does not parse or names
 * what the kind has not. An InvalidArgumentError, so every face maps it as one; its own
 * class so a face may tell it apart, with the 1-based column where the text went wrong.
 */
export class FilterQueryError extends InvalidArgumentError {
  constructor(message: string, field: string, readonly column: number) {
    super(message, field);
  }
}
/** One failing place of an OpenLineage event: its JSON path (e.g. `events[0].run.runId`) and what is wrong there. */
export interface OpenLineageProblem { path: string; message: string }

/**
 * OpenLineage events that fail the spec's JSON Schema (src/service/openlineage/validation.ts):
 * an InvalidArgumentError naming the first failing path, carrying every one of them, so the
 * HTTP intake answers 400 with the whole list.
 */
export class OpenLineageValidationError extends InvalidArgumentError {
  constructor(readonly problems: readonly OpenLineageProblem[]) {
    super(`${problems.length === 1 ? 'an OpenLineage event does' : `${problems.length} places of the OpenLineage events do`} not match the spec: `
      + problems.slice(0, 3).map((p) => `${p.path} ${p.message}`).join('; ') + (problems.length > 3 ? '; ...' : ''), problems[0]?.path);
  }
}
export class FailedPreconditionError extends StoreError {
  readonly code = 'FAILED_PRECONDITION' as const;
}
/** The backend cannot be reached or gave up; the caller may retry. Never carries driver text. */
export class UnavailableError extends StoreError {
  readonly code = 'UNAVAILABLE' as const;
}

/** The work ran past its time budget and was stopped (its transaction rolled back); a narrower query may succeed. */
export class DeadlineExceededError extends StoreError {
  readonly code = 'DEADLINE_EXCEEDED' as const;
}

/**
 * The caller's role may not make this change (a change of personal-data tracking that
 * weakens it); raised by the rule src/server/authorization.ts hands the services, before
 * anything of the change is written.
 */
export class PermissionDeniedError extends StoreError {
  readonly code = 'PERMISSION_DENIED' as const;
}

/**
 * A change ML Metadata does not support and so refuses on its gRPC face (a type's
 * base_type changed or unset on a re-put), said as MLMD says it.
 */
export class UnimplementedError extends StoreError {
  readonly code = 'UNIMPLEMENTED' as const;
}

/**
 * An index past the end of the list it points into, where ML Metadata says OUT_OF_RANGE
 * rather than INVALID_ARGUMENT (PutLineageSubgraph's event_edges).
 */
export class OutOfRangeError extends StoreError {
  readonly code = 'OUT_OF_RANGE' as const;
}

export const isStoreError = (e: unknown): e is StoreError => e instanceof StoreError;

/**
 * The store itself is broken: a full disk, a damaged or read-only file, an I/O error, a
 * database's internal fault. Not a StoreError on purpose: retrying will not help and the
 * caller did nothing wrong, so the client gets INTERNAL_SERVER_ERROR while the server log
 * gets this error with the driver's as its `cause`. `reason` says what is wrong in words
 * that carry no data (readiness reports it).
 */
export class StorageFaultError extends Error {
  constructor(message: string, readonly reason: string, cause?: unknown) {
    super(message);
    this.name = 'StorageFaultError';
    // Not enumerable: the driver's text goes to the log (pino reads `cause`), never into a response.
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  }
}
