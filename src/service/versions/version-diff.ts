/**
 * What changed between two versions of one dataset: the artifact's uri and state, its
 * properties and custom properties, the fields of its `facet:schema`, and the runs that
 * wrote each with the versions those runs read. A fixed number of store calls.
 */
import { InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import type { ArtifactRecord, ContextRecord, PropertyMap } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import { sameJson } from '../shared/canonical-json.js';
import { compareText } from '../shared/compare-text.js';
import { describe } from '../shared/validate.js';
import { DATASET_CONTEXT_TYPES, VERSION_PROPERTY, versionEntry, type DatasetVersion } from './dataset-kinds.js';
import { datasetsOf, datasetTypesIn, versionsUsedBy, type VersionUsed } from './dataset-versions.js';

export type ChangeKind = 'ADDED' | 'REMOVED' | 'CHANGED';

/** A value present in `a` only (REMOVED), in `b` only (ADDED), or in both but different (CHANGED). */
export interface ValueChange {
  name: string;
  change: ChangeKind;
  before: unknown;
  after: unknown;
}

/** A field of the schema facet (nested fields named `parent.child`) added, removed, or whose type changed. */
export interface SchemaFieldChange {
  name: string;
  change: ChangeKind;
  typeBefore: string | null;
  typeAfter: string | null;
}

/** A run that wrote a version (an OUTPUT event to it), with every artifact it read. */
export interface UpstreamRun {
  runId: string;
  inputs: VersionUsed[];
}

/** What the writing runs read of one dataset (or one artifact in no dataset), before (a's writers) and after (b's). */
export interface UpstreamChange {
  /** null for an artifact in no dataset (then before or after holds it). */
  datasetName: string | null;
  change: ChangeKind;
  before: VersionUsed[];
  after: VersionUsed[];
}

export interface VersionDiff {
  dataset: ContextRecord;
  a: DatasetVersion;
  b: DatasetVersion;
  /** uri and state (name and externalId carry the version label, so they always differ and are left out). */
  fields: ValueChange[];
  properties: ValueChange[];
  customProperties: ValueChange[];
  schemaFields: SchemaFieldChange[];
  upstreamA: UpstreamRun[];
  upstreamB: UpstreamRun[];
  upstreamChanges: UpstreamChange[];
}

/** The changes from `before` to `after`, by name. */
function mapChanges(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): ValueChange[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareText);
  return names.flatMap((name): ValueChange[] => {
    const has = [Object.hasOwn(before, name), Object.hasOwn(after, name)];
    const [b, a] = [has[0] ? before[name] : null, has[1] ? after[name] : null];
    if (has[0] && has[1]) return sameJson(b, a) ? [] : [{ name, change: 'CHANGED', before: b, after: a }];
    return [{ name, change: has[0] ? 'REMOVED' : 'ADDED', before: b, after: a }];
  });
}

/**
 * The schema facet's fields by name, nested ones as `parent.child`, with their types (null
 * when none is given). Anything not shaped as OpenLineage's SchemaDatasetFacet counts as no fields.
 */
export function schemaFields(properties: PropertyMap): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const visit = (fields: unknown, prefix: string, depth: number): void => {
    // Bounded, though stored JSON is at most 64 levels deep (validate.ts), so at most 32 of fields: the facet is user JSON.
    if (!Array.isArray(fields) || depth > 32) return;
    for (const f of fields) {
      if (typeof f !== 'object' || f === null || typeof (f as { name?: unknown }).name !== 'string') continue;
      const field = f as { name: string; type?: unknown; fields?: unknown };
      const name = `${prefix}${field.name}`;
      out.set(name, typeof field.type === 'string' ? field.type : null);
      visit(field.fields, `${name}.`, depth + 1);
    }
  };
  const facet = properties[VERSION_PROPERTY.schemaFacet];
  if (typeof facet === 'object' && facet !== null && !Array.isArray(facet)) visit((facet as { fields?: unknown }).fields, '', 0);
  return out;
}

function schemaChanges(a: PropertyMap, b: PropertyMap): SchemaFieldChange[] {
  const before = schemaFields(a);
  const after = schemaFields(b);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort(compareText);
  return names.flatMap((name): SchemaFieldChange[] => {
    const [tb, ta] = [before.get(name) ?? null, after.get(name) ?? null];
    if (!before.has(name)) return [{ name, change: 'ADDED', typeBefore: null, typeAfter: ta }];
    if (!after.has(name)) return [{ name, change: 'REMOVED', typeBefore: tb, typeAfter: null }];
    return tb === ta ? [] : [{ name, change: 'CHANGED', typeBefore: tb, typeAfter: ta }];
  });
}

/** What each side's writers read, grouped by dataset (or artifact), where the two sides differ. */
function upstreamChanges(a: readonly UpstreamRun[], b: readonly UpstreamRun[]): UpstreamChange[] {
  const keyOf = (u: VersionUsed): string => (u.version ? `d:${u.version.dataset.id}` : `a:${u.artifact.id}`);
  const group = (runs: readonly UpstreamRun[]): Map<string, Map<string, VersionUsed>> => {
    const out = new Map<string, Map<string, VersionUsed>>();
    for (const run of runs) {
      for (const u of run.inputs) {
        const entry = out.get(keyOf(u)) ?? new Map<string, VersionUsed>();
        entry.set(u.artifact.id, u);
        out.set(keyOf(u), entry);
      }
    }
    return out;
  };
  const [before, after] = [group(a), group(b)];
  const changes: UpstreamChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const [x, y] = [before.get(key), after.get(key)];
    const sample = (x ?? y)!.values().next().value!;
    const sorted = (m: Map<string, VersionUsed> | undefined): VersionUsed[] =>
      [...(m?.values() ?? [])].sort((p, q) => compareText(p.artifact.id, q.artifact.id));
    const sameSet = x !== undefined && y !== undefined && x.size === y.size && [...x.keys()].every((id) => y.has(id));
    if (sameSet) continue;
    changes.push({
      datasetName: sample.version?.dataset.name ?? null,
      change: x === undefined ? 'ADDED' : y === undefined ? 'REMOVED' : 'CHANGED',
      before: sorted(x),
      after: sorted(y),
    });
  }
  const sortKey = (c: UpstreamChange): string => c.datasetName ?? `\uffff${(c.before[0] ?? c.after[0])!.artifact.id}`;
  return changes.sort((p, q) => compareText(sortKey(p), sortKey(q)));
}

/**
 * The two artifacts as versions of one dataset: NOT_FOUND on `a` or `b` for an unknown id,
 * INVALID_ARGUMENT on it when it is no artifact or in no dataset, and on `b` when the two
 * share no dataset.
 */
async function requireVersions(tx: StoreTx, ids: readonly [string, string]): Promise<{ dataset: ContextRecord; pair: [ArtifactRecord, ArtifactRecord] }> {
  const fields = ['a', 'b'] as const;
  const records = await tx.getNodes(ids);
  const pair = records.map((r, i) => {
    const field = fields[i]!;
    if (!r) throw new NotFoundError(`${field}: no artifact ${describe(ids[i])}`, field);
    if (r.kind !== 'ARTIFACT') {
      throw new InvalidArgumentError(`${field} must name a dataset version (an artifact), got the ${r.kind.toLowerCase()} ${describe(r.id)}`, field);
    }
    return r;
  }) as [ArtifactRecord, ArtifactRecord];
  const datasets = await datasetsOf(tx, pair.map((r) => r.id), await datasetTypesIn(tx));
  datasets.forEach((list, i) => {
    if (list.length === 0) {
      throw new InvalidArgumentError(
        `${fields[i]} must name a dataset version, but artifact ${describe(ids[i])} is attributed to no dataset (a context of type ${DATASET_CONTEXT_TYPES.join(' or ')})`,
        fields[i],
      );
    }
  });
  const shared = datasets[0]!.find((d) => datasets[1]!.some((e) => e.id === d.id));
  if (!shared) {
    throw new InvalidArgumentError(
      `b must be a version of the same dataset as a: a is a version of ${describe(datasets[0]![0]!.name)}, b of ${describe(datasets[1]![0]!.name)}`,
      'b',
    );
  }
  return { dataset: shared, pair };
}

/** The diff of versions `a` and `b` (from a to b), inside `tx`. */
export async function diffVersionsIn(tx: StoreTx, a: string, b: string): Promise<VersionDiff> {
  const { dataset, pair: [va, vb] } = await requireVersions(tx, [a, b]);
  const [eventsA, eventsB] = await tx.eventsByArtifacts([va.id, vb.id]);
  const writersOf = (events: typeof eventsA): string[] => [...new Set(events!.filter((e) => e.type === 'OUTPUT').map((e) => e.executionId))];
  const writers = [writersOf(eventsA), writersOf(eventsB)];
  const runIds = [...new Set(writers.flat())];
  const runEvents = runIds.length === 0 ? [] : await tx.eventsByExecutions(runIds);
  const readBy = new Map(runIds.map((id, i) => [id, [...new Set(runEvents[i]!.filter((e) => e.type === 'INPUT').map((e) => e.artifactId))]]));
  const used = await versionsUsedBy(tx, [...readBy.values()].flat());
  const upstream = (ids: readonly string[]): UpstreamRun[] => ids.map((runId) => ({
    runId, inputs: readBy.get(runId)!.flatMap((id) => used.get(id) ?? []),
  }));
  const [upstreamA, upstreamB] = [upstream(writers[0]!), upstream(writers[1]!)];
  return {
    dataset,
    a: versionEntry(va, dataset),
    b: versionEntry(vb, dataset),
    fields: mapChanges({ uri: va.uri, state: va.state }, { uri: vb.uri, state: vb.state }),
    properties: mapChanges(va.properties, vb.properties),
    customProperties: mapChanges(va.customProperties, vb.customProperties),
    schemaFields: schemaChanges(va.customProperties, vb.customProperties),
    upstreamA,
    upstreamB,
    upstreamChanges: upstreamChanges(upstreamA, upstreamB),
  };
}
