/**
 * What a batch of OpenLineage events does to the graph, worked out in memory: the nodes
 * they touch (read once for the whole batch), merged with what each event says, and the
 * edges between them. Nothing here calls the store: the intake reads the nodes a batch
 * names in a fixed number of queries, hands them to a draft, applies every event in
 * order, and writes the draft back in one putLineageSubgraph (openlineage-intake.ts).
 * The mapping itself is docs/openlineage.md.
 */
import { AlreadyExistsError, InvalidArgumentError } from '../../graph/errors.js';
import type { ExecutionState, NodeRecord, PropertyMap, PropertyValue } from '../../graph/model.js';
import { MAX_NAME_LENGTH, MAX_TEXT_LENGTH, describe, requireExactJson, requireName } from '../shared/validate.js';
import {
  OL_TYPES, STATE_OF_EVENT, STATE_PROGRESS, UNVERSIONED, qualifiedName, runExternalId, versionExternalId, versionName,
  type Facets, type OlDataset, type OlEvent, type OlJob,
} from './openlineage-model.js';
import { deeperThan } from './validation.js';
import { mergeEarliest, mergeRanked, mergeState, OWN, READER, rankOf } from './property-merge.js';

type DraftKind = 'CONTEXT' | 'EXECUTION' | 'ARTIFACT';

/** One node as the batch leaves it: the stored record's fields (or a new node's), and what the events made of them. */
export interface DraftNode {
  kind: DraftKind;
  type: string;
  name: string;
  /** The stored node's id; null for a node the batch makes. */
  id: string | null;
  /** The stored node's ML Metadata id (the order of versions with equal versionTime); null for a new one. */
  mlmdId: number | null;
  externalId: string | null;
  uri: string | null;
  state: ExecutionState | null;
  customProperties: PropertyMap;
  /** Whether the batch changed the node (a stored node left as it was is only named by its edges). */
  changed: boolean;
  /** Order of creation within the batch, after every stored node. */
  seq: number;
}

/** The nodes a batch names, as the store holds them. */
export interface DraftSnapshot {
  contexts: readonly NodeRecord[];
  runs: readonly NodeRecord[];
  /** Every version of every dataset the batch names. */
  versions: readonly NodeRecord[];
  /** Type id → type name, for the snapshot's records. */
  typeNames: ReadonlyMap<string, string>;
  /** The OUTPUT events of the snapshot's runs, by node ids: what each run already wrote. */
  written: readonly { executionId: string; artifactId: string }[];
}

/** The names a batch touches, for the intake's reads. */
export interface DraftKeys {
  /** [type name, context name] */
  contexts: [string, string][];
  runIds: string[];
  datasets: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const key = (type: string, name: string): string => `${type}\u0000${name}`;

/** Every context, run and dataset a batch names (before any is read). */
export function keysOf(events: readonly OlEvent[]): DraftKeys {
  const contexts = new Map<string, [string, string]>();
  const runIds = new Set<string>();
  const datasets = new Set<string>();
  const ctx = (type: string, name: string): void => { contexts.set(key(type, name), [type, name]); };
  const job = (j: OlJob): void => {
    ctx(OL_TYPES.namespace, j.namespace);
    ctx(OL_TYPES.job, qualifiedName(j.namespace, j.name));
  };
  const dataset = (d: OlDataset): void => {
    const name = qualifiedName(d.namespace, d.name);
    ctx(OL_TYPES.dataset, name);
    datasets.add(name);
  };
  for (const e of events) {
    if (e.job) job(e.job);
    if (e.dataset) dataset(e.dataset);
    for (const d of [...(e.inputs ?? []), ...(e.outputs ?? [])]) dataset(d);
    if (e.run) {
      runIds.add(e.run.runId);
      ctx(OL_TYPES.parentRun, e.run.runId);
      const parent = parentOf(e.run.facets);
      if (parent) {
        job(parent.job);
        runIds.add(parent.runId);
        ctx(OL_TYPES.parentRun, parent.runId);
      }
    }
  }
  return { contexts: [...contexts.values()], runIds: [...runIds], datasets: [...datasets] };
}

/** The parent run facet's run id and job, when the facet has them (the schema checked their types). */
function parentOf(facets: Facets | undefined): { runId: string; job: OlJob } | null {
  const parent = facets?.parent;
  if (!isObject(parent) || !isObject(parent.run) || !isObject(parent.job)) return null;
  const { runId } = parent.run;
  const { namespace, name } = parent.job;
  if (typeof runId !== 'string' || typeof namespace !== 'string' || typeof name !== 'string') return null;
  return { runId, job: { namespace, name } };
}

/** Milliseconds since the epoch of an event's eventTime (the schema checked it is an RFC 3339 date-time). */
export const eventTimeOf = (e: OlEvent): number => Date.parse(e.eventTime);

export class LineageDraft {
  private readonly contexts = new Map<string, DraftNode>();
  private readonly runs = new Map<string, DraftNode>();
  private readonly versions = new Map<string, DraftNode>();
  private readonly versionsOfDataset = new Map<string, DraftNode[]>();
  /** Run name → the versions it wrote: never the version its own inputs bind to. */
  private readonly writtenBy = new Map<string, Set<DraftNode>>();
  private seq = 0;
  readonly events = new Map<string, { run: DraftNode; version: DraftNode; type: 'INPUT' | 'OUTPUT' }>();
  readonly attributions = new Map<string, { context: DraftNode; artifact: DraftNode }>();
  readonly associations = new Map<string, { context: DraftNode; execution: DraftNode }>();
  readonly parentLinks = new Map<string, { child: DraftNode; parent: DraftNode }>();

  constructor(snapshot: DraftSnapshot) {
    const stored = (r: NodeRecord, kind: DraftKind): DraftNode => ({
      kind, type: snapshot.typeNames.get(r.typeId) ?? '', name: r.name ?? '', id: r.id, mlmdId: r.mlmdId, externalId: r.externalId,
      uri: r.kind === 'ARTIFACT' ? r.uri : null, state: r.kind === 'EXECUTION' ? r.lastKnownState : null,
      customProperties: r.customProperties, changed: false, seq: 0,
    });
    for (const r of snapshot.contexts) { const n = stored(r, 'CONTEXT'); this.contexts.set(key(n.type, n.name), n); }
    for (const r of snapshot.runs) { const n = stored(r, 'EXECUTION'); this.runs.set(n.name, n); }
    for (const r of snapshot.versions) this.rememberVersion(stored(r, 'ARTIFACT'));
    const byId = new Map([...this.runs.values(), ...this.versions.values()].map((n) => [n.id, n]));
    for (const w of snapshot.written) {
      const run = byId.get(w.executionId);
      const version = byId.get(w.artifactId);
      if (run && version) this.wrote(run, version);
    }
  }

  private wrote(run: DraftNode, version: DraftNode): void {
    const set = this.writtenBy.get(run.name) ?? new Set();
    set.add(version);
    this.writtenBy.set(run.name, set);
  }

  /** Every node the batch touched, by kind. */
  nodes(): { contexts: DraftNode[]; runs: DraftNode[]; versions: DraftNode[] } {
    const touched = new Set<DraftNode>();
    for (const e of this.events.values()) touched.add(e.run).add(e.version);
    for (const a of this.attributions.values()) touched.add(a.context).add(a.artifact);
    for (const a of this.associations.values()) touched.add(a.context).add(a.execution);
    for (const l of this.parentLinks.values()) touched.add(l.child).add(l.parent);
    const all = [...this.contexts.values(), ...this.runs.values(), ...this.versions.values()].filter((n) => n.changed || touched.has(n));
    return {
      contexts: all.filter((n) => n.kind === 'CONTEXT'),
      runs: all.filter((n) => n.kind === 'EXECUTION'),
      versions: all.filter((n) => n.kind === 'ARTIFACT'),
    };
  }

  /** Applies one validated event; `at` is its path for errors (e.g. `events[2]`). */
  apply(e: OlEvent, at: string): void {
    const t = eventTimeOf(e);
    if (e.run && e.job) this.applyRun(e, t, at);
    else if (e.dataset) this.applyDataset(e.dataset, t, `${at}.dataset`);
    else if (e.job) this.applyJob(e, t, at);
  }

  private applyRun(e: OlEvent, t: number, at: string): void {
    const job = this.job(e.job!, t, `${at}.job`);
    const runId = e.run!.runId;
    const run = this.run(runId);
    const facets = e.run!.facets ?? {};
    const derived: Record<string, PropertyValue> = { ...this.facetProperties(facets, `${at}.run.facets`), job: job.name };
    const nominal = facets.nominalTime;
    if (isObject(nominal)) {
      if (typeof nominal.nominalStartTime === 'string') derived.nominalStartTime = nominal.nominalStartTime;
      if (typeof nominal.nominalEndTime === 'string') derived.nominalEndTime = nominal.nominalEndTime;
    }
    const error = facets.errorMessage;
    if (isObject(error) && typeof error.message === 'string') derived.errorMessage = error.message.slice(0, MAX_TEXT_LENGTH * 16);
    this.update(run, mergeRanked(run.customProperties, derived, [OWN, t]));
    const state = e.eventType === undefined ? undefined : STATE_OF_EVENT[e.eventType];
    if (state !== undefined) {
      const merged = mergeState(run.customProperties, run.state ?? 'UNKNOWN', state, [STATE_PROGRESS[state] ?? 0, t]);
      let props = merged.props;
      if (e.eventType === 'START') props = mergeEarliest(props, 'startTime', t);
      const held = rankOf(props, 'lastKnownState');
      if ((STATE_PROGRESS[merged.state] ?? 0) === 2 && held) props = props.endTime === held[1] ? props : { ...props, endTime: held[1] };
      this.update(run, props, merged.state);
    }
    this.associate(job, run);
    // A run that some other run names as its parent joins that parent's group too, whichever arrives first.
    const ownGroup = this.contexts.get(key(OL_TYPES.parentRun, runId));
    if (ownGroup) this.associate(ownGroup, run);
    const parent = parentOf(facets);
    if (parent) {
      const parentJob = this.job(parent.job, t, `${at}.run.facets.parent.job`);
      const group = this.context(OL_TYPES.parentRun, parent.runId, `${at}.run.facets.parent.run.runId`);
      this.update(group, mergeRanked(group.customProperties, { job: parentJob.name }, [OWN, t]));
      this.link(group, parentJob);
      this.associate(group, run);
      const parentRun = this.runs.get(parent.runId);
      if (parentRun) this.associate(group, parentRun);
    }
    (e.inputs ?? []).forEach((d, i) => {
      const where = `${at}.inputs[${i}]`;
      const dataset = this.dataset(d, where);
      const version = this.boundVersion(run, dataset, d, t, where);
      this.edge(run, version, 'INPUT');
      this.attribute(dataset, version);
    });
    (e.outputs ?? []).forEach((d, i) => {
      const where = `${at}.outputs[${i}]`;
      const dataset = this.dataset(d, where);
      // Only a completed run wrote a version (as Marquez); START, RUNNING, FAIL and ABORT name the dataset only.
      if (e.eventType !== 'COMPLETE') return;
      const facets = { ...(d.outputFacets ?? {}), ...(d.facets ?? {}) };
      const version = this.version(dataset, versionFacetOf(d.facets) ?? runId, where);
      this.describeVersion(version, facets, [OWN, t], where);
      this.edge(run, version, 'OUTPUT');
      this.wrote(run, version);
      this.attribute(dataset, version);
    });
  }

  private applyDataset(d: OlDataset, t: number, at: string): void {
    const dataset = this.dataset(d, at);
    const named = versionFacetOf(d.facets);
    if (named === null) {
      // Without a version, a DatasetEvent describes the dataset itself.
      this.update(dataset, mergeRanked(dataset.customProperties, this.facetProperties(d.facets ?? {}, `${at}.facets`), [OWN, t]));
      return;
    }
    const version = this.version(dataset, named, at);
    this.describeVersion(version, d.facets ?? {}, [OWN, t], at);
    this.attribute(dataset, version);
  }

  private applyJob(e: OlEvent, t: number, at: string): void {
    this.job(e.job!, t, `${at}.job`);
    (e.inputs ?? []).forEach((d, i) => this.dataset(d, `${at}.inputs[${i}]`));
    (e.outputs ?? []).forEach((d, i) => this.dataset(d, `${at}.outputs[${i}]`));
  }

  /**
   * An input's version: the one its `version` facet names, else the newest by the event's
   * time that the run did not write itself (a run appending to its input read the version
   * before, also when its COMPLETE comes again), else UNVERSIONED.
   */
  private boundVersion(run: DraftNode, dataset: DraftNode, d: OlDataset, t: number, at: string): DraftNode {
    const own = this.writtenBy.get(run.name);
    const named = versionFacetOf(d.facets);
    let version: DraftNode | undefined;
    if (named !== null) version = this.version(dataset, named, at);
    else {
      const candidates = (this.versionsOfDataset.get(dataset.name) ?? []).filter((v) => (
        v.customProperties.version !== UNVERSIONED && !own?.has(v)
        && typeof v.customProperties.versionTime === 'number' && v.customProperties.versionTime <= t));
      version = candidates.sort(newestLast).at(-1) ?? this.version(dataset, UNVERSIONED, at);
    }
    this.describeVersion(version, d.facets ?? {}, [READER, t], at);
    return version;
  }

  private describeVersion(version: DraftNode, facets: Facets, rank: readonly [number, number], at: string): void {
    let props = mergeEarliest(version.customProperties, 'versionTime', rank[1]);
    props = mergeRanked(props, this.facetProperties(facets, `${at}.facets`), rank);
    this.update(version, props);
  }

  /** `facet:<name>` custom properties for the facets, each refused (naming its path) unless both stores keep it exactly. */
  private facetProperties(facets: Facets, at: string): Record<string, PropertyValue> {
    const out: Record<string, PropertyValue> = {};
    for (const [name, value] of Object.entries(facets)) {
      const where = `${at}.${name}`;
      requireName(`facet:${name}`, `${where} (facet name)`);
      if (name === '__proto__') throw new InvalidArgumentError(`${where}: "__proto__" cannot be a facet name`, where);
      // The stores keep custom property values 64 levels deep; deeper is refused here with the facet's path.
      if (deeperThan(value, MAX_FACET_DEPTH)) throw new InvalidArgumentError(`${where}: a facet may nest at most ${MAX_FACET_DEPTH} levels`, where);
      requireExactJson(value, where);
      out[`facet:${name}`] = value as PropertyValue;
    }
    return out;
  }

  private job(j: OlJob, t: number, at: string): DraftNode {
    const namespace = this.context(OL_TYPES.namespace, j.namespace, `${at}.namespace`);
    const job = this.qualified(OL_TYPES.job, j.namespace, j.name, 'jobName', at);
    this.link(job, namespace);
    if (j.facets) this.update(job, mergeRanked(job.customProperties, this.facetProperties(j.facets, `${at}.facets`), [OWN, t]));
    return job;
  }

  private dataset(d: OlDataset, at: string): DraftNode {
    return this.qualified(OL_TYPES.dataset, d.namespace, d.name, 'datasetName', at);
  }

  /**
   * The context `<namespace>/<name>` of a job or dataset. Two pairs can spell one name
   * (`a/b` + `c` and `a` + `b/c`); the pair that made the context keeps it, and the other
   * is refused rather than merged into a stranger's history.
   */
  private qualified(type: string, namespace: string, name: string, nameProperty: string, at: string): DraftNode {
    const node = this.context(type, qualifiedName(namespace, name), at);
    const p = node.customProperties;
    if (p.namespace === undefined) this.update(node, { ...p, namespace, [nameProperty]: name });
    else if (p.namespace !== namespace || p[nameProperty] !== name) {
      throw new AlreadyExistsError(
        `${at}: ${describe(node.name)} already names the ${type === OL_TYPES.job ? 'job' : 'dataset'} of namespace ${describe(p.namespace)} `
        + `and name ${describe(p[nameProperty])}, not namespace ${describe(namespace)} and name ${describe(name)}`, at);
    }
    return node;
  }

  private context(type: string, name: string, at: string): DraftNode {
    const k = key(type, name);
    let node = this.contexts.get(k);
    if (!node) {
      if (name.length > MAX_NAME_LENGTH) {
        throw new InvalidArgumentError(`${at}: the name ${describe(name.slice(0, 60))}... is ${name.length} characters, at most ${MAX_NAME_LENGTH}`, at);
      }
      node = this.fresh('CONTEXT', type, requireName(name, at));
      this.contexts.set(k, node);
    }
    return node;
  }

  private run(runId: string): DraftNode {
    let node = this.runs.get(runId);
    if (!node) {
      node = { ...this.fresh('EXECUTION', OL_TYPES.run, runId), externalId: runExternalId(runId), state: 'UNKNOWN' };
      this.runs.set(runId, node);
    }
    return node;
  }

  private version(dataset: DraftNode, version: string, at: string): DraftNode {
    const name = versionName(dataset.name, version);
    let node = this.versions.get(name);
    if (!node) {
      if (name.length > MAX_NAME_LENGTH) {
        throw new InvalidArgumentError(`${at}: the version name ${describe(name.slice(0, 60))}... is ${name.length} characters, at most ${MAX_NAME_LENGTH}`, at);
      }
      node = {
        ...this.fresh('ARTIFACT', OL_TYPES.datasetVersion, name),
        externalId: versionExternalId(dataset.name, version),
        uri: dataset.name,
        customProperties: { dataset: dataset.name, version },
      };
      this.rememberVersion(node);
    }
    return node;
  }

  private rememberVersion(node: DraftNode): void {
    this.versions.set(node.name, node);
    const dataset = node.customProperties.dataset;
    if (typeof dataset !== 'string') return;
    const list = this.versionsOfDataset.get(dataset) ?? [];
    list.push(node);
    this.versionsOfDataset.set(dataset, list);
  }

  private fresh(kind: DraftKind, type: string, name: string): DraftNode {
    return {
      kind, type, name, id: null, mlmdId: null, externalId: null, uri: null, state: null, customProperties: {}, changed: true, seq: ++this.seq,
    };
  }

  private update(node: DraftNode, props: PropertyMap, state?: ExecutionState): void {
    if (props !== node.customProperties) { node.customProperties = props; node.changed = true; }
    if (state !== undefined && state !== node.state) { node.state = state; node.changed = true; }
  }

  private edge(run: DraftNode, version: DraftNode, type: 'INPUT' | 'OUTPUT'): void {
    this.events.set(`${run.name}\u0000${version.name}\u0000${type}`, { run, version, type });
  }

  private attribute(context: DraftNode, artifact: DraftNode): void {
    this.attributions.set(`${context.name}\u0000${artifact.name}`, { context, artifact });
  }

  private associate(context: DraftNode, execution: DraftNode): void {
    this.associations.set(`${key(context.type, context.name)}\u0000${execution.name}`, { context, execution });
  }

  private link(child: DraftNode, parent: DraftNode): void {
    this.parentLinks.set(`${key(child.type, child.name)}\u0000${key(parent.type, parent.name)}`, { child, parent });
  }
}

/** How deep a facet may nest (the custom-property check's own bound, validate.ts). */
const MAX_FACET_DEPTH = 60;

/** The `version` facet's datasetVersion, when given. */
function versionFacetOf(facets: Facets | undefined): string | null {
  const v = facets?.version?.datasetVersion;
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** Versions in their order: by versionTime, then by ML Metadata id, the batch's new ones after the stored in the order made. */
function newestLast(a: DraftNode, b: DraftNode): number {
  const ta = a.customProperties.versionTime as number;
  const tb = b.customProperties.versionTime as number;
  if (ta !== tb) return ta - tb;
  const oa = a.mlmdId ?? Number.MAX_SAFE_INTEGER - 1e9 + a.seq;
  const ob = b.mlmdId ?? Number.MAX_SAFE_INTEGER - 1e9 + b.seq;
  return oa - ob;
}
