/**
 * Writing with the create and update times a caller gives instead of the write's time:
 * what the ML Metadata importer needs to keep each node's create_time_since_epoch and
 * last_update_time_since_epoch as ML Metadata recorded them, not the hour of the import.
 * Trusted code only, like given ids (given-mlmd-ids.ts): the option that turns it on
 * (PutOptions.withGivenTimes) is not in the GraphQL schema, the resolvers and the gRPC
 * handlers build their options and inputs field by field, and without the option an
 * input carrying a time is refused.
 *
 * The rules: with the option every input carries both times, integers of milliseconds
 * since the epoch from 0; a node the batch makes takes them as they are; a stored node an
 * input reaches keeps its own (it was made earlier, by this store's clock), and a change
 * to it is stamped by the usual rule.
 */
import { InvalidArgumentError } from '../../graph/errors.js';
import { isPresent, requireInt } from '../shared/validate.js';

/** A new node's given times, milliseconds since the epoch. */
export interface GivenTimes { createTime: number; updateTime: number }

/** The input's times when times are given (both required then), null otherwise (refused if present). */
export function givenTimesOf(input: { createTime?: unknown; updateTime?: unknown }, given: boolean, field: string): GivenTimes | null {
  if (!given) {
    for (const name of ['createTime', 'updateTime'] as const) {
      if (isPresent(input[name])) {
        throw new InvalidArgumentError(`${field}.${name}: a ${name} is kept only by trusted writes that give every time`, `${field}.${name}`);
      }
    }
    return null;
  }
  const time = (name: 'createTime' | 'updateTime'): number => {
    if (!isPresent(input[name])) throw new InvalidArgumentError(`${field}.${name} is required when times are given`, `${field}.${name}`);
    return requireInt(input[name], `${field}.${name}`, 0, Number.MAX_SAFE_INTEGER);
  };
  return { createTime: time('createTime'), updateTime: time('updateTime') };
}
