/**
 * Personal data per field of a dataset version, through column lineage (issue 15).
 *
 * A field holds the categories declared for it (on its version, else on the version's
 * type, as for artifacts) and those of every input field it derives from, along the
 * column lineage walk (src/service/lineage/column-lineage.ts), upstream from all the
 * fields asked about at once. A derivation carries a category when:
 * - it is DIRECT (or the facet gives no transformation: the older form said nothing
 *   more). INDIRECT ones (filter, join, sort, group-by keys) and the facet's whole-dataset
 *   list decide which rows or groups come out, not what values they hold, so a column
 *   used only that way, or dropped, does not reach the output: its category stops there;
 * - the run's privacy transform lets it pass, by the artifact rules (propagation.ts's
 *   `transfer`): DROP removes the categories it names, ANONYMIZE and high-k AGGREGATE
 *   stop everything, PSEUDONYMIZE pseudonymises;
 * - a masking transformation (a hash, a redaction) passes it pseudonymised, as
 *   PSEUDONYMIZE does: a masked value still singles a person out (GDPR Recital 26).
 * A field is pseudonymised for a category when every route that brings it does so; one
 * clear route makes it clear. The analysis is a monotone fixpoint over the walked edges
 * (each fact only ever goes from absent to pseudonymised to clear), so it ends on cycles.
 *
 * The artifact-level status (Artifact.personalData) is left as the existing rules make it:
 * an artifact holds every category of its fields, and passes them all downstream at the
 * artifact level. That is the safe over-approximation; this view is the precise one.
 */
import type { ArtifactRecord, ExecutionRecord, PersonalDataDeclaration, SpecialCategory, TypeRecord } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import { carriesValue, knownFieldsOf, masksValue } from '../lineage/column-lineage-facet.js';
import { walkColumns, type ColumnEdge } from '../lineage/column-lineage.js';
import { recordsById, typesById } from '../shared/batch-reads.js';
import { compareText } from '../shared/compare-text.js';
import type { Deadline } from '../shared/deadline.js';
import { categoryOfKey, keysOf, transfer, type CategoryKey } from './propagation.js';

/** What one field of a version holds. */
export interface FieldPersonalData {
  field: string;
  /** Sorted. */
  categories: string[];
  specialCategories: SpecialCategory[];
  /** Declared for this field (on its version, or its type's default). */
  declared: boolean;
  /** Every category it holds reaches it only pseudonymised (the schema's spelling). */
  pseudonymized: boolean;
}

export interface FieldPropagationSettings {
  minK: number;
  maxHops: number;
  maxNodes: number;
  deadline: Deadline;
}

/** The declaration that applies to a version: its own when it has one (even empty), else its type's. */
const declarationOf = (a: ArtifactRecord, types: ReadonlyMap<string, TypeRecord>): PersonalDataDeclaration | null =>
  a.personalData ?? types.get(a.typeId)?.personalData ?? null;

const declaredFields = (d: PersonalDataDeclaration | null): Map<string, CategoryKey[]> =>
  new Map((d?.fields ?? []).map((f) => [f.field, keysOf(f)]));

const fieldKey = (artifactId: string, field: string): string => `${artifactId}\u0000${field}`;

/**
 * Per field, what each of `artifacts` holds, aligned with them: every field its schema
 * facet, column lineage or declarations name, by name. Store calls: the types of the
 * asked versions, the column walk (three per hop), the types of the versions met and the
 * runs' records, whatever the number of fields.
 */
export async function fieldPersonalDataInTx(
  tx: StoreTx, artifacts: readonly ArtifactRecord[], settings: FieldPropagationSettings,
): Promise<FieldPersonalData[][]> {
  const startTypes = await typesById(tx, artifacts.map((a) => a.typeId));
  const starts = artifacts.map((record) => ({
    record,
    fields: [...new Set([...knownFieldsOf(record.customProperties), ...declaredFields(declarationOf(record, startTypes)).keys()])],
  }));
  const walk = await walkColumns(tx, starts, 'UPSTREAM', settings);
  const types = await typesById(tx, [...walk.artifacts.values()].map((a) => a.typeId));
  const runs = await recordsById(tx, [...new Set(walk.edges.map((e) => e.runId))]);

  // Facts: field → key → clear (true) or pseudonymised only (false).
  const facts = new Map<string, Map<CategoryKey, boolean>>();
  const declared = new Set<string>();
  for (const node of walk.nodes) {
    const record = walk.artifacts.get(node.artifactId);
    const keys = record ? declaredFields(declarationOf(record, types)).get(node.field) : undefined;
    if (keys === undefined) continue;
    declared.add(fieldKey(node.artifactId, node.field));
    facts.set(fieldKey(node.artifactId, node.field), new Map(keys.map((k) => [k, true])));
  }
  const carrying = walk.edges.filter((e) => !e.wholeDataset && carriesValue(e.transformations));
  for (let changed = true; changed;) {
    changed = false;
    for (const edge of carrying) changed = step(edge, facts, runs, settings.minK) || changed;
  }

  return starts.map(({ record, fields }) => fields.slice().sort(compareText).map((field) => {
    const held = facts.get(fieldKey(record.id, field)) ?? new Map<CategoryKey, boolean>();
    const keys = [...held.keys()].sort(compareText).map(categoryOfKey);
    return {
      field,
      categories: keys.flatMap((k) => (k.category === null ? [] : [k.category])),
      specialCategories: keys.flatMap((k) => (k.specialCategory === null ? [] : [k.specialCategory])),
      declared: declared.has(fieldKey(record.id, field)),
      pseudonymized: held.size > 0 && [...held.values()].every((clear) => !clear),
    };
  }));
}

/** Moves the input field's facts over one derivation; true when the output learnt something. */
function step(edge: ColumnEdge, facts: Map<string, Map<CategoryKey, boolean>>, runs: ReadonlyMap<string, ArtifactRecord | ExecutionRecord>, minK: number): boolean {
  const from = facts.get(fieldKey(edge.input.artifactId, edge.input.field));
  if (!from || from.size === 0) return false;
  const run = runs.get(edge.runId);
  const privacy = run?.kind === 'EXECUTION' ? run.privacy ?? null : null;
  const masked = masksValue(edge.transformations);
  const outKey = fieldKey(edge.output.artifactId, edge.output.field);
  let to = facts.get(outKey);
  let changed = false;
  for (const [key, clear] of from) {
    const passed = transfer(privacy, key, clear, minK);
    if (passed === null) continue;
    const now = passed && !masked;
    if (!to) facts.set(outKey, (to = new Map()));
    const before = to.get(key);
    if (before === undefined || (!before && now)) {
      to.set(key, now);
      changed = true;
    }
  }
  return changed;
}
