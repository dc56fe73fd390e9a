/**
 * The contexts that --fail-if-affected flags name, looked up together (one request, or as
 * few as the server's alias limit allows), with the node-reference syntax (client/node-references.ts): `Type/name`,
 * `Type@version/name`, `context:MLMD_ID`, `context:<id>` or a bare id. Unlike the start
 * nodes, a flag that names no context is not an error here: it may name a type instead
 * (impact-gate.ts decides, once the store's types are known).
 */
import type { GraphQLClient } from '../client/graphql-client.js';
import { parseReference, referenceQueries, type ParsedReference } from '../client/node-references.js';
import type { ResolvedNodeFragment } from '../generated/graphql.js';
import type { GateTarget } from './impact-gate.js';

/** The server's ids are UUIDs: a bare word that is not one (`Model`) is read as a type name only. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `flag` as a context reference, or null when it cannot be one. */
export function contextReferenceOf(flag: string): ParsedReference | null {
  let parsed: ParsedReference;
  try {
    parsed = parseReference(flag);
  } catch {
    return null; // not a reference at all (e.g. `42` without its kind): a type name or nothing
  }
  if (parsed.kind !== null && parsed.kind !== 'context') return null;
  if (parsed.by === 'id' && parsed.kind === null && !UUID.test(parsed.id)) return null;
  return parsed;
}

/** For each flag, aligned, the context it names, or null (not a reference, or no such context). */
export async function gateContexts(client: GraphQLClient, flags: readonly string[]): Promise<GateTarget['context'][]> {
  const asked = flags.map((flag, index) => ({ index, reference: contextReferenceOf(flag) }))
    .filter((a): a is { index: number; reference: ParsedReference } => a.reference !== null);
  const found: GateTarget['context'][] = flags.map(() => null);
  if (asked.length === 0) return found;
  const data: Record<string, ResolvedNodeFragment | null> = {};
  for (const { query, variables } of referenceQueries(asked.map((a) => a.reference), ['context'])) {
    Object.assign(data, await client.requestText<Record<string, ResolvedNodeFragment | null>>(query, variables));
  }
  asked.forEach((a, i) => {
    const node = a.reference.by === 'name' ? data[`r${i}_context`] : data[`r${i}`];
    if (node?.__typename === 'Context') found[a.index] = { id: node.id, name: node.contextName, typeName: node.type.name };
  });
  return found;
}
