/**
 * What an operation selects under a field, read from its document: for a resolver that
 * can fetch more in the read it makes anyway (a lineage walk reading its nodes' records
 * in its own transaction) rather than leave it to loaders in further transactions.
 */
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The fields selected directly under `selectionSets`, fragments (named and inline)
 * flattened. `@skip`/`@include` are not evaluated: a field they may drop counts as
 * selected, which at worst reads what the answer will not show.
 */
function subfields(selectionSets: readonly (SelectionSetNode | undefined)[], info: GraphQLResolveInfo, seen = new Set<string>()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const set of selectionSets) {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) out.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) out.push(...subfields([selection.selectionSet], info, seen));
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        out.push(...subfields([info.fragments[selection.name.value]?.selectionSet], info, seen));
      }
    }
  }
  return out;
}

/**
 * Whether the field being resolved selects any of `paths`, each a list of field names
 * from it down (e.g. `['nodes', 'artifact']`).
 */
export function selectsAny(info: GraphQLResolveInfo, paths: readonly (readonly string[])[]): boolean {
  return paths.some((path) => {
    let level: FieldNode[] = [...info.fieldNodes];
    for (const name of path) {
      level = subfields(level.map((f) => f.selectionSet), info).filter((f) => f.name.value === name);
      if (level.length === 0) return false;
    }
    return true;
  });
}
