/**
 * The one place StoreErrors become GraphQL errors (STYLE.md habit 9). A StoreError is the
 * client's answer: its message and the input field it names go out with a code. Errors
 * graphql-js made itself (syntax, validation, variable coercion) go out unchanged.
 * Everything else is a bug or an outage: the client sees only a generic message, and
 * yoga hands the original to the logger (see logging.ts).
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { GraphQLError } from 'graphql';
import { isStoreError, OpenLineageValidationError, type StoreError, type StoreErrorCode } from '../graph/errors.js';

export const GRAPHQL_CODE: Record<StoreErrorCode, string> = {
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  INVALID_ARGUMENT: 'BAD_USER_INPUT',
  FAILED_PRECONDITION: 'FAILED_PRECONDITION',
  UNAVAILABLE: 'UNAVAILABLE',
  DEADLINE_EXCEEDED: 'TIMEOUT',
  PERMISSION_DENIED: 'FORBIDDEN',
  UNIMPLEMENTED: 'UNIMPLEMENTED',
  // Raised only by the gRPC face's rules; GraphQL says it as any bad input.
  OUT_OF_RANGE: 'BAD_USER_INPUT',
};

/**
 * The gRPC face's column beside GRAPHQL_CODE: ML Metadata's status codes, which its
 * clients raise as errors of the same names (AlreadyExistsError, InvalidArgumentError...).
 */
export const GRPC_STATUS: Record<StoreErrorCode, GrpcStatus> = {
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  ALREADY_EXISTS: GrpcStatus.ALREADY_EXISTS,
  INVALID_ARGUMENT: GrpcStatus.INVALID_ARGUMENT,
  FAILED_PRECONDITION: GrpcStatus.FAILED_PRECONDITION,
  UNAVAILABLE: GrpcStatus.UNAVAILABLE,
  DEADLINE_EXCEEDED: GrpcStatus.DEADLINE_EXCEEDED,
  PERMISSION_DENIED: GrpcStatus.PERMISSION_DENIED,
  UNIMPLEMENTED: GrpcStatus.UNIMPLEMENTED,
  OUT_OF_RANGE: GrpcStatus.OUT_OF_RANGE,
};

/** gRPC statuses of calls refused before their method runs, beside ACCESS_CODE's GraphQL codes. */
export const GRPC_ACCESS_STATUS: Record<keyof typeof ACCESS_CODE, GrpcStatus> = {
  UNAUTHENTICATED: GrpcStatus.UNAUTHENTICATED,
  FORBIDDEN: GrpcStatus.PERMISSION_DENIED,
  RATE_LIMITED: GrpcStatus.RESOURCE_EXHAUSTED,
};

/** A gRPC call's refusal before its method runs: an access code and the message the client reads. */
export class GrpcAccessRefusal extends Error {
  constructor(readonly access: keyof typeof ACCESS_CODE, message: string) {
    super(message);
    this.name = 'GrpcAccessRefusal';
  }
}

/** A gRPC status and the details the client reads. */
export interface GrpcStatusOf { code: GrpcStatus; details: string; unexpected: boolean }

/**
 * The status a gRPC call answers for `error`: a StoreError's code and message (the field
 * it names is in the message), an access refusal's, and for anything else INTERNAL with
 * the masked message (`unexpected`: the caller logs the original).
 */
export function toGrpcStatus(error: unknown): GrpcStatusOf {
  if (isStoreError(error)) return { code: GRPC_STATUS[error.code], details: error.message, unexpected: false };
  if (error instanceof GrpcAccessRefusal) return { code: GRPC_ACCESS_STATUS[error.access], details: error.message, unexpected: false };
  return { code: GrpcStatus.INTERNAL, details: MASKED_MESSAGE, unexpected: true };
}

/** The name of a gRPC status code, for logs (OK, NOT_FOUND...). */
export const grpcStatusName = (code: GrpcStatus): string => GrpcStatus[code] ?? String(code);

/**
 * Codes of requests refused before the schema sees them (a missing or bad API key, too
 * many requests) and of fields the caller's role may not use.
 */
export const ACCESS_CODE = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
} as const;

/** Codes of operations stopped by a server limit while they ran. */
export const LIMIT_CODE = {
  /** The answer grew past JOURNEY_MAX_RESPONSE_BYTES (src/server/response-size.ts). */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
} as const;

/** The HTTP status of a request refused because of a StoreError before any operation ran (e.g. checking its key). */
export const HTTP_STATUS_OF_STORE_ERROR: Partial<Record<StoreErrorCode, number>> = { UNAVAILABLE: 503, DEADLINE_EXCEEDED: 503 };

/** What every unexpected error is replaced by. */
export const MASKED_MESSAGE = 'Unexpected error.';

/** The StoreError behind `error` (thrown directly, or wrapped by graphql-js at a field), if any. */
export function storeErrorOf(error: unknown): StoreError | undefined {
  if (isStoreError(error)) return error;
  if (error instanceof GraphQLError) return storeErrorOf(error.originalError);
  return undefined;
}

/** True for an error graphql-js raised itself, which names no internals. */
function isGraphQLOwnError(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isGraphQLOwnError(error.originalError);
}

/** yoga's maskError: a StoreError becomes a coded client error, a graphql-js error passes, the rest is masked. */
export function toClientError(error: unknown, message: string = MASKED_MESSAGE): Error {
  const located = error instanceof GraphQLError ? error : undefined;
  const where = { nodes: located?.nodes, source: located?.source, positions: located?.positions, path: located?.path };
  const storeError = storeErrorOf(error);
  if (storeError) {
    const extensions: Record<string, unknown> = { code: GRAPHQL_CODE[storeError.code] };
    if (storeError.field !== undefined) extensions.field = storeError.field;
    return new GraphQLError(storeError.message, { ...where, extensions });
  }
  if (isGraphQLOwnError(error)) return error as GraphQLError;
  return new GraphQLError(message, { ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/** The HTTP status of each StoreError code on the REST endpoints (the OpenLineage intake). */
export const HTTP_STATUS: Record<StoreErrorCode, number> = {
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 409,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 503,
  PERMISSION_DENIED: 403,
  UNIMPLEMENTED: 501,
  OUT_OF_RANGE: 400,
};

/** What a REST endpoint answers for an error: its status and JSON body, and whether it was unexpected (to be logged, masked). */
export interface RestErrorAnswer {
  status: number;
  body: { errors: { message: string; code: string; path?: string }[] };
  unexpected: boolean;
}

/**
 * A REST endpoint's answer for `error`: a StoreError's status, code and message (with the
 * path it names; every failing path of an OpenLineage event that does not match the
 * spec), anything else 500 with the masked message.
 */
export function toRestError(error: unknown): RestErrorAnswer {
  if (error instanceof OpenLineageValidationError) {
    return {
      status: 400,
      body: { errors: error.problems.map((p) => ({ message: `${p.path} ${p.message}`, code: GRAPHQL_CODE[error.code], path: p.path })) },
      unexpected: false,
    };
  }
  if (isStoreError(error)) {
    const entry = { message: error.message, code: GRAPHQL_CODE[error.code], ...(error.field !== undefined ? { path: error.field } : {}) };
    return { status: HTTP_STATUS[error.code], body: { errors: [entry] }, unexpected: false };
  }
  return { status: 500, body: { errors: [{ message: MASKED_MESSAGE, code: 'INTERNAL_SERVER_ERROR' }] }, unexpected: true };
}
