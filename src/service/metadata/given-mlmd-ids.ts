/**
 * Writing with the ML Metadata ids a caller gives instead of new ones: what the ML
 * Metadata importer needs to keep every id of the store it brings in (Kubeflow's run
 * records hold MLMD execution ids). Trusted code only: the options that turn it on
 * (PutOptions.withGivenMlmdIds, TypePutOptions.withGivenMlmdId) are not in the GraphQL
 * schema, and the resolvers build their options field by field.
 *
 * The rules, the same on every backend:
 * - every input carries an `mlmdId`; without the option, an input carrying one is refused;
 * - an input that reaches a stored record (by id, name or externalId) must give the id
 *   that record has: so re-running an import finds what it wrote and adds only what is new;
 * - a new record's id must be above every id its space has handed out (a record holding
 *   it, one deleted, or one a rolled-back write took): ids are never reused, and no block
 *   of ids another process holds can contain it; one id twice in a batch is refused too;
 * - the space's counter then moves past the highest id given, so the store never hands
 *   out an id at or below it (GraphTx.claimMlmdIdsUpTo).
 * So an import into an empty store keeps every id, in as many batches as it likes, as
 * long as each space's ids come in ascending order across batches (ML Metadata's own
 * order); into a store that handed out ids, the importer remaps.
 */
import { AlreadyExistsError, InvalidArgumentError } from '../../graph/errors.js';
import type { MlmdIdSpace } from '../../graph/model.js';
import { isPresent, requireMlmdId } from '../shared/validate.js';
import type { WriteContext } from './write-context.js';

/** A new record's given id, with the input field it came from. */
export interface GivenMlmdId { mlmdId: number; field: string }

/** The input's `mlmdId` when ids are given (required then), null otherwise (refused if present). */
export function givenMlmdIdOf(input: { mlmdId?: unknown }, given: boolean, field: string): number | null {
  if (!given) {
    if (isPresent(input.mlmdId)) {
      throw new InvalidArgumentError(`${field}.mlmdId: an mlmdId is kept only by trusted writes that give every id`, `${field}.mlmdId`);
    }
    return null;
  }
  if (!isPresent(input.mlmdId)) throw new InvalidArgumentError(`${field}.mlmdId is required when ids are given`, `${field}.mlmdId`);
  return requireMlmdId(input.mlmdId, `${field}.mlmdId`);
}

/** Refuses an input that reaches a stored record holding another id than the one it gives. */
export function requireSameMlmdId(what: string, storedId: number, given: number | null, field: string): void {
  if (given !== null && given !== storedId) {
    throw new AlreadyExistsError(`${field}.mlmdId: ${what} exists with mlmdId ${storedId}, not ${given}`, `${field}.mlmdId`);
  }
}

/**
 * Claims the given ids of new records of `space` in the write's transaction, or refuses
 * the first that is given twice or was handed out before, naming it and who holds it
 * (`holderOf`, asked only on a refusal).
 */
export async function claimGivenMlmdIds(
  ctx: WriteContext, space: MlmdIdSpace, given: readonly GivenMlmdId[], holderOf: (mlmdId: number) => Promise<string | null>,
): Promise<void> {
  if (given.length === 0) return;
  const seen = new Set<number>();
  for (const { mlmdId, field } of given) {
    if (seen.has(mlmdId)) throw new InvalidArgumentError(`${field}.mlmdId: ${space} mlmdId ${mlmdId} is given twice`, `${field}.mlmdId`);
    seen.add(mlmdId);
  }
  const highest = Math.max(...seen);
  const handedOut = await ctx.tx.claimMlmdIdsUpTo(space, highest);
  const refused = given.filter((g) => g.mlmdId <= handedOut).sort((a, b) => a.mlmdId - b.mlmdId)[0];
  if (refused === undefined) return;
  const { mlmdId, field } = refused;
  const holder = await holderOf(mlmdId);
  throw new AlreadyExistsError(holder !== null
    ? `${field}.mlmdId: ${space} mlmdId ${mlmdId} is taken by ${holder}`
    : `${field}.mlmdId: ${space} mlmdId ${mlmdId} was handed out before and is never given again; `
      + `a given ${space} id must be above ${handedOut}`, `${field}.mlmdId`);
}
