/**
 * Errors crossing from a reader thread to the main thread. A structured clone keeps an
 * Error's message but not its class, and the class is what error-codes.ts maps to a
 * GraphQL code: so an error travels as its class name and fields, and is rebuilt here.
 */
import {
  AlreadyExistsError, DeadlineExceededError, FailedPreconditionError, InvalidArgumentError, NotFoundError,
  PermissionDeniedError, StorageFaultError, StoreError, UnavailableError,
} from '../errors.js';
import { SqliteBusySignal } from './sqlite-executor.js';

/** The driver's error behind a StoreError or a storage fault, for the server log only. */
interface WireCause {
  name: string;
  message: string;
  code: string | undefined;
}

export type WireError =
  | { kind: 'store'; name: string; message: string; field: string | undefined; cause: WireCause | undefined }
  | { kind: 'fault'; message: string; reason: string; cause: WireCause | undefined }
  | { kind: 'busy' }
  /** Anything else is a bug (an SQL error): the main thread masks and logs it like any other. */
  | { kind: 'other'; name: string; message: string; code: string | undefined; stack: string | undefined };

type StoreErrorClass = new (message: string, field?: string) => StoreError;

const STORE_ERROR_CLASSES: Record<string, StoreErrorClass> = {
  NotFoundError,
  AlreadyExistsError,
  InvalidArgumentError,
  FailedPreconditionError,
  UnavailableError,
  DeadlineExceededError,
  PermissionDeniedError,
};

function causeOf(error: Error): WireCause | undefined {
  const cause = (error as { cause?: unknown }).cause;
  if (!(cause instanceof Error)) return undefined;
  return { name: cause.name, message: cause.message, code: (cause as { code?: string }).code };
}

const causeError = (cause: WireCause | undefined): Error | undefined =>
  cause === undefined ? undefined : Object.assign(new Error(cause.message), { name: cause.name, code: cause.code });

function withCause<E extends Error>(error: E, cause: WireCause | undefined): E {
  const rebuilt = causeError(cause);
  if (rebuilt === undefined) return error;
  // Not enumerable, as where the error was made: the driver's text is for the log, never a response.
  Object.defineProperty(error, 'cause', { value: rebuilt, enumerable: false, configurable: true, writable: true });
  return error;
}

/** What a reader thread sends for an error its statement raised. */
export function toWire(error: unknown): WireError {
  if (error instanceof SqliteBusySignal) return { kind: 'busy' };
  if (error instanceof StorageFaultError) {
    return { kind: 'fault', message: error.message, reason: error.reason, cause: causeOf(error) };
  }
  if (error instanceof StoreError && STORE_ERROR_CLASSES[error.name] !== undefined) {
    return { kind: 'store', name: error.name, message: error.message, field: error.field, cause: causeOf(error) };
  }
  const plain = error instanceof Error ? error : new Error(String(error));
  return { kind: 'other', name: plain.name, message: plain.message, code: (plain as { code?: string }).code, stack: plain.stack };
}

/** The error a reader thread's WireError stands for, of the class it had there. */
export function fromWire(wire: WireError): Error {
  switch (wire.kind) {
    case 'busy':
      return new SqliteBusySignal();
    case 'fault':
      return new StorageFaultError(wire.message, wire.reason, causeError(wire.cause));
    case 'store':
      return withCause(new STORE_ERROR_CLASSES[wire.name]!(wire.message, wire.field), wire.cause);
    case 'other': {
      const error = Object.assign(new Error(wire.message), { name: wire.name, code: wire.code });
      if (wire.stack !== undefined) error.stack = wire.stack;
      return error;
    }
  }
}
