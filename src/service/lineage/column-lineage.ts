/**
 * Column lineage: which input fields a field of a dataset version derives from, and what
 * derives from it, hop by hop across runs.
 *
 * A hop is one run. Upstream of (version V, field f): the runs with an OUTPUT event to V,
 * the input fields V's `facet:columnLineage` names for f (and its whole-dataset list), each
 * bound to the version of that dataset the run read (its INPUT events whose artifact's
 * `dataset` property is `<namespace>/<name>`). A dataset the run did not read binds to
 * nothing: the facet alone never invents an edge. Downstream is the same relation read
 * from the other end: the runs with an INPUT event to V, their OUTPUT versions, and those
 * versions' facet entries naming V's dataset and f.
 *
 * Whole sets, as the lineage walk does: each hop costs three store calls for its whole
 * frontier (the frontier's events, the runs' events, the records not yet read), never
 * one per field or node; a breadth-first search with a visited set of (version, field), so
 * a field is reported once at its smallest hop count and cycles and fan-out terminate.
 * `truncated` is exact: the walk takes one hop past maxHops to learn whether anything was
 * cut off.
 */
import type { ArtifactRecord, EventRecord } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import type { Deadline } from '../shared/deadline.js';
import { compareText } from '../shared/compare-text.js';
import {
  columnLineageOf, datasetOf, knownFieldsOf, type ColumnLineageFacet, type ColumnTransformation, type InputFieldRef,
} from './column-lineage-facet.js';

export type ColumnDirection = 'UPSTREAM' | 'DOWNSTREAM';
export const COLUMN_DIRECTIONS: readonly ColumnDirection[] = ['UPSTREAM', 'DOWNSTREAM'];

/** A field of one dataset version. */
export interface ColumnRef {
  artifactId: string;
  field: string;
}

/** A field the walk reached, at its smallest number of runs from the start. */
export interface ColumnNode extends ColumnRef {
  /** The version's dataset (`<namespace>/<name>`); null when it carries none. */
  dataset: string | null;
  hops: number;
}

/** One derivation: `output` is computed (in part) from `input` by `runId`. Always in data-flow order, whatever the walk's direction. */
export interface ColumnEdge {
  input: ColumnRef;
  output: ColumnRef;
  runId: string;
  transformations: ColumnTransformation[];
  /** From the facet's whole-dataset list: the input affects every output field (a filter, join or grouping key). */
  wholeDataset: boolean;
}

export interface ColumnWalk {
  /** The start fields (hop 0) and every field reached, by hops, then version id, then field. */
  nodes: ColumnNode[];
  /** Every derivation among them, by output, input, then run. */
  edges: ColumnEdge[];
  /** Something lay beyond maxHops or maxNodes. */
  truncated: boolean;
  /** The records of every version the walk read, by id (the start's included). */
  artifacts: Map<string, ArtifactRecord>;
}

/** Fields of one version to start from. */
export interface ColumnStart {
  record: ArtifactRecord;
  fields: readonly string[];
}

export interface ColumnWalkBounds {
  maxHops: number;
  maxNodes: number;
  deadline: Deadline;
}

const keyOf = (r: ColumnRef): string => `${r.artifactId}\u0000${r.field}`;

/** Version ids → the fields of each in the frontier. */
type Frontier = Map<string, Set<string>>;

/** Every artifact id `events` reaches through events of `type`, by the node on the other end. */
function linked(events: readonly EventRecord[][], ids: readonly string[], type: 'INPUT' | 'OUTPUT', other: 'artifactId' | 'executionId'): Map<string, string[]> {
  const out = new Map<string, string[]>();
  ids.forEach((id, i) => {
    const ends = [...new Set((events[i] ?? []).filter((e) => e.type === type).map((e) => e[other]))].sort(compareText);
    if (ends.length > 0) out.set(id, ends);
  });
  return out;
}

/** Reads the records of `ids` not yet in `artifacts` (one getNodes call), keeping the artifacts. */
async function readMissing(tx: StoreTx, ids: Iterable<string>, artifacts: Map<string, ArtifactRecord>): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => !artifacts.has(id));
  if (missing.length === 0) return;
  for (const r of await tx.getNodes(missing)) if (r?.kind === 'ARTIFACT') artifacts.set(r.id, r);
}

/** The facet of a read version, parsed once per walk. */
class Facets {
  private readonly parsed = new Map<string, ColumnLineageFacet | null>();
  constructor(private readonly artifacts: Map<string, ArtifactRecord>) {}
  of(id: string): ColumnLineageFacet | null {
    if (!this.parsed.has(id)) {
      const record = this.artifacts.get(id);
      this.parsed.set(id, record ? columnLineageOf(record.customProperties) : null);
    }
    return this.parsed.get(id)!;
  }
}

/** The input fields `field` of a version derives from: its own entry, then the whole-dataset list. */
function sourcesOf(facet: ColumnLineageFacet, field: string): { ref: InputFieldRef; wholeDataset: boolean }[] {
  return [
    ...(facet.fields.get(field) ?? []).map((ref) => ({ ref, wholeDataset: false })),
    ...facet.datasetLevel.map((ref) => ({ ref, wholeDataset: true })),
  ];
}

/** One hop upstream of `frontier`: three store calls at most (none when no frontier field has a derivation). */
async function upstreamHop(tx: StoreTx, frontier: Frontier, artifacts: Map<string, ArtifactRecord>, facets: Facets): Promise<ColumnEdge[]> {
  const derived = [...frontier.keys()].filter((id) => {
    const facet = facets.of(id);
    return facet !== null && [...frontier.get(id)!].some((f) => sourcesOf(facet, f).length > 0);
  });
  if (derived.length === 0) return [];
  const writers = linked(await tx.eventsByArtifacts(derived), derived, 'OUTPUT', 'executionId');
  const runs = [...new Set([...writers.values()].flat())].sort(compareText);
  if (runs.length === 0) return [];
  const read = linked(await tx.eventsByExecutions(runs), runs, 'INPUT', 'artifactId');
  await readMissing(tx, [...read.values()].flat(), artifacts);
  const edges: ColumnEdge[] = [];
  for (const id of derived) {
    const facet = facets.of(id)!;
    for (const run of writers.get(id) ?? []) {
      // The versions this run read, by dataset: where the facet's (namespace, name) binds.
      const byDataset = new Map<string, string[]>();
      for (const input of read.get(run) ?? []) {
        const record = artifacts.get(input);
        const dataset = record ? datasetOf(record.customProperties) : null;
        if (dataset !== null) byDataset.set(dataset, [...(byDataset.get(dataset) ?? []), input]);
      }
      for (const field of frontier.get(id)!) {
        for (const { ref, wholeDataset } of sourcesOf(facet, field)) {
          for (const input of byDataset.get(ref.dataset) ?? []) {
            edges.push({ input: { artifactId: input, field: ref.field }, output: { artifactId: id, field }, runId: run, transformations: ref.transformations, wholeDataset });
          }
        }
      }
    }
  }
  return edges;
}

/** One hop downstream of `frontier`: three store calls at most (none when no frontier version names its dataset). */
async function downstreamHop(tx: StoreTx, frontier: Frontier, artifacts: Map<string, ArtifactRecord>, facets: Facets): Promise<ColumnEdge[]> {
  const named = [...frontier.keys()].filter((id) => {
    const record = artifacts.get(id);
    return record !== undefined && datasetOf(record.customProperties) !== null;
  });
  if (named.length === 0) return [];
  const readers = linked(await tx.eventsByArtifacts(named), named, 'INPUT', 'executionId');
  const runs = [...new Set([...readers.values()].flat())].sort(compareText);
  if (runs.length === 0) return [];
  const written = linked(await tx.eventsByExecutions(runs), runs, 'OUTPUT', 'artifactId');
  await readMissing(tx, [...written.values()].flat(), artifacts);
  const edges: ColumnEdge[] = [];
  for (const id of named) {
    const dataset = datasetOf(artifacts.get(id)!.customProperties)!;
    const fields = frontier.get(id)!;
    for (const run of readers.get(id) ?? []) {
      for (const output of written.get(run) ?? []) {
        const facet = facets.of(output);
        if (facet === null) continue;
        const add = (inField: string, outField: string, ref: InputFieldRef, wholeDataset: boolean): void => {
          edges.push({ input: { artifactId: id, field: inField }, output: { artifactId: output, field: outField }, runId: run, transformations: ref.transformations, wholeDataset });
        };
        for (const [outField, refs] of facet.fields) {
          for (const ref of refs) if (ref.dataset === dataset && fields.has(ref.field)) add(ref.field, outField, ref, false);
        }
        const wholeRefs = facet.datasetLevel.filter((ref) => ref.dataset === dataset && fields.has(ref.field));
        if (wholeRefs.length === 0) continue;
        const outFields = knownFieldsOf(artifacts.get(output)!.customProperties, facet);
        for (const ref of wholeRefs) for (const outField of outFields) add(ref.field, outField, ref, true);
      }
    }
  }
  return edges;
}

const compareRefs = (a: ColumnRef, b: ColumnRef): number => compareText(a.artifactId, b.artifactId) || compareText(a.field, b.field);

/**
 * The column lineage of the start fields, within `bounds`, in `tx`: a fixed
 * number of store calls per hop (three), plus one hop's worth past maxHops for `truncated`.
 */
export async function walkColumns(
  tx: StoreTx, starts: readonly ColumnStart[], direction: ColumnDirection, bounds: ColumnWalkBounds,
): Promise<ColumnWalk> {
  const artifacts = new Map<string, ArtifactRecord>(starts.map((s) => [s.record.id, s.record]));
  const facets = new Facets(artifacts);
  const hopsOf = new Map<string, ColumnNode>();
  const edges = new Map<string, ColumnEdge>();
  let frontier: Frontier = new Map();
  for (const { record, fields } of starts) {
    if (fields.length === 0) continue;
    const at = frontier.get(record.id) ?? new Set<string>();
    frontier.set(record.id, at);
    for (const field of fields) {
      at.add(field);
      hopsOf.set(keyOf({ artifactId: record.id, field }), { artifactId: record.id, field, dataset: null, hops: 0 });
    }
  }
  let truncated = false;
  for (let hop = 1; frontier.size > 0; hop += 1) {
    bounds.deadline.check();
    const found = direction === 'UPSTREAM'
      ? await upstreamHop(tx, frontier, artifacts, facets)
      : await downstreamHop(tx, frontier, artifacts, facets);
    const next: Frontier = new Map();
    for (const edge of found) {
      const reached = direction === 'UPSTREAM' ? edge.input : edge.output;
      const key = keyOf(reached);
      const fresh = !hopsOf.has(key);
      if (fresh && (hop > bounds.maxHops || hopsOf.size >= bounds.maxNodes)) {
        // Past a bound: a field not yet reported is what the bound cut off.
        truncated = true;
        continue;
      }
      edges.set(`${keyOf(edge.input)}\u0000${keyOf(edge.output)}\u0000${edge.runId}\u0000${edge.wholeDataset}`, edge);
      if (!fresh) continue;
      hopsOf.set(key, { ...reached, dataset: null, hops: hop });
      const fieldsAt = next.get(reached.artifactId);
      if (fieldsAt) fieldsAt.add(reached.field);
      else next.set(reached.artifactId, new Set([reached.field]));
    }
    if (hop > bounds.maxHops) break;
    frontier = next;
  }
  const nodes = [...hopsOf.values()]
    .map((n) => ({ ...n, dataset: artifacts.has(n.artifactId) ? datasetOf(artifacts.get(n.artifactId)!.customProperties) : null }))
    .sort((a, b) => a.hops - b.hops || compareRefs(a, b));
  const edgeList = [...edges.values()].sort((a, b) =>
    compareRefs(a.output, b.output) || compareRefs(a.input, b.input) || compareText(a.runId, b.runId) || Number(a.wholeDataset) - Number(b.wholeDataset));
  return { nodes, edges: edgeList, truncated, artifacts };
}
