/**
 * What a single-record lookup was asked by: a node by its id or by its ML Metadata id, a
 * type by its name (and version) or by its ML Metadata id. Exactly one of the two is
 * given; the refusals name the field the lookup answers.
 */
import { InvalidArgumentError } from '../../graph/errors.js';
import { isPresent, optionalName, requireMlmdId, requireName } from './validate.js';

export type NodeKey = { id: string; mlmdId?: undefined } | { mlmdId: number; id?: undefined };

/** The node `field` (e.g. `artifact`) asks for: `id` or `mlmdId`, exactly one. */
export function nodeKey(args: { id?: unknown; mlmdId?: unknown }, field: string): NodeKey {
  const hasId = isPresent(args.id);
  const hasMlmdId = isPresent(args.mlmdId);
  if (hasId === hasMlmdId) {
    throw new InvalidArgumentError(`${field} takes exactly one of id and mlmdId, got ${hasId ? 'both' : 'neither'}`, field);
  }
  return hasId ? { id: args.id as string } : { mlmdId: requireMlmdId(args.mlmdId, 'mlmdId') };
}

export type TypeKey = { name: string; version: string | null; mlmdId?: undefined } | { mlmdId: number; name?: undefined };

/** The type `field` (e.g. `artifactType`) asks for: `name` (and `version`) or `mlmdId`, exactly one. */
export function typeKey(args: { name?: unknown; version?: unknown; mlmdId?: unknown }, field: string): TypeKey {
  const hasName = isPresent(args.name);
  const hasMlmdId = isPresent(args.mlmdId);
  if (hasName === hasMlmdId) {
    throw new InvalidArgumentError(`${field} takes exactly one of name and mlmdId, got ${hasName ? 'both' : 'neither'}`, field);
  }
  if (hasMlmdId) {
    // An id names one type: a version beside it would be ignored, so it is refused instead.
    if (isPresent(args.version)) throw new InvalidArgumentError(`${field} takes version only with name, not with mlmdId`, 'version');
    return { mlmdId: requireMlmdId(args.mlmdId, 'mlmdId') };
  }
  return { name: requireName(args.name, 'name'), version: optionalName(args.version, 'version') };
}
